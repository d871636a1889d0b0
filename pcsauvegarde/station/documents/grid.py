"""Time grids of the care documents: rows of orders or tasks × columns of clock blocks.

Each row has a description cell and, per block, a list of entries: a due time with a box to
initial, or what the record says happened. Before the extract time the grid is grey (the
record); the heavy rule sits at the extract time itself, inside its block. Rows never split
across pages; a section title is never left without a row under it, and a section continued
on the next page repeats its title with « (suite) » and the column headings. Nothing is
printed under 7 pt: a trace too long for its cell wraps at spaces. Times are printed as text
(readable back from the PDF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.station.documents import gridcells, logblock
from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.documents.gridcells import RULE

DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
PAD = 1.0
TITLE_H = 7.0
HEADER_H = 9.0
SLIM_H = 5.0         # a compact section title band
PAST_FILL = 232      # before the extract: the record, not a worksheet
CONTINUED = " (suite)"


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
    detail: str = ""         # « 40 mg · MD » / « non tracé »
    box: bool = False
    bold: bool = False
    flag: str = ""           # printed bold under the detail: « ⚠ < 6 h après 15:21 »


@dataclass(frozen=True)
class Log:
    """A block to write in, per period of ``hours`` after the extract (rates, monitoring)."""

    columns: tuple[str, ...]   # short headings: « h », « débit », « visa »
    lines: int = 4
    hours: int = 12


@dataclass
class GridRow:
    """A description (lines of text, style, size) and one list of entries per block.

    Style « X » prints the line reversed (white on black): the mark of a continuous or
    protocol order. With ``log``, the blocks after the extract hold a writing block instead.
    """

    lines: list[tuple[str, str, float]]
    cells: list[list[Entry]]
    min_h: float = 11.0
    writable: bool = False   # light rules to write on, below any entry
    log: Log | None = None
    extra: dict = field(default_factory=dict)


def log_height(log: Log) -> float:
    """A writing block: its period, its column headings, then ``lines`` lines."""
    return 4.0 + 4.0 + log.lines * RULE + PAD


def blocks(start: dt.datetime, end: dt.datetime, hours: int,
           boundary: dt.datetime) -> list[Block]:
    """Whole local wall-clock blocks of ``hours`` covering [start, end) (hours MUST divide 24)."""
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
    """Draws sections of rows on a DocumentPDF: ``heading`` opens a section, ``row`` adds one."""

    def __init__(self, pdf: DocumentPDF, blocks_: list[Block], desc_title: str,
                 desc_w: float = 62.0, boundary: dt.datetime | None = None,
                 compact: bool = False) -> None:
        self.pdf, self.blocks, self.desc_title = pdf, blocks_, desc_title
        self.desc_w = desc_w
        self.col_w = (pdf.epw - desc_w) / max(len(blocks_), 1)
        self.boundary = boundary if boundary is not None else (
            blocks_[0].start if blocks_ else dt.datetime.min.replace(tzinfo=dt.UTC))
        self._page = -1
        self._section: tuple[str, str] = ("", "")
        self._pending = False    # a section title waiting for its first row
        self._header_page = -1   # the page whose column headings are drawn
        self.compact = compact

    def col_x(self, i: int) -> float:
        return MARGIN + self.desc_w + i * self.col_w

    def boundary_x(self) -> float | None:
        """Where the extract time falls across the blocks (None: outside them)."""
        for i, b in enumerate(self.blocks):
            if b.start <= self.boundary < b.end:
                return self.col_x(i) + self.col_w * ((self.boundary - b.start) / (b.end - b.start))
        return None

    def past_width(self, i: int) -> float:
        """Width of block ``i`` before the extract (grey)."""
        b = self.blocks[i]
        if b.end <= self.boundary:
            return self.col_w
        if b.start >= self.boundary:
            return 0.0
        return self.col_w * ((self.boundary - b.start) / (b.end - b.start))

    # ---- sections and headings ------------------------------------------------------------

    def heading(self, title: str, note: str = "") -> None:
        """Open a section: its title is drawn with, and never without, its first row."""
        self._section = (title, note)
        self._pending = True

    def note(self, text: str) -> None:
        """A line of text as the section's content (« Aucun traitement… »)."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "", 8.5)
        h = 4.5 * len(pdf.wrap(pdf.epw, text)) + 1
        self._place(h, with_header=False)
        pdf.paragraph(text, "", 8.5)
        pdf.ln(1)

    def fitting(self, row: GridRow, reserve: float = 0.0) -> int:
        """How many rows like ``row`` fit on this page (with the pending title and headings),
        leaving ``reserve`` mm free below them."""
        pdf = self.pdf
        room = pdf.page_break_trigger - pdf.y - reserve
        if self._pending and self.compact and self._header_page == pdf.page:
            room -= SLIM_H
        elif self._pending or self._page != pdf.page:
            room -= TITLE_H + HEADER_H
        return max(int(room // self.height(row)), 0)

    def _place(self, h: float, with_header: bool = True) -> None:
        """Break the page if needed, then draw the pending or continued title and heading.

        With ``compact``, a section starting on a page whose column headings are already
        drawn gets a slim title band instead of a title and headings of its own.
        """
        pdf = self.pdf
        head = HEADER_H if with_header else 0.0
        slim = self.compact and with_header and self._header_page == pdf.page
        need = h + ((SLIM_H if slim else TITLE_H + head) if self._pending else 0.0)
        if pdf.will_page_break(need):
            pdf.add_page()
            slim = False
        if self._pending and slim:
            self._slim_title(self._section)
            self._pending = False
        elif self._pending:
            self._title(self._section[0])
            self._pending = False
            if with_header:
                self.header()
        elif self._page != pdf.page and with_header:
            self._title(self._section[0] + CONTINUED)
            self.header()

    def _slim_title(self, section: tuple[str, str]) -> None:
        """A section's title as a grey band across the grid (compact plans)."""
        pdf = self.pdf
        y = pdf.y
        pdf.set_fill_color(215)
        pdf.set_line_width(0.2)
        pdf.rect(MARGIN, y, pdf.epw, SLIM_H, "DF")
        pdf.set_xy(MARGIN + PAD, y + 0.4)
        pdf.fit_cell(pdf.epw * 0.45, SLIM_H - 0.8, section[0], "B", 9, min_size=7)
        if section[1]:
            pdf.set_xy(MARGIN + pdf.epw * 0.45, y + 0.4)
            pdf.fit_cell(pdf.epw * 0.55 - PAD, SLIM_H - 0.8, section[1], "", 7.5, align="R",
                         min_size=7)
        pdf.set_xy(MARGIN, y + SLIM_H)

    def _title(self, title: str) -> None:
        pdf = self.pdf
        pdf.ln(1)
        pdf.set_x(MARGIN)
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(pdf.epw * 0.45, 6, title)
        note = self._section[1]
        if note:
            pdf.set_text_color(*GREY)
            pdf.fit_cell(pdf.epw * 0.55, 6, note, "", 8, align="R", min_size=7)
            pdf.set_text_color(*INK)
        pdf.set_xy(MARGIN, pdf.y + 6)
        self._page = pdf.page

    def header(self) -> None:
        """Two heading rows: days spanning their blocks, then each block's hours."""
        pdf = self.pdf
        y = pdf.y
        pdf.set_line_width(0.2)
        pdf.set_fill_color(225)
        pdf.rect(MARGIN, y, self.desc_w, HEADER_H, "DF")
        pdf.set_xy(MARGIN + PAD, y + 2)
        pdf.fit_cell(self.desc_w - 2 * PAD, 5, self.desc_title, "B", 9, min_size=7)
        i = 0
        while i < len(self.blocks):
            j = i
            while j + 1 < len(self.blocks) and self.blocks[j + 1].day == self.blocks[i].day:
                j += 1
            x, w = self.col_x(i), self.col_w * (j - i + 1)
            fill = PAST_FILL if self.blocks[j].past else 225
            pdf.set_fill_color(fill)
            pdf.rect(x, y, w, 4.5, "DF")
            self._label(x, y + 0.3, w, self.blocks[i].day, "B", 8.5, fill)
            i = j + 1
        for i in range(len(self.blocks)):
            # A heading is grey only when wholly past: the rule marks the extract time, and
            # the hours label keeps its whole cell.
            self._fill(i, y + 4.5, 4.5, PAST_FILL if self.blocks[i].past else 245,
                       partial=False)
        self._boundary_line(y, HEADER_H)
        for i, b in enumerate(self.blocks):
            fill = 245 if self.past_width(i) < self.col_w else PAST_FILL
            self._label(self.col_x(i), y + 4.8, self.col_w, b.hours, "", 8, fill)
        pdf.set_xy(MARGIN, y + HEADER_H)
        self._page = self._header_page = pdf.page

    def _label(self, x: float, y: float, w: float, text: str, style: str, size: float,
               fill: int) -> None:
        """A centred heading on its own background: the extract rule never runs through it."""
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        tw = min(pdf.get_string_width(text) + 1, w - 0.4)
        pdf.set_fill_color(fill)
        pdf.rect(x + (w - tw) / 2, y + 0.3, tw, 3.4, "F")
        pdf.set_xy(x, y)
        pdf.fit_cell(w, 4, text, style, size, align="C", min_size=7)

    def _fill(self, i: int, y: float, h: float, open_fill: int | None,
              partial: bool = True) -> None:
        """Block ``i``'s rectangle: grey up to the extract time, ``open_fill`` after."""
        pdf, x = self.pdf, self.col_x(i)
        past = self.past_width(i) if partial else 0.0
        if open_fill is not None:
            pdf.set_fill_color(open_fill)
            pdf.rect(x, y, self.col_w, h, "F")
        if past:
            pdf.set_fill_color(PAST_FILL + (0 if open_fill == 245 else 12))
            pdf.rect(x, y, past, h, "F")
        pdf.rect(x, y, self.col_w, h)

    def _boundary_line(self, y: float, h: float) -> None:
        """A heavy rule at the extract time: the record on its left, the worksheet on its right."""
        x = self.boundary_x()
        if x is not None:
            self.pdf.set_line_width(0.8)
            self.pdf.line(x, y, x, y + h)
            self.pdf.set_line_width(0.2)

    # ---- rows ---------------------------------------------------------------------------------

    def height(self, row: GridRow) -> float:
        """The row's height: its description, its tallest cell, or its log block."""
        text_h = 2 * PAD
        for text, style, size in row.lines:
            text_h += self._line_count(text, style.replace("I", "").replace("X", "B"),
                                       size) * size * 0.45 + (0.8 if style == "X" else 0)
        tallest = max((gridcells.cell_height(self.pdf, self.col_w, c) for c in row.cells),
                      default=0.0)
        cells_h = tallest + 2 * PAD
        if row.writable and tallest:     # room to write under the traces
            cells_h += 2 * RULE
        log_h = log_height(row.log) if row.log else 0.0
        return max(row.min_h, text_h, cells_h, log_h)

    def _line_count(self, text: str, style: str, size: float) -> int:
        self.pdf.set_font(FAMILY, style, size)
        return len(self.pdf.wrap(self.desc_w - 2 * PAD, text))

    def row(self, row: GridRow) -> None:
        """Draw one row, on a new page (title « (suite) » and headings) if it does not fit."""
        pdf = self.pdf
        h = self.height(row)
        self._place(h)
        y = pdf.y
        pdf.set_line_width(0.2)
        pdf.rect(MARGIN, y, self.desc_w, h)
        self._description(row.lines, y)
        first_log = self._first_open() if row.log else len(self.blocks)
        for i in range(min(first_log, len(self.blocks))):
            self._fill(i, y, h, None)
        if row.log:
            self._log(row.log, first_log, y, h)
        # The rule first, the traces over it: in the block holding the extract time each
        # trace masks the rule behind it (grey for the record, white for a box to initial).
        self._boundary_line(y, h)
        for i, entries in enumerate(row.cells[:first_log]):
            x = self.col_x(i)
            ey = y + PAD
            split = 0 < self.past_width(i) < self.col_w
            for e in entries:
                eh = gridcells.entry_height(self.pdf, self.col_w, e)
                if split:
                    self.pdf.set_fill_color(255 if e.box else PAST_FILL + 12)
                    self.pdf.rect(x + 0.2, ey, self.col_w - 0.4, eh, "F")
                gridcells.draw_entry(self.pdf, self.col_w, e, x, ey)
                ey += eh
            if row.writable:
                gridcells.draw_rules(self.pdf, self.col_w, x, ey, y + h)
        pdf.set_xy(MARGIN, y + h)

    def _description(self, lines: list[tuple[str, str, float]], y: float) -> None:
        pdf = self.pdf
        ty = y + PAD
        for text, style, size in lines:
            grey, reverse = style == "I", style == "X"
            style = "" if grey else "B" if reverse else style
            pdf.set_font(FAMILY, style, size)
            pdf.set_xy(MARGIN + PAD, ty)
            if reverse:   # white on black, as wide as its longest line
                wrapped = pdf.wrap(self.desc_w - 2 * PAD, text)
                w = min(max(pdf.get_string_width(x) for x in wrapped) + 2 * pdf.c_margin,
                        self.desc_w - 2 * PAD)
                pdf.set_fill_color(0)
                pdf.rect(MARGIN + PAD, ty, w, len(wrapped) * size * 0.45 + 0.8, "F")
                pdf.set_text_color(255)
                pdf.set_xy(MARGIN + PAD, ty + 0.4)
                pdf.text_lines(self.desc_w - 2 * PAD, size * 0.45, text)
                ty = pdf.get_y() + 0.4
                pdf.set_text_color(*INK)
                continue
            pdf.set_text_color(*(GREY if grey else INK))
            pdf.text_lines(self.desc_w - 2 * PAD, size * 0.45, text)
            ty = pdf.get_y()
        pdf.set_text_color(*INK)

    def _first_open(self) -> int:
        return next((i for i, b in enumerate(self.blocks) if not b.past), len(self.blocks))

    def _log(self, log: Log, first: int, y: float, h: float) -> None:
        logblock.draw(self, log, first, y, h, RULE, PAST_FILL + 12)


BLOCK_HOURS = (2, 3, 4, 6, 8, 12)  # divisors of 24: every day starts a block


def check_block_hours(t) -> int:
    """The template's ``window.block_hours``, refused (file and key named) unless it divides 24."""
    from pcsauvegarde.station.documents.templates import TemplateError

    value = t.number("window.block_hours", 1, 12)
    if value not in BLOCK_HOURS:
        raise TemplateError(f"{t.path} : clé « window.block_hours » : "
                            f"{', '.join(map(str, BLOCK_HOURS))} attendu (diviseur de 24)")
    return value
