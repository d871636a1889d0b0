"""Render time of sterilisation papers: `.venv/bin/python -m bench.sterilisation [N]`.

Renders N (default 100) composition / recomposition lists in one job (the demo's appendicectomy,
laparoscopy and caesarean sets in turn, 20–30 instrument lines each) and N tray labels on A4
sheets, pure renderers only (no station, no journal): the figure a sterilisation unit waits for
when it prints the lists of a whole day's OR schedule.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from pcsauvegarde.core.records import PackagingType, Tray, TrayLine
from pcsauvegarde.demo.sterilisation import TRAYS
from pcsauvegarde.station.documents import tray_labels, tray_list
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.sterilisation.catalogue import Catalogue
from pcsauvegarde.station.sterilisation.circulation import Circulation
from pcsauvegarde.station.sterilisation.papers import TrayLabel, TrayLabels, TrayLists

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 30)


def catalogue(n: int) -> Catalogue:
    """``n`` trays cycling over the demo's three big sets."""
    sets = [t for t in TRAYS if len(t[4]) >= 20]
    trays = {}
    for k in range(n):
        code, name, unit, packaging, lines = sets[k % len(sets)]
        trays[f"{code}-{k:03d}"] = Tray(f"{code}-{k:03d}", f"{name} (exemplaire {k + 1})", unit,
                                        packaging, 0, tuple(TrayLine(i, q, r)
                                                            for i, q, r in lines))
    packaging = {"conteneur": PackagingType("conteneur", "Conteneur à filtre", 6)}
    return Catalogue(trays, packaging, {}, (), {"CHD": "Chirurgie digestive"},
                     {"sterilisation": NOW})


def ctx() -> DocumentContext:
    return DocumentContext("Centre hospitalier de démonstration", "BENCH", "Mme Bench", NOW,
                           NOW - dt.timedelta(minutes=5), "BENCH-0000001")


def run(n: int = 100, out=print) -> dict[str, float]:
    c = catalogue(n)
    cards = tuple(c.card(code, DAY) for code in c.trays)
    lists = TrayLists(cards, DAY, "Mme Bench", "", c.extracted_at)
    tray_list.render(TrayLists(cards[:1], DAY), ctx())   # fonts loaded once, not measured
    start = time.perf_counter()
    pdf = tray_list.render(lists, ctx())
    lists_s = time.perf_counter() - start
    import io

    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    labels = TrayLabels(tuple(TrayLabel(k, Circulation(f"ST{i:06d}", k.code, k.unit, DAY,
                                                       k.expiry, "Mme Bench"))
                              for i, k in enumerate(cards, start=1)), "sheet", c.extracted_at)
    start = time.perf_counter()
    label_pdf = tray_labels.render(labels, ctx())
    labels_s = time.perf_counter() - start
    out(f"{n} composition lists: {lists_s:.2f} s, {pages} pages, {len(pdf) / 1024:.0f} KiB "
        f"({lists_s / n * 1000:.0f} ms a tray)")
    out(f"{n} tray labels (A4, 2 × 7): {labels_s:.2f} s, {len(label_pdf) / 1024:.0f} KiB")
    return {"lists_s": lists_s, "pages": pages, "labels_s": labels_s}


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
