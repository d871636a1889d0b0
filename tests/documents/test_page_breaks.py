"""Page breaks of the care documents: no orphan title, « (suite) », blank rows never make a page."""

from __future__ import annotations

import dataclasses

import pytest

from pcsauvegarde.core.records import CareTask, Timing
from pcsauvegarde.station.documents import administration_plan, care_plan, prescriptions
from pcsauvegarde.station.documents.table import Column, Row, fit_widths
from tests.support.pdfcheck import page_texts
from tests.support.sample import IPP


def body(page: str) -> str:
    """A page's text without its header (identity band) and footer."""
    start = page.index("⚠ ALLERGIES")          # the identity band's last line
    return page[page.index("\n", start):page.index("MODE DÉGRADÉ")]


@pytest.mark.parametrize("count", range(9))
def test_mar_sections_never_orphaned_and_continued(patient_file, ctx, count) -> None:
    many = tuple(dataclasses.replace(patient_file.orders[0], id=f"x{i}",
                                     drug=f"Médicament {i:02d}") for i in range(count))
    texts = page_texts(administration_plan.render(
        dataclasses.replace(patient_file, orders=many + patient_file.orders), ctx))
    for page in texts:
        part = body(page)
        if "Si besoin (PRN)" in part:      # the title, its heading and its row together
            assert "Paracétamol" in part[part.index("Si besoin (PRN)"):]
        if "Nouvelles prescriptions manuscrites" in part:
            assert "Médicament, dose, voie" in part
    for page in texts[1:]:
        first = body(page).split("\n")[1] if "\n" in body(page) else ""
        if first.startswith("Prescription"):   # a grid going on: its title says so
            assert "(suite)" in body(page).split("\n")[0]


@pytest.mark.parametrize("count", range(12))
def test_care_plan_blank_rows_never_make_a_page(patient_file, ctx, count) -> None:
    tasks = tuple(CareTask(f"t{i}", IPP, f"Soin numéro {i}", Timing("fixed_times",
                                                                    times=("10:00",)))
                  for i in range(count))
    texts = page_texts(care_plan.render(dataclasses.replace(patient_file, care_tasks=tasks),
                                        ctx))
    last = body(texts[-1])
    assert not last.split("\n")[1].startswith("Autres soins")
    if len(texts) > 1:
        assert "Autres soins" not in "".join(texts[:-1])


def test_routes_abbreviated_with_a_legend_and_words_never_cut(patient_file, ctx) -> None:
    orders = tuple(dataclasses.replace(o, route=r) for o, r in zip(
        patient_file.orders, ("Voie intraveineuse", "Voie sous-cutanée", "Voie orale",
                              "Intramuscular (qualifier value)", "Voie rectale",
                              "Voie sous-cutanée", "Voie orale"), strict=True))
    file = dataclasses.replace(patient_file, orders=orders)
    text = "\n".join(page_texts(prescriptions.render(file, ctx)))
    assert "Voies : IV intraveineuse · SC sous-cutanée · IM intramusculaire" in text
    assert "sous-cutanée\n" not in text.split("Voies :")[0]
    mar = " ".join("\n".join(page_texts(administration_plan.render(file, ctx))).split())
    assert "40 mg · IV" in mar and "1 g · SC" in mar and "Voies : IV intraveineuse" in mar


def test_columns_widen_to_hold_their_longest_word(patient_file, ctx) -> None:
    from pcsauvegarde.station.documents.base import DocumentPDF

    pdf = DocumentPDF(ctx, "t")
    pdf.add_page()
    columns = [Column("Médicament", 4), Column("Voie", 0.5)]
    rows = [Row(("Paracétamol", "Intraveineuse"))]
    widths = fit_widths(pdf, columns, rows, 9)
    pdf.set_font("DejaVu", "", 9)
    assert widths[1] >= pdf.get_string_width("Intraveineuse") + 2
    assert abs(sum(widths) - pdf.epw) < 0.01


def test_compact_plan_sections_share_the_column_headings(patient_file, ctx) -> None:
    from pcsauvegarde.station.documents.base import DocumentPDF

    pdf = DocumentPDF(ctx, "t", landscape=True)
    administration_plan.draw(pdf, patient_file, ctx, compact=True)
    texts = page_texts(pdf.output_bytes())
    first = texts[0]
    assert "Traitements programmés" in first and "Si besoin (PRN)" in first
    assert first.count("Prescription ") == 1            # one set of column headings
    assert "Depuis le" not in "\n".join(texts)         # start dates: on the prescriptions
    full = page_texts(administration_plan.render(patient_file, ctx))
    assert len(texts) < len(full)
