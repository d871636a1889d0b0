"""« Administrations des dernières 24 h »: what was given (or not) before the patient left."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents import administration_plan
from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import dose_text, format_local
from pcsauvegarde.station.documents.orders import ROUTE_LEGEND, route_short
from pcsauvegarde.station.documents.table import Column, Row, draw_table

KIND = "administration_history"
TITLE = "Administrations des dernières 24 h"
HOURS = 24


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE, file, ctx)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    """Every administration recorded in the 24 h before printing, newest first, with the
    status in the MAR's words; then the note that paper MARs of the outage are not in it."""
    pdf.begin_document(ctx, TITLE, patient=file)
    pdf.add_page()
    words = administration_plan.load(ctx.templates_dir)
    since = ctx.printed_at - dt.timedelta(hours=HOURS)
    orders = {o.id: o for o in file.orders}
    given = sorted((a for a in file.administrations if since <= a.at <= ctx.printed_at),
                   key=lambda a: a.at, reverse=True)
    at = file.extracted_at.get("dpi")
    pdf.paragraph(f"Du {format_local(since)} au {format_local(ctx.printed_at)} — selon "
                  "l'extrait du dossier patient" + (f" du {format_local(at)}" if at else "")
                  + ". Les administrations notées sur papier pendant la panne n'y sont pas : "
                    "joindre les plans d'administration papier.", "", 8.5)
    if not given:
        pdf.paragraph("Aucune administration enregistrée sur les dernières 24 h dans l'extrait.")
        return
    columns = [Column("Date, heure", 1.4), Column("Médicament", 3.2), Column("Dose", 1.4),
               Column("Voie", 0.9), Column("Statut", 1.3), Column("Par", 1.5)]
    rows = []
    for a in given:
        o = orders.get(a.order_id)
        drug = o.drug if o else f"prescription {a.order_id} (arrêtée ou absente de l'extrait)"
        dose = dose_text(a.dose_given) if a.dose_given else (dose_text(o.dose, o.unit) if o
                                                             else "")
        status = words.text(f"status.{a.status}") if a.status else ""
        route = route_short(o.route) if o else ""
        rows.append(Row((format_local(a.at), drug, dose or "—", route or "—", status,
                         a.by or "—"), bold=a.status != "given"))
    draw_table(pdf, columns, rows)
    routes = [orders[a.order_id].route for a in given if a.order_id in orders]
    if any(route_short(r) != r.strip() for r in routes):
        pdf.paragraph(ROUTE_LEGEND, "", 8, 4)
