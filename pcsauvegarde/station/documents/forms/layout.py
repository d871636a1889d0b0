"""Draw a validated form (spec.py) for one patient, page after page, below the identity band.

Rows never split across pages; a table or hour grid repeats its heading on every page; tick
boxes, fields and signature boxes stay together. Every size here was checked at load (≥ 7 pt,
columns inside the page), so drawing never shrinks below 7 pt.
"""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_local, to_local
from pcsauvegarde.station.documents.forms import prefill
from pcsauvegarde.station.documents.forms.spec import HEAD_LINES, MIN_PT, FormSpec, Section
from pcsauvegarde.station.documents.identity import load as identity_texts
from pcsauvegarde.station.documents.table import HEAD_FILL

BOX = 3.2          # mm: a tick box
LINE = 0.45        # mm per pt of font size: a line of text


def draw_form(pdf: DocumentPDF, form: FormSpec, file: PatientFile, ctx: DocumentContext) -> None:
    """Add ``form`` for ``file``, as its own document (own number, pages, barcodes), to ``pdf``."""
    pdf.begin_document(ctx, form.title, patient=file, landscape=form.landscape,
                       page_codes=True)
    pdf.add_page()
    for section in form.sections:
        _SECTIONS[section.kind](pdf, section, file, ctx)


def _title(pdf: DocumentPDF, s: Section, extra: str = "", first_row: float = 8.0) -> None:
    if s.title:
        pdf.ensure_space(8 + first_row)
        pdf.set_x(MARGIN)
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(pdf.epw, 6, s.title + extra, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.ensure_space(first_row + 1)
        pdf.ln(1)


def _heading(pdf: DocumentPDF, cells: list[tuple[float, float, str]], size: float) -> float:
    """Grey heading cells (x, width, text) from the current y, wrapped; return its height."""
    fitted = [pdf.fit_lines(w, text, "B", size, HEAD_LINES) for _, w, text in cells]
    h = max((len(lines) * sz * LINE for lines, sz in fitted), default=0) + 1.6
    y = pdf.y
    pdf.set_fill_color(HEAD_FILL)
    pdf.set_line_width(0.2)
    for (x, w, _), (lines, sz) in zip(cells, fitted, strict=True):
        pdf.rect(x, y, w, h, style="DF")
        pdf.set_font("DejaVu", "B", sz)
        ty = y + (h - len(lines) * sz * LINE) / 2
        for line in lines:
            pdf.set_xy(x, ty)
            pdf.cell(w, sz * LINE, line, align="C")
            ty += sz * LINE
    pdf.set_xy(MARGIN, y + h)
    return h


def _row(pdf: DocumentPDF, cells: list[tuple[float, float, str]], size: float, h: float,
         style: str = "") -> None:
    """One ruled row (x, width, text) from the current y; text wrapped, top-aligned."""
    y = pdf.y
    pdf.set_line_width(0.2)
    pdf.set_font("DejaVu", style, size)
    for x, w, text in cells:
        pdf.rect(x, y, w, h)
        ty = y + 0.8
        for line in pdf.wrap(w, text) if text else ():
            pdf.set_xy(x, ty)
            pdf.cell(w, size * LINE, line)
            ty += size * LINE
    pdf.set_xy(MARGIN, y + h)


def _rows_height(pdf: DocumentPDF, cells: list[tuple[float, float, str]], size: float,
                 minimum: float, style: str = "") -> float:
    pdf.set_font("DejaVu", style, size)
    lines = max((len(pdf.wrap(w, t)) for _, w, t in cells if t), default=0)
    return max(minimum, lines * size * LINE + 1.6)


def _table(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    columns = [(MARGIN + c.x, c.width, c.title) for c in s.columns]
    rows = [[(x, w, text) for (x, w, _), text in zip(columns, cells, strict=True)]
            for cells in s.cells] + [[(x, w, "") for x, w, _ in columns]] * s.rows
    heights = [_rows_height(pdf, r, s.size, s.row_height) for r in rows]
    # A pre-printed table alone (a legend, a scale) is read whole: never split.
    keep = sum(heights) if not s.rows and sum(heights) < 100 else heights[0]
    _title(pdf, s, first_row=keep + 12)
    _heading(pdf, columns, s.size)
    for cells, h in zip(rows, heights, strict=True):
        if pdf.will_page_break(h):
            pdf.add_page()
            _heading(pdf, columns, s.size)
        _row(pdf, cells, s.size, h)


def _hour_grid(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    start = to_local(ctx.printed_at).replace(minute=0, second=0, microsecond=0)
    slots = [start + dt.timedelta(hours=h) for h in range(0, s.hours, s.step)]
    end = start + dt.timedelta(hours=s.hours)
    x0 = MARGIN + s.label_width
    cells = [(MARGIN, s.label_width, "")] + [
        (x0 + i * s.hour_width, s.hour_width, f"{t.hour}h") for i, t in enumerate(slots)]
    heights = [_rows_height(pdf, [(MARGIN, s.label_width, lab)], s.size, s.row_height, "B")
               for lab in s.labels]
    period = f" — du {format_local(start)} au {format_local(end)}"
    _title(pdf, s, period, first_row=heights[0] + 8)

    def heading() -> None:
        top = pdf.y
        _heading(pdf, cells, s.size)
        pdf.set_line_width(0.6)
        for i, t in enumerate(slots):   # a new day starts: the thick rule through the heading
            if i and t.hour < s.step:
                x = x0 + i * s.hour_width
                pdf.line(x, top, x, pdf.y)
    heading()
    for label, h in zip(s.labels, heights, strict=True):
        if pdf.will_page_break(h):
            pdf.add_page()
            heading()
        y = pdf.y
        _row(pdf, [(MARGIN, s.label_width, label)], s.size, h, "B")
        pdf.set_line_width(0.2)
        for i in range(len(slots)):
            pdf.rect(x0 + i * s.hour_width, y, s.hour_width, h)
        pdf.set_line_width(0.6)   # a new day starts: one thick rule down the grid
        for i, t in enumerate(slots):
            if i and t.hour < s.step:
                pdf.line(x0 + i * s.hour_width, y, x0 + i * s.hour_width, y + h)
        pdf.set_xy(MARGIN, y + h)
    pdf.set_line_width(0.2)


def _boxes(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    per = s.per_line
    w = pdf.epw / per
    lines = [s.labels[i:i + per] for i in range(0, len(s.labels), per)]
    pdf.set_font("DejaVu", "", s.size)
    wrapped = [[pdf.wrap(w - BOX - 3, label) for label in line] for line in lines]
    heights = [max(s.row_height * 0.8, max(map(len, line)) * s.size * LINE + 1.2)
               for line in wrapped]
    _title(pdf, s, first_row=sum(heights))
    pdf.set_line_width(0.3)
    for line, h in zip(wrapped, heights, strict=True):
        if pdf.will_page_break(h):
            pdf.add_page()
        pdf.set_font("DejaVu", "", s.size)
        y = pdf.y
        for i, label in enumerate(line):
            x = MARGIN + i * w
            pdf.rect(x + 1, y + 0.8, BOX, BOX)
            ty = y + 0.6
            for text in label:
                pdf.set_xy(x + BOX + 2, ty)
                pdf.cell(w - BOX - 3, s.size * LINE, text)
                ty += s.size * LINE
        pdf.set_xy(MARGIN, y + h)


def _text(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    _title(pdf, s, first_row=s.row_height * min(s.lines, 3))
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    for _ in range(s.lines):
        if pdf.will_page_break(s.row_height):
            pdf.add_page()
        pdf.set_y(pdf.y + s.row_height)
        pdf.line(MARGIN, pdf.y, MARGIN + pdf.epw, pdf.y)
    pdf.set_draw_color(*INK)
    pdf.set_x(MARGIN)


def _fields(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    t = identity_texts(ctx.templates_dir)
    w = pdf.epw / s.per_line
    items = []
    for f in s.fields:
        value = prefill.fact(f.fact, file, ctx, t) if f.fact else ""
        pdf.set_font("DejaVu", "B", s.size)
        label_w = pdf.get_string_width(f.label + " :") + 2 * pdf.c_margin   # fits: spec.py
        # A value wraps on two lines (a long unit, several allergies), never silently cut.
        lines, size = (pdf.fit_lines(w - label_w - 2, value, "B", s.size, 2) if value
                       else ([], s.size))
        items.append((f, label_w, lines, size))
    rows = [items[i:i + s.per_line] for i in range(0, len(items), s.per_line)]
    heights = [max(s.row_height, max(len(v[2]) * v[3] * LINE + 1.5 for v in row))
               for row in rows]
    _title(pdf, s, first_row=sum(heights))
    for row, h in zip(rows, heights, strict=True):
        pdf.ensure_space(h)
        y = pdf.y
        for i, (f, label_w, lines, size) in enumerate(row):
            x = MARGIN + i * w
            pdf.set_xy(x, y)
            pdf.set_font("DejaVu", "B", s.size)
            pdf.cell(label_w, s.size * LINE + 1.5, f.label + " :")
            if lines:
                red = f.fact == "allergies" and bool(file.allergies)
                pdf.set_text_color(*(ALLERGY_RED if red else INK))
                pdf.set_font("DejaVu", "B" if red else "", size)
                for n, line in enumerate(lines):
                    pdf.set_xy(x + label_w, y + n * size * LINE)
                    pdf.cell(w - label_w - 2, size * LINE + 1.5, line)
                pdf.set_text_color(*INK)
                continue
            start = x + label_w
            missing = prefill.MISSING.get(f.fact, "")
            if missing:   # said, then a line to write what the bedside knows
                pdf.set_text_color(*GREY)
                pdf.set_xy(start, y)
                pdf.fit_cell((w - label_w) * 0.6, s.size * LINE + 1.5, missing, "I", MIN_PT)
                pdf.set_text_color(*INK)
                start = pdf.x
            pdf.set_draw_color(*GREY)
            pdf.line(start, y + h - 1.2, x + w - 3, y + h - 1.2)
            pdf.set_draw_color(*INK)
        pdf.set_xy(MARGIN, y + h)


def _signatures(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    _title(pdf, s, first_row=s.height + 1)
    w = pdf.epw / len(s.labels)
    y = pdf.y
    pdf.set_line_width(0.3)
    for i, label in enumerate(s.labels):
        x = MARGIN + i * w
        pdf.rect(x + 0.5, y, w - 1, s.height)
        pdf.set_xy(x + 0.5, y + 0.5)
        pdf.fit_cell(w - 1, s.size * LINE + 0.5, label, "B", s.size)
    pdf.set_xy(MARGIN, y + s.height + 1)


def _legend(pdf: DocumentPDF, s: Section, file: PatientFile, ctx: DocumentContext) -> None:
    pdf.set_font("DejaVu", "", s.size)
    lines = pdf.wrap(pdf.epw, s.text)
    _title(pdf, s, first_row=len(lines) * s.size * LINE)
    pdf.set_text_color(*GREY)
    pdf.paragraph(s.text, "", s.size, s.size * LINE)
    pdf.set_text_color(*INK)


_SECTIONS = {"tableau": _table, "grille_horaire": _hour_grid, "cases": _boxes,
             "texte": _text, "champs": _fields, "signatures": _signatures, "legende": _legend}
