"""The sterilisation screens: search, print each paper, unit scoping, cycle entry."""

from __future__ import annotations

import re

from pcsauvegarde.station.sterilisation import service
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import page_texts
from tests.support.web import client_as


def _agent(app, station, units=("*",)):
    login = "steril-" + "-".join(units).replace("*", "all").lower()
    if station.accounts.get(login) is None:
        station.accounts.add(login, "Agent de stérilisation", PASSWORD, ("stérilisation",),
                             units)
    return client_as(app, login)


def _issued(station, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    number = response.headers["Location"].rsplit("/", 1)[1]
    assert station.journal.get(number) is not None
    return number


def test_screen_lists_trays_gaps_and_the_or_schedule(app, station):
    html = _agent(app, station).get("/sterilisation").get_data(as_text=True)
    for code in ("APPEND-01", "COELIO-01", "CESAR-01", "DRAIN-03", "TRACH-02"):
        assert code in html
    assert "composition absente des données" in html
    assert "« sachet-mixte » inconnu" in html
    assert "Programme opératoire du" in html and "Appendicectomie par laparotomie" in html
    assert "Fiche de traçabilité patient" in html
    found = _agent(app, station).get("/sterilisation?q=cesar").get_data(as_text=True)
    assert 'value="CESAR-01"' in found and 'value="APPEND-01"' not in found


def test_every_paper_from_the_screen(app, station):
    client = _agent(app, station)
    trays = ["APPEND-01", "PANS-12"]
    for action in ("list", "labels", "washer", "autoclave", "reception", "delivery"):
        r = client.post("/sterilisation/imprimer", data={
            "action": action, "trays": trays, "operator": "Marie Curie", "day": "2026-08-31",
            "stock": "thermal", "autoclave_equipment": "AUTOCLAVE-1", "transfer_unit": "CHD"})
        number = _issued(station, r)
        page = client.get(f"/sterilisation/documents/{number}")
        assert page.status_code == 200 and number in page.get_data(as_text=True)
        pdf = client.get(f"/sterilisation/documents/{number}.pdf").data
        text = " ".join(page_texts(pdf))
        assert "APPEND-01" in text, action
        assert client.get(f"/sterilisation/documents/{number}/pages/1.png").status_code == 200
    assert "28/02/2027" in text    # delivery: expiry of the label printed with day 31/08/2026
    case = service.or_day(station, __import__("datetime").datetime.now(
        __import__("datetime").UTC))[0]
    r = client.post("/sterilisation/imprimer", data={"action": "or_sheet", "case": case.id})
    assert case.procedure in page_texts(client.get(
        f"/sterilisation/documents/{_issued(station, r)}.pdf").data)[0]
    r = client.post("/sterilisation/imprimer", data={"action": "unit_lists", "list_unit": "REA"})
    text = " ".join(page_texts(client.get(
        f"/sterilisation/documents/{_issued(station, r)}.pdf").data))
    assert "Plateaux de l'unité Réanimation" in text and "DRAIN-03" in text and "TRACH-02" in text
    assert "APPEND-01" not in text
    assert "print-unit-lists" in client.get("/sterilisation?unit=REA").get_data(as_text=True)
    r = client.post("/sterilisation/imprimer", data={"action": "or_lists"})
    text = " ".join(page_texts(client.get(
        f"/sterilisation/documents/{_issued(station, r)}.pdf").data))
    assert "Programme opératoire du" in text and "Boîte de cœlioscopie digestive" in text


def test_bad_requests_say_why_and_lose_nothing(app, station):
    client = _agent(app, station)
    r = client.post("/sterilisation/imprimer", data={"action": "list"}, follow_redirects=True)
    assert "Cochez au moins un plateau" in r.get_data(as_text=True)
    r = client.post("/sterilisation/imprimer", data={"action": "labels", "codes": "ORL-07"},
                    follow_redirects=True)
    assert "ORL-07" in r.get_data(as_text=True) and "aucune étiquette" in r.get_data(
        as_text=True)
    r = client.post("/sterilisation/imprimer", data={"action": "list", "codes": "ORL-07"})
    text = page_texts(client.get(f"/sterilisation/documents/{_issued(station, r)}.pdf").data)
    assert "absent du catalogue" in text[0]


def test_unit_scoping(app, station):
    client = _agent(app, station, ("REA",))
    html = client.get("/sterilisation").get_data(as_text=True)
    assert 'value="DRAIN-03"' in html and 'value="APPEND-01"' not in html
    r = client.post("/sterilisation/imprimer", data={"action": "list", "trays": ["APPEND-01"]})
    assert r.status_code == 403
    other = _agent(app, station)
    number = _issued(station, other.post("/sterilisation/imprimer", data={
        "action": "list", "trays": ["APPEND-01"]}))
    assert client.get(f"/sterilisation/documents/{number}").status_code == 403


def test_a_patient_document_is_not_shown_here(app, station, samples):
    r = _agent(app, station).get(f"/sterilisation/documents/{samples['in']['number']}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/sterilisation")


def test_cycle_entry_keeps_unknown_trays_and_prints_the_form(app, station):
    client = _agent(app, station)
    form = {"kind": "autoclave", "equipment": "AUTOCLAVE-2", "cycle_number": "4600",
            "lot": "L-SAISIE-1", "at": "2026-11-30T09:15", "program": "134 °C 18 min",
            "operator": "Marie Curie", "trays": "APPEND-01\nINCONNU-9", "decision": "released"}
    bad = client.post("/sterilisation/cycles", data={**form, "cycle_number": ""})
    assert bad.status_code == 422 and "N° de cycle" in bad.get_data(as_text=True)
    assert "INCONNU-9" in bad.get_data(as_text=True), "what was typed stays on screen"
    r = client.post("/sterilisation/cycles", data=form)
    number = _issued(station, r)
    flashed = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "INCONNU-9" in flashed and "enregistré" in flashed
    text = re.sub(r"\s+", " ", page_texts(client.get(
        f"/sterilisation/documents/{number}.pdf").data)[0])
    assert "4600" in text and "L-SAISIE-1" in text and "☒ Charge LIBÉRÉE" in text
    assert "« INCONNU-9 » : plateau absent du catalogue" in text and "Saisi à l'écran" in text
    listing = client.get("/sterilisation/cycles").get_data(as_text=True)
    assert "4600" in listing and number in listing
    # the typed cycle is now the tray's last one on the OR traceability sheet
    entry = service.entries(station).recent(1)[0]
    assert entry.trays == ("APPEND-01", "INCONNU-9") and entry.document == number
