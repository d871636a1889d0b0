"""« Ordonnance de sortie » (template): the current treatments, to be confirmed and signed."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import dose_text, format_local, format_timing
from pcsauvegarde.station.documents.orders import ROUTE_LEGEND, route_short
from pcsauvegarde.station.documents.sterile import field_grid, signature_block
from pcsauvegarde.station.documents.table import Column, Row, draw_table

KIND = "discharge_prescription"
TITLE = "Ordonnance de sortie"
BLANK_ROWS = 4
NOTE = ("Traitements en cours dans l'extrait au moment de l'impression, pré-remplis pour "
        "gagner du temps : ce document n'est une ordonnance qu'une fois chaque ligne cochée "
        "(poursuivre, modifier, arrêter), la durée écrite, daté et signé par le médecin.")


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE, file, ctx)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, TITLE, patient=file)
    pdf.add_page()
    field_grid(pdf, [("Prescripteur", "……………………………………"), ("RPPS", "……………………"),
                     ("Service", file.unit_name or (file.stay.unit if file.stay else "")),
                     ("Date", "……/……/…………")])
    pdf.ln(1)
    pdf.paragraph(NOTE, "", 8.5)
    now = ctx.printed_at
    active = sorted((o for o in file.orders
                     if o.status == "active" and (o.end is None or o.end > now)),
                    key=lambda o: o.drug.casefold())
    columns = [Column("Médicament", 3.0), Column("Posologie", 2.4), Column("Voie", 0.9),
               Column("Durée", 1.2), Column("Poursuivre / modifier / arrêter", 1.9)]
    boxes = "☐ P   ☐ M   ☐ A"
    rows = [Row((o.drug + (f"\n{o.comments}" if o.comments else ""),
                 f"{dose_text(o.dose, o.unit)} — {format_timing(o.timing)}".strip(),
                 route_short(o.route) or "—", "………", boxes)) for o in active]
    rows += [Row(("\n\n", "", "", "", boxes))] * BLANK_ROWS
    if not active:
        pdf.paragraph("Aucun traitement actif dans l'extrait.")
    at = file.extracted_at.get("dpi")
    draw_table(pdf, columns, rows, title="Traitements",
               note=f"Prescriptions de l'extrait du {format_local(at)}" if at else "")
    pdf.ln(2)
    if any(route_short(o.route) != o.route.strip() for o in active):
        pdf.paragraph(ROUTE_LEGEND, "", 8, 4)
    pdf.ln(2)
    signature_block(pdf, ["Signature du médecin", "Cachet du service"], h=22)
