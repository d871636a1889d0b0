"""Dotation de service: picker order, every line kept, faults named on screen and paper."""

from __future__ import annotations

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.pharmacy.dotations import zone_key
from pcsauvegarde.station.pharmacy.model import WardStockList
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    BAD_KEY,
    DAFALGAN_1G,
    DOLIPRANE_1G,
    DOLIPRANE_500,
    LONG_UNIT,
    SPASFON,
    sample_ward_stock,
)
from tests.support.sample import make_ctx


def test_lines_follow_the_storage_zones_as_a_picker_walks() -> None:
    stock = sample_ward_stock()
    # A2 (case ignored, then label), A10 after A2 (not text order), B10, no zone, unknown last
    assert [(x.storage_zone, x.product_id) for x in stock.lines] == [
        ("A2", DOLIPRANE_500), ("a2", BAD_KEY), ("A10", DAFALGAN_1G), ("B10", DOLIPRANE_1G),
        ("", "9999999"), ("", SPASFON)]
    assert sorted(["B1", "A10", "a2", "", "A1"], key=zone_key) == ["A1", "a2", "A10", "B1", ""]


def test_every_fault_is_named_and_no_line_dropped() -> None:
    stock = sample_ward_stock()
    assert len(stock.lines) == 6    # the other unit's dotation is not this unit's
    problems = dict(((code, p) for code, p in stock.problems if "catalogue" not in p))
    assert "clé de contrôle fausse (1 lu, 8 attendu)" in problems[BAD_KEY]
    assert problems[DOLIPRANE_500] == "aucun fournisseur"
    assert problems[SPASFON] == "fournisseur « F999 » absent de l'annuaire"
    assert ("9999999", "produit absent du catalogue de la pharmacie") in stock.problems
    assert not [p for code, p in stock.problems if code in (DOLIPRANE_1G, DAFALGAN_1G)]


def test_pdf_says_quantities_codes_faults_and_signatures() -> None:
    ctx = make_ctx()
    pdf = KINDS["dotation"].render(sample_ward_stock(), ctx)
    text = " ".join(page_texts(pdf))
    flat = " ".join(text.split())
    assert "Dotation de service — Cardiologie (CHD)" in flat and "code CHD" in flat
    for code in (DOLIPRANE_1G, DAFALGAN_1G, DOLIPRANE_500, SPASFON, BAD_KEY, "9999999"):
        assert code in text
    assert "Doliprane 1000 mg" in flat and "boîte de 8" in flat and "CIP13" in flat
    for column in ("Présent", "À livrer", "Livré", "Dotation"):
        assert column in flat
    assert "⚠ 4 ligne(s) à vérifier" in flat
    assert "clé de contrôle fausse" in flat and "aucun fournisseur" in flat
    assert "produit absent du catalogue" in flat and "« F999 » absent de l'annuaire" in flat
    for who in ("Préparé par (PUI)", "Contrôlé par (pharmacien)", "Reçu dans l'unité par"):
        assert who in flat
    assert "MODE DÉGRADÉ" in text
    # Quantities in picker order: Doliprane 500 7, bad key 5, Dafalgan 12, Doliprane 40
    order = [flat.index(s) for s in ("Doliprane 500 mg", "Produit au code faux", "Dafalgan 1 g",
                                     "Doliprane 1000 mg", "Spasfon")]
    assert order == sorted(order)
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})


def test_long_unit_and_empty_dotation_render_cleanly() -> None:
    ctx = make_ctx()
    long = sample_ward_stock(LONG_UNIT, "Médecine interne et maladies infectieuses tropicales")
    pdf = KINDS["dotation"].render(long, ctx)
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})
    assert "Spasfon" in " ".join(page_texts(pdf))
    empty = KINDS["dotation"].render(WardStockList("VIDE", ""), ctx)
    assert "Aucune dotation pour ce service" in " ".join(page_texts(empty))
    assert_page_quality(empty, allergies=False, barcodes={ctx.document_number})
