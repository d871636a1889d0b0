"""Render-time benchmark of the care documents: `.venv/bin/python -m bench.documents`.

Measures one MAR, a 30-patient unit bundle (MAR + care plan + summary and a cover, one PDF),
1,000 label-like pages (a floor-comparable page of 24 identity labels drawn with DocumentPDF,
not the labels module), bytes per page, and compares each with the floor: the simplest fpdf2
program drawing the same number of cells and texts. Peak RSS for 100 vs 1,000 pages is
measured in child processes (memory MUST stay flat in pages).
"""

from __future__ import annotations

import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from fpdf import FPDF

from pcsauvegarde.station.documents import administration_plan, bundle, care_plan, patient_summary
from pcsauvegarde.station.documents.base import FAMILY, MARGIN, DocumentPDF, font_files
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile

NOW = dt.datetime(2026, 11, 27, 13, 17, tzinfo=dt.UTC)
KINDS = (administration_plan, care_plan, patient_summary)


def ctx(number: str = "BENCH-0000001") -> DocumentContext:
    return DocumentContext("Centre hospitalier de démonstration", "BENCH", "Mme Bench", NOW,
                           NOW - dt.timedelta(minutes=5), number)


def demo_files(count: int = 30) -> list[PatientFile]:
    """PatientFiles of the demo hospital's inpatients (the densest units first)."""
    from pcsauvegarde.demo import generate_fhir
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir

    with tempfile.TemporaryDirectory() as tmp:
        generate_fhir(Path(tmp), now=NOW, per_unit=(30, 32))
        records = list(import_fhir(sorted(Path(tmp).glob("*.ndjson"))).records)
    by_ipp: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        ipp = r.id if r.TYPE == "patient" else getattr(r, "ipp", None)
        if ipp:
            by_ipp[ipp][r.TYPE].append(r)
    files = []
    for recs in by_ipp.values():
        stays = [s for s in recs["stay"] if s.discharge is None]
        if not stays:
            continue
        files.append(PatientFile(
            recs["patient"][0], stays[0], stays[0].unit, tuple(recs["allergy"]),
            tuple(recs["condition"]), tuple(recs["medication_order"]),
            tuple(sorted(recs["medication_administration"], key=lambda a: a.at)),
            tuple(recs["lab_result"]), tuple(recs["imaging_exam"]),
            {"dpi": NOW - dt.timedelta(minutes=5), "lab": NOW - dt.timedelta(minutes=5)}))
    files.sort(key=lambda f: (-len(f.orders), f.stay.unit, f.stay.room))
    return files[:count]


def one_patient() -> PatientFile:
    """A single synthetic patient (no demo hospital: keeps the RSS baseline small)."""
    from pcsauvegarde.core.records import Patient
    return PatientFile(Patient("00123456", "Lefèvre-Dubois", "Hélène", dt.date(1948, 2, 3), "F"))


def label_page(pdf: DocumentPDF, file: PatientFile, n: int = 24) -> int:
    """One page of 24 identity labels (3 × 8): name, birth date, IPP and its barcode."""
    pdf.add_page()
    w, h = (pdf.w - 2 * MARGIN) / 3, 22.0
    top = pdf.content_top
    p = file.patient
    for i in range(n):
        x, y = MARGIN + (i % 3) * w, top + (i // 3) * h
        pdf.rect(x, y, w - 2, h - 2)
        pdf.set_xy(x + 1, y + 1)
        pdf.fit_cell(w - 4, 4, f"{p.birth_name.upper()} {p.first_names}", "B", 9)
        pdf.set_xy(x + 1, y + 5.5)
        pdf.fit_cell(w - 4, 4, f"Né(e) le {p.birth_date:%d/%m/%Y} · IPP {p.id}", "", 8)
        pdf.barcode(p.id, x + 1, y + 10, 8)
    return n


def labels(pages: int, file: PatientFile) -> bytes:
    pdf = DocumentPDF(ctx(), "Étiquettes d'identité (page de comparaison)")
    for _ in range(pages):
        label_page(pdf, file)
    return pdf.output_bytes()


def floor(pages: int, cells_per_page: int, texts_per_page: int) -> bytes:
    """The simplest fpdf2 program drawing as many cells and texts (no layout logic)."""
    pdf = FPDF()
    pdf.add_font(FAMILY, "", str(font_files()[""]))
    pdf.set_font(FAMILY, "", 9)
    pdf.set_auto_page_break(False)
    for _ in range(pages):
        pdf.add_page()
        for i in range(max(cells_per_page, texts_per_page)):
            pdf.set_xy(10 + (i % 3) * 63, 10 + (i // 3 % 40) * 6.5)
            pdf.cell(60, 5, "DUPONT Jean-Éloïse 01/02/1950" if i < texts_per_page else "",
                     border=1 if i < cells_per_page else 0)
    return bytes(pdf.output())


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def render_bundle(files: list[PatientFile]) -> tuple[bytes, int]:
    """The bundle as bundling.py draws it: one PDF, cover first, every document inside."""
    parts = [bundle.BundlePart(module.draw, f, ctx(f"BENCH-{i:04d}{k}"), f.stay.room,
                               f.patient.birth_name, module.TITLE)
             for i, f in enumerate(files) for k, module in enumerate(KINDS)]
    out = bundle.render("U", "Unité", len(files), parts, ctx())
    return out.pdf, out.pages


def peak_rss_mb(pages: int) -> float:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from this (bigger) process.
    code = (f"import bench.documents as b; b.labels({pages}, b.one_patient()); "
            "print(next(l.split()[1] for l in open('/proc/self/status') "
            "if l.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                         text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    files = demo_files(30)
    f = files[0]
    administration_plan.render(f, ctx())            # warm-up: fonts parsed once per process
    t_mar = min(timed(administration_plan.render, f, ctx())[0] for _ in range(3))
    mar = administration_plan.render(f, ctx())
    mar_pages = bundle.page_count(mar)
    t_floor_mar = timed(floor, mar_pages, 70, 90)[0]
    print(f"MAR, {len(f.orders)} orders: {t_mar * 1000:.0f} ms, {mar_pages} pages, "
          f"{len(mar) // mar_pages} bytes/page (target ≤ 300 ms); "
          f"floor {t_floor_mar * 1000:.0f} ms, ratio {t_mar / t_floor_mar:.1f}")
    t_bundle, (pdf, pages) = timed(render_bundle, files)
    t_floor_b = timed(floor, pages, 70, 90)[0]
    print(f"Bundle, {len(files)} patients × MAR + care plan + summary: {t_bundle:.2f} s, "
          f"{pages} pages, {len(pdf) // pages} bytes/page (target ≤ 5 s); "
          f"floor {t_floor_b:.2f} s, ratio {t_bundle / t_floor_b:.1f}")
    t_labels, lab = timed(labels, 1000, f)
    t_floor_l, fl = timed(floor, 1000, 24, 48)
    print(f"1,000 label-like pages (24 labels, DocumentPDF): {t_labels:.2f} s, "
          f"{len(lab) // 1000} bytes/page; floor {t_floor_l:.2f} s "
          f"({len(fl) // 1000} bytes/page), ratio {t_labels / t_floor_l:.1f}")
    small, big = peak_rss_mb(100), peak_rss_mb(1000)
    print(f"Peak RSS, label pages: 100 → {small:.0f} MB, 1,000 → {big:.0f} MB "
          f"(+{(big - small) / 900 * 1024:.0f} kB/page)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"This process: peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
