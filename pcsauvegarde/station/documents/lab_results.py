"""Results on paper: an entry sheet per lab number, and a patient's cumulative results."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.core.records import LabResult
from pcsauvegarde.station.documents.base import GREY, INK, MARGIN, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import decimal_commas, to_local
from pcsauvegarde.station.documents.table import Column, Row, draw_table

ENTRY_KIND = "lab_results_entry"
ENTRY_TITLE = "Feuille de saisie des résultats"
CUMULATIVE_KIND = "lab_results_cumulative"
CUMULATIVE_TITLE = "Résultats cumulés de laboratoire"
FLAGS = {"L": "↓ bas", "H": "↑ haut", "LL": "↓↓ très bas", "HH": "↑↑ très haut",
         "A": "anormal"}
STATUS = {"preliminary": "provisoire", "corrected": "corrigé"}
COLUMNS_SHOWN = 7
ENTRY_ROWS = 15


@dataclass(frozen=True)
class ResultsEntry:
    """A lab number, its tubes, and its patient when the register links one."""

    number: str
    tubes: int
    issued: str                       # « 27/11/2026 14:05 par labo » (register)
    file: PatientFile | None = None


def render_entry(data: ResultsEntry, ctx: DocumentContext) -> bytes:
    """The results-entry sheet of one lab number (pure)."""
    pdf = DocumentPDF(ctx, ENTRY_TITLE, patient=data.file)
    pdf.add_page()
    pdf.set_xy(MARGIN, pdf.content_top)   # a known patient: band with allergies (base.py)
    if data.file is None:
        for text in ("Nom de naissance : ______________________   Prénoms : ________________",
                     "Né(e) le ___/___/______   Sexe : ___   IPP : ______________________"):
            pdf.set_x(MARGIN)
            pdf.fit_cell(pdf.epw, 6.5, text, "", 10)
            pdf.ln(7)
    top = pdf.y + 1
    pdf.set_line_width(0.5)
    pdf.rect(MARGIN, top, pdf.epw, 16)
    pdf.set_xy(MARGIN + 2, top + 1.5)
    pdf.fit_cell(60, 4.5, "N° de laboratoire", "", 9)
    pdf.set_xy(MARGIN + 2, top + 6)
    pdf.fit_cell(70, 8, data.number, "B", 20, min_size=10)
    pdf.barcode(data.number, MARGIN + 75, top + 2, 8.0)
    pdf.set_xy(MARGIN + 75, top + 11)
    pdf.fit_cell(pdf.epw - 77, 4.5, f"{data.tubes} tube(s) — numéro émis le {data.issued}", "",
                 8.5, min_size=7)
    pdf.set_xy(MARGIN, top + 18)
    pdf.fit_cell(pdf.epw, 6, "Reçu au laboratoire le ___/___ à ___h___ par ____________   "
                             "Technicien : ____________", "", 9.5, min_size=7)
    pdf.ln(8)
    columns = [Column("Examen", 2.5), Column("Résultat", 1.3), Column("Unité", 0.9),
               Column("Valeurs de référence", 1.4), Column("Anomalie", 1.1),
               Column("Validé par, heure", 1.6)]
    # As many handwriting rows as the page holds under a tall identity band (≈ 10,7 mm each,
    # heading and the signature line kept on the page), at most ENTRY_ROWS.
    room = pdf.page_break_trigger - pdf.y - 12 - 12
    rows = max(4, min(ENTRY_ROWS, int(room // 10.8)))
    draw_table(pdf, columns, [Row(("\n\n",) + ("",) * 5)] * rows, size=9)
    pdf.paragraph("Biologiste (nom, signature) : ______________________________   "
                  "Résultat transmis au service le ___/___ à ___h___ à ____________", "", 9)
    return pdf.output_bytes()


def render_cumulative(file: PatientFile, ctx: DocumentContext) -> bytes:
    """A patient's last known results from the lab extract, one row per test (pure)."""
    return render_document(draw_cumulative, CUMULATIVE_TITLE, file, ctx, landscape=True)


def draw_cumulative(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, CUMULATIVE_TITLE, patient=file, landscape=True)
    pdf.add_page()
    results = list(file.lab_results)
    if not results:
        pdf.paragraph("Aucun résultat de laboratoire pour ce patient dans l'extrait du "
                      "laboratoire.")
        return
    times = sorted({r.collected_at for r in results}, reverse=True)
    shown = sorted(times[:COLUMNS_SHOWN])
    hidden = [r for r in results if r.collected_at not in shown]
    pdf.set_text_color(*GREY)
    note = (f"{len(results)} résultat(s) de {len({r.analysis for r in results})} examen(s), "
            f"prélèvements du plus ancien (à gauche) au plus récent. En gras : hors des "
            f"valeurs de référence.")
    if hidden:
        note += (f" {len(hidden)} résultat(s) plus ancien(s) que le "
                 f"{to_local(shown[0]):%d/%m/%Y %H:%M} ne sont pas sur cette page "
                 "(voir la synthèse patient).")
    pdf.paragraph(note, "", 8.5)
    pdf.set_text_color(*INK)
    columns = [Column("Examen (unité, référence)", 2.6),
               *[Column(f"{to_local(t):%d/%m/%Y}\n{to_local(t):%H:%M}", 1.0, "C")
                 for t in shown]]
    by_test: dict[str, list[LabResult]] = {}
    for r in sorted(results, key=lambda r: (r.label.casefold(), r.code)):
        by_test.setdefault(r.analysis, []).append(r)
    rows = []
    for group in by_test.values():
        first = group[0]
        cells = {r.collected_at: _value(r) for r in group}
        ref = ", ".join(x for x in (first.unit, decimal_commas(first.reference_range)) if x)
        label = f"{first.label}\n({ref})" if ref else first.label
        abnormal = any(r.abnormal not in ("", "N") and r.collected_at in shown for r in group)
        rows.append(Row((label, *[cells.get(t, "") for t in shown]), bold=abnormal))
    draw_table(pdf, columns, rows, size=8.5)


def _value(r: LabResult) -> str:
    text = decimal_commas(r.value)
    if r.abnormal in FLAGS:
        text += f"\n{FLAGS[r.abnormal]}"
    if r.status in STATUS:
        text += f"\n({STATUS[r.status]})"
    return text

