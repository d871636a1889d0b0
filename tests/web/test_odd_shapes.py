"""Screens with identifiers of any shape and patients in odd states (issue 9)."""

from __future__ import annotations

from tests.support.odd import ODD_IPP, ODD_NDA, ODD_UNIT
from tests.support.web import client_as, print_unit


def nurse(odd_app):
    return client_as(odd_app, "infirmiere")


def test_unit_page_with_a_36_character_code(odd_app):
    client = nurse(odd_app)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/services/{ODD_UNIT}"' in home
    r = client.get(f"/services/{ODD_UNIT}")
    assert r.status_code == 200, r.status_code
    assert "Soins continus" in r.get_data(as_text=True)
    assert client.get(f"/services/{ODD_UNIT[:32]}").status_code == 404


def test_print_unit_with_a_36_character_code(odd_app):
    r = print_unit(nurse(odd_app), ODD_UNIT, ["census"])
    assert r.status_code == 302 and "/documents/" in r.headers["Location"]


def test_an_id_longer_than_any_record_id_is_not_found(odd_app):
    assert nurse(odd_app).get("/services/" + "X" * 129).status_code == 404
    assert nurse(odd_app).get("/patients/" + "X" * 129).status_code == 404


def test_search_by_scanned_alphanumeric_ipp_and_nda(odd_app):
    client = nurse(odd_app)
    for scanned in (ODD_IPP, ODD_NDA, f"  {ODD_NDA} "):
        r = client.get("/recherche", query_string={"q": scanned})
        assert r.status_code == 302, scanned
        assert r.headers["Location"].endswith(f"/patients/{ODD_IPP}")
    # a single word that is no identifier is still a name search
    html = client.get("/recherche", query_string={"q": "lefebvre"}).get_data(as_text=True)
    assert f"/patients/{ODD_IPP}" in html


def test_home_without_any_unit_still_lists_the_patients(settings, keys, drop, make_package):
    """No directory and no current stay: no unit tile, yet the home leads to the patients."""
    from pcsauvegarde.station.web import create_app
    from tests.support.constants import NOW
    from tests.support.odd import odd_hospital
    from tests.support.stations import station_of_records
    dpi = [r for r in odd_hospital(NOW)["dpi"] if r.TYPE != "stay" or r.discharge]
    st = station_of_records(settings, keys, drop, make_package, {"dpi": dpi})
    app = create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})
    html = client_as(app, "infirmiere").get("/").get_data(as_text=True)
    assert "Aucun service disponible" not in html and "Aucun patient disponible" not in html
    assert 'href="/patients/IPP-OUT-1"' in html and "PETIT" in html
    assert "sortie le" in html  # a discharged patient says so, with the date


def test_home_lists_current_stays_no_tile_leads_to(odd_app):
    html = nurse(odd_app).get("/").get_data(as_text=True)
    assert "Soins continus" in html
    assert f'href="/patients/{ODD_IPP}"' not in html  # reached through its unit's tile


def test_unit_table_names_allergies_without_the_service_column(odd_app):
    html = nurse(odd_app).get(f"/services/{ODD_UNIT}").get_data(as_text=True)
    assert '<span class="flag-allergy">Pénicilline</span>' in html
    assert '<span class="flag-allergy">Latex</span>' in html
    assert ">Iode<" not in html  # a refuted allergy no longer warns
    assert "<th>Service</th>" not in html
    assert '<th class="nowrap">Âge</th>' in html


def _text(r) -> str:
    import html
    return html.unescape(r.get_data(as_text=True))


def test_patient_page_in_french_words(odd_app):
    text = _text(nurse(odd_app).get(f"/patients/{ODD_IPP}"))
    assert "Pénicilline</strong> — Anaphylaxie, criticité élevée" in text
    assert '<span class="flag-allergy">ANAPHYLAXIE</span>' in text
    assert "Latex</strong> — Urticaire, réaction sévère" in text
    assert "Iode" not in text  # refuted: not an allergy
    assert "(high)" not in text and "severe" not in text
    assert "Appendicite aiguë — <strong>résolu</strong>" in text
    assert "Diabète de type 2</li>" in text
    assert "Nom d'usage : <strong>MARTIN</strong>" in text
    assert "séquence" not in text and "dpi :" not in text  # no internal labels
    assert text.index('id="allergies"') < text.index('id="print-summary"')  # seen first


def test_deceased_inpatient_is_shouted(odd_app):
    text = _text(nurse(odd_app).get("/patients/IPP-DCD-1"))
    assert 'id="deceased"' in text
    assert "PATIENT DÉCÉDÉ</strong> — le séjour est encore ouvert" in text
    unit = _text(nurse(odd_app).get(f"/services/{ODD_UNIT}"))
    assert '<span class="flag-deceased">DÉCÉDÉ</span>' in unit


def test_discharged_patient_shows_the_discharge_date(odd_app):
    import datetime as dt

    from pcsauvegarde.station.documents.fmt import format_local
    from tests.support.constants import NOW
    text = _text(nurse(odd_app).get("/patients/IPP-OUT-1"))
    assert 'id="discharged"' in text
    assert f"SORTIE LE {format_local(NOW - dt.timedelta(days=3))}</strong>" in text
    assert 'id="deceased"' not in text


def test_old_lab_results_show_as_last_known_values(settings, keys, drop, make_package):
    import datetime as dt

    from pcsauvegarde.core.records import LabResult
    from pcsauvegarde.station.web import create_app
    from tests.support.constants import NOW
    from tests.support.odd import odd_hospital
    from tests.support.stations import station_of_records
    hospital = odd_hospital(NOW)
    hospital["lab"] = [
        LabResult("lr-1", ODD_IPP, "K", "Potassium", "5.9", NOW - dt.timedelta(hours=3),
                  unit="mmol/L", reference_range="3.5-5", abnormal="H"),
        LabResult("lr-2", ODD_IPP, "HB", "Hémoglobine", "9.1", NOW - dt.timedelta(days=20),
                  unit="g/dL", reference_range="12-16", abnormal="L")]
    st = station_of_records(settings, keys, drop, make_package, hospital)
    app = create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})
    text = _text(client_as(app, "infirmiere").get(f"/patients/{ODD_IPP}"))
    recent, old = text.split("Dernières valeurs connues, plus anciennes")
    assert "5,9 mmol/L" in recent and "3,5-5" in recent and "↑" in recent
    assert "Hémoglobine" not in recent
    assert "9,1 g/dL" in old and "(ancien : il y a 20 j)" in old and "↓" in old


def test_a_no_known_allergy_record_is_no_allergy_on_screen(odd_app):
    """« No known allergy » (SNOMED 716186003) is said as such, never listed as an allergy."""
    client = nurse(odd_app)
    unit = client.get(f"/services/{ODD_UNIT}").get_data(as_text=True)
    assert "No known allergy" not in unit            # no allergy badge naming it
    page = client.get("/patients/IPP-DCD-1").get_data(as_text=True)
    assert "Aucune allergie connue" in page and "No known allergy" not in page
    nothing = client.get("/patients/IPP-OUT-1").get_data(as_text=True)
    assert "non renseignées" in nothing and "Aucune allergie connue" not in nothing
    listed = client.get(f"/patients/{ODD_IPP}").get_data(as_text=True)
    assert "Pénicilline" in listed and "réaction sévère" in listed


def test_a_patient_without_any_stay_is_not_shown_as_discharged(settings, keys, drop,
                                                                make_package):
    """An outpatient (no stay at all in the extract) reads « aucun séjour », never « sorti »."""
    from pcsauvegarde.station.web import create_app
    from tests.support.constants import NOW
    from tests.support.odd import odd_hospital
    from tests.support.stations import station_of_records
    dpi = [r for r in odd_hospital(NOW)["dpi"] if r.TYPE != "stay"]
    st = station_of_records(settings, keys, drop, make_package, {"dpi": dpi})
    app = create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})
    html = client_as(app, "infirmiere").get("/recherche", query_string={"q": "petit"}).get_data(
        as_text=True)
    assert "(aucun séjour)" in html and "(sorti" not in html
