"""Prescriptions actives par unité: one patient a page, band and allergies, verbatim dosage."""

from __future__ import annotations

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.pharmacy.model import UnitPrescriptions
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import LONG_IPP, make_ctx, make_long_patient_file, make_patient_file


def test_each_patient_has_a_page_with_band_allergies_and_active_orders() -> None:
    ctx = make_ctx()
    file, long = make_patient_file(), make_long_patient_file()
    pdf = KINDS["unit_prescriptions"].render(
        UnitPrescriptions("CARD", "Cardiologie", (long, file), ("service inconnu",)), ctx)
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    assert len(texts) == 2
    assert "ROCHEFOUCAULD" in texts[0] and "LEFÈVRE-DUBOIS" in texts[1]
    for text in texts:
        assert "Pénicilline" in text and "Furosémide" in text and "Délivré" in text
        assert "Kardégic" not in text          # stopped: not dispensed
        # no schedule can say it: the prescriber's words, flagged
        assert "« selon glycémie capillaire avant chaque repas »" in text
        assert "6 prescription(s) active(s)" in text and "⚠ service inconnu" in text
    assert_page_quality(pdf, allergies=True, barcodes={ctx.document_number, LONG_IPP})


def test_empty_unit_and_patient_without_orders() -> None:
    import dataclasses
    ctx = make_ctx()
    pdf = KINDS["unit_prescriptions"].render(UnitPrescriptions("VIDE", ""), ctx)
    assert "Aucun patient présent" in page_texts(pdf)[0]
    bare = dataclasses.replace(make_patient_file(), orders=())
    pdf = KINDS["unit_prescriptions"].render(UnitPrescriptions("CARD", "", (bare,)), ctx)
    assert "Aucune prescription active" in page_texts(pdf)[0]
    assert_page_quality(pdf, allergies=True, barcodes={ctx.document_number})


def test_each_order_says_where_the_pui_picks_it_or_why_it_cannot() -> None:
    import dataclasses

    from pcsauvegarde.core.records import Product
    from tests.support.pharmacy import BAD_KEY, DAFALGAN_1G, DOLIPRANE_1G

    ctx = make_ctx()
    file = make_patient_file()
    codes = {"Furosémide": DOLIPRANE_1G, "Amoxicilline": DAFALGAN_1G, "Metformine": BAD_KEY}
    file = dataclasses.replace(file, orders=tuple(
        dataclasses.replace(o, code=codes.get(o.drug, "")) for o in file.orders))
    products = {DOLIPRANE_1G: Product(DOLIPRANE_1G, "Doliprane", storage_zone="B10")}
    pdf = KINDS["unit_prescriptions"].render(
        UnitPrescriptions("CARD", "Cardiologie", (file,), products=products), ctx)
    flat = " ".join(page_texts(pdf)[0].split())
    assert "PUI zone B10" in flat
    assert f"({DAFALGAN_1G})" in flat and "⚠ code absent du catalogue de la pharmacie" in flat
    assert f"« {BAD_KEY} » : clé de contrôle fausse" in flat
    assert_page_quality(pdf, allergies=True, barcodes={ctx.document_number})
