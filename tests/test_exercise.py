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


def test_every_screen_shows_the_exercise_banner(admin, app, station):
    from tests.support.constants import PASSWORD as PW
    station.accounts.add("ide", "Infirmière", PW, ("soins",), ("*",))
    nurse = client_as(app, "ide")
    assert "exercise-banner" not in _text(nurse.get("/"))
    admin.post("/admin/exercice", data={"action": "start", "label": "Panne DPI simulée"})
    for client, path in ((nurse, "/"), (admin, "/admin"), (admin, "/admin/synchro/")):
        page = _text(client.get(path))
        assert 'id="exercise-banner"' in page, path
        assert "EXERCICE EN COURS « Panne DPI simulée » depuis le" in page
    admin.post("/admin/exercice", data={"action": "end"})
    assert "exercise-banner" not in _text(nurse.get("/"))


def test_report_prints_whole_numbers_and_french_kinds(station, tmp_path):
    """64-character numbers are printed whole (on two lines), kinds by their French title."""
    import datetime as dt

    from pcsauvegarde.station.documents import exercise_report
    from tests.support.sample import make_ctx

    started = dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)
    number = "EX-CH-NORD-URG-1-" + "0123456789ABCDEF" * 2 + "-00000000000042"
    assert len(number) == 64
    docs = tuple({"number": f"{number[:-1]}{i}", "kind": kind, "title": title, "ipp": "",
                  "unit": "URG-ADULTES-SECTEUR-NORD", "issued_at_local": "27/11/2026 14:05",
                  "issued_by": "infirmiere"}
                 for i, (kind, title) in enumerate([("bundle", "Impression du service"),
                                                    ("summary", "Synthèse patient")]))
    report = exercise.ExerciseReport(
        exercise.Exercise(1, "Panne DPI simulée", started, "chef", started, "chef"), docs,
        (("Impression du service", 1), ("Synthèse patient", 1)), (("infirmiere", 2),),
        dt.timedelta(minutes=2))
    pdf = exercise_report.render(report, make_ctx())
    text = "".join(page_texts(pdf)).replace("\n", "")
    for d in docs:
        assert d["number"] in text
    assert "…" not in text and "bundle" not in text
    assert "Impression du service : 1" in " ".join(page_texts(pdf)[0].split())
    assert_page_quality(pdf, allergies=False, barcodes=[make_ctx().document_number])


def test_report_titles_come_from_the_registry(admin, station):
    """A unit bundle printed during the exercise is « Impression du service », not bundle."""
    from pcsauvegarde.station.issuing.bundling import issue_unit_bundle

    admin.post("/admin/exercice", data={"action": "start"})
    unit = next(u for u in patients.units(station) if u.inpatients).code
    issue_unit_bundle(station, unit, ["summary"], "infirmiere")
    r = admin.post("/admin/exercice", data={"action": "end"})
    page = _text(r)
    assert "Impression du service" in page and ">bundle<" not in page
    (ended,) = [d for d in exercise.report(station, 1).documents if d["kind"] == "bundle"]
    assert ended["title"] == "Impression du service"
