"""Bons de commande fournisseurs: contacts, delivery address, averages of past orders."""

from __future__ import annotations

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.pharmacy.orders import address_lines
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    BAD_KEY,
    DAFALGAN_1G,
    DOLIPRANE_1G,
    UCD_PARACETAMOL,
    sample_order_form,
)
from tests.support.sample import make_ctx


def test_form_holds_the_suppliers_products_and_past_averages() -> None:
    form = sample_order_form()
    by_code = {line.product_id: line for line in form.lines}
    assert set(by_code) == {DOLIPRANE_1G, DAFALGAN_1G, BAD_KEY}   # not F002's, not F999's
    # 100, then 30 + 20 in one order, then 45: three orders, average 65
    assert (by_code[DOLIPRANE_1G].average, by_code[DOLIPRANE_1G].orders) == (65, 3)
    assert (by_code[DAFALGAN_1G].average, by_code[DAFALGAN_1G].orders) == (20, 1)
    assert by_code[BAD_KEY].average is None and "clé de contrôle" in by_code[BAD_KEY].problems[0]
    assert form.history_orders == 3 and form.problems == ()
    assert [line.label for line in form.lines] == sorted(line.label for line in form.lines)


def test_supplier_without_contact_is_flagged() -> None:
    form = sample_order_form("F002")
    assert form.problems and "aucun contact" in form.problems[0]
    assert [(x.product_id, x.average) for x in form.lines] == [(UCD_PARACETAMOL, 10)]


def test_pdf_says_contacts_address_codes_averages_and_number() -> None:
    ctx = make_ctx()
    pdf = KINDS["supplier_order"].render(sample_order_form(), ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert "Bon de commande — Laboratoires Dupré" in flat
    assert f"Commande n° {ctx.document_number} du 27/11/2026" in flat
    for text in ("01 23 45 67 89", "commandes@dupre.fr", "Mme Lefèvre", "F001",
                 "12 rue de l'Hôpital", "76800 Saint-Étienne-du-Rouvray", DOLIPRANE_1G,
                 DAFALGAN_1G, "DOL-1G", "boîte de 8", "65 sur 3 cde", "20 sur 1 cde",
                 "Qté commandée", "Qté reçue", "clé de contrôle fausse",
                 "3 commande(s) précédente(s)", "Pharmacien (nom, date, signature)"):
        assert text in flat, text
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})


def test_missing_contact_and_address_are_printed_not_hidden() -> None:
    ctx = make_ctx()
    pdf = KINDS["supplier_order"].render(sample_order_form("F002", ()), ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert "aucun contact" in flat and "non renseigné" in flat
    assert "adresse de livraison non réglée" in flat and "10 sur 1 cde" in flat
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})


def test_address_setting_lines() -> None:
    assert address_lines(" PUI | 1 rue X |  | 76000 Rouen ") == ("PUI", "1 rue X", "76000 Rouen")
