"""« Prescriptions en cours »: the active orders of one patient, scheduled then as needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.core.records import MedicationOrder
from pcsauvegarde.station.documents import orders
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.base import (
    ALLERGY_RED,
    FAMILY,
    GREY,
    INK,
    MARGIN,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import (
    dose_text,
    format_local,
    format_timing,
)
from pcsauvegarde.station.documents.schedule import StandardHours, day_times, load_standard_hours
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "prescriptions"
TITLE = "Prescriptions en cours"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "allergies.title": (),
    "scheduled.title": (), "scheduled.empty": (), "prn.title": (), "prn.empty": (),
    **{f"columns.{k}": () for k in ("drug", "dose", "route", "timing", "dates", "prescriber")},
    "footer.count": ("count",), "footer.check": (),
}


def load(directory: Path | str | None = None) -> Template:
    """The prescriptions template (TemplateError names file and key)."""
    return load_template(KIND, SCHEMA, directory)


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """Render the active prescriptions as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, file, ctx, landscape=False)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    """Add the active prescriptions, as their own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    hours = load_standard_hours(ctx.templates_dir)
    pdf.begin_document(ctx, t.text("document.title"), patient=file)
    pdf.add_page()
    _allergies(pdf, t, file)
    active = active_orders(file, ctx.printed_at)
    columns = [Column(t.text("columns.drug"), 3.2), Column(t.text("columns.dose"), 1.2),
               Column(t.text("columns.route"), 0.9), Column(t.text("columns.timing"), 2.2),
               Column(t.text("columns.dates"), 1.6), Column(t.text("columns.prescriber"), 1.5)]
    for section, chosen in (("scheduled", [o for o in active if o.timing.kind != "as_needed"]),
                            ("prn", [o for o in active if o.timing.kind == "as_needed"])):
        if chosen:
            draw_table(pdf, columns, [order_row(o, hours) for o in chosen], size=9,
                       title=t.text(f"{section}.title"), widen=True)
        else:
            pdf.section(t.text(f"{section}.title"))
            pdf.paragraph(t.text(f"{section}.empty"))
    pdf.ln(2)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("footer.count", count=len(active)) + " " + t.text("footer.check"),
                  "", 8, 4)
    pdf.paragraph(orders.ROUTE_LEGEND, "", 8, 4)
    pdf.set_text_color(*INK)


def active_orders(file: PatientFile, now: dt.datetime) -> list[MedicationOrder]:
    """The orders active at ``now``, by drug then start (every « prescriptions » paper)."""
    return sorted((o for o in file.orders if o.status == "active"
                   and (o.end is None or o.end > now)),
                  key=lambda o: (o.drug.casefold(), o.start))


def _allergies(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    state = allergy_state(file.allergies)   # the identity band's rule and words
    names = [describe(a, pdf.identity_texts) for a in state.current]
    text = (f"⚠ {t.text('allergies.title')} {', '.join(names)}" if names
            else absence_text(state, pdf.identity_texts))
    pdf.set_font(FAMILY, "B", 10)
    lines = pdf.wrap(pdf.epw - 4, text)
    top = pdf.y
    pdf.set_xy(MARGIN + 2, top + 1.5)
    pdf.set_text_color(*(ALLERGY_RED if names else INK))
    pdf.text_lines(pdf.epw - 4, 5, text)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.8 if names else 0.3)
    pdf.rect(MARGIN, top, pdf.epw, 5 * len(lines) + 3)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, top + 5 * len(lines) + 4)


def order_row(o: MedicationOrder, hours: StandardHours) -> Row:
    """Drug (code, comments), dose, route, timing (verbatim when flagged), dates, prescriber."""
    drug = o.drug + (f" ({o.code})" if o.code else "") + (f"\n{o.comments}" if o.comments else "")
    reading = orders.read_order(o)
    words = orders.words_of(o)
    timing = format_timing(o.timing)
    times = day_times(o.timing, hours)
    if reading.to_check:   # the prescriber's words, never a computed schedule
        timing = (f"À VÉRIFIER : « {words or timing} »\n({', '.join(reading.checks)})")
    elif reading.mode in (orders.CONTINUOUS, orders.PROTOCOL):
        mark = "CONTINU" if reading.mode == orders.CONTINUOUS else "PROTOCOLE"
        timing = f"{mark} : « {words or timing} »"
    elif times and o.timing.kind == "times_per_day":
        timing += f"\n{', '.join(times)}"
    dates = f"{format_local(o.start)}" + (f"\n→ {format_local(o.end)}" if o.end else "")
    return Row((drug, dose_text(o.dose, o.unit) or "—",
                orders.route_short(o.route) or "—",
                timing, dates, o.prescriber or "—"))
