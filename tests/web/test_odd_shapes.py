"""Screens with identifiers of any shape and patients in odd states (issue 9)."""

from __future__ import annotations

from tests.web.conftest import ODD_IPP, ODD_NDA, ODD_UNIT, client_as


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
    r = nurse(odd_app).post(f"/services/{ODD_UNIT}/imprimer", data={"kinds": ["census"]})
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
