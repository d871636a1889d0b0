"""Time grids of the care documents: rows of orders or tasks × columns of clock blocks.

Each row has a description cell and, per block, a list of entries: a due time with a box to
initial, or what the record says happened. Rows never split across pages; the column headings
are repeated on every page. Times are printed as text (readable back from the PDF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.fmt import PARIS

DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
ENTRY_H = 6.0        # one entry: a time and its box, or two lines of record
PAD = 1.0
PAST_FILL = 232      # blocks entirely before the extract: the record, not a worksheet


@dataclass(frozen=True)
class Block:
    """A column: [start, end) in UTC; ``past`` when it ends before the record's extract."""

    start: dt.datetime
    end: dt.datetime
    past: bool

    @property
    def day(self) -> str:
        local = self.start.astimezone(PARIS)
        return f"{DAYS[local.weekday()]} {local:%d/%m}"

    @property
    def hours(self) -> str:
        a = self.start.astimezone(PARIS).hour
        b = self.end.astimezone(PARIS).hour or 24
        return f"{a}–{b} h"


@dataclass(frozen=True)
class Entry:
    """One mark in a block: ``box`` (to initial) or a recorded event with a symbol."""

    time: str                # « 08:00 »
    symbol: str = ""         # ✓ ✗ ? (empty with box)
    detail: str = ""         # « 40 mg · M. Dupont » / « non tracé »
    box: bool = False
    bold: bool = False


@dataclass
class GridRow:
    """A description (lines of text, style, size) and one list of entries per block."""

    lines: list[tuple[str, str, float]]
    cells: list[list[Entry]]
    min_h: float = 11.0
    writable: bool = False   # blank row: light rules to write on
    extra: dict = field(default_factory=dict)


def blocks(start: dt.datetime, end: dt.datetime, hours: int,
           boundary: dt.datetime) -> list[Block]:
    """Local wall-clock blocks of ``hours`` covering [start, end) (hours MUST divide 24)."""
    local = start.astimezone(PARIS)
    day = local.date()
    h = local.hour - local.hour % hours
    out: list[Block] = []
    while True:
        a = dt.datetime.combine(day, dt.time(h), PARIS).astimezone(dt.UTC)
        h += hours
        if h >= 24:
            day, h = day + dt.timedelta(days=1), 0
        b = dt.datetime.combine(day, dt.time(h), PARIS).astimezone(dt.UTC)
        if a >= end:
            return out
        out.append(Block(a, b, b <= boundary))


def place(blocks_: list[Block], instants: list[tuple[dt.datetime, Entry]]) -> list[list[Entry]]:
    """Distribute (instant, entry) into the blocks' cells, in time order."""
    cells: list[list[Entry]] = [[] for _ in blocks_]
    for at, entry in sorted(instants, key=lambda x: x[0]):
        for i, b in enumerate(blocks_):
            if b.start <= at < b.end:
                cells[i].append(entry)
                break
    return cells


class Grid:
    """Draws rows on a DocumentPDF; call ``row`` for each row, ``heading`` for a section."""

    def __init__(self, pdf: DocumentPDF, blocks_: list[Block], desc_title: str,
                 desc_w: float = 62.0) -> None:
        self.pdf, self.blocks, self.desc_title = pdf, blocks_, desc_title
        self.desc_w = desc_w
        self.col_w = (pdf.epw - desc_w) / max(len(blocks_), 1)
        self._page = -1

    def _x(self, i: int) -> float:
        return MARGIN + self.desc_w + i * self.col_w

    def header(self) -> None:
        """Two heading rows: days spanning their blocks, then each block's hours."""
        pdf = self.pdf
        y = pdf.y
        pdf.set_line_width(0.2)
        pdf.set_fill_color(225)
        pdf.rect(MARGIN, y, self.desc_w, 9, "DF")
        pdf.set_xy(MARGIN + PAD, y + 2)
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(self.desc_w - 2 * PAD, 5, self.desc_title)
        i = 0
        while i < len(self.blocks):
            j = i
            while j + 1 < len(self.blocks) and self.blocks[j + 1].day == self.blocks[i].day:
                j += 1
            x, w = self._x(i), self.col_w * (j - i + 1)
            pdf.set_fill_color(PAST_FILL if self.blocks[j].past else 225)
            pdf.rect(x, y, w, 4.5, "DF")
            pdf.set_xy(x, y + 0.3)
            pdf.fit_cell(w, 4, self.blocks[i].day, "B", 8.5, align="C")
            i = j + 1
        for i, b in enumerate(self.blocks):
            pdf.set_fill_color(PAST_FILL if b.past else 245)
            pdf.rect(self._x(i), y + 4.5, self.col_w, 4.5, "DF")
            pdf.set_xy(self._x(i), y + 4.8)
            pdf.fit_cell(self.col_w, 4, b.hours, "", 8, align="C")
        self._boundary_line(y + 4.5, 4.5)
        pdf.set_xy(MARGIN, y + 9)
        self._page = pdf.page

    def _boundary_line(self, y: float, h: float) -> None:
        """A heavy rule between the record (left) and the worksheet (right)."""
        first_open = next((i for i, b in enumerate(self.blocks) if not b.past), None)
        if first_open:
            self.pdf.set_line_width(0.8)
            self.pdf.line(self._x(first_open), y, self._x(first_open), y + h)
            self.pdf.set_line_width(0.2)

    def heading(self, title: str, note: str = "") -> None:
        """A section title kept with the grid heading and at least one row."""
        pdf = self.pdf
        pdf.ensure_space(30)
        pdf.ln(1)
        pdf.set_x(MARGIN)
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(pdf.epw * 0.4, 6, title)
        if note:
            pdf.set_text_color(*GREY)
            pdf.fit_cell(pdf.epw * 0.6, 6, note, "", 8, align="R")
            pdf.set_text_color(*INK)
        pdf.ln(6)
        self.header()

    def height(self, row: GridRow) -> float:
        text_h = 2 * PAD
        for text, style, size in row.lines:
            text_h += self._line_count(text, style.replace("I", ""), size) * size * 0.45
        grid_h = max((len(c) for c in row.cells), default=0) * ENTRY_H + 2 * PAD
        return max(row.min_h, text_h, grid_h)

    def _line_count(self, text: str, style: str, size: float) -> int:
        """Lines a description text takes."""
        self.pdf.set_font(FAMILY, style, size)
        return len(self.pdf.wrap(self.desc_w - 2 * PAD, text))

    def row(self, row: GridRow) -> None:
        pdf = self.pdf
        h = self.height(row)
        if pdf.will_page_break(h) or self._page != pdf.page:
            if pdf.will_page_break(h):
                pdf.add_page()
            self.header()
        y = pdf.y
        pdf.set_line_width(0.2)
        pdf.rect(MARGIN, y, self.desc_w, h)
        ty = y + PAD
        for text, style, size in row.lines:
            style, grey = ("", True) if style == "I" else (style, False)
            pdf.set_font(FAMILY, style, size)
            pdf.set_text_color(*(GREY if grey else INK))
            pdf.set_xy(MARGIN + PAD, ty)
            pdf.text_lines(self.desc_w - 2 * PAD, size * 0.45, text)
            ty = pdf.get_y()
        pdf.set_text_color(*INK)
        for i, (b, entries) in enumerate(zip(self.blocks, row.cells, strict=True)):
            x = self._x(i)
            if b.past:
                pdf.set_fill_color(PAST_FILL + 12)
                pdf.rect(x, y, self.col_w, h, "DF")
            else:
                pdf.rect(x, y, self.col_w, h)
            if row.writable:
                self._rules(x, y, h)
            for k, e in enumerate(entries):
                self._entry(e, x, y + PAD + k * ENTRY_H)
        self._boundary_line(y, h)
        pdf.set_xy(MARGIN, y + h)

    def _rules(self, x: float, y: float, h: float) -> None:
        pdf = self.pdf
        pdf.set_draw_color(200)
        yy = y + 5.5
        while yy < y + h - 1:
            pdf.line(x + 1, yy, x + self.col_w - 1, yy)
            yy += 5.5
        pdf.set_draw_color(0)

    def _entry(self, e: Entry, x: float, y: float) -> None:
        pdf, w = self.pdf, self.col_w
        if e.box:
            box = min(4.5, w * 0.3)
            pdf.set_xy(x, y + 0.6)
            pdf.fit_cell(w - box - 0.6, 4.5, e.time, "B", 9, min_size=6.5)
            pdf.set_line_width(0.3)
            pdf.rect(x + w - box - 0.8, y + 0.2, box, ENTRY_H - 0.9)
            pdf.set_line_width(0.2)
            return
        pdf.set_xy(x + 0.3, y)
        pdf.fit_cell(w - 0.6, 3, f"{e.symbol} {e.time}".strip(), "B", 7.5, min_size=5.5)
        pdf.set_xy(x + 0.3, y + 2.9)
        pdf.fit_cell(w - 0.6, 2.8, e.detail, "B" if e.bold else "", 6.5, min_size=5)


BLOCK_HOURS = (2, 3, 4, 6, 8, 12)  # divisors of 24: every day starts a block


def check_block_hours(t) -> int:
    """The template's ``window.block_hours``, refused (file and key named) unless it divides 24."""
    from pcsauvegarde.station.documents.templates import TemplateError

    value = t.number("window.block_hours", 1, 12)
    if value not in BLOCK_HOURS:
        raise TemplateError(f"{t.path} : clé « window.block_hours » : "
                            f"{', '.join(map(str, BLOCK_HOURS))} attendu (diviseur de 24)")
    return value
