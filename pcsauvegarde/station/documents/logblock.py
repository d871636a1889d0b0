"""Writing blocks of the time grid: rate changes of a continuous infusion, checks of a protocol.

After the extract time, a continuous or protocol order has no due times: per period (12 h by
default, a whole day half) the grid gives a small table headed by the period, with short
column headings (« h », « débit », « visa ») and lines to write on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcsauvegarde.station.documents.base import FAMILY
from pcsauvegarde.station.documents.fmt import PARIS

if TYPE_CHECKING:
    from pcsauvegarde.station.documents.grid import Grid, Log

MIN_COLUMN = 8.0     # mm: room to write « 14h30 » or « 12,5 » by hand
LINE_GREY = 150


def groups(grid: Grid, log: Log, first: int) -> list[list[int]]:
    """Open blocks grouped by local day and ``log.hours`` span (0–12 h, 12–24 h…)."""
    found: list[list[int]] = []
    key = None
    for i in range(first, len(grid.blocks)):
        local = grid.blocks[i].start.astimezone(PARIS)
        k = (local.date(), local.hour // max(log.hours, 1))
        if k != key:
            found.append([])
            key = k
        found[-1].append(i)
    # A group too narrow to write in (the block holding the extract, a lone last block)
    # joins its neighbour.
    least = least_width(grid, log.columns)
    if len(found) > 1 and len(found[0]) * grid.col_w - grid.past_width(found[0][0]) < least:
        found[1:2] = [found[0] + found[1]]
        found.pop(0)
    if len(found) > 1 and len(found[-1]) * grid.col_w < least:
        found[-2:] = [found[-2] + found[-1]]
    return found


def least_width(grid: Grid, columns: tuple[str, ...]) -> float:
    """Narrowest writable group: each column at least MIN_COLUMN, and its heading."""
    pdf = grid.pdf
    pdf.set_font(FAMILY, "", 7)
    return sum(max(pdf.get_string_width(c) + 2 * pdf.c_margin + 0.4, MIN_COLUMN)
               for c in columns)


def widths(grid: Grid, columns: tuple[str, ...], w: float) -> list[float]:
    """Each heading's width plus an equal share of what is left."""
    pdf = grid.pdf
    pdf.set_font(FAMILY, "", 7)
    need = [max(pdf.get_string_width(c) + 2 * pdf.c_margin + 0.4, MIN_COLUMN) for c in columns]
    if sum(need) > w:    # narrower than wished: by heading width, never below the heading
        need = [pdf.get_string_width(c) + 2 * pdf.c_margin + 0.4 for c in columns]
    spare = max(w - sum(need), 0.0) / max(len(columns), 1)
    return [n + spare for n in need]


def draw(grid: Grid, log: Log, first: int, y: float, h: float, rule: float,
         past_fill: int) -> None:
    """Per group of open blocks: its period, the column headings, lines to write on."""
    pdf = grid.pdf
    for group in groups(grid, log, first):
        x, w = grid.col_x(group[0]), grid.col_w * len(group)
        a, b = grid.blocks[group[0]], grid.blocks[group[-1]]
        start_h, end_h = a.start.astimezone(PARIS).hour, b.end.astimezone(PARIS).hour or 24
        pdf.set_line_width(0.2)
        past = grid.past_width(group[0])
        if past:   # the record's part of the block holding the extract: grey, not to write in
            pdf.set_fill_color(past_fill)
            pdf.rect(x, y, past, h, "DF")
            x, w = x + past, w - past
        pdf.rect(x, y, w, h)
        pdf.set_xy(x, y + 0.3)
        pdf.fit_cell(w, 3.6, _label(grid, a, b, start_h, end_h, w), "B", 7.5, align="C",
                     min_size=7)
        cx = x
        pdf.set_draw_color(LINE_GREY)
        for title, cw in zip(log.columns, widths(grid, log.columns, w), strict=True):
            pdf.set_xy(cx, y + 4.0)
            pdf.fit_cell(cw, 3.6, title, "", 7, align="C", min_size=7)
            if cx > x:
                pdf.line(cx, y + 4.0, cx, y + h)
            cx += cw
        yy = y + 8.0
        pdf.line(x, yy, x + w, yy)
        for _ in range(log.lines):
            yy += rule
            if yy < y + h - 0.5:
                pdf.line(x, yy, x + w, yy)
        pdf.set_draw_color(0)


def _label(grid: Grid, a, b, start_h: int, end_h: int, w: float) -> str:
    """The group's period, shortened (weekday, then dates) until it fits at 7 pt."""
    if a.day == b.day:
        options = [f"{a.day} {start_h}–{end_h} h", f"{a.day[5:]} {start_h}–{end_h} h",
                   f"{start_h}–{end_h} h"]
    else:
        options = [f"{a.day} {start_h} h – {b.day} {end_h} h",
                   f"{a.day[5:]} {start_h} h – {b.day[5:]} {end_h} h", f"{start_h}–{end_h} h"]
    pdf = grid.pdf
    pdf.set_font(FAMILY, "B", 7)
    return next((o for o in options if pdf.get_string_width(o) + 2 * pdf.c_margin <= w),
                options[-1])
