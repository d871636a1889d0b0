"""Issue 19 end to end: outage, paper issued, outage ends, everything listed, marked, verified,
and the reconciliation report says the same numbers as the worklist."""

from __future__ import annotations

import re

from pcsauvegarde.station.reentry import report, status, worklist
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.reentry import issue_during_outage


def _domain_line(text: str, label: str) -> list[int]:
    m = re.search(rf"^{label} ((?:\d+ ?){{6}})$", text, re.M)
    assert m, f"no line for {label} in:\n{text}"
    return [int(n) for n in m[1].split()]


def test_outage_to_verified_report(station, tmp_path):
    done = issue_during_outage(station)
    found = worklist.items(station, done.window)
    assert {i.domain for i in found} == {"soins", "admissions", "biologie", "stérilisation"}
    for number in done.documents:            # the unit's paper: re-entered, then verified
        status.mark(station, "document", number, "ressaisi", "ide1")
        status.mark(station, "document", number, "verifie", "ide2", distinct_verifier=True)
    status.mark(station, "admission", done.admission, "ressaisi", "secretaire")
    status.mark(station, "lab_label", done.lab_labels[0], "sans_objet", "preleveur",
                "étiquette abîmée, jetée")
    found = worklist.items(station, done.window)
    data = report.build(found, done.window)
    issued = report.issue_report(station, done.window, "chef")
    text = "\n".join(page_texts(issued.pdf))
    assert "Bilan de ressaisie" in text and "Panne « Panne DPI »" in text
    for p in worklist.progress(found, "domain"):
        assert _domain_line(text, p.label) == [
            p.total, *(p.counts.get(k, 0) for k in status.STATUSES), p.outstanding]
    soins = next(p for p in data.by_domain if p.key == "soins")
    assert soins.outstanding == 0 and soins.percent_done == 100
    assert _domain_line(text, "Total") == [
        len(found), *(data.total.counts.get(k, 0) for k in status.STATUSES),
        data.total.outstanding]
    outstanding = {i.number for i in data.outstanding}
    assert outstanding == ({done.admission, *done.lab_labels[1:], *done.admission_labels,
                            *done.trays})
    flat = text.replace("\n", " ")
    for number in outstanding:
        assert number in flat
    assert done.documents[0] not in flat
    assert "MODE DÉGRADÉ" in text.upper() or "dégradé" in text
    assert_page_quality(issued.pdf, allergies=False)
    # the report is journalled but is not itself an item to re-enter
    assert station.journal.get(issued.document.number)["kind"] == "reentry_report"
    assert issued.document.number not in {i.number for i in worklist.items(station, done.window)}
    (tmp_path / "report.pdf").write_bytes(issued.pdf)
