"""Lab screens end to end: batch, patient labels, request form, register, exports, results."""

from __future__ import annotations

import csv
import io
import json
import re

from pcsauvegarde.station import patients
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import barcodes, page_texts
from tests.support.web import client_as


def _lab(app, station, units=("*",)):
    login = "labo-" + "-".join(u.lower() for u in units).replace("*", "tout")
    station.accounts.add(login, "Biologiste", PASSWORD, ("laboratoire",), units)
    return client_as(app, login)


def _document(client, r) -> tuple[str, bytes]:
    assert r.status_code == 302, r.get_data(as_text=True)
    number = r.headers["Location"].rsplit("/", 1)[1]
    return number, client.get(f"/documents/{number}.pdf").data


def test_lab_screens_end_to_end(app, station):
    client = _lab(app, station)
    home = client.get("/labo").get_data(as_text=True)
    assert "9500001–9599999" in home and "Numéros restants sur ce poste : 99999" in home

    number, pdf = _document(client, client.post("/labo/lots", data={
        "sets": "5", "tubes": "3", "format": "a4", "send": "printer"}))
    codes = sorted(set(barcodes(pdf)) - {number})
    assert len(codes) == 15 and codes[0] == "9500001401"
    assert "Numéros restants sur ce poste : 99994" in client.get("/labo").get_data(as_text=True)

    row = patients.inpatients(station, "CHD")[0]
    ipp = row.patient.id
    page = client.get(f"/labo/patients/{ipp}").get_data(as_text=True)
    assert row.patient.birth_name.upper() in page and "EDTA (violet)" in page
    number, pdf = _document(client, client.post(f"/labo/patients/{ipp}/bon", data={
        "tubes": "2", "tube_type_1": "EDTA (violet)", "urgent": "1"}))
    texts = page_texts(pdf)
    assert "Bon de demande d'examens de laboratoire" in texts[0] and "Hémocultures" in texts[0]
    assert "95000063" in texts[0] and "URGENT" in texts[0] and "allergie" in texts[0].lower()
    assert sorted(set(barcodes(pdf, 1)) - {number}) == ["9500006301", "9500006302"]

    # register: searchable by number, tube barcode or IPP; CSV and FHIR exports
    html = client.get("/labo/registre", query_string={"q": "9500006302"}).get_data(
        as_text=True)
    assert "95000063" in html and ipp in html and "1 numéro(s)" in html
    rows = list(csv.reader(io.StringIO(client.get("/labo/registre.csv").get_data(
        as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "numero" and len(rows) == 7 and rows[-1][5] == ipp
    bundle = json.loads(client.get("/labo/registre.fhir.json").data)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Specimen") == 6 and kinds.count("ServiceRequest") == 1
    request = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "ServiceRequest")
    assert request["priority"] == "stat" and request["subject"]["identifier"]["value"] == ipp

    # the day's register for the binder, results-entry sheet, cumulative results
    number, pdf = _document(client, client.post("/labo/registre/imprimer"))
    text = "".join(page_texts(pdf))
    assert "Registre des numéros de laboratoire" in text and "95000063" in text
    assert row.patient.birth_name.upper() in text
    number, pdf = _document(client, client.post("/labo/saisie", data={"numero": "9500006302"}))
    assert "Feuille de saisie des résultats" in page_texts(pdf)[0]
    assert "95000063" in barcodes(pdf)
    r = client.post("/labo/saisie", data={"numero": "12345678"})
    assert "absent du registre" in client.get(r.headers["Location"]).get_data(as_text=True)
    number, pdf = _document(client, client.post(f"/labo/patients/{ipp}/resultats"))
    assert "Résultats cumulés de laboratoire" in page_texts(pdf)[0]


def test_lab_user_stays_within_its_units(app, station):
    client = _lab(app, station, ("CHD",))
    ipp_out = patients.inpatients(station, "REA")[0].patient.id
    assert client.get(f"/labo/patients/{ipp_out}").status_code == 403
    assert client.post(f"/labo/patients/{ipp_out}/bon").status_code == 403
    ipp_in = patients.inpatients(station, "CHD")[0].patient.id
    assert client.get(f"/labo/patients/{ipp_in}").status_code == 200


def test_more_than_remains_is_refused_on_screen(app, station):
    client = _lab(app, station)
    r = client.post("/labo/lots", data={"sets": "2001", "tubes": "1"})
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "invalide" in html
    r = client.post("/labo/lots", data={"sets": "600", "tubes": "4"})
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "2000 au plus" in html and "rien n&#39;a été attribué" in html
    assert re.search(r"Numéros restants sur ce poste : 99999\b", html)


def test_demo_station_has_a_lab_range_and_a_lab_login(tmp_path):
    """`make demo`: the demo account reaches the lab screens of a station with a lab range."""
    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.demo.station import DEMO_LOGIN
    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.web import create_app

    r = CliRunner().invoke(main, ["demo", "--data", str(tmp_path), "--no-serve"])
    assert r.exit_code == 0, r.output
    settings = load_settings(tmp_path / "station")
    assert settings.lab_range and settings.lab_check == "luhn"
    app = create_app(settings, {"TESTING": True, "WTF_CSRF_ENABLED": False})
    client = client_as(app, DEMO_LOGIN)
    html = client.get("/labo").get_data(as_text=True)
    assert "Laboratoire — étiquettes pré-numérotées" in html and "99999" in html
    assert 'href="/labo"' in client.get("/").get_data(as_text=True)


def test_printing_from_the_document_page_or_retry_list_is_journalled(app, station):
    from pcsauvegarde.station.lab.register import register_of
    from pcsauvegarde.station.printing import FilePrinter

    client = _lab(app, station)
    number, _ = _document(client, client.post("/labo/lots", data={"sets": "2"}))
    register = register_of(station)
    assert register.batches(1)[0].status == "issued"
    good = station.printer
    blocker = station.settings.data_dir / "blocked"
    blocker.write_text("not a folder")
    station.printer = FilePrinter(blocker / "printed")
    client.post(f"/documents/{number}/imprimer")
    assert register.batches(1)[0].status == "print_failed"
    assert "Lots à réimprimer" in client.get("/labo").get_data(as_text=True)
    station.printer = good
    jobs = client.get("/impressions").get_data(as_text=True)
    job_id = re.search(r"/impressions/(\d+)/reessayer", jobs).group(1)
    client.post(f"/impressions/{job_id}/reessayer")
    assert register.batches(1)[0].status == "printed"
    assert "Lots à réimprimer" not in client.get("/labo").get_data(as_text=True)
