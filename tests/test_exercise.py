"""Crisis exercise: started and ended by the admin, documents watermarked and kept apart."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from pcsauvegarde.station import exercise, patients
from pcsauvegarde.station.issuing.issue import issue_patient_document, issue_unit_document
from pcsauvegarde.station.readiness import WARNING, assess
from tests.support.constants import PASSWORD
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.web import client_as


@pytest.fixture
def admin(app, station):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    return client_as(app, "chef")


def _text(r) -> str:
    return htmllib.unescape(r.get_data(as_text=True))


def test_exercise_from_start_to_report(admin, station):
    ipp = patients.inpatients(station, "CHD")[0].patient.id
    before = issue_patient_document(station, "summary", ipp, "infirmiere")
    assert not any("EXERCICE" in p for p in page_texts(before.pdf))

    r = admin.post("/admin/exercice", data={"action": "start", "label": "Panne DPI simulée"})
    assert r.status_code == 302
    assert "Exercice en cours" in _text(admin.get("/admin"))
    verdicts = [v for v in assess(station, service=None).verdicts if v.check == "exercise"]
    assert verdicts[0].level == WARNING and "EXERCICE" in verdicts[0].message
    r = admin.post("/admin/exercice", data={"action": "start"})
    assert "déjà en cours" in _text(admin.get("/admin"))

    during = issue_patient_document(station, "summary", ipp, "infirmiere")
    census = issue_unit_document(station, "census", patients.unit_file(station, "CHD"),
                                 "infirmiere")
    for issued in (during, census):
        pages = page_texts(issued.pdf)
        assert pages and all("EXERCICE" in p for p in pages)
    assert exercise.is_exercise_document(station, during.document.number)
    assert not exercise.is_exercise_document(station, before.document.number)

    r = admin.post("/admin/exercice", data={"action": "end"})
    report = _text(r)
    assert r.status_code == 200 and "Bilan de l'exercice « Panne DPI simulée »" in report
    assert "2 document(s) imprimé(s)" in report and "infirmiere : 2" in report
    assert "Premier document 0 min" in report
    assert during.document.number in report and f">{before.document.number}<" not in report
    assert station.audit.search(action="exercise.ended")[1] == 1
    assert "Bilan imprimé (document" in report
    (printed,) = [p for p in station.settings.printed_dir.glob("*.pdf")
                  if "Bilan" in "".join(page_texts(p.read_bytes()))]
    paper = "\n".join(page_texts(printed.read_bytes()))
    assert "2 imprimé(s)" in paper and "Panne DPI simulée" in paper
    assert "Bilan d'exercice de crise" in paper
    assert during.document.number in paper and census.document.number in paper
    assert "Premier document 0 min" in paper and "infirmiere : 2" in paper
    assert "MODE DÉGRADÉ" in paper and f"N° {before.document.number}" not in paper
    assert not re.search(rf"(?<!EX-){before.document.number}", paper)
    assert_page_quality(printed.read_bytes(), allergies=False,
                        barcodes=[station.journal.recent(1)[0]["number"]])

    after = issue_patient_document(station, "summary", ipp, "infirmiere")
    assert not any("EXERCICE" in p for p in page_texts(after.pdf))
    assert not exercise.is_exercise_document(station, after.document.number)
    assert "Commencer un exercice" in _text(admin.get("/admin"))


def test_ending_without_exercise_is_refused(admin, station):
    with pytest.raises(exercise.ExerciseError, match="aucun exercice en cours"):
        exercise.end(station, "chef")
    admin.post("/admin/exercice", data={"action": "end"})
    assert "aucun exercice en cours" in _text(admin.get("/admin"))
