"""« Imprimer le service »: a cover page listing a unit's documents, then the documents.

The whole bundle is ONE fpdf2 document (fonts subset and embedded once): each inner document
is drawn with its own context (title, identity band, number, « Page n/N »), the cover last,
once every page count is known, then moved to the front.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf

from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, Placed
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "bundle"
TITLE = "Impression du service"
KIT_KIND = "kit"          # a unit's downtime kit: pre-identified forms, same layout
KIT_TITLE = "Kit de démarrage"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "cover.summary": ("patients", "documents", "pages"),
    "kit.title": ("unit",), "kit.note": (),
    "cover.cell": ("number", "pages"), "cover.unit_line": ("title", "number", "pages"),
    **{f"cover.{k}": () for k in ("note", "bed", "patient", "kind", "unit")},
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


@dataclass(frozen=True)
class BundlePart:
    """One document to draw into the bundle: its kind's ``draw``, data and own context."""

    draw: Callable[..., None]   # draw(pdf, data, ctx): a document kind's drawer
    data: Any
    ctx: DocumentContext
    bed: str
    patient: str
    title: str


@dataclass(frozen=True)
class RenderedBundle:
    """The bundle PDF and where each document lies in it (cover first, then the parts)."""

    pdf: bytes
    placed: tuple[Placed, ...]
    pages: int


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render(unit_code: str, unit_name: str, patients: int, parts: Sequence[BundlePart],
           ctx: DocumentContext, *, cover: bool = True,
           progress: Callable[[int, int, int], None] | None = None,
           kit: bool = False) -> RenderedBundle:
    """The cover (``ctx``) then every part in order, in one PDF (pure: records in, bytes out).

    Without ``cover`` (a bundle of unit documents only, such as the census alone), the parts.
    ``progress(parts drawn, parts, pages drawn)``, when given, is called after each part;
    ``kit``: the cover of a downtime kit (its title and note).
    """
    pdf = _lay_out(unit_code, unit_name, patients, parts, ctx, cover, progress, kit)
    data = pdf.output_bytes()
    return RenderedBundle(data, tuple(pdf.placed), pdf.pages_count)


def page_counts(unit_code: str, unit_name: str, patients: int, parts: Sequence[BundlePart],
                ctx: DocumentContext, *, cover: bool = True) -> tuple[Placed, ...]:
    """Where each document would lie, cover first: laid out as printed, no PDF written."""
    return tuple(_lay_out(unit_code, unit_name, patients, parts, ctx, cover).placed)


def _lay_out(unit_code: str, unit_name: str, patients: int, parts: Sequence[BundlePart],
             ctx: DocumentContext, cover: bool,
             progress: Callable[[int, int, int], None] | None = None,
             kit: bool = False) -> DocumentPDF:
    pdf = DocumentPDF(ctx, TITLE, landscape=True)
    if progress is not None:
        progress(0, len(parts), 0)
    for done, part in enumerate(parts, 1):
        part.draw(pdf, part.data, part.ctx)
        if progress is not None:
            progress(done, len(parts), pdf.page)
    pdf.end_document()
    if not cover:
        return pdf
    entries = tuple(BundleEntry(part.bed, part.patient, part.title, placed.number, placed.pages)
                    for part, placed in zip(parts, pdf.placed, strict=True))
    first_cover_page = pdf.page + 1
    draw_cover(pdf, BundleCover(unit_code, unit_name, patients, entries), ctx, kit=kit)
    pdf.end_document()
    pdf.set_title(pdf.doc_title)
    pdf.move_to_front(first_cover_page)
    return pdf


def render_cover(cover: BundleCover, ctx: DocumentContext) -> bytes:
    """The cover alone, as PDF bytes."""
    pdf = DocumentPDF(ctx, TITLE, landscape=True)
    draw_cover(pdf, cover, ctx)
    return pdf.output_bytes()


def draw_cover(pdf: DocumentPDF, cover: BundleCover, ctx: DocumentContext, *,
               kit: bool = False) -> None:
    """The cover: what the bundle holds, patients × documents with their numbers and pages."""
    t = load(ctx.templates_dir)
    title = "kit.title" if kit else "document.title"
    pdf.begin_document(ctx, t.text(title, unit=cover.unit_name or cover.unit_code),
                       landscape=True)
    pdf.add_page()
    pages = sum(e.pages for e in cover.entries)
    pdf.paragraph(t.text("cover.summary", patients=cover.patients,
                         documents=len(cover.entries), pages=pages), "B", 10, 5)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("kit.note" if kit else "cover.note"), "", 8.5)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    # The unit's documents on a line each; then one row per patient, one column per kind of
    # document: its number and page count. A unit of 25 patients holds on one or two pages.
    for e in cover.entries:
        if not e.patient:
            pdf.paragraph(t.text("cover.unit_line", title=e.title, number=e.number,
                                 pages=e.pages), "", 9, 4.5)
    patient_entries = [e for e in cover.entries if e.patient]
    titles = list(dict.fromkeys(e.title for e in patient_entries))
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for e in patient_entries:
        cells = rows.setdefault((e.bed, e.patient), {})
        cells[e.title] = t.text("cover.cell", number=e.number, pages=e.pages)
    columns = [Column(t.text("cover.bed"), 0.7), Column(t.text("cover.patient"), 2.2),
               *(Column(title, 1.6) for title in titles)]
    table = [Row((bed, patient, *(cells.get(title, "—") for title in titles)))
             for (bed, patient), cells in rows.items()]
    if table:
        draw_table(pdf, columns, table, size=8, title=t.text("cover.kind"), widen=True)


def extract_pages(pdf: bytes, first_page: int, pages: int) -> bytes:
    """Pages ``first_page``… (1-based) of a PDF as a PDF of their own (an inner document)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    for index in range(first_page - 1, first_page - 1 + pages):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
