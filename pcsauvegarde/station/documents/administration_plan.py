"""« Plan d'administration » (MAR) over 72 h: 24 h of record, then 48 h of boxes to initial.

Sections: scheduled orders (due times with boxes; orders whose words the schedule cannot
express are printed verbatim, « à vérifier », with lines to write on), continuous infusions
(a rate block per period), protocol orders (a monitoring block per period), as-needed orders,
blank rows for new handwritten orders, the legend of initials and signatures. A discharged
patient gets no plan: one page says so, with the discharge date.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from pcsauvegarde.core.records import MedicationAdministration, MedicationOrder
from pcsauvegarde.station.documents import discharge, grid, orders, traces
from pcsauvegarde.station.documents.base import (
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
    format_hours,
    format_local,
    format_timing,
)
from pcsauvegarde.station.documents.schedule import load_standard_hours, order_slots
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "administration_plan"
SIGNATURES_H = 34.0          # title and 19-mm boxes
COMPACT_SIGNATURES_H = 25.0  # title and 10-mm boxes
COMPACT_LOG_LINES = 3
COMPACT_NEW_ROWS = 2
MIN_NEW_ROWS = 2
TITLE = "Plan d'administration"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "columns.order": (),
    "window.hours_back": (), "window.hours_ahead": (), "window.block_hours": (),
    "window.log_hours": (),
    "window.note": ("start", "end", "extracted"), "window.legend": (),
    "scheduled.title": (), "scheduled.empty": (),
    "verbatim.mark": (), "verbatim.reasons": ("reasons",),
    "continuous.title": (), "continuous.note": (), "continuous.mark": (),
    "continuous.columns": (), "continuous.legend": (), "continuous.lines": (),
    "protocol.title": (), "protocol.note": (), "protocol.mark": (), "protocol.columns": (),
    "protocol.legend": ("value", "every"), "protocol.every": ("hours",),
    "prn.title": (), "prn.note": (), "prn.max": ("max",), "prn.interval": ("hours",),
    "prn.none": (), "prn.too_close": ("hours", "previous"),
    "prn.breach": ("hours", "previous", "at"),
    "new.title": (), "new.note": (), "new.rows": (), "new.hint": (),
    "initials.title": (),
    "discharged.title": ("date",), "discharged.note": (),
    "signature.title": (), "signature.prescriber": (), "signature.nurses": (),
    "signature.boxes": (),
    **{f"status.{k}": () for k in
       ("given", "not_given", "refused", "held", "partial", "missing")},
}


def load(directory: Path | str | None = None) -> Template:
    """The MAR template, with its numbers checked (TemplateError names file and key)."""
    t = load_template(KIND, SCHEMA, directory)
    t.number("window.hours_back", 1, 72)
    t.number("window.hours_ahead", 1, 96)
    grid.check_block_hours(t)
    t.number("window.log_hours", 1, 24)
    t.number("continuous.lines", 1, 12)
    t.number("new.rows", 0, 20)
    t.number("signature.boxes", 0, 12)
    return t


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """Render the 72-h administration plan as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, file, ctx, landscape=True)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext, *,
         compact: bool = False) -> None:
    """Add the 72-h administration plan, as its own document, to ``pdf``.

    ``compact`` (the night bundle): one line of dose, route and rhythm per order, without
    start date and prescriber (on the prescriptions), and COMPACT_NEW_ROWS blank rows.
    """
    t = load(ctx.templates_dir)
    hours = load_standard_hours(ctx.templates_dir)
    now = ctx.printed_at
    extracted = file.extracted_at.get("dpi") or ctx.extracted_at or now
    blocks, boundary = plan_window(t, now, extracted)
    start, end = blocks[0].start, blocks[-1].end     # whole periods, to the end of the last

    pdf.begin_document(ctx, t.text("document.title"), patient=file, landscape=True)
    pdf.add_page()
    left = discharge.discharged_at(file, now)
    if left is not None:
        discharge.draw_notice(pdf, t.text("discharged.title", date=format_local(left)),
                              t.text("discharged.note"))
        return
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("window.note", start=format_local(start), end=format_local(end),
                         extracted=format_local(extracted)), "", 8, 3.8)
    pdf.set_text_color(*INK)
    pdf.paragraph(t.text("window.legend"), "B", 8, 3.8)
    pdf.paragraph(orders.ROUTE_LEGEND, "", 7.5, 3.6)

    active = active_orders(file, start, end)
    given: dict[str, list[MedicationAdministration]] = {}
    for a in file.administrations:
        if start <= a.at < end:
            given.setdefault(a.order_id, []).append(a)
    initials = traces.Initials(a.by for items in given.values() for a in items)
    read = {o.id: orders.read_order(o) for o in active}
    by_mode: dict[str, list[MedicationOrder]] = {}
    for o in active:
        mode = read[o.id].mode
        if mode == orders.VERBATIM:
            mode = orders.PRN if o.timing.kind == "as_needed" else orders.SCHEDULED
        by_mode.setdefault(mode, []).append(o)

    g = grid.Grid(pdf, blocks, t.text("columns.order"), boundary=boundary, compact=compact)
    g.heading(t.text("scheduled.title"))
    scheduled = by_mode.get(orders.SCHEDULED, [])
    if not scheduled:
        g.note(t.text("scheduled.empty"))
    for o in scheduled:
        reading = read[o.id]
        mine = given.get(o.id, [])
        if reading.to_check:   # never turned into due times: what was given, and lines
            marks = [(a.at, traces.recorded(t, a, initials)) for a in mine]
            g.row(grid.GridRow(_describe(t, o, reading, compact), grid.place(blocks, marks),
                               min_h=14, writable=True))
            continue
        slots = order_slots(o, start, end, hours)
        marks = traces.scheduled_marks(t, slots, mine, boundary, initials)
        g.row(grid.GridRow(_describe(t, o, reading, compact), grid.place(blocks, marks)))

    log_hours = t.number("window.log_hours", 1, 24)
    for mode in (orders.CONTINUOUS, orders.PROTOCOL):
        if by_mode.get(mode):
            g.heading(t.text(f"{mode}.title"), t.text(f"{mode}.note"))
        for o in by_mode.get(mode, []):
            reading = read[o.id]
            marks = [(a.at, traces.recorded(t, a, initials)) for a in given.get(o.id, [])]
            g.row(grid.GridRow(_describe(t, o, reading, compact), grid.place(blocks, marks),
                               log=_log(t, o, reading, log_hours, compact)))

    prn = by_mode.get(orders.PRN, [])
    if prn:
        g.heading(t.text("prn.title"), t.text("prn.note"))
    for o in prn:
        marks, breaches = traces.prn_marks(t, o, given.get(o.id, []), initials)
        lines = _describe(t, o, read[o.id], compact) + _limits(t, o)
        lines += [(f"⚠ {b}", "B", 8) for b in breaches]
        g.row(grid.GridRow(lines, grid.place(blocks, marks), min_h=14, writable=True))

    # Rows for new handwritten orders fill what is left of the last page, with the
    # signatures; when not even MIN_NEW_ROWS fit, rows and signatures go to the next page
    # together (the signatures alone would have needed it anyway).
    rows = COMPACT_NEW_ROWS if compact else t.number("new.rows", 0, 20)
    blank = grid.GridRow([(t.text("new.hint"), "I", 7)], [[] for _ in blocks],
                         min_h=12 if compact else 16, writable=True)
    signatures_h = COMPACT_SIGNATURES_H if compact else SIGNATURES_H
    if rows:
        g.heading(t.text("new.title"), t.text("new.note"))
        fit = g.fitting(blank, reserve=signatures_h + 8)
        if fit < min(1 if compact else MIN_NEW_ROWS, rows):
            pdf.add_page()
            fit = g.fitting(blank, reserve=signatures_h + 8)
        for _ in range(max(min(fit, rows), 1)):
            g.row(blank)
    legend = initials.legend()
    if legend:
        pdf.ensure_space(10)
        pdf.ln(1)
        pdf.paragraph(f"{t.text('initials.title')} {legend}", "", 7.5, 3.6)
    _signatures(pdf, t, signatures_h - 15)


def plan_window(t: Template, printed_at: dt.datetime, extracted: dt.datetime
                ) -> tuple[list[grid.Block], dt.datetime]:
    """The plan's periods and the boundary between the record (before) and the boxes to
    initial (after), for a plan printed at ``printed_at`` from data ``extracted``."""
    wanted = (printed_at - dt.timedelta(hours=t.number("window.hours_back", 1, 72)),
              printed_at + dt.timedelta(hours=t.number("window.hours_ahead", 1, 96)))
    boundary = min(max(extracted, wanted[0]), printed_at)
    return grid.blocks(*wanted, t.number("window.block_hours", 1, 12), boundary), boundary


def active_orders(file: PatientFile, start: dt.datetime, end: dt.datetime
                  ) -> list[MedicationOrder]:
    """The orders a plan covering [start, end) lists, by drug then start."""
    active = [o for o in file.orders if o.status == "active" and o.start < end
              and (o.end is None or o.end > start)]
    return sorted(active, key=lambda o: (o.drug.casefold(), o.start))


def paper_slots(file: PatientFile, printed_at: dt.datetime,
                templates_dir: Path | str | None = None
                ) -> tuple[tuple[dt.datetime, dt.datetime], list[tuple[MedicationOrder,
                                                                        list[dt.datetime]]]]:
    """What a plan printed at ``printed_at`` asked nurses to initial: its window, and each
    order with its due boxes after the record boundary ([] for orders without boxes: as
    needed, continuous, protocol, or words to check — written on lines instead)."""
    t = load(templates_dir)
    hours = load_standard_hours(templates_dir)
    extracted = file.extracted_at.get("dpi") or printed_at
    blocks, boundary = plan_window(t, printed_at, extracted)
    start, end = blocks[0].start, blocks[-1].end
    out = []
    for o in active_orders(file, start, end):
        reading = orders.read_order(o)
        boxed = reading.mode == orders.SCHEDULED and not reading.to_check
        slots = [s for s in order_slots(o, start, end, hours) if s >= boundary] if boxed else []
        out.append((o, slots))
    return (start, end), out


def _describe(t: Template, o: MedicationOrder, reading: orders.OrderReading,
              compact: bool = False) -> list[tuple[str, str, float]]:
    dose = dose_text(o.dose, o.unit)
    lines = [(o.drug, "B", 9 if compact else 9.5)]
    mark = {orders.CONTINUOUS: "continuous.mark", orders.PROTOCOL: "protocol.mark"}.get(
        reading.mode, "verbatim.mark" if reading.to_check else "")
    if mark:
        lines.append((t.text(mark), "X", 8))
    plain = reading.mode in (orders.SCHEDULED, orders.PRN) and not reading.to_check
    route = orders.route_short(o.route)
    if compact:
        rhythm = format_timing(o.timing) if plain and o.timing.kind != "as_needed" else ""
        lines.append((" · ".join(x for x in (dose, route, rhythm) if x) or "—", "", 8))
        if not plain:
            lines.append((f"« {orders.words_of(o) or format_timing(o.timing)} »", "B", 8))
        if o.comments:
            lines.append((o.comments, "I", 7))
        return lines
    lines.append((" · ".join(x for x in (dose, route) if x) or "—", "", 8.5))
    words = orders.words_of(o)
    if reading.to_check:
        lines.append((f"« {words} »" if words else format_timing(o.timing), "B", 8))
        lines.append((t.text("verbatim.reasons", reasons=", ".join(reading.checks)), "", 7.5))
    elif reading.mode in (orders.CONTINUOUS, orders.PROTOCOL):
        lines.append((f"« {words} »" if words else format_timing(o.timing), "B", 8))
        lines.append((_legend(t, o, reading), "", 7.5))
    else:
        lines.append((format_timing(o.timing), "", 8))
    since = f"Depuis le {format_local(o.start)}"
    if o.end is not None:
        since += f" — jusqu'au {format_local(o.end)}"
    lines.append((since, "", 7))
    if o.prescriber:
        lines.append((o.prescriber, "", 7))
    if o.comments:
        lines.append((o.comments, "I", 7))
    return lines


def _legend(t: Template, o: MedicationOrder, reading: orders.OrderReading) -> str:
    if reading.mode == orders.CONTINUOUS:
        return t.text("continuous.legend")
    every = orders.monitoring_hours(o)
    return t.text("protocol.legend", value=reading.monitored,
                  every=t.text("protocol.every", hours=format_hours(every)) if every else "")


def _log(t: Template, o: MedicationOrder, reading: orders.OrderReading,
         log_hours: int, compact: bool = False) -> grid.Log:
    """The writing block: rate changes (continuous) or checks and doses (protocol).

    A protocol gets one line per check its words name (« toutes les 4 h »: 3 per 12 h);
    the compact plan gives COMPACT_LOG_LINES, the night's usual count.
    """
    if reading.mode == orders.CONTINUOUS:
        columns = tuple(c.strip() for c in t.text("continuous.columns").split(","))
        lines = t.number("continuous.lines", 1, 12)
    else:
        columns = tuple(c.strip() for c in t.text("protocol.columns").split(","))
        every = orders.monitoring_hours(o)
        lines = max(3, min(8, math.ceil(log_hours / every))) if every else 4
    return grid.Log(columns, min(lines, COMPACT_LOG_LINES) if compact else lines, log_hours)


def _limits(t: Template, o: MedicationOrder) -> list[tuple[str, str, float]]:
    out = [(t.text("prn.max", max=o.timing.max_per_day) if o.timing.max_per_day
            else t.text("prn.none"), "B", 8.5)]
    if o.timing.min_interval_hours:
        out.append((t.text("prn.interval", hours=format_hours(o.timing.min_interval_hours)),
                    "B", 8))
    return out


def _signatures(pdf: DocumentPDF, t: Template, box_h: float = 19.0) -> None:
    """Prescriber's signature and nurses' initials boxes (``box_h`` mm high), kept together."""
    boxes = t.number("signature.boxes", 0, 12)
    pdf.ensure_space(box_h + 15)
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_x(MARGIN)
    pdf.cell(pdf.epw, 6, t.text("signature.title"), new_x="LMARGIN", new_y="NEXT")
    y = pdf.y
    half = pdf.epw * 0.38
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, y, half, box_h + 5)
    pdf.set_xy(MARGIN + 1, y + 1)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.cell(half - 2, 4.5, t.text("signature.prescriber"))
    x0 = MARGIN + half + 3
    pdf.set_xy(x0, y)
    pdf.cell(pdf.epw - half - 3, 4.5, t.text("signature.nurses"))
    if boxes:
        w = (pdf.epw - half - 3) / boxes
        for i in range(boxes):
            pdf.rect(x0 + i * w, y + 5, w - 1, box_h)
    pdf.set_xy(MARGIN, y + box_h + 7)
