"""The identity band at the top of every page of a patient document, and what it is made of:
text fitted to a width (shrink, then cut with a visible « … »), patient codes (Code 128, or QR
when a Code 128 would not fit) and the allergy line.

The layer of DocumentPDF between fpdf2 (engine.py) and the page layout (base.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pcsauvegarde.station.documents import identity
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.barcodes import (
    MODULE_WIDTH_MM,
    code128,
    code128_width,
    fits_code128,
    module_bars,
    qr_code,
)
from pcsauvegarde.station.documents.engine import FAMILY, EnginePDF
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.documents.ink import ALLERGY_RED, INK, UNKNOWN_INK, WHITE

if TYPE_CHECKING:

    from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
    from pcsauvegarde.station.documents.templates import Template

_TOKENS = re.compile(r"[^\s-]*-+|[^\s-]+|\s+")   # words (with their hyphens), blanks
CUT = "…"                 # marks a text cut to fit: a reader knows something is missing
MIN_PT = 7.0              # nothing printed smaller (paper rule)
ALLERGY_LINES = 3         # lines of allergies in the band before « … et N autres »
BAND_CODE_MAX_W = 62.0    # a Code 128 wider than this leaves too little room: QR instead
QR_MODULE = 0.5           # mm: 6 dots at 300 dpi


class BandPDF(EnginePDF):
    """Identity band, fitted text and patient codes: the layer under DocumentPDF."""

    ctx: DocumentContext

    # ---- text that always fits ------------------------------------------------------------

    def fitted(self, w: float, text: str, style: str = "", size: float = 9,
               min_size: float = MIN_PT) -> tuple[str, float]:
        """``text`` and the size at which it fits ``w`` (cell margins included): shrunk down
        to ``min_size``, then cut with « … » at the end (sets that font)."""
        room = w - 2 * self.c_margin
        self.set_font(FAMILY, style, size)
        while size > min_size and self.get_string_width(text) > room:
            size = max(size - 0.5, min_size)
            self.set_font(FAMILY, style, size)
        if self.get_string_width(text) <= room:
            return text, size
        cut = len(text)
        while cut > 1 and self.get_string_width(text[:cut].rstrip() + CUT) > room:
            cut -= 1
        return text[:cut].rstrip() + CUT, size

    def fit_cell(self, w: float, h: float, text: str, style: str = "", size: float = 9,
                 align: str = "L", min_size: float = MIN_PT) -> None:
        """One-line cell that never overflows: shrunk to ``min_size``, then cut with « … »."""
        text, size = self.fitted(w, text, style, size, min_size)
        self.cell(w, h, text, align=align)

    def fit_lines(self, w: float, text: str, style: str, size: float, max_lines: int,
                  min_size: float = MIN_PT) -> tuple[list[str], float]:
        """``text`` wrapped in ``w`` in at most ``max_lines`` lines: shrunk first, then the
        last line cut with « … »."""
        while True:
            self.set_font(FAMILY, style, size)
            lines = self.wrap(w, text)
            if len(lines) <= max_lines or size <= min_size:
                break
            size = max(size - 0.5, min_size)
        if len(lines) > max_lines:
            last, _ = self.fitted(w, " ".join(lines[max_lines - 1:]), style, size, size)
            lines = [*lines[:max_lines - 1], last]
        return lines, size

    def identifier_lines(self, w: float, text: str) -> list[str]:
        """An identifier (document number, IPP) in lines of ``w`` with the current font:
        broken after its own hyphens when it can, else between characters, never with an
        added hyphen, which would read as part of the identifier."""
        room = w - 2 * self.c_margin + 1e-6
        lines: list[str] = []
        line = ""
        for ch in text:
            if line and self.get_string_width(line + ch) > room:
                cut = line.rfind("-") + 1
                if 1 < cut < len(line):
                    lines.append(line[:cut])
                    line = line[cut:]
                else:
                    lines.append(line)
                    line = ""
            line += ch
        lines.append(line)
        return lines

    def wrap_words(self, w: float, text: str) -> list[str]:
        """``text`` in lines of ``w`` (cell margins included) with the current font, broken at
        spaces and after hyphens only; a word wider than ``w`` is broken with a hyphen."""
        room = w - 2 * self.c_margin + 1e-6
        width = self.get_string_width
        lines: list[str] = []
        paragraphs = text.split("\n")
        if len(paragraphs) > 1 and not paragraphs[-1]:   # a final newline adds no line
            paragraphs.pop()
        for para in paragraphs:
            line = ""
            for token in _TOKENS.findall(para):
                if token.isspace():
                    line += " " if line and not line.endswith(" ") else ""
                    continue
                if width(line + token) <= room:
                    line += token
                    continue
                if line.strip():
                    lines.append(line.rstrip())
                while width(token) > room and len(token) > 1:
                    cut = len(token) - 1
                    while cut > 1 and width(token[:cut] + "-") > room:
                        cut -= 1
                    lines.append(token[:cut] + "-")
                    token = token[cut:]
                line = token
            lines.append(line.rstrip())
        return lines

    # ---- codes ------------------------------------------------------------------------------

    def barcode(self, value: str, x: float, y: float, bar_height: float = 8.0) -> float:
        """Draw ``value`` as a vector Code 128 at its natural size; return its width in mm."""
        code = code128(value, bar_height)
        k, top = self.k, self.h - y
        # White under the bars and quiet zones, even over the EXERCICE watermark; then the
        # bars, in module units under a scaling matrix: exact module widths, and a third of
        # the bytes of one rectangle in mm per bar (barcodes are most of a label page).
        white = f"{x * k:.2f} {top * k:.2f} {code.width * k:.2f} {-code.height * k:.2f} re f"
        bars = module_bars(value, bar_height)
        if bars is None:    # pragma: no cover - bars of unequal height: plain rectangles
            bars = " ".join(f"{(x + bx) * k:.2f} {(top - by) * k:.2f} {bw * k:.2f} "
                            f"{-bh * k:.2f} re" for bx, by, bw, bh in code.bars)
            self._out(f"q 1 g {white} 0 g {bars} f Q")
        else:
            matrix = (f"{MODULE_WIDTH_MM * k:.5f} 0 0 {-code.height * k:.4f} "
                      f"{x * k:.3f} {top * k:.3f}")
            self._out(f"q 1 g {white} 0 g {matrix} cm {bars} f Q")
        return code.width


    def code_size(self, value: str, max_width: float, bar_height: float,
                  module: float = QR_MODULE) -> tuple[float, float]:
        """Width and height of :meth:`patient_code` for ``value`` (nothing drawn)."""
        if fits_code128(value, max_width):
            return code128_width(value), bar_height
        side = qr_code(value, module).side
        return side, side

    def patient_code(self, value: str, x: float, y: float, max_width: float,
                     bar_height: float, module: float = QR_MODULE) -> tuple[float, float]:
        """``value`` as Code 128 when it fits ``max_width`` mm, else as a QR code of ``module``
        mm; return the printed width and height (quiet zones included)."""
        if fits_code128(value, max_width):
            return self.barcode(value, x, y, bar_height), bar_height
        return self.qr(value, x, y, module)

    def qr(self, value: str, x: float, y: float, module: float = QR_MODULE) -> tuple[float, float]:
        """A vector QR code with its quiet zone from (x, y); return its width and height."""
        code = qr_code(value, module)
        k, top, side = self.k, self.h - y, code.side
        quiet = 4 * module
        white = f"{x * k:.2f} {top * k:.2f} {side * k:.2f} {-side * k:.2f} re f"
        runs = " ".join(f"{c} {r} {n} 1 re" for r, c, n in code.runs)
        matrix = (f"{module * k:.4f} 0 0 {-module * k:.4f} "
                  f"{(x + quiet) * k:.3f} {(top - quiet) * k:.3f}")
        self._out(f"q 1 g {white} 0 g {matrix} cm {runs} f Q")
        return side, side

    # ---- the band ---------------------------------------------------------------------------

    def _identity_band(self, file: PatientFile, top: float) -> float:
        """Draw the identity band from ``top``; return its bottom y."""
        from pcsauvegarde.station.documents.base import MARGIN

        t = self.identity_texts
        p = file.patient
        who = identity.identity_lines(t, p, file.stay, unit_name=file.unit_name,
                                      today=to_local(self.ctx.printed_at).date(),
                                      provisional=file.provisional)
        code_w, code_h = self.code_size(p.id, BAND_CODE_MAX_W, 9.0)
        text_w = self.epw - code_w - 6
        x = MARGIN + 2
        y = top + 1.5
        names, size = self.fit_lines(text_w, who.names, "B", 12, 2, min_size=9)
        for line in names:
            self.set_xy(x, y)
            self.cell(text_w, size * 0.45, line)
            y += size * 0.45
        born = "   ".join(v for v in (f"{who.birth} {who.age}".strip(), who.sex) if v)
        lines = [(who.used, "", 9), (born, "", 9)]
        ids = [v for v in (who.ipp, who.nda, who.ins) if v]
        self.set_font(FAMILY, "B", 9)
        if self.get_string_width("   ".join(ids)) <= text_w - 2 * self.c_margin:
            lines.append(("   ".join(ids), "B", 9))
        else:   # long identifiers: one a line, each shrunk then cut (the code holds it whole)
            lines += [(v, "B", 9) for v in ids]
        lines.append((who.where, "", 9))
        for text, style, size in lines:
            if text:
                self.set_xy(x, y)
                self.fit_cell(text_w, 4.4, text, style, size)
                y += 4.4
        for warning in (who.deceased, who.discharged, who.provisional):
            if warning:
                y = self._warning(warning, x, y, text_w)
        bx = self.w - MARGIN - code_w - 2
        self.patient_code(p.id, bx, top + 1.5, BAND_CODE_MAX_W, 9.0)
        self.set_xy(bx, top + 2 + code_h)
        self.fit_cell(code_w, 3.5, t.text("identity.ipp", ipp=p.id), "", 8)
        strip = max(y, top + code_h + 6) + 0.5
        self.set_line_width(0.2)
        self.line(MARGIN, strip, self.w - MARGIN, strip)
        bottom = self.allergy_strip(file, x, strip + 1, self.epw - 4) + 1
        self.set_line_width(0.5)
        self.rect(MARGIN, top, self.epw, bottom - top)
        return bottom

    def _warning(self, text: str, x: float, y: float, w: float) -> float:
        """White on red, bold: a fact that changes what may be done (deceased, provisional)."""
        text, _ = self.fitted(w, text, "B", 10)
        tw = min(self.get_string_width(text) + 2 * self.c_margin + 0.5, w)
        self.set_fill_color(*ALLERGY_RED)
        self.rect(x, y + 0.3, tw, 5, style="F")
        self.set_text_color(*WHITE)
        self.set_xy(x, y + 0.3)
        self.cell(tw, 5, text)
        self.set_text_color(*INK)
        return y + 5.8

    def allergy_strip(self, file: PatientFile, x: float, y: float, w: float) -> float:
        """The patient's allergies from (x, y) over ``w``: red and bold, anaphylaxis on red,
        or the absence statement; at most ALLERGY_LINES lines. Return the bottom y."""
        t = self.identity_texts
        state = allergy_state(file.allergies)
        if not state.current:
            self.set_text_color(*(INK if state.informed else UNKNOWN_INK))
            self.set_xy(x, y)
            self.fit_cell(w, 5, absence_text(state, t), "B", 10)
            self.set_text_color(*INK)
            return y + 5
        bottom = y + 5
        if state.anaphylaxis:
            tag = t.text("allergies.anaphylaxis")
            self.set_font(FAMILY, "B", 10)
            tag_w = self.get_string_width(tag) + 2 * self.c_margin + 0.5
            self.set_fill_color(*ALLERGY_RED)
            self.rect(x, y + 0.2, tag_w, 4.8, style="F")
            self.set_text_color(*WHITE)
            self.set_xy(x, y + 0.1)
            self.cell(tag_w, 5, tag)
            x, w = x + tag_w + 1.5, w - tag_w - 1.5
        lines, size = self._fit_allergies([describe(a, t) for a in state.current], t, w)
        self.set_text_color(*ALLERGY_RED)
        self.set_font(FAMILY, "B", size)
        h = size * 0.45
        for line in lines:
            self.set_xy(x, y)
            self.cell(w, h, line)
            y += h
        self.set_text_color(*INK)
        return max(y, bottom)

    def _fit_allergies(self, items: list[str], t: Template, w: float) -> tuple[list[str], float]:
        """The band's allergy lines and font size: every allergy at the largest size that fits
        ALLERGY_LINES lines (10 down to 7 pt), else the first ones and « … et N autres »."""
        for size in (10.0, 9.0, 8.0, MIN_PT):
            self.set_font(FAMILY, "B", size)
            lines = self.wrap(w, t.text("allergies.present", list=" · ".join(items)))
            if len(lines) <= ALLERGY_LINES:
                return lines, size
        for keep in range(len(items) - 1, 0, -1):
            text = (t.text("allergies.present", list=" · ".join(items[:keep])) + " "
                    + t.text("allergies.more", count=len(items) - keep))
            lines = self.wrap(w, text)
            if len(lines) <= ALLERGY_LINES:
                return lines, MIN_PT
        return self.fit_lines(w, text, "B", MIN_PT, ALLERGY_LINES)

    @property
    def identity_texts(self) -> Template:
        """The identity band's texts (printtemplates/identity.toml)."""
        return identity.load(self.ctx.templates_dir)
