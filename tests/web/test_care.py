"""Login, units, patient lists, search, patient page and the printed summary."""

from __future__ import annotations

import html
import re

from tests.support.constants import PASSWORD
from tests.support.pdfcheck import barcodes, page_texts


def first_inpatient(station):
    from pcsauvegarde.station import patients
    unit = patients.units(station)[0]
    return unit, patients.inpatients(station, unit.code)[0]


def test_every_page_requires_login(client, station):
    _, row = first_inpatient(station)
    for url in ("/", f"/patients/{row.patient.id}", "/recherche?q=a"):
        r = client.get(url)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_wrong_password_is_refused_in_french(client):
    r = client.post("/connexion", data={"login": "infirmiere", "password": "faux-mot-de-passe"})
    assert r.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in r.get_data(as_text=True)


def test_password_is_not_stored_in_clear(station):
    with station.state.connect() as db:
        stored = db.execute("SELECT password_hash FROM user WHERE login='infirmiere'").fetchone()[0]
    assert PASSWORD not in stored and stored.startswith("$argon2id$")


def test_home_lists_units_with_freshness(logged_in, station):
    html = logged_in.get("/").get_data(as_text=True)
    assert "Réanimation" in html and "Médecine interne" in html
    assert "Dossier patient : données du" in html
    assert "MODE DÉGRADÉ" in html


def test_unit_page_lists_its_inpatients(logged_in, station):
    unit, row = first_inpatient(station)
    html = logged_in.get(f"/services/{unit.code}").get_data(as_text=True)
    assert row.patient.birth_name.upper() in html
    assert html.count("<tr") - 1 == unit.inpatients


def test_search_by_name_without_accents_and_by_scanned_ipp(logged_in, station):
    _, row = first_inpatient(station)
    from pcsauvegarde.station.store import fold
    r = logged_in.get("/recherche", query_string={"q": fold(row.patient.birth_name).upper()})
    assert row.patient.id in r.get_data(as_text=True)
    r = logged_in.get("/recherche", query_string={"q": row.patient.id})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/patients/{row.patient.id}")


def test_patient_page_shows_identity_and_snapshot(logged_in, station):
    _, row = first_inpatient(station)
    html = logged_in.get(f"/patients/{row.patient.id}").get_data(as_text=True)
    assert row.patient.birth_name.upper() in html and row.patient.first_names in html
    assert "Dossier patient : données du" in html and "Imprimer la synthèse" in html
    assert "séquence" not in html  # no internal labels (« dpi séquence 1 »)


def test_print_summary_pdf(logged_in, station):
    _, row = first_inpatient(station)
    p = row.patient
    r = logged_in.post(f"/patients/{p.id}/documents/summary")
    assert r.status_code == 302
    number = r.headers["Location"].rsplit("/", 1)[-1]
    pdf = logged_in.get(f"/documents/{number}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    texts = page_texts(pdf.data)
    assert p.birth_name.upper() in texts[0] and p.id in texts[0]
    for text in texts:
        assert "MODE DÉGRADÉ" in text and number in text
    assert p.id in barcodes(pdf.data)
    assert station.journal.recent(1)[0]["number"] == number


def test_send_to_file_printer(logged_in, station):
    _, row = first_inpatient(station)
    r = logged_in.post(f"/patients/{row.patient.id}/documents/summary", data={"send": "printer"},
                       follow_redirects=True)
    assert "envoyé à l'imprimante" in html.unescape(r.get_data(as_text=True))
    printed = list(station.settings.printed_dir.glob("*.pdf"))
    assert len(printed) == 1 and printed[0].read_bytes().startswith(b"%PDF")


def test_unknown_patient_and_document_are_404_in_french(logged_in):
    r = logged_in.get("/patients/00000000")
    assert r.status_code == 404 and "Introuvable" in r.get_data(as_text=True)
    assert logged_in.get("/documents/../../etc/passwd.pdf").status_code == 404
    assert logged_in.get("/documents/X-0000001.pdf").status_code == 404


def test_stale_banner_when_data_is_old(logged_in, station, monkeypatch):
    import dataclasses
    station.settings = dataclasses.replace(station.settings, stale_after_minutes=1)
    html = logged_in.get("/").get_data(as_text=True)
    assert "DONNÉES PÉRIMÉES" in html


def test_security_headers(logged_in):
    r = logged_in.get("/")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    cookie = logged_in.get_cookie("pcsauvegarde_session")
    assert cookie.http_only and cookie.same_site == "Strict"


def test_logout_then_pages_need_login(logged_in):
    assert logged_in.post("/deconnexion").status_code == 302
    assert logged_in.get("/").status_code == 302


def test_document_numbers_are_unique(logged_in, station):
    _, row = first_inpatient(station)
    numbers = {logged_in.post(f"/patients/{row.patient.id}/documents/summary")
               .headers["Location"] for _ in range(3)}
    assert len(numbers) == 3
    assert all(re.search(r"STATION-DEMO-\d{7}$", n) for n in numbers)


def test_every_route_declares_its_access(app):
    """New routes cannot escape access control: each view declares ``requires`` or ``public``."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "access_roles"), f"{rule.rule} ({rule.endpoint}) declares no access"


def test_lab_results_with_decimal_commas_and_arrows(logged_in, station):
    import html
    import re

    from pcsauvegarde.station.store import queries
    for row in queries.units(station.store):
        for r in queries.inpatients(station.store, row.code):
            f = queries.patient_file(station.store, r.patient.id)
            decimal = [x for x in f.lab_results if re.search(r"\d\.\d", x.value)]
            flagged = [x for x in f.lab_results if x.abnormal in ("H", "L")]
            if decimal and flagged:
                text = html.unescape(logged_in.get(f"/patients/{r.patient.id}")
                                     .get_data(as_text=True))
                assert decimal[0].value.replace(".", ",") in text
                assert re.search(r"\d\.\d", decimal[0].value) and decimal[0].value not in text
                arrow = {"H": "↑", "L": "↓"}[flagged[0].abnormal]
                assert f'<strong class="lab-flag">{arrow}</strong>' in text
                assert "↑ haut, ↓ bas" in text
                return
    raise AssertionError("the demo has no patient with decimal and flagged lab results")


def test_failed_login_keeps_the_identifier(client):
    r = client.post("/connexion", data={"login": "infirmiere", "password": "faux"})
    html = r.get_data(as_text=True)
    assert r.status_code == 401 and 'value="infirmiere"' in html
    # the password is typed again, where the cursor already is
    assert re.search(r'id="password"[^>]* autofocus', html)
    assert not re.search(r'id="login"[^>]* autofocus', html)


def test_banner_lists_every_domain_even_never_received(odd_app):
    from tests.support.web import client_as
    html = client_as(odd_app, "infirmiere").get("/").get_data(as_text=True)
    for label in ("Pharmacie", "Laboratoire", "Stérilisation", "Imagerie / bloc"):
        assert '<span class="domain is-missing" id="fresh-' in html
        assert f"{label} : jamais reçu</span>" in html
    assert "Dossier patient : données du" in html
