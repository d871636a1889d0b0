"""The reconciliation report with identifiers of every shape: nothing overflows or shrinks."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents import reentry_report
from pcsauvegarde.station.reentry import status
from pcsauvegarde.station.reentry.outage import Window
from pcsauvegarde.station.reentry.report import build
from pcsauvegarde.station.reentry.worklist import Item
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import LONG_BIRTH_NAME, LONG_IPP, LONG_UNIT, UUID_IPP

START = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)


def _items(n: int) -> list[Item]:
    out = []
    for k in range(n):
        number = f"{UUID_IPP}-{k:03d}" if k % 3 else LONG_IPP
        state = ("a_ressaisir", "ressaisi", "verifie", "sans_objet")[k % 4]
        at = START + dt.timedelta(hours=1) if state != "a_ressaisir" else None
        out.append(Item("document", number, ("soins", "biologie", "admissions")[k % 3],
                        "Plan d'administration des médicaments sur 72 heures",
                        LONG_UNIT if k % 2 else "REA", UUID_IPP, "infirmiere.de.nuit.bloc-b",
                        START + dt.timedelta(minutes=k),
                        status.StatusEntry("document", number, state, at,
                                           "cadre" if at else ""),
                        patient=f"{LONG_BIRTH_NAME.upper()} Marie-Bérengère Éloïse "
                                "(né(e) le 01/02/1950)"))
    return out


def test_long_identifiers_fit_and_counts_are_printed(ctx, tmp_path):
    window = Window(1, "Cyberattaque du bloc opératoire et des urgences adultes, niveau 3",
                    START, START + dt.timedelta(days=21))
    data = build(_items(60), window)
    pdf = reentry_report.render(data, ctx)
    assert_page_quality(pdf, allergies=False)
    text = "\n".join(page_texts(pdf))
    assert "60, dont 30 restant(s) (50 % terminés)" in text
    assert text.count("Éléments restants") == 1 and len(data.outstanding) == 30
    assert UUID_IPP in text.replace("\n", "")
    (tmp_path / "report.pdf").write_bytes(pdf)


def test_nothing_outstanding_says_so(ctx):
    window = Window(2, "", START, None)
    items = [i for i in _items(8) if i.status.is_done]
    text = "\n".join(page_texts(reentry_report.render(build(items, window), ctx)))
    assert "Aucun : tout est vérifié ou sans objet." in text and "(en cours)" in text
    assert "au en cours" not in text and "depuis le " in text
