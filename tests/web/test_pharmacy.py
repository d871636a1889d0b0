"""Pharmacy screens: the units' dotations, faults shown, the dotation printed and journalled."""

from __future__ import annotations

import pytest

from tests.support.constants import PASSWORD
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    BAD_KEY,
    DOLIPRANE_1G,
    DOLIPRANE_500,
    LONG_UNIT,
    UCD_PARACETAMOL,
    directory,
    dpi_records,
    pharmacy_records,
    staff,
)
from tests.support.stations import station_of_records
from tests.support.web import client_as


@pytest.fixture
def pharmacy_app(settings, keys, drop, make_package):
    from pcsauvegarde.station.web import create_app
    st = station_of_records(settings, keys, drop, make_package,
                            {"pharmacy": pharmacy_records("CHD"),
                             "directory": directory() + staff(), "dpi": dpi_records("CHD")})
    st.accounts.add("pui", "Pharmacienne", PASSWORD, ("pharmacie",), ("*",))
    st.accounts.add("pui-chd", "Préparateur CHD", PASSWORD, ("pharmacie",), ("CHD",))
    return create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})


def test_units_list_counts_dotations_and_flags_unknown_units(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/dotations").get_data(as_text=True)
    assert "Cardiologie" in html and LONG_UNIT in html
    assert html.count("service inconnu de l'annuaire") == 1   # LONG_UNIT, not CHD
    # a user of CHD only sees CHD's dotation
    own = client_as(pharmacy_app, "pui-chd").get("/pharmacie/dotations").get_data(as_text=True)
    assert "Cardiologie" in own and LONG_UNIT not in own


def test_dotation_screen_lists_faults_then_lines_in_picker_order(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/dotations/CHD").get_data(as_text=True)
    assert "4 anomalie(s) du catalogue à vérifier" in html
    assert "clé de contrôle fausse (1 lu, 8 attendu)" in html
    assert html.index(DOLIPRANE_500 + " <small>") < html.index(DOLIPRANE_1G + " <small>")
    assert client_as(pharmacy_app, "pui").get("/pharmacie/dotations/NULLE").status_code == 404
    assert client_as(pharmacy_app, "pui-chd").get(
        f"/pharmacie/dotations/{LONG_UNIT}").status_code == 403


def test_printing_journals_the_dotation_with_its_unit(pharmacy_app) -> None:
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    r = client_as(pharmacy_app, "pui").post("/pharmacie/dotations/CHD/imprimer")
    assert r.status_code == 302 and "/documents/" in r.headers["Location"]
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(pharmacy_app)
    doc = station.journal.get(number)
    assert doc["kind"] == "dotation" and doc["unit"] == "CHD" and doc["issued_by"] == "pui"
    pdf = stored_pdf(station, number)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Doliprane 1000 mg" in text and "40" in text and BAD_KEY in text
    assert_page_quality(pdf, allergies=False, barcodes={number})
    page = client_as(pharmacy_app, "pui").get(r.headers["Location"])
    assert page.status_code == 200 and number in page.get_data(as_text=True)


def test_supplier_list_shows_orphan_products_and_contactless_suppliers(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/fournisseurs").get_data(as_text=True)
    assert "Laboratoires Dupré" in html and "Répartition Sans-Contact" in html
    assert "2 produit(s) sans fournisseur connu" in html and "« F999 » absent" in html
    assert "aucun contact" in html


def test_order_form_screen_and_print_are_journalled(pharmacy_app) -> None:
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    client = client_as(pharmacy_app, "pui")
    html = client.get("/pharmacie/fournisseurs/F001").get_data(as_text=True)
    assert "commandes@dupre.fr" in html and "65 <small>(sur 3 commande(s))" in html
    assert "1 rue de l&#39;Hôpital" in html   # the station's delivery_address setting
    assert client.get("/pharmacie/fournisseurs/F404").status_code == 404
    r = client.post("/pharmacie/fournisseurs/F001/imprimer")
    assert r.status_code == 302
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(pharmacy_app)
    doc = station.journal.get(number)
    assert doc["kind"] == "supplier_order" and doc["unit"] is None and doc["ipp"] is None
    flat = " ".join(" ".join(page_texts(stored_pdf(station, number))).split())
    assert f"Commande n° {number}" in flat and "65 sur 3 cde" in flat
    assert "1 rue de l'Hôpital" in flat and "commandes@dupre.fr" in flat
    assert client.get(r.headers["Location"]).status_code == 200


def test_nurse_cannot_reach_the_pharmacy(pharmacy_app) -> None:
    pharmacy_app_station = pharmacy_app.extensions["pcsauvegarde"]
    pharmacy_app_station.accounts.add("ide", "Infirmière", PASSWORD, ("soins",), ("*",))
    for url in ("/pharmacie/dotations", "/pharmacie/fournisseurs"):
        assert client_as(pharmacy_app, "ide").get(url).status_code == 403


def _printed(app, url: str, **form) -> tuple[dict, str]:
    """POST ``url`` as the pharmacist; (journal entry, flattened PDF text) of what it issued."""
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    r = client_as(app, "pui").post(url, data=form)
    assert r.status_code == 302 and "/documents/" in r.headers["Location"], r.headers
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(app)
    pdf = stored_pdf(station, number)
    assert_page_quality(pdf, allergies=False, barcodes={number})
    return station.journal.get(number), " ".join(" ".join(page_texts(pdf)).split())


def test_unit_request_form_is_printed_and_journalled_for_the_unit(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/dotations/CHD").get_data(as_text=True)
    assert "Formulaire de demande à la PUI" in html and "Prescriptions actives" in html
    html = client_as(pharmacy_app, "pui").get(
        "/pharmacie/dotations/CHD/demande").get_data(as_text=True)
    assert "7 produits habituels" in html and "hors dotation (déjà demandé)" in html
    assert "4 point(s) à vérifier" in html and "clé de contrôle fausse" in html
    assert "15 <small>(2 demande(s))" in html
    doc, text = _printed(pharmacy_app, "/pharmacie/dotations/CHD/demande/imprimer")
    assert doc["kind"] == "unit_request" and doc["unit"] == "CHD"
    assert UCD_PARACETAMOL in text and "15 (2 dem.)" in text and "Qté demandée" in text
    assert client_as(pharmacy_app, "pui").post(
        "/pharmacie/dotations/NULLE/demande/imprimer").status_code == 404
    assert client_as(pharmacy_app, "pui-chd").get(
        f"/pharmacie/dotations/{LONG_UNIT}/demande").status_code == 403


def test_unit_inventory_by_zone_and_unknown_zone(pharmacy_app) -> None:
    doc, text = _printed(pharmacy_app, "/pharmacie/dotations/CHD/inventaire/imprimer",
                         zone="B10")
    assert doc["kind"] == "inventory" and doc["unit"] == "CHD"
    assert "Zone de stockage : B10" in text and DOLIPRANE_1G in text and "A2" not in text
    r = client_as(pharmacy_app, "pui").post("/pharmacie/dotations/CHD/inventaire/imprimer",
                                           data={"zone": "Z9"}, follow_redirects=True)
    assert "zone de stockage « Z9 » : aucun produit" in r.get_data(as_text=True)
    doc, text = _printed(pharmacy_app, "/pharmacie/dotations/CHD/inventaire/imprimer",
                         zone="∅")   # « sans zone », not every zone
    assert "Zone de stockage : sans zone" in text and DOLIPRANE_1G not in text


def test_pui_inventories_screen_and_blank_sheet(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/inventaires").get_data(as_text=True)
    assert "6 zones de stockage" in html and "clé de contrôle fausse" in html
    doc, text = _printed(pharmacy_app, "/pharmacie/inventaires/imprimer", blank="1")
    assert doc["kind"] == "inventory_pui" and doc["unit"] is None
    assert "Qté comptée" in text and DOLIPRANE_1G not in text


def test_unit_prescriptions_carry_band_allergies_and_verbatim_dosage(pharmacy_app) -> None:
    from pcsauvegarde.station.issuing.issue import stored_pdf
    from pcsauvegarde.station.web import station_of

    r = client_as(pharmacy_app, "pui").post("/pharmacie/dotations/CHD/prescriptions/imprimer")
    number = r.headers["Location"].rsplit("/", 1)[1]
    station = station_of(pharmacy_app)
    assert station.journal.get(number)["kind"] == "unit_prescriptions"
    pdf = stored_pdf(station, number)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "DELACROIX-SAINT-AUBIN" in text and "Pénicilline" in text
    assert "Doliprane 1000 mg" in text and DOLIPRANE_1G in text and "Kardégic" not in text
    assert "PUI zone B10" in text   # the catalogue's zone of the ordered code
    assert "« selon anti-Xa, 2 à 4 fois par jour »" in text
    assert_page_quality(pdf, allergies=True, barcodes={number, "IPP-PH-0001"})


def test_directory_screen_and_print_name_every_gap(pharmacy_app) -> None:
    html = client_as(pharmacy_app, "pui").get("/pharmacie/annuaire").get_data(as_text=True)
    assert "Dr Étienne Cœur" in html and "4521" in html and "aucun contact" in html
    assert "REA-2" in html and "service absent de l&#39;annuaire des unités" in html
    doc, text = _printed(pharmacy_app, "/pharmacie/annuaire/imprimer")
    assert doc["kind"] == "directory" and doc["unit"] is None
    assert "commandes@dupre.fr" in text and "bip 318" in text and "REA-2" in text
