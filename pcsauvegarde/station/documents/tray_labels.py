"""« Étiquettes d'identification des plateaux »: A4 sheet (2 × 7) or thermal (100 × 50 mm)."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents.band import MIN_PT
from pcsauvegarde.station.documents.base import FAMILY, GREY, INK
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date, format_local
from pcsauvegarde.station.documents.labels import LINE_H
from pcsauvegarde.station.documents.labelstock import StockPDF, bars_width
from pcsauvegarde.station.documents.sterile import BLANK
from pcsauvegarde.station.sterilisation.papers import TrayLabel, TrayLabels

KIND = "tray_labels"
TITLE = "Étiquettes de plateaux"


@dataclass(frozen=True)
class Stock:
    """Label stock geometry (mm)."""

    page_w: float
    page_h: float
    columns: int
    rows: int
    label_w: float
    label_h: float
    top: float
    left: float
    gap_x: float
    padding: float

    @property
    def footer_room(self) -> float:
        return self.page_h - self.top - self.rows * self.label_h


# 2 × 7 of 99,1 × 38,1 mm (the common A4 stock); a 100 × 50 mm roll for thermal printers.
STOCKS = {"sheet": Stock(210, 297, 2, 7, 99.1, 38.1, 15.15, 4.65, 2.5, 3.0),
          "thermal": Stock(100, 50, 1, 1, 100, 50, 0, 0, 0, 3.0)}


def render(data: TrayLabels, ctx: DocumentContext) -> bytes:
    """One label per (tray, circulation number), on the chosen stock (pure)."""
    stock = STOCKS[data.stock]
    pdf = StockPDF(ctx, TITLE)
    pdf.set_stock_title(TITLE)
    per_page = stock.columns * stock.rows
    for k, label in enumerate(data.labels):
        if k % per_page == 0:
            pdf.add_stock_page(stock.page_w, stock.page_h, stock.footer_room)
        row, col = divmod(k % per_page, stock.columns)
        draw_label(pdf, stock, label, stock.left + col * (stock.label_w + stock.gap_x),
                   stock.top + row * stock.label_h)
    if not data.labels:
        pdf.add_document_page(TITLE)
        pdf.paragraph("Aucune étiquette : aucun plateau choisi.", "B")
    return pdf.output_bytes()


def draw_label(pdf: StockPDF, stock: Stock, label: TrayLabel, x: float, y: float) -> None:
    """One tray label with its top-left corner at (x, y); nothing under 7 pt, nothing out.

    The circulation number's Code 128 sits top right, the tray code's at the bottom (left out
    when too long for the label: the code is then printed whole in words, and the circulation
    number leads to the tray).
    """
    card, circ = label.card, label.circulation
    pad = stock.padding
    left, top = x + pad, y + pad
    w, h = stock.label_w - 2 * pad, stock.label_h - 2 * pad
    big = stock.label_h >= 45
    circ_h = 9.0 if big else 6.5
    circ_w = bars_width(circ.number)
    pdf.bars(circ.number, left + w - circ_w + 1, top, circ_h)
    pdf.set_xy(left + w - circ_w + 1, top + circ_h)
    pdf.fit_cell(circ_w, 3, circ.number, "B", 7.5, "C")
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    degraded, _ = pdf.fit_lines(w, f"MODE DÉGRADÉ — données du {date} · N° "
                                   f"{pdf.ctx.document_number} · p. {pdf.page_no()}/{{nb}}",
                                "", MIN_PT, 2)
    foot_h = LINE_H * len(degraded)
    code_h = 6.0 if big else 4.0
    code_ok = bars_width(card.code) <= w + 2
    code_top = top + h - foot_h - code_h - 0.3
    expiry = format_date(circ.expiry) if circ.expiry else f"{BLANK} (à calculer)"
    if code_ok:
        code_lines = [(card.code, "B", 9 if big else 8.5)]
    else:   # no room for its bars: the whole code in words, on two lines if need be
        wrapped, size = pdf.fit_lines(w - circ_w - 1, card.code, "B", 8.5, 2)
        code_lines = [(line, "B", size) for line in wrapped]
    lines = [*code_lines, (card.name, "", 7.5),
             (f"Destination : {card.unit_name or card.unit or BLANK}", "", 7.5),
             (f"Circulation N° {circ.number}", "B", 7.5),
             (f"Recomposé le {format_date(circ.recomposed_on)} par "
              f"{circ.operator or BLANK}", "", 7),
             (f"À utiliser avant le {expiry}", "B", 8)]
    lh = 3.6 if big else LINE_H
    text_bottom = code_top if code_ok else top + h - foot_h
    cy = top
    pdf.set_text_color(*INK)
    for text, style, size in lines:
        if cy + lh > text_bottom + 0.01:
            break   # never over the code: the last lines are the least needed
        pdf.set_xy(left, cy)
        pdf.fit_cell(w - circ_w - 1 if cy < top + circ_h + 3 else w, lh, text, style, size)
        cy += lh
    if code_ok:
        pdf.bars(card.code, left - 1, code_top, code_h)
    pdf.set_text_color(*GREY)
    cy = top + h - foot_h
    for line in degraded:
        pdf.set_xy(left, cy)
        pdf.fit_cell(w, LINE_H, line, "", MIN_PT)
        cy += LINE_H
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 9)
