"""The pharmacy screens in Debian's Chromium: a pharmacist prints a unit's dotation and a
supplier order form, and sees the catalogue's faults on the screens and on paper."""

from __future__ import annotations

import pytest

from tests.support.browser import chromium, log_in, needs_chromium, new_page, serving
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    BAD_KEY,
    DOLIPRANE_1G,
    directory,
    dpi_records,
    pharmacy_records,
    staff,
)
from tests.support.stations import station_of_records

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def pharmacist(browser, settings, keys, drop, make_package):
    """(page, base URL, station): the pharmacist logged in on a station with a faulty catalogue."""
    st = station_of_records(settings, keys, drop, make_package,
                            {"pharmacy": pharmacy_records("CHD"),
                             "directory": directory() + staff(), "dpi": dpi_records("CHD")})
    st.accounts.add("pui", "Pharmacienne", PASSWORD, ("pharmacie",), ("*",))
    with serving(st, {}) as (base, station):
        context, page = new_page(browser)
        log_in(page, base, "pui", PASSWORD)
        yield page, base, station
        context.close()


def _pdf_text(page, base: str) -> tuple[str, str]:
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    pdf = page.request.get(f"{base}/documents/{number}.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    return number, " ".join(" ".join(page_texts(pdf.body())).split())


def test_pharmacist_prints_a_units_dotation_and_sees_its_faults(pharmacist) -> None:
    page, base, station = pharmacist
    page.get_by_role("link", name="Dotations des services").first.click()
    page.get_by_role("link", name="Cardiologie").click()
    page.wait_for_url(f"{base}/pharmacie/dotations/CHD")
    alert = page.get_by_role("alert").filter(has_text="anomalie").inner_text()
    assert "4 anomalie(s) du catalogue à vérifier" in alert
    assert "clé de contrôle fausse (1 lu, 8 attendu)" in alert and "aucun fournisseur" in alert
    page.get_by_role("button", name="Imprimer la dotation").click()
    number, text = _pdf_text(page, base)
    assert station.journal.get(number)["kind"] == "dotation"
    assert DOLIPRANE_1G in text and BAD_KEY in text and "⚠ 4 ligne(s) à vérifier" in text


def test_pharmacist_prints_an_order_form_and_sees_suppliers_without_contact(pharmacist) -> None:
    page, base, station = pharmacist
    page.goto(f"{base}/pharmacie/fournisseurs")
    alert = page.get_by_role("alert").filter(has_text="sans fournisseur").inner_text()
    assert "2 produit(s) sans fournisseur connu" in alert
    assert "aucun contact" in page.locator("main").inner_text()
    page.get_by_role("link", name="Laboratoires Dupré").click()
    page.get_by_role("button", name="Imprimer le bon de commande").click()
    number, text = _pdf_text(page, base)
    assert station.journal.get(number)["kind"] == "supplier_order"
    assert f"Commande n° {number}" in text and "commandes@dupre.fr" in text
    assert "65 sur 3 cde" in text and "clé de contrôle fausse" in text


def test_pharmacist_prints_the_units_request_form_and_the_directory(pharmacist) -> None:
    page, base, _ = pharmacist
    page.goto(f"{base}/pharmacie/dotations/CHD")
    page.get_by_role("link", name="Formulaire de demande à la PUI").click()
    assert "point(s) à vérifier" in page.get_by_role("alert").inner_text()
    page.get_by_role("button", name="Imprimer le formulaire de demande").click()
    _, text = _pdf_text(page, base)
    assert "Demande à la PUI — Cardiologie (CHD)" in text and "Qté délivrée" in text
    page.goto(f"{base}/pharmacie/annuaire")
    assert "REA-2" in page.get_by_role("alert").inner_text()
    page.get_by_role("button", name="Imprimer l'annuaire").click()
    _, text = _pdf_text(page, base)
    assert "Dr Étienne Cœur" in text and "4521" in text
