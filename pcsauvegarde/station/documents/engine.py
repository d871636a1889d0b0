"""fpdf2 as the station's documents need it: DejaVu parsed once, plain text written directly.

fpdf2 is general (markdown, shaping, fallback fonts); our documents draw thousands of
one-style lines. These overrides keep fpdf2's results (same line breaks, same bytes: tested)
at a fraction of the cost, and deflate finished pages so memory grows by compressed bytes.
"""

from __future__ import annotations

import copy
import functools
import io
import zlib
from pathlib import Path
from typing import Any, cast

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer, PDFContentStream, PDFPage
from fpdf.syntax import Name

FAMILY = "DejaVu"
FONT_DIRS = (Path(__file__).resolve().parent / "fonts",
             Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
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


# What the station prints: Latin with every accent (INS identity traits are Latin-only),
# Greek (µ, Δ), punctuation, arrows, maths, ✓ ✗ ⚠ ☐. Arabic, Cyrillic… are left out of the
# embedded font: subsetting 6,000 glyphs per document cost ~150 ms, 1,000 glyphs ~20 ms.
UNICODE_RANGES = ((0x20, 0x24F), (0x2B0, 0x3FF), (0x1E00, 0x1EFF), (0x2000, 0x22FF),
                  (0x2460, 0x24FF), (0x2500, 0x27BF))


def preload_fonts() -> None:
    """Parse the fonts now (PDF worker start-up) rather than on the first document."""
    for style, path in font_files().items():
        _parsed_font(str(path), style)


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


_ALIGN = {"L": "L", "": "L", "C": "C", "R": "R"}
_NEW_X = ("RIGHT", "LEFT", "LMARGIN")


class EnginePDF(FPDF):
    """FPDF with DejaVu cached per process, direct plain text and pages deflated when done."""

    FAST_TEXT = True   # False: every cell through fpdf2 (tests compare the bytes)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._font_files = font_files()
        self._deflated: set[int] = set()   # pages whose contents are already zlib-compressed

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

    def _plain_font(self) -> TTFFont | None:
        """The current font when text is plain (one TTF style, no shaping), else None."""
        font = self.current_font
        if (isinstance(font, TTFFont) and not self.text_shaping
                and self.font_stretching == 100 and not self.char_spacing):
            return font
        return None

    def get_string_width(self, s: str, normalized: bool = False,
                         markdown: bool = False) -> float:
        """Width of ``s`` in mm with the current font (fpdf2's own result, computed directly)."""
        font = self._plain_font()
        if markdown or font is None:
            return super().get_string_width(s, normalized, markdown)
        cw = font.cw
        return sum(map(cw.__getitem__, map(ord, s))) * self.font_size_pt * 0.001 / self.k

    def wrap(self, w: float, text: str) -> list[str]:
        """The lines ``multi_cell(w, …, text)`` would print with the current font (no markdown)."""
        font = self._plain_font()
        if font is None:  # output="LINES": the list of lines (fpdf2 types every output kind)
            return cast(list[str], self.multi_cell(w, 4, text, dry_run=True, output="LINES",
                                                   padding=0))
        cw = font.cw
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
                or (font := self._plain_font()) is None or self.underline or self.strikethrough
                or self.text_mode != TextMode.FILL or self._record_text_quad_points
                or self._fallback_font_ids or (self.str_alias_nb_pages or "\0") in text):
            kwargs.update(align=align, new_x=new_x, new_y=new_y)
            return super().cell(w, h, text, border, *args, **kwargs)
        if not self.page:
            return super().cell(w, h, text)   # raises: no page open
        broke = self._perform_page_break_if_need_be(h)
        if w == 0:
            w = self.w - self.r_margin - self.x
        if text:
            k, size = self.k, self.font_size
            width = self.get_string_width(text)
            align = _ALIGN[align]
            dx = (w - self.c_margin - width if align == "R"
                  else (w - width) / 2 if align == "C" else self.c_margin)
            baseline = self.h - self.y - 0.5 * h - 0.3 * size
            out = [f"BT {(self.x + dx) * k:.2f} {baseline * k:.2f} Td"]
            color = self.text_color
            recolored = color != self.fill_color   # as fpdf2: color inside q … Q
            if recolored and color is not None:
                out.append(color.serialize().lower())
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

    # ---- pages deflated as soon as they are finished -------------------------------------

    def _render_footer(self) -> None:
        super()._render_footer()
        self._deflate(self.page)

    def _deflate(self, number: int) -> None:
        """Compress a finished page (a label page: ~24 kB of operators → ~4 kB)."""
        if number not in self._deflated:
            page = self.pages[number]
            page.contents = bytearray(zlib.compress(_operators(page)))
            self._deflated.add(number)

    def substitute(self, number: int, total: str) -> None:
        """Put ``total`` in the page's « {nb} » aliases now (fpdf2 puts the PDF's count)."""
        page = self.pages[number]
        items = page.get_text_substitutions()
        if not items:
            return
        deflated = number in self._deflated
        data = zlib.decompress(_operators(page)) if deflated else bytes(_operators(page))
        for item in items:
            data = data.replace(item.get_placeholder_string().encode("latin-1"),
                                item.render_text_substitution(total).encode("latin-1"))
        page.contents = bytearray(zlib.compress(data) if deflated else data)
        page._text_substitution_fragments.clear()  # the list get_text_substitutions shows

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """fpdf2's output; pages with aliases left MUST be substituted first (deflated)."""
        for number, page in self.pages.items():
            if page.get_text_substitutions():
                self.substitute(number, str(self.pages_count))
        kwargs["output_producer_class"] = _DeflatedPagesProducer
        return super().output(*args, **kwargs)


def _operators(page: PDFPage) -> bytearray:
    """A page's content operators, as fpdf2 keeps them until output."""
    if not isinstance(page.contents, bytearray):  # only after OutputProducer: not ours to touch
        raise TypeError(f"page contents already serialised ({type(page.contents).__name__})")
    return page.contents


class _DeflatedPagesProducer(OutputProducer):
    """fpdf2's producer, for pages whose contents EnginePDF has already compressed."""

    def _add_pages(self, _slice: slice = slice(0, None)) -> list:
        fpdf = self.fpdf
        if not isinstance(fpdf, EnginePDF):
            raise TypeError("_DeflatedPagesProducer serialises EnginePDF documents only")
        for number in fpdf.pages:
            fpdf._deflate(number)
        compress, fpdf.compress = fpdf.compress, False    # not twice
        try:
            page_objs = super()._add_pages(_slice)
        finally:
            fpdf.compress = compress
        for page in page_objs:
            if not isinstance(page.contents, PDFContentStream):  # what _add_pages makes
                raise TypeError(f"page contents not a stream ({type(page.contents).__name__})")
            page.contents.filter = Name("FlateDecode")
        return page_objs
