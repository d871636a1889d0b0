"""« Bracelet d'identification »: identity traits and Code 128 of the IPP (and NDA)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, format_ins
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_date, format_local
from pcsauvegarde.station.documents.labels import BORN
from pcsauvegarde.station.documents.labelstock import (
    Choice,
    Layout,
    Number,
    Spec,
    StockPDF,
    Text,
    bars_width,
    load_layout,
)
from pcsauvegarde.station.documents.templates import TemplateError

KIND = "wristband"
TITLE = "Bracelet d'identification"
SPEC: Spec = {
    "band.mode": Choice(("a4", "band")), "band.width": Number(150, 290),
    "band.height": Number(15, 40), "band.count": Number(1, 4, True),
    "band.closure_left": Number(0, 80), "band.closure_right": Number(0, 80),
    "band.padding": Number(0, 5), "band.offset_x": Number(-20, 20),
    "band.offset_y": Number(-20, 20),
    "content.barcodes": Choice(("ipp", "ipp+nda")), "content.barcode_height": Number(5, 30),
    "texts.title": Text(), "texts.instructions": Text(), "texts.provisional": Text(),
    "texts.born": Text(("born", "birth_date", "sex")), "texts.used_name": Text(("used_name",)),
    "texts.ids": Text(("ipp", "nda")), "texts.where": Text(("unit", "room")),
    "texts.degraded": Text(("date", "number")),
}
A4_LONG, A4_SHORT = 297.0, 210.0
BAND_GAP = 12.0


def load(templates_dir: Path | str | None = None) -> Layout:
    lay = load_layout(KIND, SPEC, templates_dir)
    if lay["content.barcode_height"] > lay["band.height"] - 9:
        raise TemplateError(f"{lay.path} : clé « content.barcode_height » : au plus "
                            f"{lay['band.height'] - 9:g} mm pour un bracelet de "
                            f"{lay['band.height']:g} mm")
    return lay


def render(file: PatientFile, ctx: DocumentContext, *,
           templates_dir: Path | str | None = None) -> bytes:
    """The wristband of one patient as PDF bytes (pure)."""
    lay = load(templates_dir)
    pdf = StockPDF(ctx, lay.text("texts.title"))
    pdf.patient_file = file
    add_wristband_pages(pdf, lay, file)
    return pdf.output_bytes()


def add_wristband_pages(pdf: StockPDF, lay: Layout, file: PatientFile) -> None:
    """Append the wristband page (A4 with cut marks, or a page the size of the band)."""
    bw, bh = lay["band.width"], lay["band.height"]
    if lay["band.mode"] == "band":
        pdf.add_stock_page(bw, bh, 0.0)
        draw_band(pdf, lay, file, lay["band.offset_x"], lay["band.offset_y"], cut_marks=False)
        return
    if bw > A4_LONG - 8:
        raise TemplateError(f"{lay.path} : bracelet de {bw:g} mm trop long pour une feuille A4")
    pdf.patient_file = file
    pdf.add_document_page(lay.text("texts.title"), landscape=True)
    pdf.set_text_color(*INK)
    pdf.paragraph(lay.text("texts.instructions"), size=9)
    if file.provisional:
        pdf.paragraph(lay.text("texts.provisional"), style="B", size=10)
    top = pdf.get_y() + 5
    x = (A4_LONG - bw) / 2 + lay["band.offset_x"]
    bottom = A4_SHORT - 24 - 2
    for i in range(lay["band.count"]):
        y = top + i * (bh + BAND_GAP) + lay["band.offset_y"]
        if y + bh > bottom:
            raise TemplateError(f"{lay.path} : {lay['band.count']} bracelets ne tiennent pas "
                                "sur la feuille (réduire « band.count »)")
        draw_band(pdf, lay, file, x, y, cut_marks=True)


def draw_band(pdf: StockPDF, lay: Layout, file: PatientFile, x: float, y: float, *,
              cut_marks: bool) -> None:
    """One band with its top-left corner at (x, y)."""
    p, stay = file.patient, file.stay
    bw, bh = lay["band.width"], lay["band.height"]
    if cut_marks:
        _cut_marks(pdf, x, y, bw, bh)
    pad = lay["band.padding"]
    left = x + lay["band.closure_left"]
    right = x + bw - lay["band.closure_right"]
    nda = stay.id if stay else ""
    values = [("IPP", p.id)]
    if lay["content.barcodes"] == "ipp+nda" and nda:
        values.append(("NDA", nda))
    bar_h = lay["content.barcode_height"]
    codes_w = sum(bars_width(v) for _, v in values) + 2 * (len(values) - 1)
    text_w = right - left - codes_w - 3
    if text_w < 60:
        raise TemplateError(f"{lay.path} : bracelet trop court pour l'identité et les codes-barres")
    lines: list[tuple[str, str, float, float]] = [
        (f"{p.birth_name.upper()}  {p.first_names}", "B", 10, 4.6)]
    born = lay.text("texts.born", born=BORN.get(p.sex, "Né(e)"),
                    birth_date=format_date(p.birth_date), sex=p.sex)
    if p.used_name and p.used_name.casefold() != p.birth_name.casefold():
        born += " · " + lay.text("texts.used_name", used_name=p.used_name.upper())
    lines.append((born, "", 7.5, 3.4))
    ids = lay.text("texts.ids", ipp=p.id, nda=nda or "—")
    if p.ins:
        ids += f"   INS {format_ins(p.ins)}"
    lines.append((ids, "B", 7.5, 3.4))
    if stay is not None:
        room = " ".join(v for v in (f"ch. {stay.room}" if stay.room else "",
                                    f"lit {stay.bed}" if stay.bed else "") if v)
        lines.append((lay.text("texts.where", unit=file.unit_name or stay.unit, room=room)
                      .strip(), "", 6.5, 3.0))
    cy = y + pad
    for text, style, size, lh in lines:
        pdf.set_xy(left, cy)
        pdf.fit_cell(text_w, lh, text, style, size, min_size=5)
        cy += lh
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    degraded = lay.text("texts.degraded", date=date, number=pdf.ctx.document_number)
    if file.provisional:
        degraded = f"{lay.text('texts.provisional')} · {degraded}"
    pdf.set_text_color(*GREY)
    pdf.set_xy(left, y + bh - pad - 2.8)
    pdf.fit_cell(text_w, 2.8, degraded, "B" if file.provisional else "", 5.5, min_size=4)
    pdf.set_text_color(*INK)
    bx = left + text_w + 3
    by = y + (bh - bar_h - 3) / 2
    for label, value in values:
        width = pdf.bars(value, bx, by, bar_h)
        pdf.set_xy(bx, by + bar_h + 0.2)
        pdf.set_font(FAMILY, "", 6)
        pdf.cell(width, 2.6, f"{label} {value}", align="C")
        bx += width + 2
    pdf.set_font(FAMILY, "", 9)


def _cut_marks(pdf: StockPDF, x: float, y: float, w: float, h: float) -> None:
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.rect(x, y, w, h)
    tick = 4.0
    for cx in (x, x + w):
        for cy in (y, y + h):
            sx = -1 if cx == x else 1
            sy = -1 if cy == y else 1
            pdf.line(cx + sx * 1, cy, cx + sx * (1 + tick), cy)
            pdf.line(cx, cy + sy * 1, cx, cy + sy * (1 + tick))
    pdf.set_draw_color(0)
