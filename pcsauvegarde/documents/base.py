"""Shared page layout of every printed document: font, header, identity band, footer, watermark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.drawing import Transform
from fpdf.svg import SVGObject

from pcsauvegarde.documents import fontcache
from pcsauvegarde.documents.barcodes import code128
from pcsauvegarde.documents.context import DocumentContext, PatientFile
from pcsauvegarde.documents.fmt import (
    SEX_LABELS,
    format_date,
    format_local,
    format_person_age,
    freshness,
    to_local,
)

FAMILY = "DejaVu"
FONT_DIRS = (Path(__file__).resolve().parent.parent / "fonts",
             Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN = 10.0
FOOTER_H = 24.0          # reserved at the bottom of every page for the footer
INK = (0, 0, 0)
GREY = (90, 90, 90)
WATERMARK = (215, 215, 215)


class DocumentError(RuntimeError):
    """A document cannot be produced on this station (French message, shown to the user)."""


def font_files() -> dict[str, Path]:
    """The DejaVu Sans files: shipped ones first, Debian's as fallback; MUST exist."""
    for directory in FONT_DIRS:
        paths = {style: directory / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    where = " ni dans ".join(str(d) for d in FONT_DIRS)
    raise DocumentError(f"police DejaVu Sans introuvable ni dans {where} "
                        "(réinstaller pcsauvegarde ou le paquet Debian fonts-dejavu-core)")


def format_ins(ins: str) -> str:
    """INS/NIR grouped as printed on the Carte Vitale: « 2 48 02 75 123 456 78 »."""
    if len(ins) != 15:
        return ins
    cuts = (1, 3, 5, 7, 10, 13, 15)
    return " ".join(ins[a:b] for a, b in zip((0,) + cuts[:-1], cuts))


class DocumentPDF(FPDF):
    """A4 page with header, optional identity band, freshness footer on every page.

    Subclass or instantiate per document; call ``add_page()`` then draw below ``content_top``.
    """

    def __init__(self, ctx: DocumentContext, title: str, *,
                 patient: PatientFile | None = None, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.ctx = ctx
        self.doc_title = title
        self.patient_file = patient
        self.content_top = MARGIN
        self._font_files = font_files()
        self._svgs: dict[bytes, SVGObject] = {}
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_H + 2)
        self.set_title(title)
        self.set_creator("pcsauvegarde")
        self.set_creation_date(ctx.printed_at)  # same inputs, same bytes: renderers stay pure
        self.set_font(FAMILY, "", 9)

    # ---- fpdf2 hooks --------------------------------------------------------------------

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
        code = code128(ctx.document_number, 7.0)
        text_w = self.epw - code.width - 4
        self.set_text_color(*INK)
        self.set_xy(MARGIN, top + 1.5)
        self.fit_cell(text_w, 4.5, freshness(ctx.extracted_at, ctx.printed_at), "B", 9)
        self.set_xy(MARGIN, top + 6.5)
        self.fit_cell(text_w, 4, f"Imprimé le {format_local(ctx.printed_at)} par "
                                 f"{ctx.printed_by} sur {ctx.station}", "", 8)
        self.set_xy(MARGIN, top + 11)
        self.fit_cell(text_w, 4, f"Page {self.page_no()}/{{nb}}", "", 8)
        x = self.w - MARGIN - code.width
        self.barcode(ctx.document_number, x, top + 1.5, 7.0)
        self.set_xy(x, top + 2 + code.height)
        self.set_font(FAMILY, "", 8)
        self.cell(code.width, 4, f"N° {ctx.document_number}", align="C")

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        """Register DejaVu styles on first use (parsed once per process: documents/fontcache)."""
        # fpdf2 itself restores fonts already in use with a TextEmphasis: nothing to register.
        key = style.upper().replace("U", "").replace("S", "") if isinstance(style, str) else ""
        if family == FAMILY and key in FONT_FILES and f"{FAMILY.lower()}{key}" not in self.fonts:
            fontcache.add_font(self, FAMILY, key, self._font_files[key])
        super().set_font(family, style, size)

    # ---- building blocks for subclasses and renderers ------------------------------------

    def fit_cell(self, w: float, h: float, text: str, style: str = "", size: float = 9,
                 align: str = "L", min_size: float = 6) -> None:
        """One-line cell whose font shrinks (down to ``min_size``) so the text never overflows."""
        self.set_font(FAMILY, style, size)
        while size > min_size and self.get_string_width(text) > w - 2 * self.c_margin:
            size -= 0.5
            self.set_font(FAMILY, style, size)
        self.cell(w, h, text, align=align)

    def barcode(self, value: str, x: float, y: float, bar_height: float = 8.0) -> float:
        """Draw ``value`` as a vector Code 128 at its natural size; return its width in mm."""
        code = code128(value, bar_height)
        svg = self._svgs.get(code.svg)
        if svg is None:
            # What FPDF.image(BytesIO(svg)) does, minus re-parsing the SVG on every page.
            svg = self._svgs[code.svg] = SVGObject(code.svg)
        _, _, path = svg.transform_to_rect_viewport(
            scale=1, width=code.width, height=code.height, ignore_svg_top_attrs=True)
        path.transform = path.transform @ Transform.translation(x, y)
        old_x, old_y = self.x, self.y
        # White under the bars and quiet zones, even over the EXERCICE watermark.
        with self.local_context(fill_color=255):
            self.rect(x, y, code.width, code.height, style="F")
        self.set_xy(0, 0)
        self.draw_path(path)
        self.set_xy(old_x, old_y)
        return code.width

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
            self.multi_cell(self.epw, 4, note, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(*INK)
        self.set_font(FAMILY, "", 9)

    def paragraph(self, text: str, style: str = "", size: float = 9, h: float = 4.5) -> None:
        """Flowing text over the full width."""
        self.set_font(FAMILY, style, size)
        self.set_x(MARGIN)
        self.multi_cell(self.epw, h, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, value: str, label_w: float = 40) -> None:
        """« Label : value » line, label in bold, value wrapping in its column."""
        self.set_font(FAMILY, "", 9)
        lines = self.multi_cell(self.epw - label_w, 4.5, value, dry_run=True, output="LINES")
        self.ensure_space(4.5 * max(len(lines), 1))
        self.set_x(MARGIN)
        self.set_font(FAMILY, "B", 9)
        self.cell(label_w, 4.5, label)
        self.set_font(FAMILY, "", 9)
        self.multi_cell(self.epw - label_w, 4.5, value, align="L",
                        new_x="LMARGIN", new_y="NEXT")

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

    def _identity_band(self, file: PatientFile, top: float) -> float:
        """Draw the identity band from ``top``; return its bottom y."""
        p, stay = file.patient, file.stay
        code = code128(p.ipp, 9.0)
        text_w = self.epw - code.width - 6
        x = MARGIN + 2
        today = to_local(self.ctx.printed_at).date()
        born = {"F": "Née", "M": "Né"}.get(p.sex, "Né(e)")
        lines: list[tuple[str, str, float]] = [
            (f"{p.birth_name.upper()}  {p.first_names}", "B", 12)]
        used = []
        if p.used_name and p.used_name.casefold() != p.birth_name.casefold():
            used.append(f"Nom utilisé : {p.used_name.upper()}")
        if p.used_first_name:
            used.append(f"Prénom utilisé : {p.used_first_name}")
        if used:
            lines.append(("   ".join(used), "", 9))
        birth = (f"{born} le {format_date(p.birth_date)} "
                 f"({format_person_age(p.birth_date, today)})   "
                 f"Sexe : {SEX_LABELS.get(p.sex, p.sex)}")
        if p.deceased:
            birth += "   " + {"F": "DÉCÉDÉE", "M": "DÉCÉDÉ"}.get(p.sex, "DÉCÉDÉ(E)")
        lines.append((birth, "", 9))
        ids = [f"IPP : {p.ipp}"]
        if stay is not None:
            ids.append(f"NDA : {stay.id}")
        if p.ins:
            status = f" ({p.ins_status})" if p.ins_status else ""
            ids.append(f"INS : {format_ins(p.ins)}{status}")
        lines.append(("   ".join(ids), "B", 9))
        if stay is not None:
            where = [f"Unité : {file.unit_name or stay.unit}"]
            if stay.room:
                where.append(f"Chambre {stay.room}")
            if stay.bed:
                where.append(f"Lit {stay.bed}")
            lines.append(("   ".join(where), "", 9))
        y = top + 1.5
        for text, style, size in lines:
            self.set_xy(x, y)
            h = 5.5 if size > 10 else 4.4
            self.set_font(FAMILY, style, size - 2)
            if size > 10 and self.get_string_width(text) > text_w - 2 * self.c_margin:
                # A long identity wraps rather than shrinking out of legibility.
                self.multi_cell(text_w, 5, text, align="L", new_x="LEFT", new_y="NEXT")
                y = self.y
                continue
            self.fit_cell(text_w, h, text, style, size)
            y += h
        bottom = max(y, top + code.height + 7) + 1.5
        self.set_line_width(0.5)
        self.rect(MARGIN, top, self.epw, bottom - top)
        bx = self.w - MARGIN - code.width - 2
        self.barcode(p.ipp, bx, top + 1.5, 9.0)
        self.set_xy(bx, top + 2 + code.height)
        self.set_font(FAMILY, "", 8)
        self.cell(code.width, 3.5, f"IPP {p.ipp}", align="C")
        return bottom
