"""The shared layout: landscape pages, tables that never split a row, font and barcodes."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents.barcodes import MODULE_WIDTH_MM, code128
from pcsauvegarde.station.documents.base import DocumentPDF, font_files
from pcsauvegarde.station.documents.identity import format_ins
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from tests.support.pdfcheck import page_barcodes, page_texts
from tests.support.sample import DOC_NUMBER, IPP


def test_font_is_shipped_with_its_licence() -> None:
    regular = font_files()[""]
    assert "station/documents/fonts" in str(regular)
    assert (regular.parent / "LICENSE-DejaVu.txt").is_file()


def test_barcode_is_cached_and_sized() -> None:
    code = code128(IPP)
    assert code128(IPP) is code
    assert code.width > 20 * MODULE_WIDTH_MM and b"viewBox" in code.svg


def test_format_ins() -> None:
    assert format_ins("248027512345678") == "2 48 02 75 123 456 78"


@pytest.mark.slow
def test_landscape_table_rows_never_split(patient_file, context_with) -> None:
    pdf = DocumentPDF(context_with(exercise=True), "Essai paysage", patient=patient_file,
                      landscape=True)
    pdf.add_page()
    rows = [Row((f"Ligne {k}", "\n".join(f"partie {k}.{j}" for j in range(1, 7)), "é à ç"))
            for k in range(1, 31)]
    draw_table(pdf, [Column("Ligne"), Column("Texte", 3), Column("Accents")], rows)
    data = pdf.output_bytes()
    pages = page_texts(data)
    assert len(pages) >= 3
    for k in range(1, 31):
        holding = [p for p in pages if f"partie {k}.1\n" in p]
        assert len(holding) == 1 and f"partie {k}.6" in holding[0]
    for i, text in enumerate(pages, start=1):
        assert f"Page {i}/{len(pages)}" in text and "EXERCICE" in text
        assert text.count("Accents") == 1  # heading repeated on every page
    assert all({IPP, DOC_NUMBER} <= found for found in page_barcodes(data))


def test_page_without_patient_has_no_identity_band(ctx) -> None:
    pdf = DocumentPDF(ctx, "Liste de dotations")
    pdf.add_page()
    pdf.paragraph("Œuf, cœur — « guillemets » — 20 €")
    (text,) = page_texts(pdf.output_bytes())
    assert "Œuf, cœur — « guillemets » — 20 €" in text and "IPP" not in text
    assert "Page 1/1" in text
