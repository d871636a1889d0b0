"""« Plan d'administration » (MAR) over 72 h: 24 h of record, then 48 h of boxes to initial."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from pcsauvegarde.core.records import MedicationAdministration, MedicationOrder
from pcsauvegarde.station.documents import grid
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
    format_hours,
    format_local,
    format_time,
    format_timing,
)
from pcsauvegarde.station.documents.schedule import load_standard_hours, order_slots
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "administration_plan"
TITLE = "Plan d'administration"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "columns.order": (),
    "window.hours_back": (), "window.hours_ahead": (), "window.block_hours": (),
    "window.note": ("start", "end", "extracted"), "window.legend": (),
    "scheduled.title": (), "scheduled.empty": (),
    "prn.title": (), "prn.note": (), "prn.max": ("max",), "prn.interval": ("hours",),
    "prn.none": (),
    "new.title": (), "new.note": (), "new.rows": (), "new.hint": (),
    "signature.title": (), "signature.prescriber": (), "signature.nurses": (),
    "signature.boxes": (),
    **{f"status.{k}": () for k in
       ("given", "not_given", "refused", "held", "partial", "missing")},
}
MAX_TOLERANCE = dt.timedelta(hours=2)


def load(directory: Path | str | None = None) -> Template:
    """The MAR template, with its numbers checked (TemplateError names file and key)."""
    t = load_template(KIND, SCHEMA, directory)
    t.number("window.hours_back", 1, 72)
    t.number("window.hours_ahead", 1, 96)
    grid.check_block_hours(t)
    t.number("new.rows", 0, 20)
    t.number("signature.boxes", 0, 12)
    return t


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """Render the 72-h administration plan as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, file, ctx, landscape=True)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    """Add the 72-h administration plan, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    hours = load_standard_hours(ctx.templates_dir)
    now = ctx.printed_at
    start = now - dt.timedelta(hours=t.number("window.hours_back", 1, 72))
    end = now + dt.timedelta(hours=t.number("window.hours_ahead", 1, 96))
    extracted = file.extracted_at.get("dpi") or ctx.extracted_at or now
    boundary = min(max(extracted, start), now)
    blocks = grid.blocks(start, end, t.number("window.block_hours", 1, 12), boundary)

    pdf.begin_document(ctx, t.text("document.title"), patient=file, landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("window.note", start=format_local(start), end=format_local(end),
                         extracted=format_local(extracted)), "", 8, 3.8)
    pdf.set_text_color(*INK)
    pdf.paragraph(t.text("window.legend"), "B", 8, 3.8)

    orders = [o for o in file.orders if o.status == "active" and o.start < end
              and (o.end is None or o.end > start)]
    orders.sort(key=lambda o: (o.drug.casefold(), o.start))
    given: dict[str, list[MedicationAdministration]] = {}
    for a in file.administrations:
        if start <= a.at < end:
            given.setdefault(a.order_id, []).append(a)

    g = grid.Grid(pdf, blocks, t.text("columns.order"))
    scheduled = [o for o in orders if o.timing.kind != "as_needed"]
    g.heading(t.text("scheduled.title"))
    if not scheduled:
        pdf.paragraph(t.text("scheduled.empty"))
    for o in scheduled:
        slots = order_slots(o, start, end, hours)
        marks = _marks(t, slots, given.get(o.id, []), boundary)
        g.row(grid.GridRow(_describe(o), grid.place(blocks, marks)))

    prn = [o for o in orders if o.timing.kind == "as_needed"]
    if prn:
        g.heading(t.text("prn.title"), t.text("prn.note"))
        for o in prn:
            marks = [(a.at, _recorded(t, a)) for a in given.get(o.id, [])]
            g.row(grid.GridRow(_describe(o) + _limits(t, o), grid.place(blocks, marks),
                               min_h=14, writable=True))

    rows = t.number("new.rows", 0, 20)
    if rows:
        g.heading(t.text("new.title"), t.text("new.note"))
        for _ in range(rows):
            g.row(grid.GridRow([(t.text("new.hint"), "I", 7)], [[] for _ in blocks],
                               min_h=16, writable=True))
    _signatures(pdf, t)


def _describe(o: MedicationOrder) -> list[tuple[str, str, float]]:
    dose = " ".join(x for x in (o.dose, o.unit) if x)
    lines = [(o.drug, "B", 9.5), (" · ".join(x for x in (dose, o.route) if x) or "—", "", 8.5),
             (format_timing(o.timing), "B" if o.timing.kind == "text" else "", 8)]
    since = f"Depuis le {format_local(o.start)}"
    if o.end is not None:
        since += f" — jusqu'au {format_local(o.end)}"
    lines.append((since, "", 7))
    if o.prescriber:
        lines.append((o.prescriber, "", 7))
    if o.comments:
        lines.append((o.comments, "I", 7))
    return lines


def _limits(t: Template, o: MedicationOrder) -> list[tuple[str, str, float]]:
    out = [(t.text("prn.max", max=o.timing.max_per_day) if o.timing.max_per_day
            else t.text("prn.none"), "B", 8.5)]
    if o.timing.min_interval_hours:
        out.append((t.text("prn.interval", hours=format_hours(o.timing.min_interval_hours)),
                    "B", 8))
    return out


def _marks(t: Template, slots: list[dt.datetime], given: list[MedicationAdministration],
           boundary: dt.datetime) -> list[tuple[dt.datetime, grid.Entry]]:
    """Slots before the extract matched to what was recorded; later ones get a box."""
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    tolerance = min([MAX_TOLERANCE] + [g / 2 for g in gaps])
    unused = list(given)
    marks = []
    for slot in slots:
        if slot >= boundary:
            marks.append((slot, grid.Entry(format_time(slot), box=True)))
            continue
        near = [a for a in unused if abs(a.at - slot) <= tolerance]
        if near:
            a = min(near, key=lambda a: abs(a.at - slot))
            unused.remove(a)
            marks.append((a.at, _recorded(t, a)))
        else:
            marks.append((slot, grid.Entry(format_time(slot), "?", t.text("status.missing"),
                                           bold=True)))
    marks.extend((a.at, _recorded(t, a)) for a in unused)
    return marks


def _recorded(t: Template, a: MedicationAdministration) -> grid.Entry:
    done = a.status in ("given", "partial")
    detail = [a.dose_given] if done and a.dose_given else []
    if a.status != "given":
        detail.append(t.text(f"status.{a.status}"))
    if a.by:
        detail.append(_short_name(a.by))
    return grid.Entry(format_time(a.at), "✓" if done else "✗", " · ".join(detail),
                      bold=not done)


def _short_name(name: str) -> str:
    """« Marie-Claire Dupont (IDE) » → « M. Dupont »: enough to find who, in a narrow box."""
    words = re.sub(r"\s*\([^)]*\)", "", name).split()
    if len(words) < 2:
        return name
    return f"{words[0][0]}. {' '.join(words[1:])}"


def _signatures(pdf: DocumentPDF, t: Template) -> None:
    boxes = t.number("signature.boxes", 0, 12)
    pdf.ensure_space(34)
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_x(MARGIN)
    pdf.cell(pdf.epw, 6, t.text("signature.title"), new_x="LMARGIN", new_y="NEXT")
    y = pdf.y
    half = pdf.epw * 0.38
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, y, half, 24)
    pdf.set_xy(MARGIN + 1, y + 1)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.cell(half - 2, 4.5, t.text("signature.prescriber"))
    x0 = MARGIN + half + 3
    pdf.set_xy(x0, y)
    pdf.cell(pdf.epw - half - 3, 4.5, t.text("signature.nurses"))
    if boxes:
        w = (pdf.epw - half - 3) / boxes
        for i in range(boxes):
            pdf.rect(x0 + i * w, y + 5, w - 1, 19)
    pdf.set_xy(MARGIN, y + 26)
