"""Text measures for validating forms at load, with the fonts documents print with."""

from __future__ import annotations

from pcsauvegarde.station.documents.engine import FAMILY, EnginePDF


def _pdf() -> EnginePDF:
    # A fresh one per measure: set_font changes it, and forms may be loaded from two threads.
    pdf = EnginePDF(unit="mm", format="A4")
    pdf.add_page()
    return pdf


def widest_word(text: str, size: float, style: str = "") -> tuple[str, float]:
    """The widest word of ``text`` and the width in mm it needs at ``size`` (cell margins in)."""
    pdf = _pdf()
    pdf.set_font(FAMILY, style, size)
    words = text.split() or [""]
    word = max(words, key=pdf.get_string_width)
    return word, pdf.get_string_width(word) + 2 * pdf.c_margin


def lines_at(text: str, width: float, size: float, style: str = "") -> int:
    """How many lines ``text`` takes in ``width`` mm at ``size``."""
    pdf = _pdf()
    pdf.set_font(FAMILY, style, size)
    return len(pdf.wrap(width, text))


def line_width(text: str, size: float, style: str = "") -> float:
    """The width in mm ``text`` needs on one line at ``size`` (cell margins in)."""
    pdf = _pdf()
    pdf.set_font(FAMILY, style, size)
    return pdf.get_string_width(text) + 2 * pdf.c_margin
