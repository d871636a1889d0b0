"""Imaging and consultation screens: the week's schedules listed, printed, journalled, and
refused to accounts that must not see them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.core.records import Stay, Unit
from pcsauvegarde.station.documents.fmt import PARIS
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import page_texts
from tests.support.sample import UUID_IPP
from tests.support.schedules import appointments, exams, long_patient, plain_patient
from tests.support.stations import station_of_records
from tests.support.web import client_as

UTC = dt.UTC


def _today_at(hour: int, days: int = 0) -> dt.datetime:
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), PARIS).astimezone(UTC)


@pytest.fixture
def schedule_app(settings, keys, drop, make_package):
    """Exams of today and tomorrow, appointments of two clinics; accounts per need."""
    from pcsauvegarde.station.web import create_app

    people = (long_patient(), plain_patient())
    dpi = [r for p in people for r in (p.patient, p.stay, *p.allergies)]
    dpi = [dataclasses.replace(r, discharge=None) if isinstance(r, Stay) else r for r in dpi]
    shift = {"ct-1": (9, 0), "ct-2": (10, 0), "ct-3": (11, 0), "ct-other-room": (9, 0),
             "mr-1": (9, 0), "ct-tomorrow": (9, 1)}
    imaging = [dataclasses.replace(e, scheduled_at=_today_at(*shift[e.id])) for e in exams()]
    days = {"rdv-1": (9, 0), "rdv-2": (10, 0), "rdv-3": (9, 1), "rdv-other": (9, 2)}
    dpi += [dataclasses.replace(a, start=_today_at(*days[a.id]), end=None)
            for a in appointments()]
    directory = [Unit("CARDIO-CS", "Cardiologie — consultations"),
                 Unit("PNEUMO-CS", "Pneumologie — consultations")]
    st = station_of_records(settings, keys, drop, make_package,
                            {"dpi": dpi, "imaging": imaging, "directory": directory})
    st.accounts.add("manip", "Manipulatrice radio", PASSWORD, ("imagerie",), ("*",))
    st.accounts.add("manip-chd", "Manipulateur CHD", PASSWORD, ("imagerie",), ("CHD",))
    st.accounts.add("secr-cardio", "Secrétaire cardio", PASSWORD, ("soins",), ("CARDIO-CS",))
    return create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})


def test_imaging_index_lists_today_and_tomorrow_per_modality_and_room(schedule_app):
    html = client_as(schedule_app, "manip").get("/imagerie").get_data(as_text=True)
    assert "Aujourd'hui" in html and "Demain" in html
    assert "Scanner (CT)" in html and "IRM (MR)" in html and "Scanner 2" in html
    assert "jour=" in html and "modalite=CT" in html


def test_imaging_screens_refuse_an_account_not_on_every_unit(schedule_app):
    r = client_as(schedule_app, "manip-chd").get("/imagerie")
    assert r.status_code == 403 and "toutes les unités" in r.get_data(as_text=True)
    assert client_as(schedule_app, "secr-cardio").get("/imagerie").status_code == 403


def test_schedule_screen_then_print_journals_without_patient(schedule_app):
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    day = dt.datetime.now(PARIS).date().isoformat()
    client = client_as(schedule_app, "manip")
    html = client.get(f"/imagerie/planning?jour={day}&modalite=CT&salle=Scanner+1"
                      ).get_data(as_text=True)
    assert UUID_IPP in html and "ROCHEFOUCAULD" in html and "LEFÈVRE-DUBOIS" in html
    # the exam of a patient the dpi extract does not hold is not kept by the station (counted
    # as « no_patient » at ingestion), so the day shows two exams
    assert "(2 examens)" in html
    assert "Scanner du rachis" not in html   # another room
    r = client.post("/imagerie/planning/imprimer",
                    data={"jour": day, "modalite": "CT", "salle": "Scanner 1"})
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(schedule_app)
    doc = station.journal.get(number)
    assert doc["kind"] == "imaging_schedule" and not doc["ipp"] and not doc["unit"]
    text = " ".join(page_texts(stored_pdf(station, number)))
    assert "Salle : Scanner 1" in text and UUID_IPP in text
    assert client.get(r.headers["Location"]).status_code == 200


def test_report_form_of_an_exam_is_journalled_with_its_patient(schedule_app):
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    client = client_as(schedule_app, "manip")
    r = client.post("/imagerie/compte-rendu", data={"examen": "ct-1"})
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(schedule_app)
    doc = station.journal.get(number)
    assert doc["kind"] == "imaging_report" and doc["ipp"] == UUID_IPP
    assert "Pénicilline" in " ".join(page_texts(stored_pdf(station, number)))
    blank = client.post("/imagerie/compte-rendu", data={})
    doc = station.journal.get(blank.headers["Location"].rsplit("/", 1)[1])
    assert doc["kind"] == "imaging_report" and not doc["ipp"]
    assert client.post("/imagerie/compte-rendu", data={"examen": "nope"}).status_code == 404


def test_consultations_index_shows_only_the_accounts_clinics(schedule_app):
    html = client_as(schedule_app, "secr-cardio").get("/consultations").get_data(as_text=True)
    assert "Cardiologie — consultations" in html and "Pneumologie" not in html
    assert "dont 1 annulé(s)" in html
    assert client_as(schedule_app, "secr-cardio").get(
        "/consultations/PNEUMO-CS").status_code == 403


def test_call_list_printed_is_journalled_under_the_clinic(schedule_app):
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    client = client_as(schedule_app, "secr-cardio")
    day = dt.datetime.now(PARIS).date().isoformat()
    html = client.get(f"/consultations/CARDIO-CS?jour={day}").get_data(as_text=True)
    assert "+33 6 12 34 56 78" in html and "annulé" in html and UUID_IPP in html
    r = client.post("/consultations/CARDIO-CS/imprimer", data={"jour": day})
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(schedule_app)
    doc = station.journal.get(number)
    assert doc["kind"] == "consultation_calls" and doc["unit"] == "CARDIO-CS"
    text = " ".join(page_texts(stored_pdf(station, number)))
    assert "Appelé" in text and "Reporté" in text and "+33 6 12 34 56 78" in text
    assert client.get(r.headers["Location"]).status_code == 200   # rereadable by its unit



def test_the_week_of_a_clinic_prints_as_one_document(schedule_app):
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    client = client_as(schedule_app, "secr-cardio")
    assert "Imprimer les 7 jours" in client.get("/consultations").get_data(as_text=True)
    r = client.post("/consultations/CARDIO-CS/imprimer", data={"semaine": "1"})
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(schedule_app)
    assert station.journal.get(number)["unit"] == "CARDIO-CS"
    texts = page_texts(stored_pdf(station, number))
    assert len(texts) == 2 and "Planning des consultations — du" in texts[0]   # two days


def test_a_whole_day_of_imaging_prints_as_one_document(schedule_app):
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    client = client_as(schedule_app, "manip")
    day = dt.datetime.now(PARIS).date().isoformat()
    r = client.post("/imagerie/journee/imprimer", data={"jour": day})
    number = r.headers["Location"].rsplit("/", 1)[1]
    texts = page_texts(stored_pdf(station_of(schedule_app), number))
    assert len(texts) == 3   # CT Scanner 1, CT Scanner 2, MR IRM (tomorrow's exam not)
    assert client_as(schedule_app, "manip-chd").post(
        "/imagerie/journee/imprimer", data={"jour": day}).status_code == 403
