"""Shared page layout of every printed document: font, header, identity band, footer, watermark."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from pcsauvegarde.station.documents.band import BandPDF
from pcsauvegarde.station.documents.barcodes import code128
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.engine import (  # noqa: F401 - re-exported: the layout's vocabulary
    FAMILY,
    FONT_FILES,
    DocumentError,
    EnginePDF,
    font_files,
)
from pcsauvegarde.station.documents.fmt import format_local, freshness
from pcsauvegarde.station.documents.ink import (  # noqa: F401 - re-exported: the layout's colours
    ALLERGY_RED,
    GREY,
    INK,
    UNKNOWN_INK,
    WATERMARK,
)

MARGIN = 10.0
FOOTER_H = 24.0          # reserved at the bottom of every page for the footer


@dataclass(frozen=True)
class Placed:
    """Where one document's pages lie inside a PDF holding several (1-based first page)."""

    number: str
    first_page: int
    pages: int


class DocumentPDF(BandPDF):
    """A4 page with header, optional identity band, freshness footer on every page.

    Subclass or instantiate per document; call ``add_page()`` then draw below ``content_top``.
    Several documents MAY share one PDF (a unit bundle: fonts embedded once): call
    ``begin_document`` before each; each keeps its own header, footer, number and « Page n/N ».
    """

    def __init__(self, ctx: DocumentContext, title: str, *,
                 patient: PatientFile | None = None, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.ctx = ctx
        self.doc_title = title
        self.patient_file = patient
        self.doc_landscape = landscape
        self.page_codes = False          # footer barcode: number, or « number/page » (forms)
        self.placed: list[Placed] = []   # documents ended so far, in drawing order
        self._doc_first_page = 1
        self._footer_drawn = False       # last page's footer drawn by end_document()
        self.content_top = MARGIN
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_H + 2)
        self.set_title(title)
        self.set_creator("pcsauvegarde")
        self.set_creation_date(ctx.printed_at)  # same inputs, same bytes: renderers stay pure
        self.set_font(FAMILY, "", 9)

    # ---- several documents in one PDF ----------------------------------------------------

    def begin_document(self, ctx: DocumentContext, title: str, *,
                       patient: PatientFile | None = None, landscape: bool = False,
                       page_codes: bool = False) -> None:
        """Make the next pages belong to a new document (ends the current one, if any).

        ``page_codes``: each page's barcode carries the number and the page (:func:`page_code`),
        so a sheet written on by hand is found again page by page at re-entry."""
        if self.page:
            self.end_document()
        else:
            self.set_title(title)
        self.ctx, self.doc_title, self.patient_file = ctx, title, patient
        self.doc_landscape = landscape
        self.page_codes = page_codes
        self._doc_first_page = self.page + 1

    def end_document(self) -> Placed | None:
        """Draw the current document's last footer and number its pages « n/N »; idempotent."""
        first = self._doc_first_page
        if self._footer_drawn or self.page < first:
            return None
        self._render_footer()
        self._footer_drawn = True
        total = str(self.page - first + 1)
        # fpdf2 puts the whole PDF's page count in every {nb} at output: put this document's
        # own count in its pages now, and leave fpdf2 nothing to substitute.
        for number in range(first, self.page + 1):
            self.substitute(number, total)
        placed = Placed(self.ctx.document_number, first, self.page - first + 1)
        self.placed.append(placed)
        return placed

    def move_to_front(self, first: int) -> None:
        """Move pages ``first``…last before all others (a cover drawn last, counts known).

        The documents MUST be ended; ``placed`` follows the move.
        """
        count = self.pages_count
        order = [*range(first, count + 1), *range(1, first)]
        remap = {old: new for new, old in enumerate(order, start=1)}
        pages = {remap[old]: page for old, page in self.pages.items()}
        for number, page in pages.items():
            page.set_index(number)
        self.pages = dict(sorted(pages.items()))
        catalog = self._resource_catalog
        moved: defaultdict = defaultdict(set)
        for (number, kind), resources in catalog.resources_per_page.items():
            moved[(remap.get(number, number), kind)] = resources
        catalog.resources_per_page = moved
        self._deflated = {remap[number] for number in self._deflated}
        self.placed = sorted((replace(p, first_page=remap[p.first_page]) for p in self.placed),
                             key=lambda p: p.first_page)

    # ---- fpdf2 hooks --------------------------------------------------------------------

    def add_page(self, orientation: str = "", *args: Any, **kwargs: Any) -> None:
        """A new page, in the current document's orientation unless told otherwise."""
        if not orientation and not kwargs.get("same") and not args:
            orientation = "L" if self.doc_landscape else "P"
        super().add_page(orientation, *args, **kwargs)

    def _render_footer(self) -> None:
        if self._footer_drawn:   # end_document() already drew it, with its own context
            self._footer_drawn = False
            return
        super()._render_footer()

    def header(self) -> None:
        """Draw watermark, establishment and title, then the identity band; set content_top."""
        if self.ctx.exercise:
            self._watermark("EXERCICE")
        self.set_text_color(*GREY)
        self.set_font(FAMILY, "", 8)
        self.set_xy(MARGIN, 6)
        self.cell(self.epw / 2, 4, self.ctx.establishment)
        if self.ctx.exercise:
            self.cell(self.epw / 2, 4, "EXERCICE — ne pas utiliser pour les soins", align="R")
        self.set_text_color(*INK)
        self.set_font(FAMILY, "B", 14)
        self.set_xy(MARGIN, 10)
        self.cell(self.epw, 7, self.doc_title)
        y = 18.0
        self.set_line_width(0.3)
        self.line(MARGIN, y, self.w - MARGIN, y)
        if self.patient_file is not None:
            y = self._identity_band(self.patient_file, y + 1.5)
        self.content_top = y + 3
        self.set_xy(MARGIN, self.content_top)
        self.set_font(FAMILY, "", 9)

    def footer(self) -> None:
        """Freshness, who/when/where printed, page n/N, document number and its barcode."""
        ctx = self.ctx
        top = self.h - FOOTER_H + 1
        self.set_line_width(0.3)
        self.line(MARGIN, top, self.w - MARGIN, top)
        page = self.page_no() - self._doc_first_page + 1
        value = page_code(ctx.document_number, page) if self.page_codes else ctx.document_number
        code = code128(value, 7.0)
        text_w = self.epw - code.width - 4
        self.set_text_color(*INK)
        self.set_xy(MARGIN, top + 1.5)
        self.fit_cell(text_w, 4.5, freshness(ctx.extracted_at, ctx.printed_at), "B", 9)
        self.set_xy(MARGIN, top + 6.5)
        self.fit_cell(text_w, 4, f"Imprimé le {format_local(ctx.printed_at)} par "
                                 f"{ctx.printed_by} sur {ctx.station}", "", 8)
        self.set_xy(MARGIN, top + 11)
        self.fit_cell(text_w, 4, f"Page {page}/{{nb}}", "", 8)
        x = self.w - MARGIN - code.width
        self.barcode(value, x, top + 1.5, 7.0)
        self.set_xy(x, top + 2 + code.height)
        label = f"N° {ctx.document_number}" + (f" · feuille {page}" if self.page_codes else "")
        self.fit_cell(max(code.width, 40), 4, label, "", 8, align="C")

    # ---- building blocks for subclasses and renderers ------------------------------------

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the footer."""
        if self.will_page_break(height):
            self.add_page()

    def section(self, title: str, note: str = "") -> None:
        """A section heading (never alone at a page bottom), with an optional grey note."""
        self.ensure_space(18)
        self.ln(2)
        self.set_font(FAMILY, "B", 11)
        self.set_x(MARGIN)
        self.cell(self.epw, 6, title, new_x="LMARGIN", new_y="NEXT")
        self.set_line_width(0.2)
        self.line(MARGIN, self.y, self.w - MARGIN, self.y)
        self.ln(1)
        if note:
            self.set_text_color(*GREY)
            self.set_font(FAMILY, "", 8)
            self.text_lines(self.epw, 4, note)
            self.set_x(MARGIN)
            self.set_text_color(*INK)
        self.set_font(FAMILY, "", 9)

    def paragraph(self, text: str, style: str = "", size: float = 9, h: float = 4.5) -> None:
        """Flowing text over the full width."""
        self.set_font(FAMILY, style, size)
        self.set_x(MARGIN)
        self.text_lines(self.epw, h, text)
        self.set_x(MARGIN)

    def field(self, label: str, value: str, label_w: float = 40) -> None:
        """« Label : value » line, label in bold, value wrapping in its column."""
        self.set_font(FAMILY, "", 9)
        lines = self.wrap(self.epw - label_w, value)
        self.ensure_space(4.5 * max(len(lines), 1))
        self.set_x(MARGIN)
        self.set_font(FAMILY, "B", 9)
        self.cell(label_w, 4.5, label)
        self.set_font(FAMILY, "", 9)
        self.text_lines(self.epw - label_w, 4.5, value)
        self.set_x(MARGIN)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """The PDF (fpdf2's output), the current document ended first."""
        self.end_document()
        return super().output(*args, **kwargs)

    def output_bytes(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())

    # ---- internals ------------------------------------------------------------------------

    def _watermark(self, text: str) -> None:
        with self.local_context(text_color=WATERMARK, font_family=FAMILY, font_style="B",
                                font_size_pt=110):
            cx, cy = self.w / 2, self.h / 2
            with self.rotation(angle=45 if self.h > self.w else 30, x=cx, y=cy):
                self.text(cx - self.get_string_width(text) / 2, cy + 14, text)


PAGE_CODE_SEPARATOR = "/"   # never in a document number ([A-Z0-9-])


def page_code(number: str, page: int) -> str:
    """What the barcode of page ``page`` of a form carries: « CHU-0000123/2 »."""
    return f"{number}{PAGE_CODE_SEPARATOR}{page}"


def parse_page_code(value: str) -> tuple[str, int | None]:
    """A scanned footer barcode as (document number, page or None for a whole document)."""
    number, sep, page = value.strip().partition(PAGE_CODE_SEPARATOR)
    return number, int(page) if sep and page.isdigit() else None


def render_document(draw, title: str, data, ctx: DocumentContext, *, landscape: bool = False,
                    **options) -> bytes:
    """The ``render()`` of a document kind: a new PDF, ``draw(pdf, data, ctx)``, its bytes."""
    pdf = DocumentPDF(ctx, title, landscape=landscape)
    draw(pdf, data, ctx, **options)
    return pdf.output_bytes()
