"""Shared page layout of every printed document: font, header, identity band, footer, watermark."""

from __future__ import annotations

import copy
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import SubsetMap, TTFFont

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
# Where fpdf2's multi_cell may break a line (its BREAKING_SPACE_SYMBOLS).
BREAKING_SPACES = frozenset(" \u200b\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008"
                            "\u2009\u200a\u205f\u3000\t")


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


# What the station prints: Latin with every accent (INS identity traits are Latin-only),
# Greek (µ, Δ), punctuation, arrows, maths, ✓ ✗ ⚠ ☐. Arabic, Cyrillic… are left out of the
# embedded font: subsetting 6,000 glyphs per document cost ~150 ms, 1,000 glyphs ~20 ms.
UNICODE_RANGES = ((0x20, 0x24F), (0x2B0, 0x3FF), (0x1E00, 0x1EFF), (0x2000, 0x22FF),
                  (0x2460, 0x24FF), (0x2500, 0x27BF))


@functools.lru_cache(maxsize=8)
def _parsed_font(path: str, style: str) -> tuple[TTFFont, bytes]:
    """A DejaVu style reduced to UNICODE_RANGES and parsed, once per process; and its bytes."""
    from fontTools import subset

    font = ttLib.TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.glyph_names = True          # fpdf2 subsets again by glyph name on output
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in UNICODE_RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    parsed = TTFFont(FPDF(), Path(path), f"{FAMILY.lower()}{style}", style)
    parsed.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    # Metrics of the reduced font (same widths; only the covered characters).
    reduced_cmap = parsed.ttfont.getBestCmap()
    parsed.cmap = reduced_cmap
    parsed.glyph_ids = {c: parsed.ttfont.getGlyphID(g) for c, g in reduced_cmap.items()}
    return parsed, data


@dataclass(frozen=True)
class Placed:
    """Where one document's pages lie inside a PDF holding several (1-based first page)."""

    number: str
    first_page: int
    pages: int


_ALIGN = {"L": "L", "": "L", "C": "C", "R": "R"}
_NEW_X = ("RIGHT", "LEFT", "LMARGIN")


class DocumentPDF(FPDF):
    """A4 page with header, optional identity band, freshness footer on every page.

    Subclass or instantiate per document; call ``add_page()`` then draw below ``content_top``.
    Several documents MAY share one PDF (a unit bundle: fonts embedded once): call
    ``begin_document`` before each; each keeps its own header, footer, number and « Page n/N ».
    """

    FAST_TEXT = True   # False: every cell through fpdf2 (tests compare the bytes)

    def __init__(self, ctx: DocumentContext, title: str, *,
                 patient: PatientFile | None = None, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.ctx = ctx
        self.doc_title = title
        self.patient_file = patient
        self.doc_landscape = landscape
        self.placed: list[Placed] = []   # documents ended so far, in drawing order
        self._doc_first_page = 1
        self._footer_drawn = False       # last page's footer drawn by end_document()
        self.content_top = MARGIN
        self._font_files = font_files()
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_H + 2)
        self.set_title(title)
        self.set_creator("pcsauvegarde")
        self.set_creation_date(ctx.printed_at)  # same inputs, same bytes: renderers stay pure
        self.set_font(FAMILY, "", 9)

    # ---- several documents in one PDF ----------------------------------------------------

    def begin_document(self, ctx: DocumentContext, title: str, *,
                       patient: PatientFile | None = None, landscape: bool = False) -> None:
        """Make the next pages belong to a new document (ends the current one, if any)."""
        if self.page:
            self.end_document()
        else:
            self.set_title(title)
        self.ctx, self.doc_title, self.patient_file = ctx, title, patient
        self.doc_landscape = landscape
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
            page = self.pages[number]
            for item in page.get_text_substitutions():
                page.contents = page.contents.replace(
                    item.get_placeholder_string().encode("latin-1"),
                    item.render_text_substitution(total).encode("latin-1"))
            page.get_text_substitutions().clear()
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
        code = code128(ctx.document_number, 7.0)
        text_w = self.epw - code.width - 4
        self.set_text_color(*INK)
        self.set_xy(MARGIN, top + 1.5)
        self.fit_cell(text_w, 4.5, freshness(ctx.extracted_at, ctx.printed_at), "B", 9)
        self.set_xy(MARGIN, top + 6.5)
        self.fit_cell(text_w, 4, f"Imprimé le {format_local(ctx.printed_at)} par "
                                 f"{ctx.printed_by} sur {ctx.station}", "", 8)
        self.set_xy(MARGIN, top + 11)
        page = self.page_no() - self._doc_first_page + 1
        self.fit_cell(text_w, 4, f"Page {page}/{{nb}}", "", 8)
        x = self.w - MARGIN - code.width
        self.barcode(ctx.document_number, x, top + 1.5, 7.0)
        self.set_xy(x, top + 2 + code.height)
        self.set_font(FAMILY, "", 8)
        self.cell(code.width, 4, f"N° {ctx.document_number}", align="C")

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        """Register DejaVu styles on first use: parsing a TTF costs ~80 ms per document."""
        # fpdf2 itself restores fonts already in use with a TextEmphasis: nothing to register.
        key = style.upper().replace("U", "").replace("S", "") if isinstance(style, str) else ""
        if family == FAMILY and key in FONT_FILES and f"{FAMILY.lower()}{key}" not in self.fonts:
            self._add_cached_font(key)
        super().set_font(family, style, size)

    def _add_cached_font(self, key: str) -> None:
        """Add a DejaVu style from a per-process parsed copy (add_font costs ~100 ms each).

        The metrics (cmap, widths) are shared read-only; each document gets its own subset map
        and its own lazily-read TTFont, since fpdf2 subsets that one in place on output.
        Falls back to ``add_font`` if fpdf2's internals ever change shape.
        """
        path = self._font_files[key]
        try:
            parsed, data = _parsed_font(str(path), key)
            font = copy.copy(parsed)
            font.i = len(self.fonts) + 1
            font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
            font.biggest_size_pt = 0
            font.missing_glyphs = []
            font._hbfont = None
            font.subset = SubsetMap(font)
        except (AttributeError, TypeError):  # pragma: no cover - other fpdf2 version
            self.add_font(FAMILY, key, str(path))
            return
        self.fonts[f"{FAMILY.lower()}{key}"] = font

    # ---- text measure and wrapping ---------------------------------------------------------
    # fpdf2 measures a string through bidi, fragments and graphics-state copies (~0.1 ms), and
    # multi_cell re-sums the whole line for every character it adds (quadratic): together
    # most of a document's render time. Plain text in one DejaVu style needs neither.

    def _plain_text(self) -> bool:
        return (isinstance(self.current_font, TTFFont) and not self.text_shaping
                and self.font_stretching == 100 and not self.char_spacing)

    def get_string_width(self, s: str, normalized: bool = False,
                         markdown: bool = False) -> float:
        """Width of ``s`` in mm with the current font (fpdf2's own result, computed directly)."""
        if markdown or not self._plain_text():
            return super().get_string_width(s, normalized, markdown)
        cw = self.current_font.cw
        return sum(map(cw.__getitem__, map(ord, s))) * self.font_size_pt * 0.001 / self.k

    def wrap(self, w: float, text: str) -> list[str]:
        """The lines ``multi_cell(w, …, text)`` would print with the current font (no markdown)."""
        if not self._plain_text():
            return self.multi_cell(w, 4, text, dry_run=True, output="LINES", padding=0)
        cw = self.current_font.cw
        scale = self.font_size_pt * 0.001 / self.k
        room = w - 2 * self.c_margin + 1e-6
        lines: list[str] = []
        paragraphs = text.split("\n")
        if len(paragraphs) > 1 and not paragraphs[-1]:   # a final newline adds no line
            paragraphs.pop()
        for para in paragraphs:
            start = i = 0
            width, space = 0.0, -1
            while i < len(para):
                c = para[i]
                cw_i = cw[ord(c)] * scale
                if width + cw_i > room:
                    if c in BREAKING_SPACES:            # a space at the edge is dropped
                        lines.append(para[start:i])
                        start = i = i + 1
                    elif space >= start:                # back to the last space
                        lines.append(para[start:space])
                        start = i = space + 1
                    else:                               # one word wider than the cell
                        i = max(i, start + 1)           # (at least one character a line)
                        lines.append(para[start:i])
                        start = i
                    width, space = 0.0, -1
                    continue
                if c in BREAKING_SPACES:
                    space = i
                width += cw_i
                i += 1
            lines.append(para[start:])
        return lines

    def cell(self, w: float | None = None, h: float | None = None, text: str = "",
             border: Any = 0, *args: Any, align: Any = "L", new_x: Any = "RIGHT",
             new_y: Any = "TOP", **kwargs: Any) -> bool:
        """fpdf2's cell; a one-style line of plain text is written directly (same bytes).

        fpdf2 builds fragments, copies the graphics state and lays out a one-fragment line:
        ~0.15 ms a cell, thousands of cells a bundle.
        """
        if (not self.FAST_TEXT or args or kwargs or border or w is None or h is None
                or align not in _ALIGN or new_x not in _NEW_X or new_y not in ("TOP", "NEXT")
                or not self._plain_text() or self.underline or self.strikethrough
                or self.text_mode != TextMode.FILL or self._record_text_quad_points
                or self._fallback_font_ids or (self.str_alias_nb_pages or "\0") in text):
            return super().cell(w, h, text, border, *args, align=align, new_x=new_x,
                                new_y=new_y, **kwargs)
        if not self.page:
            return super().cell(w, h, text)   # raises: no page open
        broke = self._perform_page_break_if_need_be(h)
        if w == 0:
            w = self.w - self.r_margin - self.x
        if text:
            font = self.current_font
            k, size = self.k, self.font_size
            width = self.get_string_width(text)
            align = _ALIGN[align]
            dx = (w - self.c_margin - width if align == "R"
                  else (w - width) / 2 if align == "C" else self.c_margin)
            baseline = self.h - self.y - 0.5 * h - 0.3 * size
            out = [f"BT {(self.x + dx) * k:.2f} {baseline * k:.2f} Td"]
            recolored = self.text_color != self.fill_color   # as fpdf2: color inside q … Q
            if recolored:
                out.append(self.text_color.serialize().lower())
            if not self.current_font_is_set_on_page:
                self._out(self._set_font_for_page(font, self.font_size_pt))
            pick = font.subset.pick
            glyphs = "".join(chr(g) for g in map(pick, map(ord, text)) if g)
            out.append(f"({font.escape_text(glyphs)}) Tj ET")
            line = " ".join(out)
            self._out(f"q {line} Q" if recolored else line)
        self._lasth = h
        if new_x == "RIGHT":
            self.x += w
        elif new_x == "LMARGIN":
            self.x = self.l_margin
        if new_y == "NEXT":
            self.y += h
        return broke

    def text_lines(self, w: float, h: float, text: str, align: str = "L") -> int:
        """Print ``text`` wrapped in ``w`` from the current x, y (as multi_cell); return lines.

        Leaves x where it started and y below the last line; breaks pages like multi_cell.
        """
        x = self.x
        lines = self.wrap(w, text)
        for line in lines:
            if self.auto_page_break and not self.in_footer and self.will_page_break(h):
                self.add_page()
            self.x = x
            self.cell(w, h, line, align=align)
            self.x, self.y = x, self.y + h
        return len(lines)

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
        # White under the bars and quiet zones, even over the EXERCICE watermark.
        with self.local_context(fill_color=255):
            self.rect(x, y, code.width, code.height, style="F")
        # The SVG's bars as raw filled rectangles: same geometry, but ~50x cheaper than
        # fpdf2's SVG path (which deep-copies the whole path on every page).
        k, top = self.k, self.h - y
        ops = " ".join(f"{(x + bx) * k:.2f} {(top - by) * k:.2f} {bw * k:.2f} {-bh * k:.2f} re"
                       for bx, by, bw, bh in code.bars)
        self._out(f"q 0 g {ops} f Q")
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

    def output_bytes(self) -> bytes:
        """The finished PDF."""
        self.end_document()
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
                self.text_lines(text_w, 5, text)
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
