"""Read a rendered PDF the way a nurse reads it: words with their size, weight, colour, place.

Built on pdfplumber (pdfminer.six): unlike pypdf's text, it gives every character's box,
font and fill colour, and the page's rectangles, which the quality checks below need.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber


@dataclass(frozen=True)
class Word:
    """A word as printed: page (0-based), text, box in points from the top-left, font."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    color: tuple[float, ...]

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def red(self) -> bool:
        """Red ink: a strong red component, little green and blue."""
        c = self.color
        return len(c) == 3 and c[0] > 0.5 and c[1] < 0.2 and c[2] < 0.2


def words(pdf: bytes) -> list[Word]:
    """Every word of every page, split where font, size or colour change."""
    out: list[Word] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True,
                                        extra_attrs=["fontname", "size", "non_stroking_color"]):
                color = w.get("non_stroking_color") or (0,)
                out.append(Word(number, w["text"], w["x0"], w["x1"], w["top"], w["bottom"],
                                round(float(w["size"]), 2), w["fontname"],
                                tuple(float(v) for v in color)))
    return out


def page_count(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)
