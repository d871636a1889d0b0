"""« Prescriptions actives du service »: each inpatient's current orders, for PUI dispensing.

One document for the unit; each patient starts a page and every page of a patient carries
that patient's identity band with allergies (the band of every patient document)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pcsauvegarde.core.records import MedicationOrder
from pcsauvegarde.station.documents import prescriptions
from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.dotation import fitted_title
from pcsauvegarde.station.documents.orders import ROUTE_LEGEND
from pcsauvegarde.station.documents.schedule import StandardHours, load_standard_hours
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import UnitPrescriptions, pick_note

KIND = "unit_prescriptions"
TITLE = "Prescriptions actives du service"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "list.unit": ("name", "code", "count"),
    "list.none": (), "patient.count": ("count",), "patient.empty": (),
    "columns.dispensed": (), "footer.check": (),
}


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render(unit: UnitPrescriptions, ctx: DocumentContext) -> bytes:
    """Render a unit's active prescriptions as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, unit, ctx, landscape=True)


def draw(pdf: DocumentPDF, unit: UnitPrescriptions, ctx: DocumentContext) -> None:
    """Add the unit's active prescriptions, as one document, to ``pdf``."""
    t = load(ctx.templates_dir)
    words = prescriptions.load(ctx.templates_dir)   # column words of every prescription list
    hours = load_standard_hours(ctx.templates_dir)
    pdf.begin_document(ctx, fitted_title(pdf, t, unit.code, unit.name), landscape=True)
    columns = [Column(words.text("columns.drug"), 3.2), Column(words.text("columns.dose"), 1.2),
               Column(words.text("columns.route"), 0.8),
               Column(words.text("columns.timing"), 2.4),
               Column(words.text("columns.dates"), 1.5),
               Column(words.text("columns.prescriber"), 1.4),
               Column(t.text("columns.dispensed"), 1.0, "C")]
    if not unit.files:
        pdf.patient_file = None
        pdf.add_page()
        _unit_line(pdf, t, unit)
        pdf.paragraph(t.text("list.none"))
    for file in unit.files:
        pdf.patient_file = file   # the header draws this patient's band on each of its pages
        pdf.add_page()
        _unit_line(pdf, t, unit)
        active = prescriptions.active_orders(file, ctx.printed_at)
        if not active:
            pdf.paragraph(t.text("patient.empty"), "B", 10)
            continue
        pdf.paragraph(t.text("patient.count", count=len(active)), "", 8.5)
        rows = [_row(o, hours, unit) for o in active]
        draw_table(pdf, columns, rows, size=8.5, widen=True)
    pdf.ln(2)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("footer.check") + " " + ROUTE_LEGEND, "", 8, 4)
    pdf.set_text_color(*INK)


def _row(order: MedicationOrder, hours: StandardHours, unit: UnitPrescriptions) -> Row:
    """The prescription's row, then where the PUI picks it (or why it cannot), « délivré »."""
    row = prescriptions.order_row(order, hours)
    note = pick_note(order.code, unit.products)
    drug = row.cells[0] + (f"\n{note}" if note else "")
    red = row.red | ({0} if note.startswith("⚠") else set())
    return replace(row, cells=(drug, *row.cells[1:], ""), red=frozenset(red))


def _unit_line(pdf: DocumentPDF, t: Template, unit: UnitPrescriptions) -> None:
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.unit", name=unit.name or unit.code, code=unit.code,
                         count=len(unit.files)), "", 8.5)
    pdf.set_text_color(*ALLERGY_RED)
    for problem in unit.unit_problems:
        pdf.paragraph(f"⚠ {problem}", "B", 9)
    pdf.set_text_color(*INK)
