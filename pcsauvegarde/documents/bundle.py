"""« Imprimer le service »: a cover page listing a unit's documents, then the documents."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdf

from pcsauvegarde.documents.base import GREY, INK, DocumentPDF
from pcsauvegarde.documents.context import DocumentContext
from pcsauvegarde.documents.table import Column, Row, draw_table
from pcsauvegarde.documents.templates import Template, load_template

KIND = "bundle"
TITLE = "Impression du service"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "cover.summary": ("patients", "documents", "pages"),
    **{f"cover.{k}": () for k in ("note", "bed", "patient", "kind", "number", "pages", "unit")},
}


@dataclass(frozen=True)
class BundleEntry:
    """One document of the bundle, as listed on the cover."""

    bed: str
    patient: str       # « DUPONT Marie (IPP 00123) »; empty for a unit document
    title: str
    number: str
    pages: int


@dataclass(frozen=True)
class BundleCover:
    unit_code: str
    unit_name: str
    patients: int
    entries: tuple[BundleEntry, ...]


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render_cover(cover: BundleCover, ctx: DocumentContext, *,
                 templates_dir: Path | str | None = None) -> bytes:
    """The cover: what the bundle holds, patients × documents with their numbers and pages."""
    t = load(templates_dir)
    pdf = DocumentPDF(ctx, t.text("document.title", unit=cover.unit_name or cover.unit_code),
                      landscape=True)
    pdf.add_page()
    pages = sum(e.pages for e in cover.entries)
    pdf.paragraph(t.text("cover.summary", patients=cover.patients,
                         documents=len(cover.entries), pages=pages), "B", 10, 5)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("cover.note"), "", 8.5)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    columns = [Column(t.text("cover.bed"), 0.8), Column(t.text("cover.patient"), 3),
               Column(t.text("cover.kind"), 2), Column(t.text("cover.number"), 1.6),
               Column(t.text("cover.pages"), 0.6, "R")]
    rows = [Row((e.bed, e.patient or t.text("cover.unit"), e.title, e.number, str(e.pages)))
            for e in cover.entries]
    if rows:
        draw_table(pdf, columns, rows, size=9, group_first=True)
    return pdf.output_bytes()


def concatenate(parts: Iterable[bytes], out: io.BufferedIOBase | io.BytesIO) -> int:
    """Write the PDFs one after another into ``out``; return the number of pages.

    Each part keeps its own pages, footers and numbering (fpdf2 cannot append PDFs).
    """
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    writer.write(out)
    return len(writer.pages)


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
