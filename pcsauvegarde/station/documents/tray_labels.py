"""« Étiquettes d'identification des plateaux »: A4 sheet (2 × 7) or thermal (100 × 50 mm)."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents.base import FAMILY, GREY, INK
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date, format_local
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
    """One tray label with its top-left corner at (x, y)."""
    card, circ = label.card, label.circulation
    pad = stock.padding
    left, top = x + pad, y + pad
    w, h = stock.label_w - 2 * pad, stock.label_h - 2 * pad
    big = stock.label_h >= 45
    circ_h = 9.0 if big else 7.0
    circ_w = bars_width(circ.number)
    pdf.bars(circ.number, left + w - circ_w + 1, top, circ_h)
    pdf.set_xy(left + w - circ_w + 1, top + circ_h)
    pdf.fit_cell(circ_w, 3, circ.number, "B", 7, "C", min_size=5)
    text_w = w - circ_w - 1
    expiry = format_date(circ.expiry) if circ.expiry else f"{BLANK} (à calculer)"
    lines = [(f"{card.code}", "B", 9 if big else 8.5),
             (card.name, "", 7.5),
             (f"Destination : {card.unit_name or card.unit or BLANK}", "", 7.5),
             (f"Circulation N° {circ.number}", "B", 7.5),
             (f"Recomposé le {format_date(circ.recomposed_on)} par "
              f"{circ.operator or BLANK}", "", 7),
             (f"À utiliser avant le {expiry}", "B", 8)]
    lh = 3.6 if big else 3.05
    cy = top
    pdf.set_text_color(*INK)
    for k, (text, style, size) in enumerate(lines):
        pdf.set_xy(left, cy)
        width = text_w if cy < top + circ_h + 3 else w
        pdf.fit_cell(width, lh, text, style, size, min_size=5 if k == 1 else 6)
        cy += lh
    code_h = 6.0 if big else 4.5
    by = top + h - 2.6 - code_h
    if bars_width(card.code) <= w + 2:
        pdf.bars(card.code, left - 1, by, code_h)
        pdf.set_xy(left - 1 + bars_width(card.code), by + code_h - 3)
        pdf.set_text_color(*GREY)
        pdf.fit_cell(max(w - bars_width(card.code), 2), 3, "code plateau", "", 6, min_size=4)
    pdf.set_text_color(*GREY)
    pdf.set_xy(left, top + h - 2.4)
    date = format_local(pdf.ctx.extracted_at) if pdf.ctx.extracted_at else "date inconnue"
    pdf.fit_cell(w, 2.4, f"MODE DÉGRADÉ — données du {date} · N° {pdf.ctx.document_number} · "
                         f"p. {pdf.page_no()}/{{nb}}", "", 5, min_size=3.8)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 9)
