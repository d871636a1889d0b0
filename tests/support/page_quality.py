"""Page quality of a rendered PDF, read the way a nurse reads it (issue 10, « How it is checked »).

    from tests.support.page_quality import assert_page_quality
    assert_page_quality(pdf_bytes, allergies=True, barcodes={ipp, nda, number})

checks, on every page: the smallest font size (≥ 7 pt); that no word runs out of the box it
starts in (table cell, band, label: the smallest drawn rectangle around it; else the page's
printable width); that no page ends on a section title or a table heading with nothing under
it; that no word is broken across lines without a hyphen; that the allergy line is there
(patient documents); and that every expected barcode decodes. It returns nothing and raises
AssertionError listing every problem with its page.

Built on pdfplumber (pdfminer.six): unlike pypdf's text, it gives every character's box,
font and fill colour, and the page's rectangles.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pdfplumber
import pypdfium2
import zxingcpp

MIN_PT = 7.0
TOLERANCE = 0.6          # pt: rounding of positions and glyph side bearings
FOOTER_PT = 24 * 72 / 25.4   # the page footer's reserved height (documents/base.py FOOTER_H)
HEADING_FILL = 225 / 255     # table and grid headings (documents/table.py HEAD_FILL)
ALLERGY_WORDS = ("ALLERGIES :", "Aucune allergie", "Allergies : non renseignées")
_LETTER = re.compile(r"[^\W\d_]$")    # ends with a letter
_STARTS = re.compile(r"^[^\W\d_]")    # starts with a letter


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


@dataclass(frozen=True)
class Box:
    x0: float
    x1: float
    top: float
    bottom: float
    heading: bool      # filled like a table or grid heading

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    boxes: tuple[Box, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _words(page, number: int) -> list[Word]:
    found = page.extract_words(x_tolerance=1.5, keep_blank_chars=False, use_text_flow=True,
                               extra_attrs=["fontname", "size", "non_stroking_color"])
    out = []
    for w in found:
        color = w.get("non_stroking_color") or (0,)
        if isinstance(color, (int, float)):
            color = (color,)
        out.append(Word(number, w["text"], w["x0"], w["x1"], w["top"], w["bottom"],
                        round(float(w["size"]), 2), w["fontname"],
                        tuple(float(v) for v in color)))
    return out


def _boxes(page) -> list[Box]:
    out = []
    for r in page.rects:
        # Bars of a barcode and QR modules are no boxes for text.
        if r["x1"] - r["x0"] < 8 or r["bottom"] - r["top"] < 6:
            continue
        fill = r.get("non_stroking_color")
        heading = bool(r.get("fill")) and isinstance(fill, (int, float, tuple, list)) and (
            abs((fill if isinstance(fill, (int, float)) else (fill[0] if fill else 0))
                - HEADING_FILL) < 0.02)
        out.append(Box(r["x0"], r["x1"], r["top"], r["bottom"], heading))
    return out


def pages(pdf: bytes) -> list[Page]:
    """Every page's words and rectangles."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [Page(i, float(p.width), float(p.height), tuple(_words(p, i)), tuple(_boxes(p)))
                for i, p in enumerate(doc.pages)]


def words(pdf: bytes) -> list[Word]:
    """Every word of every page."""
    return [w for p in pages(pdf) for w in p.words]


def page_count(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def decoded(pdf: bytes, dpi: int = 300) -> list[set[str]]:
    """What zxing-cpp decodes on each page (Code 128, QR…), rendered at ``dpi``."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [{b.text for b in zxingcpp.read_barcodes(doc[i].render(scale=dpi / 72).to_pil())}
                for i in range(len(doc))]
    finally:
        doc.close()


# ---- the checks -----------------------------------------------------------------------------

def _box_of(page: Page, w: Word) -> Box | None:
    """The smallest drawn box around the word's first character."""
    x, y = w.x0 + min(2.0, (w.x1 - w.x0) / 2), (w.top + w.bottom) / 2
    holding = [b for b in page.boxes if b.holds(x, y)]
    return min(holding, key=lambda b: (b.x1 - b.x0) * (b.bottom - b.top), default=None)


def small_text(page: Page, min_pt: float = MIN_PT) -> list[str]:
    return [f"page {page.number + 1} : « {w.text} » en {w.size:g} pt (< {min_pt:g} pt)"
            for w in page.words if w.size < min_pt - 0.01]


def overflows(page: Page) -> list[str]:
    out = []
    for w in page.words:
        box = _box_of(page, w)
        left, right = (box.x0, box.x1) if box else (0.0, page.width)
        if w.x1 > right + TOLERANCE or w.x0 < left - TOLERANCE:
            where = "sa case" if box else "la page"
            out.append(f"page {page.number + 1} : « {w.text} » dépasse de {where} "
                       f"({w.x0:.1f}–{w.x1:.1f} pt pour {left:.1f}–{right:.1f})")
    return out


def _lines(ws: Iterable[Word]) -> list[list[Word]]:
    """Words grouped in lines (same top within 1.5 pt), top to bottom, left to right."""
    lines: list[list[Word]] = []
    for w in sorted(ws, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - w.top) < 1.5:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def orphan_headings(page: Page, last_page: bool) -> list[str]:
    """A page (not the last) whose body ends on a section title or a table heading."""
    if last_page:
        return []
    body = [w for w in page.words if w.bottom < page.height - FOOTER_PT]
    lines = _lines(body)
    if not lines:
        return []
    last = lines[-1]
    title = all(w.bold and w.size >= 10.5 for w in last)
    heading = all((b := _box_of(page, w)) is not None and b.heading for w in last)
    if title or heading:
        what = "titre de section" if title else "en-tête de tableau"
        return [(f"page {page.number + 1} : se termine sur un {what} sans ligne dessous : "
                f"« {' '.join(w.text for w in last)} »")]
    return []


def broken_words(page: Page) -> list[str]:
    """A line that ends mid-word against its box's edge, the word going on below, no hyphen."""
    out = []
    by_box: dict[tuple, list[Word]] = {}
    for w in page.words:
        box = _box_of(page, w)
        key = (box.x0, box.x1, box.top, box.bottom) if box else (0.0, page.width, 0.0, 0.0)
        by_box.setdefault(key, []).append(w)
    for (x0, x1, _, _), ws in by_box.items():
        lines = _lines(ws)
        for above, below in itertools.pairwise(lines):
            end, start = above[-1], below[0]
            if not (0 < start.top - end.top < end.size * 1.6 and abs(start.x0 - above[0].x0) < 2):
                continue
            # A word too wide for its line starts a line of its own (the line before broke at
            # a space) and is cut where the room ends: a line of one word, letter | letter.
            if len(above) != 1 or not (_LETTER.search(end.text) and _STARTS.match(start.text)):
                continue
            # Text is padded alike on both sides: the room ends where the left padding says.
            # A word cut by force fills the line to within a character of that edge.
            room_end = x1 - (above[0].x0 - x0)
            if room_end - end.x1 < start.size * 0.5:
                out.append(f"page {page.number + 1} : mot coupé sans trait d'union : "
                           f"« {end.text} » / « {start.text} »")
    return out


def missing_allergies(page: Page) -> list[str]:
    text = page.text
    if any(word in text for word in ALLERGY_WORDS):
        return []
    return [(f"page {page.number + 1} : ni allergies ni « Aucune allergie connue » / "
            "« Allergies : non renseignées »")]


def problems(pdf: bytes, *, allergies: bool, barcodes: Iterable[str] = (),
             min_pt: float = MIN_PT, allergy_pages: Iterable[int] | None = None) -> list[str]:
    """Every quality problem of ``pdf`` (empty: the pages pass).

    ``allergies``: the document concerns a patient (every page MUST carry the allergy line,
    or only ``allergy_pages``); ``barcodes``: values that MUST each decode on some page.
    """
    found = pages(pdf)
    out: list[str] = []
    wanted = set(range(len(found))) if allergy_pages is None else set(allergy_pages)
    for page in found:
        out += small_text(page, min_pt)
        out += overflows(page)
        out += orphan_headings(page, page.number == len(found) - 1)
        out += broken_words(page)
        if allergies and page.number in wanted:
            out += missing_allergies(page)
    expected = set(barcodes)
    if expected:
        seen = _decode_until(pdf, expected)
        out += [f"code « {v} » illisible (décodés : {sorted(seen)})" for v in expected - seen]
    return out


def _decode_until(pdf: bytes, expected: set[str], dpi: int = 300) -> set[str]:
    """Decode pages in order until every expected value is seen (rendering is the cost)."""
    seen: set[str] = set()
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            image = doc[i].render(scale=dpi / 72).to_pil()
            seen |= {b.text for b in zxingcpp.read_barcodes(image)}
            if expected <= seen:
                break
    finally:
        doc.close()
    return seen


def assert_page_quality(pdf: bytes, **checks) -> None:
    """Raise AssertionError naming every problem :func:`problems` finds."""
    found = problems(pdf, **checks)
    assert not found, "qualité de page :\n" + "\n".join(found)
