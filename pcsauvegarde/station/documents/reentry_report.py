"""« Bilan de ressaisie »: per domain, issued vs re-entered vs verified vs outstanding, with the
outstanding list (for the crisis cell)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.table import Column, Row, draw_table

if TYPE_CHECKING:
    from pcsauvegarde.station.reentry.report import ReentryReport

KIND = "reentry_report"
TITLE = "Bilan de ressaisie"
COUNTS = (("a_ressaisir", "À ressaisir"), ("ressaisi", "Ressaisis (à vérifier)"),
          ("verifie", "Vérifiés"), ("sans_objet", "Sans objet"))


def render(report: ReentryReport, ctx: DocumentContext) -> bytes:
    """The reconciliation report as PDF bytes (pure)."""
    return render_document(draw, TITLE, report, ctx)


def draw(pdf: DocumentPDF, report: ReentryReport, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, TITLE)
    pdf.add_page()
    pdf.field("Période", report.window.title)
    pdf.field("Éléments émis", f"{report.total.total}, dont {report.total.outstanding} restant(s) "
                               f"({report.total.percent_done} % terminés)")
    pdf.paragraph("Restants = à ressaisir + ressaisis pas encore vérifiés. « Sans objet » : "
                  "rien à ressaisir, motif inscrit à la liste.", size=8)
    columns = [Column("Domaine", 1.6), Column("Émis", 0.8, "R"),
               *(Column(label, 1.1, "R") for _, label in COUNTS), Column("Restants", 0.9, "R")]
    rows = [Row((p.label, str(p.total), *(str(p.counts.get(k, 0)) for k, _ in COUNTS),
                 str(p.outstanding))) for p in report.by_domain]
    rows.append(Row(("Total", str(report.total.total),
                     *(str(report.total.counts.get(k, 0)) for k, _ in COUNTS),
                     str(report.total.outstanding)), bold=True))
    draw_table(pdf, columns, rows, size=9, title="Par domaine")
    if report.by_unit:
        rows = [Row((p.label, str(p.total), *(str(p.counts.get(k, 0)) for k, _ in COUNTS),
                     str(p.outstanding))) for p in report.by_unit]
        draw_table(pdf, [Column("Unité", 1.6), *columns[1:]], rows, size=8.5,
                   title="Par unité")
    if not report.outstanding:
        pdf.section("Éléments restants", "Aucun : tout est vérifié ou sans objet.")
        return
    pdf.section("Éléments restants", f"{len(report.outstanding)} élément(s), par domaine puis "
                "date d'émission.")
    # Numbers and units wrap, never cut: the crisis cell looks for that very paper.
    columns = [Column("Numéro", 1.5), Column("Domaine", 1.1), Column("Élément", 1.45),
               Column("Unité", 1.0), Column("Patient", 1.75), Column("Émis le / par", 1.4),
               Column("Statut", 0.95)]
    draw_table(pdf, columns, [
        Row((i.number, i.domain_label, i.title, i.unit or "—", i.patient or "—",
             f"{format_local(i.issued_at)}\n{i.issuer}", i.status.label))
        for i in report.outstanding], size=8)
