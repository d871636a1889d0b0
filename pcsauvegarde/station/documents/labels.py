"""« Étiquettes patient »: a sheet of identity labels for one patient, on A4 label stock."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, format_ins
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_date, format_local
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
    "texts.title": Text(), "texts.provisional": Text(), "texts.used_name": Text(("used_name",)),
    "texts.born": Text(("born", "birth_date", "sex")), "texts.ids": Text(("ipp", "nda")),
    "texts.ins": Text(("ins",)), "texts.where": Text(("unit", "room")),
    "texts.degraded": Text(("date", "number", "page")),
}
BORN = {"F": "Née", "M": "Né"}


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
           start: int = 1, templates_dir: Path | str | None = None) -> bytes:
    """``count`` labels of one patient from position ``start`` of the first sheet (pure)."""
    lay = load(templates_dir)
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
    """One identity label with its top-left corner at (x, y)."""
    p, stay = file.patient, file.stay
    pad = lay["sheet.padding"]
    w = lay["sheet.label_width"] - 2 * pad
    h = lay["sheet.label_height"] - 2 * pad
    left, top = x + pad, y + pad
    nda = stay.id if stay else ""
    bar_h = lay["content.barcode_height"]
    lines: list[tuple[str, str, float, float]] = [
        (f"{p.birth_name.upper()}  {p.first_names}", "B", 8.5, 3.6)]
    if p.used_name and p.used_name.casefold() != p.birth_name.casefold():
        lines.append((lay.text("texts.used_name", used_name=p.used_name.upper()), "", 6.5, 2.9))
    lines.append((lay.text("texts.born", born=BORN.get(p.sex, "Né(e)"),
                           birth_date=format_date(p.birth_date), sex=p.sex), "", 7, 3.1))
    lines.append((lay.text("texts.ids", ipp=p.id, nda=nda or "—").strip(), "B", 7, 3.1))
    optional = []
    if p.ins:
        optional.append((lay.text("texts.ins", ins=format_ins(p.ins)), "", 6.5, 2.9))
    if stay is not None:
        room = " ".join(x for x in (f"ch. {stay.room}" if stay.room else "",
                                    f"lit {stay.bed}" if stay.bed else "") if x)
        optional.append((lay.text("texts.where", unit=file.unit_name or stay.unit, room=room)
                         .strip(), "", 6.5, 2.9))
    room_left = h - bar_h - 3.0 - sum(line[3] for line in lines)
    for line in optional:  # a short label drops the optional lines rather than overflow
        if line[3] <= room_left:
            lines.append(line)
            room_left -= line[3]
    pdf.set_text_color(*INK)
    cy = top
    for text, style, size, lh in lines:
        pdf.set_xy(left, cy)
        pdf.fit_cell(w, lh, text, style, size, min_size=4.5)
        cy += lh
    value = nda if lay["content.barcode"] == "nda" and nda else p.id
    by = top + h - 2.6 - bar_h
    bx = left - 1.0  # the quiet zone may eat into the padding, not the bars
    code_w = pdf.bars(value, bx, by, bar_h)
    if file.provisional:
        pdf.set_xy(bx + code_w, by + 0.5)
        pdf.fit_cell(max(w - code_w + 1, 5), 3, lay.text("texts.provisional"), "B", 6.5,
                     min_size=4)
    pdf.set_text_color(*GREY)
    pdf.set_xy(left, top + h - 2.4)
    page = f"{pdf.page_no()}/{{nb}}"
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    pdf.fit_cell(w, 2.4, lay.text("texts.degraded", date=date, number=pdf.ctx.document_number,
                                  page=page), "", 5, min_size=3.8)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 9)
