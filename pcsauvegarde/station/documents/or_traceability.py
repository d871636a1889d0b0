"""« Fiche de traçabilité patient — bloc opératoire »: trays used on one intervention."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import (
    GREY,
    INK,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.sterile import (
    BLANK,
    SHORT_BLANK,
    blank_note,
    field_grid,
    gaps_box,
    signature_block,
    value_or_blank,
)
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.sterilisation.papers import OrSheet
from pcsauvegarde.station.theatre.words import procedure_text

KIND = "or_traceability"
TITLE = "Fiche de traçabilité des dispositifs stériles"
MIN_ROWS = 8


def render(data: OrSheet, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE, data, ctx)


def draw(pdf: DocumentPDF, data: OrSheet, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, TITLE, patient=data.patient)
    pdf.add_page()
    case = data.case
    problems = [p for c in data.cards for p in c.problems]
    if data.patient is None:
        problems.insert(0, f"patient IPP {case.ipp} absent des données de la station : "
                           "coller une étiquette patient et vérifier l'identité")
        field_grid(pdf, [("IPP", case.ipp), ("Nom, prénom", BLANK)])
    field_grid(pdf, [("Intervention", procedure_text(case)), ("Salle", value_or_blank(case.room)),
                     ("Date et heure", format_local(case.scheduled_at)),
                     ("Chirurgien", value_or_blank(case.surgeon)),
                     ("Anesthésiste", value_or_blank(case.anaesthetist)),
                     ("IBODE / circulante", BLANK)])
    gaps_box(pdf, problems)
    pdf.section("Plateaux et dispositifs stériles utilisés", "Une ligne par plateau ouvert ; "
                "coller l'étiquette du plateau dans la dernière colonne si possible.")
    columns = [Column("Code plateau", 1.5), Column("Plateau", 2.4), Column("N° circulation", 1.3),
               Column("Stérilisateur / cycle", 1.6), Column("Lot", 1.4),
               Column("Étiquette du plateau", 1.9)]
    rows = []
    for card in data.cards:
        cycle = data.cycles.get(card.code)
        rows.append(Row((card.code, card.name, data.circulations.get(card.code, "") or SHORT_BLANK,
                         f"{cycle.sterilizer} n° {cycle.cycle_number}\n"
                         f"{format_local(cycle.at)}" if cycle else SHORT_BLANK,
                         (cycle.lot or SHORT_BLANK) if cycle else SHORT_BLANK, "\n\n\n")))
    rows += [Row(("\n\n\n", "", "", "", "", ""))] * max(MIN_ROWS - len(rows), 3)
    draw_table(pdf, columns, rows, size=8.5)
    pdf.set_text_color(*GREY)
    pdf.paragraph("À classer dans le dossier patient papier ; à ressaisir dans le logiciel de "
                  "traçabilité au retour du système.", "", 8)
    pdf.set_text_color(*INK)
    blank_note(pdf, "Incidents (plateau incomplet, faute d'asepsie, emballage non intègre…)", 2)
    signature_block(pdf, ["Vérifié par (nom, signature)", "Chirurgien (signature)"])
