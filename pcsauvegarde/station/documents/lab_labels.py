"""« Étiquettes de laboratoire »: pre-numbered tube labels, blank or for one patient.

One label per tube: the lab number and tube suffix in clear and as Code 128 (exactly the same
text), the tube, the identity (printed, or lines to write it), lines for the collection and
the collector, the document number. A4 label sheets or one page per thermal label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.station.documents.barcodes import MODULE_WIDTH_MM, QUIET_ZONE_MM
from pcsauvegarde.station.documents.base import FAMILY, GREY, INK
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.identity import identity_lines
from pcsauvegarde.station.documents.labelstock import (
    Layout,
    Number,
    Spec,
    StockPDF,
    Text,
    bar_runs,
    bars_width,
    load_layout,
)
from pcsauvegarde.station.documents.templates import TemplateError

KIND = "lab_labels"
TITLE = "Étiquettes de laboratoire"
FORMATS = {"a4": "Planche A4", "thermal": "Étiquettes thermiques"}
MM = Number(0.0, 500.0)
SPEC: Spec = {
    "sheet.page_width": Number(50, 500), "sheet.page_height": Number(50, 500),
    "sheet.columns": Number(1, 10, True), "sheet.rows": Number(1, 40, True),
    "sheet.label_width": Number(40, 300), "sheet.label_height": Number(20, 300),
    "sheet.margin_top": MM, "sheet.margin_left": MM, "sheet.gap_x": Number(0, 50),
    "sheet.gap_y": Number(0, 50), "sheet.offset_x": Number(-20, 20),
    "sheet.offset_y": Number(-20, 20), "sheet.padding": Number(0, 10),
    "thermal.label_width": Number(40, 300), "thermal.label_height": Number(20, 300),
    "thermal.padding": Number(0, 10), "thermal.offset_x": Number(-20, 20),
    "thermal.offset_y": Number(-20, 20),
    "content.barcode_height": Number(4, 20), "content.tubes": Number(1, 99, True),
    "content.admission_sets": Number(0, 50, True), "content.max_labels": Number(1, 20000, True),
    "content.tube_types": Text(),
    "texts.title": Text(), "texts.urgent": Text(), "texts.tube": Text(("tube", "tubes")),
    "texts.tube_type_blank": Text(), "texts.name_blank": Text(), "texts.born_blank": Text(),
    "texts.born": Text(("birth", "sex")), "texts.collection": Text(),
    "texts.degraded": Text(("number",)),
}
LINE = 2.75       # mm per 7 pt line: nothing on a label is smaller than 7 pt
MIN_PT = 7.0
ROW1 = 3.4        # the number in clear
TEXT_LINES = 5    # at most: birth name, first names, born, collection, « panne »


@dataclass(frozen=True)
class LabLabel:
    """One tube label: what its barcode carries, its number, its tube position."""

    code: str
    number: str
    tube: int
    tubes: int
    tube_type: str = ""


@dataclass(frozen=True)
class LabLabelSet:
    """The labels of one batch, for one patient (``patient``) or blank."""

    labels: tuple[LabLabel, ...]
    patient: PatientFile | None = None
    urgent: bool = False
    format: str = "a4"


def load(templates_dir: Path | str | None = None) -> Layout:
    """The lab label layout, checked: the A4 grid MUST fit on its page."""
    lay = load_layout(KIND, SPEC, templates_dir)
    right = (lay["sheet.margin_left"] + lay["sheet.columns"] * lay["sheet.label_width"]
             + (lay["sheet.columns"] - 1) * lay["sheet.gap_x"])
    if right > lay["sheet.page_width"] + 0.01 or _footer_room(lay) < -0.01:
        raise TemplateError(f"{lay.path} : la grille d'étiquettes dépasse de la page "
                            "(vérifier colonnes, lignes, tailles, marges et espacements)")
    needed = ROW1 + lay["content.barcode_height"] + 0.3 + TEXT_LINES * LINE
    for part in ("sheet", "thermal"):
        room = lay[f"{part}.label_height"] - 2 * lay[f"{part}.padding"]
        if needed > room + 0.01:
            raise TemplateError(
                f"{lay.path} : [{part}] étiquette trop basse : {needed:.1f} mm de contenu "
                f"(7 pt au moins) pour {room:.1f} mm (hauteur moins 2 × padding) ; réduire "
                "content.barcode_height ou padding")
    return lay


def tube_types(lay: Layout) -> list[str]:
    """The tube types the lab proposes, in order."""
    return [t.strip() for t in lay.text("content.tube_types").split(",") if t.strip()]


def _footer_room(lay: Layout) -> float:
    bottom = (lay["sheet.margin_top"] + lay["sheet.rows"] * lay["sheet.label_height"]
              + (lay["sheet.rows"] - 1) * lay["sheet.gap_y"])
    return lay["sheet.page_height"] - bottom


def render(data: LabLabelSet, ctx: DocumentContext) -> bytes:
    """The labels of ``data`` as a PDF (pure; the hospital's templates: ctx.templates_dir)."""
    lay = load(ctx.templates_dir)
    pdf = StockPDF(ctx, lay.text("texts.title"))
    pdf.patient_file = data.patient
    add_label_pages(pdf, lay, data)
    return pdf.output_bytes()


def add_label_pages(pdf: StockPDF, lay: Layout, data: LabLabelSet) -> None:
    """Append the labels of ``data`` to ``pdf`` (A4 sheets or one thermal page each)."""
    if not 1 <= len(data.labels) <= lay["content.max_labels"]:
        raise TemplateError(f"nombre d'étiquettes {len(data.labels)} hors limites "
                            f"(1 à {lay['content.max_labels']})")
    pdf.set_stock_title(lay.text("texts.title"))
    fitted: dict = {}
    if data.format == "thermal":
        w, h = lay["thermal.label_width"], lay["thermal.label_height"]
        for label in data.labels:
            pdf.add_stock_page(w, h, 0.0)
            draw_label(pdf, lay, data, label, lay["thermal.offset_x"],
                       lay["thermal.offset_y"], w, h, lay["thermal.padding"], fitted)
        return
    per_page = lay["sheet.columns"] * lay["sheet.rows"]
    for i, label in enumerate(data.labels):
        if i % per_page == 0:
            pdf.add_stock_page(lay["sheet.page_width"], lay["sheet.page_height"],
                               _footer_room(lay))
        row, col = divmod(i % per_page, lay["sheet.columns"])
        x = (lay["sheet.margin_left"] + lay["sheet.offset_x"]
             + col * (lay["sheet.label_width"] + lay["sheet.gap_x"]))
        y = (lay["sheet.margin_top"] + lay["sheet.offset_y"]
             + row * (lay["sheet.label_height"] + lay["sheet.gap_y"]))
        draw_label(pdf, lay, data, label, x, y, lay["sheet.label_width"],
                   lay["sheet.label_height"], lay["sheet.padding"], fitted)


def draw_bars(pdf: StockPDF, value: str, x: float, y: float, height: float) -> float:
    """Code 128 of ``value`` at its natural size (quiet zones white); return its width in mm.

    Every label has its own number: the bars are written as one PDF path in module units
    (as DocumentPDF.barcode does) from python-barcode's modules, without an SVG per label.
    """
    k, top, width = pdf.k, pdf.h - y, bars_width(value)
    runs = " ".join(f"{start} 0 {count} 1 re" for start, count in bar_runs(value))
    white = f"{x * k:.2f} {top * k:.2f} {width * k:.2f} {-height * k:.2f} re f"
    matrix = (f"{MODULE_WIDTH_MM * k:.5f} 0 0 {-height * k:.4f} "
              f"{(x + QUIET_ZONE_MM) * k:.3f} {top * k:.3f}")
    pdf._out(f"q 1 g {white} 0 g {matrix} cm {runs} f Q")
    return width


def _fit(pdf: StockPDF, text: str, w: float, size: float) -> float:
    pdf.set_font(FAMILY, "B", size)
    while size > MIN_PT and pdf.get_string_width(text) > w - 2 * pdf.c_margin:
        size -= 0.5
        pdf.set_font(FAMILY, "B", size)
    return size


def draw_label(pdf: StockPDF, lay: Layout, data: LabLabelSet, label: LabLabel, x: float,
               y: float, width: float, height: float, pad: float,
               fitted: dict | None = None) -> None:
    """One tube label in the box (x, y, width, height)."""
    fitted = {} if fitted is None else fitted
    left, top, w = x + pad, y + pad, width - 2 * pad
    pdf.set_text_color(*INK)
    # Row 1: the number in clear (exactly what the barcode carries), URGENT reversed.
    urgent_w = 0.0
    if data.urgent:
        text = lay.text("texts.urgent")
        pdf.set_font(FAMILY, "B", 8)
        urgent_w = pdf.get_string_width(text) + 2.4
        with pdf.local_context(fill_color=0, text_color=255):
            pdf.set_xy(left + w - urgent_w, top)
            pdf.cell(urgent_w, 3.4, text, align="C", fill=True)
    pdf.set_xy(left, top)
    # Every code of a set has the same length and digits have one width: fit the first only.
    size = fitted.setdefault((len(label.code), w - urgent_w), _fit(pdf, label.code,
                                                                  w - urgent_w - 0.5, 9))
    pdf.set_font(FAMILY, "B", size)
    pdf.cell(w - urgent_w - 0.5, 3.4, label.code)
    # Row 2: the barcode; the tube beside it.
    bar_h = lay["content.barcode_height"]
    by = top + ROW1
    bx = left - 1.0   # the quiet zone may eat into the padding, not the bars
    code_w = draw_bars(pdf, label.code, bx, by, bar_h)
    side_x, side_w = bx + code_w, left + w - (bx + code_w)
    tube = lay.text("texts.tube", tube=label.tube, tubes=label.tubes)
    kind = label.tube_type or lay.text("texts.tube_type_blank")
    lines = _identity_lines(pdf, lay, data.patient, w)
    if side_w >= 10:
        pdf.set_xy(side_x, by)
        pdf.fit_cell(side_w, LINE, tube, "B", 7.5, min_size=MIN_PT)
        pdf.set_xy(side_x, by + LINE)
        pdf.fit_cell(side_w, LINE, kind, "", 7.5, min_size=MIN_PT)
    else:
        # A long number fills the width: the tube goes under the barcode, and a long identity
        # keeps one line (the full identity is on the request form and in the register).
        if len(lines) > 2:
            lines = [(_clip(pdf, f"{lines[0][0]} {lines[1][0]}", w), "B"), lines[2]]
        lines.insert(0, (_clip(pdf, f"{tube} · {label.tube_type or '______'}", w), "B"))
    cy = by + bar_h + 0.3
    for text, style in lines:
        pdf.set_xy(left, cy)
        pdf.fit_cell(w, LINE, text, style, 7.5 if style else 7, min_size=MIN_PT)
        cy += LINE
    pdf.set_xy(left, cy)
    pdf.fit_cell(w, LINE, lay.text("texts.collection"), "", 7, min_size=MIN_PT)
    cy += LINE
    pdf.set_text_color(*GREY)
    pdf.set_xy(left, cy)
    pdf.fit_cell(w, LINE, lay.text("texts.degraded", number=pdf.ctx.document_number), "", 7,
                 min_size=MIN_PT)
    pdf.set_text_color(*INK)


def _identity_lines(pdf: StockPDF, lay: Layout, file: PatientFile | None,
                    w: float) -> list[tuple[str, str]]:
    if file is None:
        return [(lay.text("texts.name_blank"), ""), (lay.text("texts.born_blank"), "")]
    p = file.patient
    who = identity_lines(pdf.identity_texts, p, file.stay)   # one wording of the identity
    born = lay.text("texts.born", birth=who.birth, sex=p.sex if p.sex in "FMI" else "I")
    whole = who.names
    pdf.set_font(FAMILY, "B", MIN_PT)
    if pdf.get_string_width(whole) <= w - 2 * pdf.c_margin:
        return [(whole, "B"), (born, "")]
    # A long identity: birth name and first names on two lines, each cut with « … » if it
    # still does not fit at 7 pt (the full identity is on the request form and the register).
    return [(_clip(pdf, who.birth_name, w), "B"), (_clip(pdf, who.first_names, w), "B"),
            (born, "")]


def _clip(pdf: StockPDF, text: str, w: float) -> str:
    room = w - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"

