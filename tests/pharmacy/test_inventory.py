"""Listes d'inventaire: one storage zone a sheet, PUI or unit stock, expected column, blank."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.pharmacy import inventory
from tests.support.page_quality import assert_page_quality, page_count
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import BAD_KEY, DOLIPRANE_1G, SPASFON, UCD_PARACETAMOL, catalogue_of
from tests.support.sample import make_ctx


def _unit(zone=None, known=("CHD",)):
    stock, products, suppliers = catalogue_of()
    return inventory.unit_sheets("CHD", "Cardiologie", stock, products, suppliers, set(known),
                                 zone)


def test_unit_sheets_group_its_dotation_by_zone_with_expected_quantities() -> None:
    sheets = _unit()
    assert [z.zone for z in sheets.zones] == ["A2", "a2", "A10", "B10", ""]
    expected = {line.product_id: line.expected for z in sheets.zones for line in z.lines}
    assert expected[DOLIPRANE_1G] == 40 and expected["9999999"] == 2   # kept, faulted
    assert UCD_PARACETAMOL not in expected                                # not CHD's stock
    assert ("9999999", "produit absent du catalogue de la pharmacie") in sheets.problems
    assert [z.zone for z in _unit("B10").zones] == ["B10"]
    with pytest.raises(inventory.UnknownZoneError, match="« Z9 »"):
        _unit("Z9")


def test_pui_sheets_hold_every_product_and_no_expected_quantity() -> None:
    _, products, suppliers = catalogue_of()
    sheets = inventory.pui_sheets(list(products.values()), suppliers)
    lines = [line for z in sheets.zones for line in z.lines]
    assert {line.product_id for line in lines} == set(products)
    assert {line.expected for line in lines} == {None} and sheets.code == "PUI"
    assert [z.zone for z in sheets.zones] == ["A2", "a2", "A10", "B10", "C1", ""]


def test_unit_pdf_one_zone_a_sheet_with_expected_lot_expiry_columns() -> None:
    ctx = make_ctx()
    pdf = KINDS["inventory"].render(_unit(known=()), ctx)
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    assert len(texts) == 5 and "Zone de stockage : A2" in texts[0]
    assert "Zone de stockage : sans zone" in texts[4] and SPASFON in texts[4]
    b10 = next(t for t in texts if "Zone de stockage : B10" in t)
    assert DOLIPRANE_1G in b10 and "Doliprane 1000 mg" in b10 and "boîte de 8" in b10
    for column in ("Théorique", "Qté comptée", "Lot", "Péremption", "Compté par"):
        assert column in b10
    assert "40" in b10.split("Péremption", 1)[1]
    assert "clé de contrôle fausse" in texts[1] and BAD_KEY in texts[1]
    assert "service « CHD » absent de l'annuaire" in texts[0]
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})


def test_pui_and_blank_pdfs() -> None:
    ctx = make_ctx()
    _, products, suppliers = catalogue_of()
    pdf = KINDS["inventory_pui"].render(inventory.pui_sheets(list(products.values()),
                                                             suppliers, "C1"), ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert "Inventaire — Pharmacie à usage intérieur (PUI)" in flat
    assert UCD_PARACETAMOL in flat and "Théorique" not in flat and "pas de quantité" in flat
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})
    blank = KINDS["inventory_pui"].render(inventory.blank_sheets("PUI", "PUI", True), ctx)
    assert page_count(blank) == 1 and "Qté comptée" in page_texts(blank)[0]
    assert DOLIPRANE_1G not in page_texts(blank)[0]
    assert_page_quality(blank, allergies=False, barcodes={ctx.document_number})


def test_long_unit_code_and_name_render_cleanly() -> None:
    from pcsauvegarde.core.records import Product, Supplier, WardStock
    from tests.support.pharmacy import LONG_UNIT, pharmacy_records
    from tests.support.sample import UUID_IPP
    records = pharmacy_records(LONG_UNIT)
    sheets = inventory.unit_sheets(
        LONG_UNIT, "Médecine interne et maladies infectieuses tropicales, secteur B",
        [*(r for r in records if isinstance(r, WardStock)),
         WardStock(f"{LONG_UNIT}-x", LONG_UNIT, UUID_IPP, 4)],   # a 36-character code
        {r.id: r for r in records if isinstance(r, Product)} | {UUID_IPP: Product(
            UUID_IPP, "Produit au code de 36 caractères", storage_zone="B10")},
        {r.id: r for r in records if isinstance(r, Supplier)}, set())
    ctx = make_ctx()
    pdf = KINDS["inventory"].render(sheets, ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert f"service « {LONG_UNIT} » absent" in flat
    # whole in the code column, 16 characters a line (never cut with « … »)
    assert "f47ac10b-58cc-43 72-a567-0e02b2c3 d479" in flat and "a5…" not in flat
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})
