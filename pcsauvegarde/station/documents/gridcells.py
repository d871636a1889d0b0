"""What one cell of a time grid holds: due times with a box, traces of the record, writing lines.

A trace is its symbol and time (7,5 pt bold), then its detail and any flag at 7 pt, wrapped
at spaces inside the cell: nothing smaller, nothing over the cell's edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcsauvegarde.station.documents.base import FAMILY, DocumentPDF

if TYPE_CHECKING:
    from pcsauvegarde.station.documents.grid import Entry

BOX_H = 6.0          # a due time and its box
TIME_H = 3.3         # « ✓ 12:03 » line of a recorded entry
DETAIL_H = 3.0       # one 7-pt line of a recorded entry's detail
DETAIL_PT = 7.0      # the smallest printed size
RULE = 5.5           # writing line spacing
THIN_MARGIN = 0.2    # cell margin of a trace's text, so that « 20 mg · KM » fits


def detail_lines(pdf: DocumentPDF, col_w: float, text: str, style: str) -> list[str]:
    """A trace's detail wrapped at spaces in its cell, at 7 pt, with a thin cell margin."""
    pdf.set_font(FAMILY, style, DETAIL_PT)
    margin, pdf.c_margin = pdf.c_margin, THIN_MARGIN
    try:
        return pdf.wrap(col_w - 0.6, text)
    finally:
        pdf.c_margin = margin


def entry_height(pdf: DocumentPDF, col_w: float, e: Entry) -> float:
    """Height of one entry in a cell ``col_w`` wide."""
    if e.box:
        return BOX_H
    n = 0
    for text, style in ((e.detail, "B" if e.bold else ""), (e.flag, "B")):
        if text:
            n += len(detail_lines(pdf, col_w, text, style))
    return TIME_H + n * DETAIL_H + 0.6


def cell_height(pdf: DocumentPDF, col_w: float, entries: list[Entry]) -> float:
    return sum(entry_height(pdf, col_w, e) for e in entries)


def draw_rules(pdf: DocumentPDF, col_w: float, x: float, top: float, bottom: float) -> None:
    """Writing lines below what is already printed in the cell."""
    pdf.set_draw_color(200)
    yy = top + RULE
    while yy < bottom - 1:
        pdf.line(x + 1, yy, x + col_w - 1, yy)
        yy += RULE
    pdf.set_draw_color(0)


def draw_entry(pdf: DocumentPDF, col_w: float, e: Entry, x: float, y: float) -> None:
    """A due time with its box to initial, or a trace (symbol, time, detail, flag)."""
    w = col_w
    if e.box:
        box = min(4.5, w * 0.3)
        pdf.set_xy(x, y + 0.6)
        pdf.fit_cell(w - box - 0.6, 4.5, e.time, "B", 9, min_size=7)
        pdf.set_line_width(0.3)
        pdf.rect(x + w - box - 0.8, y + 0.2, box, BOX_H - 0.9)
        pdf.set_line_width(0.2)
        return
    pdf.set_xy(x + 0.3, y + 0.2)
    pdf.fit_cell(w - 0.6, TIME_H, f"{e.symbol} {e.time}".strip(), "B", 7.5, min_size=7)
    yy = y + 0.2 + TIME_H
    for text, style in ((e.detail, "B" if e.bold else ""), (e.flag, "B")):
        if not text:
            continue
        lines = detail_lines(pdf, col_w, text, style)
        pdf.set_font(FAMILY, style, DETAIL_PT)
        margin, pdf.c_margin = pdf.c_margin, THIN_MARGIN
        for line in lines:
            pdf.set_xy(x + 0.3, yy)
            pdf.cell(w - 0.6, DETAIL_H, line)
            yy += DETAIL_H
        pdf.c_margin = margin
