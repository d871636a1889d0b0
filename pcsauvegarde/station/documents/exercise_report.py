"""« Bilan d'exercice de crise »: what an exercise printed, by whom, how soon (one page or more)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.table import Column, Row, draw_table

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


def render(report: ExerciseReport, ctx: DocumentContext, kind_labels: dict[str, str]) -> bytes:
    """The exercise report as PDF bytes (pure)."""
    return render_document(draw, TITLE, report, ctx, kind_labels=kind_labels)


def draw(pdf: DocumentPDF, report: ExerciseReport, ctx: DocumentContext,
         kind_labels: dict[str, str]) -> None:
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
        pdf.field("Par document", " ; ".join(f"{kind_labels.get(k, k)} : {n}"
                                             for k, n in report.by_kind))
    if not report.documents:
        return
    pdf.section("Documents imprimés pendant l'exercice",
                "Ces numéros sont marqués « exercice » dans le journal : pas de ressaisie.")
    columns = [Column("Numéro", 1.6, fit=True), Column("Document", 1.5),
               Column("Patient (IPP) / service", 1.7, fit=True), Column("Imprimé le", 1.1),
               Column("Par", 1.6, fit=True)]
    draw_table(pdf, columns, [Row((d["number"], kind_labels.get(d["kind"], d["kind"]),
                                   d["ipp"] or d["unit"] or "", d["issued_at_local"],
                                   d["issued_by"])) for d in report.documents], size=8)
