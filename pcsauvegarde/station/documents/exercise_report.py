"""« Bilan d'exercice de crise »: what an exercise printed, by whom, how soon (one page or more)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcsauvegarde.station.documents.base import FAMILY, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.table import PAD, Column, Row, draw_table

if TYPE_CHECKING:
    from pcsauvegarde.station.exercise import ExerciseReport

KIND = "exercise_report"
TITLE = "Bilan d'exercice de crise"


def delay_text(report: ExerciseReport) -> str:
    """« Premier document 2 min 05 s après le début de l'exercice. » (screen and paper)."""
    delay = report.first_print_after
    if delay is None:
        return "Aucun document imprimé pendant l'exercice."
    seconds = max(int(delay.total_seconds()), 0)
    return (f"Premier document {seconds // 60} min {seconds % 60:02d} s après le début de "
            "l'exercice.")


def render(report: ExerciseReport, ctx: DocumentContext) -> bytes:
    """The exercise report as PDF bytes (pure)."""
    return render_document(draw, TITLE, report, ctx)


COLUMNS = [Column("Numéro", 2.0, fit=True), Column("Document", 1.6),
           Column("Patient (IPP) / service", 1.6, fit=True), Column("Imprimé le", 1.1),
           Column("Par", 1.2, fit=True)]
SIZE = 8


def draw(pdf: DocumentPDF, report: ExerciseReport, ctx: DocumentContext) -> None:
    ex = report.exercise
    pdf.begin_document(ctx, TITLE)  # the label goes in the body: a long one would overflow
    pdf.add_page()
    if ex.label:
        pdf.field("Exercice", ex.label)
    pdf.field("Début", f"{format_local(ex.started_at)} ({ex.started_by})")
    if ex.ended_at is not None:
        pdf.field("Fin", f"{format_local(ex.ended_at)} ({ex.ended_by})")
    pdf.field("Documents", f"{len(report.documents)} imprimé(s)")
    pdf.field("Délai", delay_text(report))
    if report.by_person:
        pdf.field("Par personne", " ; ".join(f"{who} : {n}" for who, n in report.by_person))
    if report.by_kind:
        pdf.field("Par document", " ; ".join(f"{title} : {n}" for title, n in report.by_kind))
    if not report.documents:
        return
    pdf.section("Documents imprimés pendant l'exercice",
                "Ces numéros sont marqués « exercice » dans le journal : pas de ressaisie.")
    # Numbers, IPPs and unit codes are printed whole, on several lines if need be (up to
    # 64 characters): a cut number cannot be found in the journal.
    total = sum(c.weight for c in COLUMNS)
    pdf.set_font(FAMILY, "", SIZE)

    def whole(column: int, text: str) -> str:
        return "\n".join(pdf.identifier_lines(pdf.epw * COLUMNS[column].weight / total
                                               - 2 * PAD, text))

    rows = [Row((whole(0, d["number"]), d["title"], whole(2, d["ipp"] or d["unit"] or ""),
                 d["issued_at_local"], whole(4, d["issued_by"]))) for d in report.documents]
    draw_table(pdf, COLUMNS, rows, size=SIZE)
