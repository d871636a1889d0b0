"""Tables that never split a row across pages and repeat their heading on every page."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents.base import FAMILY, MARGIN, DocumentPDF

PAD = 1.0
HEAD_FILL = 225
ROW_FILL = 238


@dataclass(frozen=True)
class Column:
    """A column: heading, relative width, alignment (L, C, R)."""

    title: str
    weight: float = 1.0
    align: str = "L"


@dataclass(frozen=True)
class Row:
    """A row of texts; ``bold`` emphasises it (abnormal result), ``fill`` greys it (critical)."""

    cells: tuple[str, ...]
    bold: bool = False
    fill: bool = False


def draw_table(pdf: DocumentPDF, columns: list[Column], rows: list[Row], *,
               size: float = 8.5, group_first: bool = False) -> None:
    """Draw rows from the current y, breaking pages between rows only.

    With ``group_first``, a first-column value equal to the previous row's is left blank,
    except on the first row of a page so a group continued on the next page stays named.
    """
    total = sum(c.weight for c in columns)
    widths = [pdf.epw * c.weight / total for c in columns]
    line_h = size * 0.48
    heading = Row(tuple(c.title for c in columns), bold=True)
    head_h = _height(pdf, widths, heading, size, line_h)
    room = pdf.page_break_trigger - pdf.content_top - head_h - 1

    pdf.ensure_space(head_h + _height(pdf, widths, rows[0], size, line_h) if rows else head_h)
    _draw_row(pdf, columns, widths, heading, size, line_h, HEAD_FILL)
    previous = None
    for row in rows:
        cells = row.cells
        h = _height(pdf, widths, row, size, line_h)
        if h > room:  # taller than a whole page: cut it rather than overflow into the footer
            row = _truncate(pdf, widths, row, size, line_h, room)
            cells, h = row.cells, room
        if pdf.will_page_break(h):
            pdf.add_page()
            _draw_row(pdf, columns, widths, heading, size, line_h, HEAD_FILL)
            previous = None
        if group_first and previous is not None and cells[0] == previous:
            cells = ("", *cells[1:])
        previous = row.cells[0]
        _draw_row(pdf, columns, widths, Row(cells, row.bold, row.fill), size, line_h,
                  ROW_FILL if row.fill else None, h)
    pdf.set_font(FAMILY, "", 9)
    pdf.ln(1)


def _lines(pdf: DocumentPDF, w: float, text: str) -> list[str]:
    if not text:
        return [""]
    return pdf.wrap(w - 2 * PAD, text)


def _height(pdf: DocumentPDF, widths: list[float], row: Row, size: float,
            line_h: float) -> float:
    pdf.set_font(FAMILY, "B" if row.bold else "", size)
    n = max(len(_lines(pdf, w, t)) for w, t in zip(widths, row.cells, strict=True))
    return n * line_h + 2 * PAD


def _truncate(pdf: DocumentPDF, widths: list[float], row: Row, size: float,
              line_h: float, room: float) -> Row:
    pdf.set_font(FAMILY, "B" if row.bold else "", size)
    keep = max(int((room - 2 * PAD) // line_h) - 1, 1)
    cells = []
    for w, text in zip(widths, row.cells, strict=True):
        lines = _lines(pdf, w, text)
        cells.append("\n".join([*lines[:keep], "… (suite tronquée)"])
                     if len(lines) > keep else text)
    return Row(tuple(cells), row.bold, row.fill)


def _draw_row(pdf: DocumentPDF, columns: list[Column], widths: list[float], row: Row,
              size: float, line_h: float, fill: int | None, h: float | None = None) -> None:
    if h is None:
        h = _height(pdf, widths, row, size, line_h)
    pdf.set_font(FAMILY, "B" if row.bold else "", size)
    pdf.set_line_width(0.2)
    x, y = MARGIN, pdf.y
    auto = pdf.auto_page_break
    pdf.set_auto_page_break(False, pdf.b_margin)
    for col, w, text in zip(columns, widths, row.cells, strict=True):
        if fill is not None:
            pdf.set_fill_color(fill)
        pdf.rect(x, y, w, h, style="DF" if fill is not None else "D")
        pdf.set_xy(x + PAD, y + PAD)
        if text:
            pdf.text_lines(w - 2 * PAD, line_h, text, col.align)
        x += w
    pdf.set_auto_page_break(auto, pdf.b_margin)
    pdf.set_xy(MARGIN, y + h)
