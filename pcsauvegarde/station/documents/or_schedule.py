"""« Planning des interventions »: one Paris day of the OR, per room (landscape)."""

from __future__ import annotations

from pcsauvegarde.station.documents import identity
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_time, to_local
from pcsauvegarde.station.documents.identity import identity_lines
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template
from pcsauvegarde.station.theatre.model import OrLine, OrSchedule
from pcsauvegarde.station.theatre.words import procedure_text, status_text

KIND = "or_schedule"
TITLE = "Planning des interventions"
# document numbers (traceability sheets) and identifiers: one a line, shrunk, never broken
COLUMNS = (("Heure", 0.75, False), ("Patient", 2.0, False), ("IPP / NDA", 1.45, True),
           ("Intervention, chirurgien, anesthésiste", 2.3, False), ("Allergies", 1.4, False),
           ("Groupe sanguin · RAI", 2.0, False), ("Plateaux prévus", 1.7, False),
           ("Fiche de traçabilité n°", 1.9, True), ("Statut", 1.2, False))
EMPTY = "Aucune intervention programmée ce jour dans l'extrait."
NOT_IN_DATA = "patient absent des données de la station — vérifier l'identité"


def render(data: OrSchedule, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE, data, ctx, landscape=True)


def draw(pdf: DocumentPDF, data: OrSchedule, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, data.heading, landscape=True)
    pdf.add_page()
    words = identity.load(ctx.templates_dir)
    count = sum(len(r.lines) for r in data.rooms)
    pdf.set_text_color(*GREY)
    note = f"{count} intervention{'s' if count > 1 else ''}"
    if data.hidden:
        note += (f" · {data.hidden} intervention(s) de patients hors de vos unités "
                 "non listée(s)")
    pdf.paragraph(note, "", 8.5)
    pdf.set_text_color(*INK)
    if not data.rooms:
        pdf.paragraph(EMPTY)
        return
    columns = [Column(title, weight, fit=fit) for title, weight, fit in COLUMNS]
    for room in data.rooms:
        rows = [_row(line, words, ctx) for line in room.lines]
        n = len(rows)
        draw_table(pdf, columns, rows, size=7.5,
                   title=f"{room.room} — {n} intervention{'s' if n > 1 else ''}")


def _row(line: OrLine, words: Template, ctx: DocumentContext) -> Row:
    case, file = line.case, line.file
    red = set()
    if file is None:
        who, ids, allergy = NOT_IN_DATA, case.ipp, words.text("allergies.unknown_short")
    else:
        lines = identity_lines(words, file.patient, file.stay, unit_name=file.unit_name,
                               today=to_local(ctx.printed_at).date())
        who = "\n".join(v for v in (lines.names, lines.used,
                                    f"{lines.birth} {lines.age} · {lines.sex}") if v)
        ids = file.patient.id + (f"\n{file.stay.id}" if file.stay else "")
        if file.stay:
            who += f"\n{file.unit_name or file.stay.unit}" + (
                f" · ch. {file.stay.room}" if file.stay.room else "")
        state = allergy_state(file.allergies)
        if state.current:
            allergy = " · ".join(describe(a, words) for a in state.current)
            red.add(4)
        else:
            allergy = (absence_text(state, words) if state.informed
                       else words.text("allergies.unknown_short"))
    staff = "\n".join((procedure_text(case),
                       f"Chir. : {case.surgeon or 'non précisé'}",
                       f"Anesth. : {case.anaesthetist or 'non précisé'}"))
    trays = "\n".join(line.trays) if line.trays else "aucun plateau prévu"
    sheets = "\n".join(line.sheets) if line.sheets else "—"
    if line.blood_alert:
        red.add(5)
    return Row((format_time(case.scheduled_at), who, ids, staff, allergy, line.blood, trays,
                sheets, status_text(case)),
               fill=case.status == "cancelled", red=frozenset(red))
