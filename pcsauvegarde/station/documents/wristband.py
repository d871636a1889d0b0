"""« Bracelet d'identification »: identity traits and codes of the IPP (and NDA)."""

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
    "texts.degraded": Text(("date", "number")),
}
A4_LONG, A4_SHORT = 297.0, 210.0
BAND_GAP = 12.0
LINE_H = 3.2          # mm a line of 7–7.5 pt
CODE_GAP = 2.0
MIN_TEXT_W = 110.0    # mm of text wanted beside the codes; longer codes become QR codes
BAND_QR_MODULE = 0.4  # mm: a 64-character identifier stays under 17 mm on a 25 mm band


def load(templates_dir: Path | str | None = None) -> Layout:
    lay = load_layout(KIND, SPEC, templates_dir)
    if lay["content.barcode_height"] > lay["band.height"] - 9:
        raise TemplateError(f"{lay.path} : clé « content.barcode_height » : au plus "
                            f"{lay['band.height'] - 9:g} mm pour un bracelet de "
                            f"{lay['band.height']:g} mm")
    return lay


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """The wristband of one patient as PDF bytes (pure)."""
    lay = load(ctx.templates_dir)
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
    """One band with its top-left corner at (x, y); nothing under 7 pt, nothing out.

    Identifiers too long for a Code 128 in the room left get a QR code; identity lines are
    shrunk then cut with « … » (the codes hold the whole identifiers).
    """
    p, stay = file.patient, file.stay
    bw, bh = lay["band.width"], lay["band.height"]
    if cut_marks:
        _cut_marks(pdf, x, y, bw, bh)
    pad = lay["band.padding"]
    left = x + lay["band.closure_left"]
    right = x + bw - lay["band.closure_right"]
    inner = bh - 2 * pad
    who = identity_lines(pdf.identity_texts, p, stay, unit_name=file.unit_name,
                         provisional=file.provisional)
    values = [("IPP", p.id)]
    if lay["content.barcodes"] == "ipp+nda" and stay is not None:
        values.append(("NDA", stay.id))
    bar_h = lay["content.barcode_height"]
    budget = (right - left - MIN_TEXT_W) / len(values) - CODE_GAP
    sizes = [pdf.code_size(v, budget, bar_h, BAND_QR_MODULE) for _, v in values]
    codes_w = sum(w for w, _ in sizes) + CODE_GAP * (len(values) - 1)
    text_w = right - left - codes_w - 3
    if text_w < MIN_TEXT_W / 2:
        raise TemplateError(f"{lay.path} : bracelet trop court pour l'identité et les codes "
                            "(réduire « band.closure_left » ou « band.closure_right »)")
    born = " · ".join(v for v in (who.birth, who.sex, who.used) if v)
    ids = f"{who.ipp}   {who.nda}".strip()
    pdf.set_font(FAMILY, "B", MIN_PT)
    split = pdf.get_string_width(ids) > text_w - 2 * pdf.c_margin
    lines = [(who.names, "B", 10, 4.6), (born, "", 7.5, LINE_H)]
    lines += ([(who.ipp, "B", 7.5, LINE_H), (who.nda, "B", 7.5, LINE_H)] if split
              else [(ids, "B", 7.5, LINE_H)])
    lines += [(who.ins, "", 7, LINE_H), (who.where, "", 7, LINE_H)]
    lines = [line for line in lines if line[0]]
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    degraded = lay.text("texts.degraded", date=date, number=pdf.ctx.document_number)
    if file.provisional:
        degraded = f"{who.provisional} · {degraded}"
    room = inner - LINE_H   # the degraded-mode line keeps its place at the bottom
    cy = y + pad
    for text, style, size, lh in lines:   # the last (least important) lines give way
        if cy + lh > y + pad + room + 0.01:
            break
        pdf.set_xy(left, cy)
        pdf.fit_cell(text_w, lh, text, style, size)
        cy += lh
    pdf.set_text_color(*GREY)
    pdf.set_xy(left, y + bh - pad - LINE_H)
    pdf.fit_cell(text_w, LINE_H, degraded, "B" if file.provisional else "", MIN_PT)
    pdf.set_text_color(*INK)
    bx = left + text_w + 3
    for (label, value), (w, h) in zip(values, sizes, strict=True):
        if h == bar_h:   # Code 128 with its caption under it
            by = y + (bh - bar_h - LINE_H) / 2
            pdf.bars(value, bx, by, bar_h)
            pdf.set_xy(bx, by + bar_h + 0.2)
            pdf.fit_cell(w, LINE_H - 0.4, f"{label} {value}", "", MIN_PT, align="C")
        else:            # QR, its caption beside the symbol inside the quiet zone's height
            by = y + (bh - h - LINE_H) / 2
            pdf.qr(value, bx, by, BAND_QR_MODULE)
            pdf.set_xy(bx, by + h - 4 * BAND_QR_MODULE + 0.2)
            pdf.fit_cell(w, LINE_H - 0.4, label, "B", MIN_PT, align="C")
        bx += w + CODE_GAP
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
