"""« Registre des numéros de laboratoire »: every number issued on one day, for the binder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date, format_time
from pcsauvegarde.station.documents.table import Column, Row, draw_table

KIND = "lab_register"
TITLE = "Registre des numéros de laboratoire"
COLUMNS = [Column("Heure", 0.8), Column("N° de laboratoire", 1.3), Column("Lot", 0.7),
           Column("Type", 1.5), Column("Tubes", 0.8, "C"), Column("Patient (IPP, identité)", 3.0),
           Column("Unité", 1.3), Column("Émis par", 1.0), Column("Document", 1.9),
           Column("Statut", 1.7), Column("Patient si lot vierge / vérifié", 1.8)]


@dataclass(frozen=True)
class RegisterLine:
    """One issued number as the binder lists it (identity resolved by the caller)."""

    issued_at: dt.datetime
    number: str
    batch: int
    kind: str
    tubes: int
    patient: str
    unit: str
    issued_by: str
    document: str
    status: str


@dataclass(frozen=True)
class RegisterDay:
    """A day's numbers, the range they come from and what a restore made the register forget."""

    day: dt.date
    station: str
    range_text: str
    remaining: int
    lines: tuple[RegisterLine, ...]
    gaps: tuple[str, ...] = ()


def render(data: RegisterDay, ctx: DocumentContext) -> bytes:
    """The day's register (landscape A4, pure)."""
    return render_document(draw, TITLE, data, ctx, landscape=True)


def draw(pdf: DocumentPDF, data: RegisterDay, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, f"{TITLE} — {format_date(data.day)}", landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(f"Poste {data.station} — plage {data.range_text} — {len(data.lines)} "
                  f"numéro(s) émis ce jour — {data.remaining} numéro(s) restant(s).", "", 9)
    pdf.set_text_color(*INK)
    for gap in data.gaps:
        pdf.paragraph(f"⚠ Numéros émis avant une restauration du poste, absents du registre "
                      f"et à ne pas réutiliser : {gap}", "B", 9)
    if not data.lines:
        pdf.paragraph("Aucun numéro de laboratoire émis ce jour sur ce poste.")
        return
    rows = [Row((format_time(line.issued_at), line.number, str(line.batch), line.kind,
                 str(line.tubes), line.patient or "—", line.unit or "—", line.issued_by,
                 line.document or "—", line.status, ""), bold=line.status.startswith("Échec"))
            for line in data.lines]
    draw_table(pdf, COLUMNS, rows, size=8)
