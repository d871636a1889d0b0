"""A unit bundle in one PDF: cover first, each document with its own number and « Page n/N »."""

from __future__ import annotations

import dataclasses
import io
import re

import pypdf
import pytest

from pcsauvegarde.station.documents import (
    administration_plan,
    bundle,
    care_plan,
    census,
    patient_summary,
)
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from tests.support.pdfcheck import page_barcodes, page_texts
from tests.support.sample import IPP

KINDS = (administration_plan, care_plan, patient_summary)


@pytest.fixture(scope="module")
def rendered(patient_file, context_with):
    second = dataclasses.replace(
        patient_file,
        patient=dataclasses.replace(patient_file.patient, id="00999888", birth_name="Aubert",
                                    first_names="Paul", used_name="", sex="M"),
        stay=dataclasses.replace(patient_file.stay, ipp="00999888", room="14", bed="A"))
    unit = UnitFile("CARD", "Cardiologie", tuple(CensusRow(f.patient, f.stay)
                                                 for f in (patient_file, second)))
    parts = [bundle.BundlePart(census.draw, unit, context_with(document_number="SYN-IN-00"),
                               "", "", census.TITLE)]
    for i, file in enumerate((patient_file, second), start=1):
        who = f"{file.patient.birth_name.upper()} (IPP {file.patient.id})"
        for k, module in enumerate(KINDS):
            parts.append(bundle.BundlePart(
                module.draw, file, context_with(document_number=f"SYN-IN-{i}{k}"),
                f"{file.stay.room} / {file.stay.bed}", who, module.TITLE))
    out = bundle.render("CARD", "Cardiologie", 2, parts,
                        context_with(document_number="SYN-BUNDLE-1"))
    return out, parts


def test_cover_first_then_documents_in_order(rendered) -> None:
    out, parts = rendered
    texts = page_texts(out.pdf)
    assert out.pages == len(texts) == sum(p.pages for p in out.placed)
    cover = out.placed[0]
    assert cover.number == "SYN-BUNDLE-1" and cover.first_page == 1
    assert [p.number for p in out.placed[1:]] == [p.ctx.document_number for p in parts]
    starts = [p.first_page for p in out.placed]
    assert starts == sorted(starts)
    assert all(a.first_page + a.pages == b.first_page
               for a, b in zip(out.placed, out.placed[1:], strict=False))
    # The cover lists every document in drawing (bed) order, one row per patient, each
    # document with its number and its own page count; one page for two patients.
    assert cover.pages == 1
    cover_text = " ".join("\n".join(texts[:cover.pages]).replace("\xa0", " ").split())
    assert "Impression du service" in cover_text
    positions = [cover_text.index(p.number) for p in out.placed[1:]]
    assert positions == sorted(positions)
    assert cover_text.index("LEFÈVRE-DUBOIS") < cover_text.index("AUBERT")
    for placed in out.placed[1:]:
        assert f"{placed.number} — {placed.pages} p." in cover_text


def test_each_document_numbers_its_own_pages(rendered) -> None:
    out, _ = rendered
    texts = page_texts(out.pdf)
    assert any(p.pages > 1 for p in out.placed)
    for placed in out.placed:
        for n in range(1, placed.pages + 1):
            text = texts[placed.first_page - 1 + n - 1]
            assert f"Page {n}/{placed.pages}" in text, (placed, n)
            assert placed.number in text
            assert re.findall(r"Page \d+/\d+", text) == [f"Page {n}/{placed.pages}"]


def test_each_document_keeps_its_identity_and_orientation(rendered) -> None:
    out, parts = rendered
    texts = page_texts(out.pdf)
    for part, placed in zip(parts, out.placed[1:], strict=True):
        for i in range(placed.first_page - 1, placed.first_page - 1 + placed.pages):
            if part.patient:
                assert part.patient.split(" (")[0] in texts[i]
    pages = pypdf.PdfReader(io.BytesIO(out.pdf)).pages
    mar = pages[out.placed[1 + 1].first_page - 1]      # the census, then the first MAR
    summary = pages[out.placed[1 + 3].first_page - 1]
    assert mar.mediabox.width > mar.mediabox.height
    assert summary.mediabox.width < summary.mediabox.height


@pytest.mark.slow
def test_inner_document_extracted_alone(rendered) -> None:
    out, _ = rendered
    summary = out.placed[1 + 3]
    assert summary.pages >= 2
    pdf = bundle.extract_pages(out.pdf, summary.first_page, summary.pages)
    texts = page_texts(pdf)
    assert len(texts) == summary.pages
    for n, text in enumerate(texts, start=1):
        assert summary.number in text and f"Page {n}/{summary.pages}" in text
        assert f"IPP : {IPP}" in text
    for codes in page_barcodes(pdf):
        assert summary.number in codes and IPP in codes


def test_single_document_still_numbers_from_one(patient_file, ctx) -> None:
    texts = page_texts(patient_summary.render(patient_file, ctx))
    assert len(texts) >= 2
    for n, text in enumerate(texts, start=1):
        assert f"Page {n}/{len(texts)}" in text


@pytest.mark.parametrize("module", [administration_plan, care_plan, patient_summary])
def test_direct_text_writes_the_same_bytes_as_fpdf2(module, patient_file, ctx,
                                                    monkeypatch) -> None:
    from pcsauvegarde.station.documents.base import DocumentPDF
    fast = module.render(patient_file, ctx)
    monkeypatch.setattr(DocumentPDF, "FAST_TEXT", False)
    assert module.render(patient_file, ctx) == fast


def test_nothing_printed_under_7_pt(rendered) -> None:
    from tests.support.pdfcheck import font_sizes

    out, _ = rendered
    assert min(font_sizes(out.pdf)) >= 7
