"""« Formulaire de réception » (trays back from a unit) and « Bon de livraison » (to a unit)."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date
from pcsauvegarde.station.documents.sterile import (
    BLANK,
    CHECK_BOX,
    SHORT_BLANK,
    blank_note,
    field_grid,
    gaps_box,
    signature_block,
)
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.sterilisation.papers import DELIVERY, RECEPTION, TransferNote

RECEPTION_KIND = "tray_reception"
DELIVERY_KIND = "tray_delivery"
RECEPTION_TITLE = "Formulaire de réception des plateaux"
DELIVERY_TITLE = "Bon de livraison des plateaux"
KIND_OF = {RECEPTION: RECEPTION_KIND, DELIVERY: DELIVERY_KIND}
TITLE_OF = {RECEPTION: RECEPTION_TITLE, DELIVERY: DELIVERY_TITLE}
MIN_ROWS = 12


def render(data: TransferNote, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE_OF[data.kind], data, ctx)


def draw(pdf: DocumentPDF, data: TransferNote, ctx: DocumentContext) -> None:
    delivery = data.kind == DELIVERY
    pdf.begin_document(ctx, TITLE_OF[data.kind])
    pdf.add_page()
    unit = (f"{data.unit_name} ({data.unit})" if data.unit and data.unit_name != data.unit
            else data.unit_name or data.unit or BLANK)
    field_grid(pdf, [("Unité destinataire" if delivery else "Unité d'origine", unit),
                     ("Date et heure", BLANK),
                     ("Livré par" if delivery else "Rapporté par", BLANK),
                     ("Reçu par", BLANK)])
    problems = [p for c in data.cards for p in c.problems]
    missing = [c.code for c in data.cards if c.tray and c.code not in data.circulations]
    if delivery and missing:
        problems.append("aucune étiquette imprimée sur ce poste pour " + ", ".join(missing)
                        + " : recopier le N° de circulation de l'étiquette du plateau")
    gaps_box(pdf, problems)
    if delivery:
        columns = [Column("Code plateau", 1.7), Column("Plateau", 3.2),
                   Column("N° circulation", 1.4), Column("Péremption", 1.1),
                   Column("Livré", 0.6, "C")]
    else:
        columns = [Column("Code plateau", 1.6), Column("Plateau", 2.8),
                   Column("N° circulation", 1.3), Column("Complet", 0.8, "C"),
                   Column("Prédésinfecté", 1.1, "C"), Column("Remarque", 1.6)]
    rows = []
    for card in data.cards:
        number = data.circulations.get(card.code, "")
        if delivery:
            rows.append(Row((card.code, card.name, number or SHORT_BLANK,
                             format_date(card.expiry) if card.expiry else SHORT_BLANK,
                             CHECK_BOX)))
        else:
            rows.append(Row((card.code, card.name, number, CHECK_BOX, CHECK_BOX, "")))
    blank = max(MIN_ROWS - len(rows), 3)
    rows += [Row(("\n", "", "", "", CHECK_BOX) if delivery else
                 ("\n", "", "", CHECK_BOX, CHECK_BOX, ""))] * blank
    draw_table(pdf, columns, rows, size=8.5)
    blank_note(pdf, "Remarques (plateau incomplet, instrument manquant, emballage abîmé…)", 2)
    signature_block(pdf, ["Livré par (signature)" if delivery else "Rapporté par (signature)",
                          "Reçu par (nom, signature)"])
