"""« Bon de demande d'examens »: pre-filled request form for one lab number, then its labels."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents import lab_labels, lab_menu
from pcsauvegarde.station.documents.base import FAMILY, INK, MARGIN
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.lab_labels import LabLabelSet
from pcsauvegarde.station.documents.labelstock import StockPDF

KIND = lab_menu.KIND
TITLE = "Bon de demande d'examens de laboratoire"
BOX = 3.2          # tick box side, mm
ROW = 4.6          # one test per row


@dataclass(frozen=True)
class LabRequestForm:
    """A patient, the lab number of the request and the labels printed with it."""

    file: PatientFile
    number: str
    labels: LabLabelSet


def render(data: LabRequestForm, ctx: DocumentContext) -> bytes:
    """The form page(s), then the label sheet of the same number (pure)."""
    t = lab_menu.load(ctx.templates_dir)
    pdf = StockPDF(ctx, t.title)
    pdf.patient_file = data.file
    draw_form(pdf, t, data)
    lab_labels.add_label_pages(pdf, lab_labels.load(ctx.templates_dir), data.labels)
    return pdf.output_bytes()


def draw_form(pdf: StockPDF, t: lab_menu.RequestTemplate, data: LabRequestForm) -> None:
    """The A4 request form, identity band and footer from the shared layout."""
    pdf.add_document_page(t.title)
    file, labels = data.file, data.labels.labels
    top = pdf.content_top   # allergies: in the identity band of every page (base.py)
    pdf.set_line_width(0.5)
    pdf.rect(MARGIN, top, pdf.epw, 17)
    pdf.set_xy(MARGIN + 2, top + 1.5)
    pdf.fit_cell(60, 4.5, t.text("number"), "", 9)
    pdf.set_xy(MARGIN + 2, top + 6)
    pdf.fit_cell(70, 8, data.number, "B", 20, min_size=10)
    pdf.barcode(data.number, MARGIN + 75, top + 1.5, 8.0)
    pdf.set_xy(MARGIN + 75, top + 11)
    first, last = labels[0].code, labels[-1].code
    pdf.fit_cell(pdf.epw - 75 - 29, 5,
                 t.text("tubes", tubes=labels[-1].tubes, first=first, last=last), "", 8.5,
                 min_size=7)
    if data.labels.urgent:
        with pdf.local_context(fill_color=0, text_color=255):
            pdf.set_xy(MARGIN + pdf.epw - 27, top + 2)
            pdf.set_font(FAMILY, "B", 12)
            pdf.cell(25, 8, t.text("urgent"), align="C", fill=True)
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN, top + 19)
    stay = file.stay
    unit = file.unit_name or (stay.unit if stay else "") or "________________"
    where = " ".join(x for x in (f"chambre {stay.room}" if stay and stay.room else "",
                                 f"lit {stay.bed}" if stay and stay.bed else "") if x)
    for text in (t.text("unit", unit=unit) + (f"   {where}" if where else ""),
                 t.text("prescriber"), t.text("collection")):
        pdf.set_x(MARGIN)
        pdf.fit_cell(pdf.epw, 6, text, "", 9.5, min_size=7)
        pdf.ln(6.5)
    _menu(pdf, t)
    pdf.ensure_space(30)
    pdf.set_x(MARGIN)
    pdf.fit_cell(pdf.epw, 5, t.text("others"), "B", 9.5)
    pdf.ln(5)
    _lines(pdf, 2)
    pdf.set_x(MARGIN)
    pdf.fit_cell(pdf.epw, 5, t.text("clinical"), "B", 9.5)
    pdf.ln(5)
    _lines(pdf, 2)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_x(MARGIN)
    pdf.text_lines(pdf.epw, 3.8, t.text("note"))


def _menu(pdf: StockPDF, t: lab_menu.RequestTemplate) -> None:
    """The test menu as tick boxes, sections flowed into three columns."""
    columns = 3
    col_w = pdf.epw / columns
    heights = [6 + ROW * len(s.tests) for s in t.menu]
    total = sum(heights)
    pdf.ensure_space(min(total / columns + 20, 150))
    top = pdf.y + 1
    cols: list[list[int]] = [[] for _ in range(columns)]
    used = [0.0] * columns
    target = total / columns
    c = 0
    for i, h in enumerate(heights):  # in order, next column once this one is full enough
        if used[c] and used[c] + h / 2 > target and c < columns - 1:
            c += 1
        cols[c].append(i)
        used[c] += h
    for c, indexes in enumerate(cols):
        y = top
        x = MARGIN + c * col_w
        for i in indexes:
            section = t.menu[i]
            pdf.set_xy(x, y)
            pdf.fit_cell(col_w - 2, 5, section.title, "B", 9.5, min_size=7)
            y += 6
            for test in section.tests:
                pdf.set_line_width(0.3)
                pdf.rect(x + 1, y + 0.6, BOX, BOX)
                pdf.set_xy(x + 2 + BOX, y)
                pdf.fit_cell(col_w - 4 - BOX, ROW, test, "", 8.5, min_size=7)
                y += ROW
    pdf.set_xy(MARGIN, top + max(used) + 2)


def _lines(pdf: StockPDF, count: int) -> None:
    pdf.set_line_width(0.2)
    for _ in range(count):
        pdf.ln(6)
        pdf.line(MARGIN, pdf.y, MARGIN + pdf.epw, pdf.y)
    pdf.ln(2)
