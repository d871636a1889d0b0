"""Screens of the pre-identified forms: a patient's form, a unit's kit with its page count."""

from __future__ import annotations

import re
import time

from pcsauvegarde.station import patients
from tests.support.pdfcheck import page_texts
from tests.support.web import client_as


def _unit_with_few(station) -> str:
    return min((u for u in patients.units(station) if u.inpatients and u.code != "REA"),
               key=lambda u: u.inpatients).code


def test_kit_page_shows_the_page_count_before_printing(logged_in, station):
    unit = _unit_with_few(station)
    html = logged_in.get(f"/services/{unit}").get_data(as_text=True)
    assert f"/services/{unit}/kit" in html
    r = logged_in.get(f"/services/{unit}/kit", query_string=[
        ("forms", "surveillance-24h"), ("forms", "transmissions-ciblees")])
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Pancarte de soins critiques" not in html   # not this unit's
    pages = int(re.search(r"<strong>(\d+) pages</strong>", html).group(1))
    assert journal_count(station) == 0                    # nothing issued to count the pages
    r = print_kit(logged_in, unit, ["surveillance-24h", "transmissions-ciblees"])
    assert r.status_code == 302 and "/documents/" in r.headers["Location"]
    number = r.headers["Location"].rsplit("/", 1)[-1]
    pdf = logged_in.get(f"/documents/{number}.pdf").data
    assert len(page_texts(pdf)) == pages
    assert station.journal.get(number)["kind"] == "kit"
    doc = logged_in.get(f"/documents/{number}").get_data(as_text=True)
    assert "Kit de démarrage" in doc


def print_kit(client, unit: str, form_ids: list[str]):
    """POST the kit and follow its progress page to the document's redirect."""
    r = client.post(f"/services/{unit}/kit", data={"forms": form_ids})
    deadline = time.monotonic() + 120
    while r.status_code == 302 and f"/services/{unit}/kit/" in r.headers["Location"]:
        progress = r.headers["Location"]
        r = client.get(progress)
        while r.status_code == 200 and time.monotonic() < deadline:
            assert 'id="bundle-progress"' in r.get_data(as_text=True)
            assert "Kit de démarrage" in r.get_data(as_text=True)
            time.sleep(0.2)
            r = client.get(progress)
    return r


def journal_count(station) -> int:
    return len(station.journal.recent(1000))


def test_a_form_not_offered_to_the_unit_is_refused_on_screen(logged_in, station):
    unit = _unit_with_few(station)
    r = logged_in.post(f"/services/{unit}/kit", data={"forms": ["pancarte-soins-critiques"]},
                       follow_redirects=True)
    assert "pancarte-soins-critiques" in r.get_data(as_text=True)
    assert journal_count(station) == 0


def test_patient_page_prints_one_form(logged_in, station):
    ipp = patients.inpatients(station, "REA")[0].patient.id
    html = logged_in.get(f"/patients/{ipp}").get_data(as_text=True)
    assert "Pancarte de soins critiques" in html and "Feuille de surveillance 24 h" in html
    r = logged_in.post(f"/patients/{ipp}/formulaires/pancarte-soins-critiques")
    assert r.status_code == 302
    number = r.headers["Location"].rsplit("/", 1)[-1]
    row = station.journal.get(number)
    assert (row["kind"], row["form"], row["ipp"]) == ("form", "pancarte-soins-critiques", ipp)
    assert "Pancarte de soins critiques" in logged_in.get(f"/documents/{number}").get_data(
        as_text=True)


def test_admin_may_print_a_kit_and_other_units_stay_closed(app, people, station):
    admin = client_as(app, people["admin"])
    assert admin.get("/services/CHD/kit").status_code == 200
    nurse = client_as(app, "ide-chd")
    assert nurse.get("/services/CHD/kit").status_code == 200
    assert nurse.get("/services/REA/kit").status_code == 403
