"""The OR screen: schedule per day and room, unit scoping, prints, pre-op sheet, blood card."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents.fmt import to_local
from tests.support.constants import PASSWORD
from tests.support.web import client_as

TODAY = to_local(dt.datetime.now(dt.UTC)).date()


def test_schedule_screen_today_and_tomorrow(app, people):
    client = client_as(app, people["imagerie"])
    html = client.get("/bloc").get_data(as_text=True)
    assert f"Planning des interventions du {TODAY:%d/%m/%Y}" in html
    assert "Salle 1 — 2 interventions" in html and "Appendicectomie par laparotomie" in html
    assert "RhD" in html and "groupe sanguin non disponible dans l&#39;extrait" in html
    assert "RAI périmée" in html
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    html = client.get("/bloc", query_string={"jour": tomorrow}).get_data(as_text=True)
    assert "Colectomie gauche par cœlioscopie" in html and "anti-E" in html
    html = client.get("/bloc", query_string={"salle": "Salle 2"}).get_data(as_text=True)
    assert "Salle 2 — 2 interventions" in html and "Salle 1 —" not in html
    home = client.get("/").get_data(as_text=True)
    assert 'href="/bloc"' in home


def test_bad_day_is_said(app, people):
    client = client_as(app, people["imagerie"])
    r = client.get("/bloc", query_string={"jour": "2001-01-01"}, follow_redirects=True)
    assert "hors du programme disponible" in r.get_data(as_text=True)


def test_ward_nurse_sees_only_her_units(app, station, people):
    client = client_as(app, "ide-chd")
    html = client.get("/bloc").get_data(as_text=True)
    assert "Salle 1 — 2 interventions" in html
    r = client.post("/bloc/imprimer", data={"jour": TODAY.isoformat()})
    assert client.get(r.headers["Location"]).status_code == 200   # she rereads her print
    station.accounts.add("ide-rea", "IDE REA", PASSWORD, ("soins",), ("REA",))
    html = client_as(app, "ide-rea").get("/bloc").get_data(as_text=True)
    assert "4 intervention(s) de patients hors de vos unités ne sont pas listées" in html
    assert "Appendicectomie" not in html


def test_print_schedule_and_preop(app, station, people):
    client = client_as(app, people["imagerie"])
    r = client.post("/bloc/imprimer", data={"jour": TODAY.isoformat(), "salle": ""})
    assert r.status_code == 302 and "/documents/" in r.headers["Location"]
    number = r.headers["Location"].rsplit("/", 1)[1]
    assert station.journal.get(number)["kind"] == "or_schedule"
    assert client.get(r.headers["Location"]).status_code == 200
    from pcsauvegarde.station.theatre import schedule
    ipp = schedule.build(station, TODAY).rooms[0].lines[0].case.ipp
    r = client.post(f"/bloc/patients/{ipp}/fiche-preoperatoire")
    assert r.status_code == 302
    doc = station.journal.get(r.headers["Location"].rsplit("/", 1)[1])
    assert (doc["kind"], doc["ipp"]) == ("preop", ipp)


def test_patient_page_shows_blood_group_and_offers_the_preop_sheet(app, station, people):
    from pcsauvegarde.station.theatre import schedule
    ipp = schedule.build(station, TODAY).rooms[0].lines[0].case.ipp
    html = client_as(app, "ide-chd").get(f"/patients/{ipp}").get_data(as_text=True)
    assert 'id="blood"' in html and "Groupe ABO-RhD" in html and "RhD" in html
    assert 'id="print-preop"' in html


def test_web_pack(app, station, people):
    from pcsauvegarde.station import patients
    ipp = patients.inpatients(station, "CHD")[0].patient.id
    client = client_as(app, "ide-chd")
    r = client.post(f"/patients/{ipp}/sortie", data={"motif": "transfert",
                                                     "destination": "CH de Rouen"})
    assert r.status_code == 302 and "/documents/" in r.headers["Location"]
    r = client.post(f"/patients/{ipp}/sortie", data={"motif": "vacances"},
                    follow_redirects=True)
    assert "Motif invalide" in r.get_data(as_text=True)
    html = client.get(f"/patients/{ipp}").get_data(as_text=True)
    assert 'id="print-transfer-pack"' in html
