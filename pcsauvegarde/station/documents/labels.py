"""« Étiquettes patient »: a sheet of identity labels for one patient, on A4 label stock."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.band import MIN_PT
from pcsauvegarde.station.documents.base import FAMILY, GREY, INK
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.identity import identity_lines
from pcsauvegarde.station.documents.labelstock import (
    Choice,
    Layout,
    Number,
    Spec,
    StockPDF,
    Text,
    load_layout,
)
from pcsauvegarde.station.documents.templates import TemplateError

KIND = "labels"
TITLE = "Étiquettes patient"
MM = Number(0.0, 500.0)
SPEC: Spec = {
    "sheet.page_width": Number(50, 500), "sheet.page_height": Number(50, 500),
    "sheet.columns": Number(1, 10, True), "sheet.rows": Number(1, 30, True),
    "sheet.label_width": Number(20, 300), "sheet.label_height": Number(15, 300),
    "sheet.margin_top": MM, "sheet.margin_left": MM, "sheet.gap_x": Number(0, 50),
    "sheet.gap_y": Number(0, 50), "sheet.offset_x": Number(-20, 20),
    "sheet.offset_y": Number(-20, 20), "sheet.padding": Number(0, 10),
    "content.barcode": Choice(("ipp", "nda")), "content.barcode_height": Number(4, 20),
    "content.default_count": Number(1, 1000, True), "content.max_count": Number(1, 1000, True),
    "texts.title": Text(), "texts.degraded": Text(("date", "number", "page")),
}
LINE_H = 3.1     # mm a line of 7–8.5 pt
QR_MODULE = 0.4  # mm: a 64-character identifier in 16.4 mm, two name lines above it


def load(templates_dir: Path | str | None = None) -> Layout:
    """The label layout, checked: the grid MUST fit on the page."""
    lay = load_layout(KIND, SPEC, templates_dir)
    right = (lay["sheet.margin_left"] + lay["sheet.columns"] * lay["sheet.label_width"]
             + (lay["sheet.columns"] - 1) * lay["sheet.gap_x"])
    if right > lay["sheet.page_width"] + 0.01 or footer_room(lay) < -0.01:
        raise TemplateError(f"{lay.path} : la grille d'étiquettes dépasse de la page "
                            "(vérifier colonnes, lignes, tailles, marges et espacements)")
    return lay


def footer_room(lay: Layout) -> float:
    """Blank mm under the last row of labels."""
    bottom = (lay["sheet.margin_top"] + lay["sheet.rows"] * lay["sheet.label_height"]
              + (lay["sheet.rows"] - 1) * lay["sheet.gap_y"])
    return lay["sheet.page_height"] - bottom


def render(file: PatientFile, ctx: DocumentContext, *, count: int | None = None,
           start: int = 1) -> bytes:
    """``count`` labels of one patient from position ``start`` of the first sheet (pure)."""
    lay = load(ctx.templates_dir)
    pdf = StockPDF(ctx, lay.text("texts.title"))
    add_label_pages(pdf, lay, file, count, start)
    return pdf.output_bytes()


def add_label_pages(pdf: StockPDF, lay: Layout, file: PatientFile, count: int | None = None,
                    start: int = 1) -> None:
    """Append label sheets for ``file`` to ``pdf``."""
    count = lay["content.default_count"] if count is None else count
    per_page = lay["sheet.columns"] * lay["sheet.rows"]
    if not 1 <= count <= lay["content.max_count"]:
        raise TemplateError(f"nombre d'étiquettes {count} hors limites "
                            f"(1 à {lay['content.max_count']})")
    if not 1 <= start <= per_page:
        raise TemplateError(f"position de départ {start} hors limites (1 à {per_page})")
    pdf.set_stock_title(lay.text("texts.title"))
    position = start - 1
    for i in range(count):
        if i == 0 or position % per_page == 0:
            pdf.add_stock_page(lay["sheet.page_width"], lay["sheet.page_height"],
                               footer_room(lay))
        row, col = divmod(position % per_page, lay["sheet.columns"])
        x = (lay["sheet.margin_left"] + lay["sheet.offset_x"]
             + col * (lay["sheet.label_width"] + lay["sheet.gap_x"]))
        y = (lay["sheet.margin_top"] + lay["sheet.offset_y"]
             + row * (lay["sheet.label_height"] + lay["sheet.gap_y"]))
        draw_label(pdf, lay, file, x, y)
        position += 1


def draw_label(pdf: StockPDF, lay: Layout, file: PatientFile, x: float, y: float) -> None:
    """One identity label with its top-left corner at (x, y); nothing under 7 pt, nothing out.

    The code (Code 128, or QR when the identifier is too long for one) sits at the bottom, the
    degraded-mode line under it; identity lines fill the rest in order of importance (birth
    name and first names, birth date and sex, IPP, NDA, then used name, INS, unit), each shrunk
    then cut with « … » — the code always holds the whole identifier.
    """
    p, stay = file.patient, file.stay
    pad = lay["sheet.padding"]
    w = lay["sheet.label_width"] - 2 * pad
    h = lay["sheet.label_height"] - 2 * pad
    left, top = x + pad, y + pad
    who = identity_lines(pdf.identity_texts, p, stay, unit_name=file.unit_name,
                         provisional=file.provisional)
    value = stay.id if lay["content.barcode"] == "nda" and stay is not None else p.id
    page = f"{pdf.page_no()}/{{nb}}"
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    degraded, _ = pdf.fit_lines(w, lay.text("texts.degraded", date=date,
                                            number=pdf.ctx.document_number, page=page),
                                "", MIN_PT, 2)
    foot_h = LINE_H * len(degraded)
    # The quiet zones of the code may eat into the padding, never the bars.
    code_w, code_h = pdf.code_size(value, w + 2, lay["content.barcode_height"], QR_MODULE)
    qr = code_h != lay["content.barcode_height"]
    code_top = top + h - foot_h - code_h - (0 if qr else 0.3)
    code_x = left + w + 1 - code_w if qr else left - 1
    # A QR sits at the right: lines beside it are narrower; a Code 128 spans the width.
    text_bottom = top + h - foot_h if qr else code_top

    def width_at(cy: float) -> float:
        return w - code_w + 0.5 if qr and cy + LINE_H > code_top else w

    names = [(who.names, "B", 8.5)]
    pdf.set_font(FAMILY, "B", MIN_PT)
    if pdf.get_string_width(who.names) > width_at(top) - 2 * pdf.c_margin:
        names = [(who.birth_name, "B", 8.5), (who.first_names, "B", 8)]
    born = " · ".join(v for v in (who.birth, who.sex) if v)
    required = [*names, (who.provisional, "B", 7.5), (born, "", 7.5)]
    ids = f"{who.ipp}  {who.nda}".strip()
    pdf.set_font(FAMILY, "B", MIN_PT)
    if pdf.get_string_width(ids) <= width_at(top + LINE_H * 4) - 2 * pdf.c_margin:
        required.append((ids, "B", 7.5))
    else:
        required += [(who.ipp, "B", 7.5), (who.nda, "B", 7.5)]
    lines = [line for line in required if line[0]]
    room = int((text_bottom - top + 0.01) // LINE_H) - len(lines)
    # A short label drops the optional lines rather than overflow: used name, INS, unit.
    optional = [line for line in ((who.used, "", 7), (who.ins, "", 7), (who.where, "", 7))
                if line[0]][:max(room, 0)]
    if optional and optional[0][0] == who.used:   # the used name reads with the names
        lines.insert(len(names), optional.pop(0))
    lines += optional
    pdf.set_text_color(*INK)
    cy = top
    for text, style, size in lines[:max(int((text_bottom - top + 0.01) // LINE_H), 0)]:
        pdf.set_xy(left, cy)
        pdf.fit_cell(width_at(cy), LINE_H, text, style, size)
        cy += LINE_H
    if qr:
        pdf.qr(value, code_x, code_top, QR_MODULE)
    else:
        pdf.bars(value, code_x, code_top, code_h)
    pdf.set_text_color(*GREY)
    cy = top + h - foot_h
    for line in degraded:
        pdf.set_xy(left, cy)
        pdf.fit_cell(w, LINE_H, line, "", MIN_PT)
        cy += LINE_H
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 9)
