"""« Liste de composition / recomposition »: one tray a page (or more), lines to check, signed."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import (
    FAMILY,
    GREY,
    INK,
    MARGIN,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date
from pcsauvegarde.station.documents.sterile import (
    BLANK,
    CHECK_BOX,
    blank_note,
    expiry_text,
    field_grid,
    gaps_box,
    signature_block,
    value_or_blank,
)
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.sterilisation.catalogue import TrayCard
from pcsauvegarde.station.sterilisation.papers import TrayLists

KIND = "tray_list"
TITLE = "Liste de composition / recomposition"
BLANK_ROWS = 12     # rows to write on when the data has no composition for a tray
EXTRA_ROWS = 2      # rows for an instrument added by hand under a known composition


def render(data: TrayLists, ctx: DocumentContext) -> bytes:
    """Every tray of ``data``, each from a new page (pure: data in, bytes out)."""
    return render_document(draw, TITLE, data, ctx)


def draw(pdf: DocumentPDF, data: TrayLists, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, TITLE)
    if not data.cards:
        pdf.add_page()
        gaps_box(pdf, ["aucun plateau choisi ou trouvé : rien à imprimer pour cette demande"])
        return
    for card in data.cards:
        pdf.add_page()
        draw_tray(pdf, card, data)


def draw_tray(pdf: DocumentPDF, card: TrayCard, data: TrayLists) -> None:
    """One tray's header, gaps, instrument lines with a check column, remarks, signature."""
    tray = card.tray
    if data.heading:
        pdf.set_text_color(*GREY)
        pdf.paragraph(data.heading, "", 8.5)
        pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "B", 12)
    for line in pdf.wrap_words(pdf.epw, f"{card.code} — {card.name}")[:4]:
        pdf.set_x(MARGIN)
        pdf.cell(pdf.epw, 5.8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    code_barcode(pdf, card.code)
    packaging = card.packaging_label or (tray.packaging if tray else "")
    if card.shelf_life:
        packaging += f" (validité {card.shelf_life})"
    field_grid(pdf, [
        ("Unité propriétaire", value_or_blank(f"{card.unit_name} ({card.unit})"
                                              if card.unit and card.unit_name != card.unit
                                              else card.unit_name)),
        ("Emballage", value_or_blank(packaging)),
        ("Date de recomposition", format_date(data.recomposed_on)),
        ("Opérateur", value_or_blank(data.operator)),
        ("À utiliser avant le", expiry_text(card)),
        ("Nombre d'instruments", str(sum(x.quantity for x in tray.composition))
         if tray and tray.composition else BLANK),
    ])
    gaps_box(pdf, card.problems)
    columns = [Column("Instrument", 5.0), Column("Référence", 1.6), Column("Qté", 0.6, "C"),
               Column("Contrôle", 1.3, "C"), Column("Remarque", 1.6)]
    lines = tray.composition if tray else ()
    rows = [Row((x.instrument, x.ref or "", str(x.quantity), CHECK_BOX, "")) for x in lines]
    blank = BLANK_ROWS if not lines else EXTRA_ROWS
    if not lines:
        pdf.paragraph("COMPOSITION ABSENTE DES DONNÉES : lister les instruments à la main "
                      "ci-dessous.", "B", 9.5)
    rows += [Row(("\n", "", "", CHECK_BOX, ""))] * blank
    draw_table(pdf, columns, rows, size=9)
    blank_note(pdf, "Instruments manquants, remplacés ou défectueux", 2)
    signature_block(pdf, ["Recomposé par (nom, signature)", "Contrôlé par (nom, signature)"])


def code_barcode(pdf: DocumentPDF, value: str, height: float = 8) -> None:
    """The tray code under the title: Code 128, or a QR code when too long for the page."""
    y = pdf.y
    width, h = pdf.patient_code(value, MARGIN - 3, y, pdf.epw - 40, height)
    pdf.set_xy(MARGIN + width, y + h - 4)
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(40, 4, "code du plateau")
    pdf.set_xy(MARGIN, y + h + 2)
