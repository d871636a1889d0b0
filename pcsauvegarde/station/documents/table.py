"""Tables that never split a row across pages and repeat their heading on every page."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents.base import ALLERGY_RED, FAMILY, INK, MARGIN, DocumentPDF

PAD = 1.0
SECTION_H = 11.0     # DocumentPDF.section: 2 mm space, 6 mm title, rule, 1 mm
CONTINUED_H = 6.0
CONTINUED = " (suite)"
HEAD_FILL = 225
ROW_FILL = 238


@dataclass(frozen=True)
class Column:
    """A column: heading, relative width, alignment (L, C, R), wrapped or fitted."""

    title: str
    weight: float = 1.0
    align: str = "L"
    fit: bool = False   # one line per « \n » part, shrunk then cut with « … » (identifiers)


@dataclass(frozen=True)
class Row:
    """A row of texts; ``bold`` emphasises it (abnormal result), ``fill`` greys it (critical),
    ``red`` names the columns that MUST not be missed (allergies)."""

    cells: tuple[str, ...]
    bold: bool = False
    fill: bool = False
    red: frozenset[int] = frozenset()   # columns printed red and bold (allergies)


def draw_table(pdf: DocumentPDF, columns: list[Column], rows: list[Row], *,
               size: float = 8.5, group_first: bool = False, title: str = "",
               note: str = "", widen: bool = False) -> None:
    """Draw rows from the current y, breaking pages between rows only.

    With ``title``, the section title is drawn here, on the same page as the heading and the
    first row, and repeated with « (suite) » above the heading on every following page.
    With ``widen``, columns widen to hold their longest word when the others have room.
    With ``group_first``, a first-column value equal to the previous row's is left blank,
    except on the first row of a page so a group continued on the next page stays named.
    Cells wrap at spaces and after hyphens; a word wider than its cell is broken with a
    hyphen; ``fit`` columns keep one line per part, shrunk then cut with « … ».
    """
    if widen:
        widths = fit_widths(pdf, columns, rows, size)
    else:
        total = sum(c.weight for c in columns)
        widths = [pdf.epw * c.weight / total for c in columns]
    line_h = size * 0.48
    heading = Row(tuple(c.title for c in columns), bold=True)
    head_cols = [Column(c.title, c.weight, c.align) for c in columns]   # headings wrap
    head_h = _height(pdf, head_cols, widths, heading, size, line_h)
    room = pdf.page_break_trigger - pdf.content_top - head_h - 1 - (CONTINUED_H if title else 0)

    first = _height(pdf, columns, widths, rows[0], size, line_h) if rows else 0.0
    if title:
        pdf.ensure_space(SECTION_H + head_h + first)
        pdf.section(title, note)
    pdf.ensure_space(head_h + first)
    _draw_row(pdf, head_cols, widths, heading, size, line_h, HEAD_FILL)
    previous = None
    for row in rows:
        cells = row.cells
        h = _height(pdf, columns, widths, row, size, line_h)
        if h > room:  # taller than a whole page: cut it rather than overflow into the footer
            row = _truncate(pdf, columns, widths, row, size, line_h, room)
            cells, h = row.cells, room
        if pdf.will_page_break(h):
            pdf.add_page()
            if title:
                pdf.set_x(MARGIN)
                pdf.set_font(FAMILY, "B", 10)
                pdf.cell(pdf.epw, CONTINUED_H, f"{title}{CONTINUED}", new_x="LMARGIN",
                         new_y="NEXT")
            _draw_row(pdf, head_cols, widths, heading, size, line_h, HEAD_FILL)
            previous = None
        if group_first and previous is not None and cells[0] == previous:
            cells = ("", *cells[1:])
        previous = row.cells[0]
        _draw_row(pdf, columns, widths, Row(cells, row.bold, row.fill, row.red), size, line_h,
                  ROW_FILL if row.fill else None, h)
    pdf.set_font(FAMILY, "", 9)
    pdf.ln(1)


def identifier_weight(values, narrow: float, wide: float, short: int = 14) -> float:
    """The weight of a column of identifiers: ``narrow`` when every value is short (the usual
    8-digit IPP), else ``wide`` so a 36–64-character one still holds at the smallest size."""
    return narrow if all(len(v or "") <= short for v in values) else wide


def fit_widths(pdf: DocumentPDF, columns: list[Column], rows: list[Row],
               size: float) -> list[float]:
    """Widths by weight, then widened so each column holds its longest word unbroken.

    The room taken comes from the columns with slack, in proportion to it; if the words
    cannot all fit, the widths by weight are kept (and the longest words wrap).
    """
    total = sum(c.weight for c in columns)
    widths = [pdf.epw * c.weight / total for c in columns]
    need = []
    for i in range(len(columns)):
        longest = 0.0
        for row, style in ((Row(tuple(c.title for c in columns)), "B"),
                           *((r, "B" if r.bold else "") for r in rows)):
            pdf.set_font(FAMILY, style, size)
            for word in row.cells[i].split():
                longest = max(longest, pdf.get_string_width(word))
        need.append(longest + 2 * PAD + 2 * pdf.c_margin + 0.2)
    short = sum(max(n - w, 0.0) for n, w in zip(need, widths, strict=True))
    slack = [max(w - n, 0.0) for n, w in zip(need, widths, strict=True)]
    if short == 0 or short > sum(slack):
        return widths
    share = short / sum(slack)
    return [max(n, w) if n > w else w - s * share for n, w, s in zip(need, widths, slack,
                                                                          strict=True)]


def _lines(pdf: DocumentPDF, col: Column, w: float, text: str) -> list[str]:
    """The lines a cell prints with the current font."""
    if not text:
        return [""]
    if col.fit:
        return text.split("\n")
    return pdf.wrap_words(w - 2 * PAD, text)


def _style(row: Row, i: int) -> str:
    return "B" if row.bold or i in row.red else ""


def _height(pdf: DocumentPDF, columns: list[Column], widths: list[float], row: Row,
            size: float, line_h: float) -> float:
    n = 1
    for i, (col, w, t) in enumerate(zip(columns, widths, row.cells, strict=True)):
        pdf.set_font(FAMILY, _style(row, i), size)
        n = max(n, len(_lines(pdf, col, w, t)))
    return n * line_h + 2 * PAD


def _truncate(pdf: DocumentPDF, columns: list[Column], widths: list[float], row: Row,
              size: float, line_h: float, room: float) -> Row:
    keep = max(int((room - 2 * PAD) // line_h) - 1, 1)
    cells = []
    for i, (col, w, text) in enumerate(zip(columns, widths, row.cells, strict=True)):
        pdf.set_font(FAMILY, _style(row, i), size)
        lines = _lines(pdf, col, w, text)
        cells.append("\n".join([*lines[:keep], "… (suite tronquée)"])
                     if len(lines) > keep else "\n".join(lines))
    return Row(tuple(cells), row.bold, row.fill, row.red)


def _draw_row(pdf: DocumentPDF, columns: list[Column], widths: list[float], row: Row,
              size: float, line_h: float, fill: int | None, h: float | None = None) -> None:
    if h is None:
        h = _height(pdf, columns, widths, row, size, line_h)
    pdf.set_line_width(0.2)
    x, y = MARGIN, pdf.y
    auto = pdf.auto_page_break
    pdf.set_auto_page_break(False, pdf.b_margin)
    for i, (col, w, text) in enumerate(zip(columns, widths, row.cells, strict=True)):
        if fill is not None:
            pdf.set_fill_color(fill)
        pdf.rect(x, y, w, h, style="DF" if fill is not None else "D")
        if text:
            style = _style(row, i)
            pdf.set_font(FAMILY, style, size)
            if i in row.red:
                pdf.set_text_color(*ALLERGY_RED)
            ty = y + PAD
            for line in _lines(pdf, col, w, text):
                pdf.set_xy(x + PAD, ty)
                if col.fit:
                    pdf.fit_cell(w - 2 * PAD, line_h, line, style, size, align=col.align)
                else:
                    pdf.cell(w - 2 * PAD, line_h, line, align=col.align)
                ty += line_h
            pdf.set_text_color(*INK)
        x += w
    pdf.set_auto_page_break(auto, pdf.b_margin)
    pdf.set_xy(MARGIN, y + h)
