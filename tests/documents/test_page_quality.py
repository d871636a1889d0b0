"""The page-quality helper catches what it claims to (each check fails on a bad page)."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import MARGIN, DocumentPDF
from pcsauvegarde.station.documents.engine import FAMILY
from tests.support.page_quality import problems


def _pdf(ctx, draw, patient=None) -> bytes:
    pdf = DocumentPDF(ctx, "Essai", patient=patient)
    pdf.add_page()
    draw(pdf)
    return pdf.output_bytes()


def _kinds(found: list[str]) -> str:
    return "\n".join(found)


def test_a_clean_page_passes(ctx, patient_file) -> None:
    pdf = _pdf(ctx, lambda p: p.paragraph("Texte courant en 9 pt."), patient_file)
    assert problems(pdf, allergies=True, barcodes={patient_file.patient.id}) == []


def test_small_text_is_found(ctx) -> None:
    def draw(pdf):
        pdf.set_font(FAMILY, "", 6)
        pdf.cell(50, 4, "minuscule")
    assert "« minuscule » en 6 pt" in _kinds(problems(_pdf(ctx, draw), allergies=False))


def test_text_out_of_its_cell_is_found(ctx) -> None:
    def draw(pdf):
        pdf.rect(MARGIN, 60, 20, 8)
        pdf.set_xy(MARGIN, 61)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(20, 5, "Identifiant-beaucoup-trop-long-pour-sa-case")
    assert "dépasse de sa case" in _kinds(problems(_pdf(ctx, draw), allergies=False))


def test_word_broken_without_hyphen_is_found_and_hyphenated_one_is_not(ctx) -> None:
    word = "Anticoagulothérapieintraveineuseprolongée"

    def draw(pdf, wrap):
        pdf.rect(MARGIN, 60, 30, 30)
        pdf.set_font(FAMILY, "", 9)
        y = 61
        for line in wrap(pdf):
            pdf.set_xy(MARGIN + 1, y)
            pdf.cell(28, 4, line)
            y += 4
    forced = _pdf(ctx, lambda p: draw(p, lambda q: q.wrap(28, word)))      # engine: no hyphen
    assert "mot coupé sans trait d'union" in _kinds(problems(forced, allergies=False))
    hyphenated = _pdf(ctx, lambda p: draw(p, lambda q: q.wrap_words(28, word)))
    assert "mot coupé" not in _kinds(problems(hyphenated, allergies=False))


def test_orphan_section_title_is_found(ctx) -> None:
    def draw(pdf):
        pdf.set_y(pdf.page_break_trigger - 8)
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(80, 6, "Traitements en cours")
        pdf.add_page()
        pdf.paragraph("La suite du tableau.")
    assert "sans ligne dessous" in _kinds(problems(_pdf(ctx, draw), allergies=False))


def test_missing_allergies_and_unreadable_code_are_found(ctx) -> None:
    found = _kinds(problems(_pdf(ctx, lambda p: p.paragraph("Sans bandeau.")), allergies=True,
                            barcodes={"IPP-INCONNU"}))
    assert "ni allergies" in found and "« IPP-INCONNU » illisible" in found
