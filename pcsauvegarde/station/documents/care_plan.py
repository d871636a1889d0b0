"""« Plan de soins » over 24 h: care tasks by time slot, surveillances, treatment vigilance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.station.documents import grid
from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_local, format_time, format_timing
from pcsauvegarde.station.documents.schedule import load_standard_hours, order_slots
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "care_plan"
TITLE = "Plan de soins"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "window.hours": (), "window.block_hours": (),
    "window.note": ("start", "end"), "columns.task": (),
    "tasks.title": (), "tasks.empty": (), "surveillance.title": (), "surveillance.lines": (),
    "vigilance.title": (), "blank.title": (), "blank.rows": (), "blank.hint": (),
}


def load(directory: Path | str | None = None) -> Template:
    """The care plan template, with its numbers checked (TemplateError names file and key)."""
    t = load_template(KIND, SCHEMA, directory)
    t.number("window.hours", 1, 48)
    grid.check_block_hours(t)
    t.number("blank.rows", 0, 20)
    return t


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """Render the 24-h care plan as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, file, ctx, landscape=True)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    """Add the 24-h care plan, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    hours = load_standard_hours(ctx.templates_dir)
    start = ctx.printed_at
    end = start + dt.timedelta(hours=t.number("window.hours", 1, 48))
    blocks = grid.blocks(start, end, t.number("window.block_hours", 1, 12), start)
    pdf.begin_document(ctx, t.text("document.title"), patient=file, landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("window.note", start=format_local(start), end=format_local(end)),
                  "", 8, 3.8)
    pdf.set_text_color(*INK)
    g = grid.Grid(pdf, blocks, t.text("columns.task"))
    empty: list[list[grid.Entry]] = [[] for _ in blocks]

    g.heading(t.text("tasks.title"))
    tasks = sorted(file.care_tasks, key=lambda c: c.label.casefold())
    if not tasks:
        pdf.paragraph(t.text("tasks.empty"), "", 8.5)
    for task in tasks:
        slots = order_slots(task, start, end, hours)
        marks = [(s, grid.Entry(format_time(s), box=True)) for s in slots]
        lines = [(task.label, "B", 9.5), (format_timing(task.timing), "", 8)]
        if task.comments:
            lines.append((task.comments, "I", 7.5))
        g.row(grid.GridRow(lines, grid.place(blocks, marks), writable=not slots))

    g.heading(t.text("surveillance.title"))
    for line in t.text("surveillance.lines").splitlines():
        if line.strip():
            g.row(grid.GridRow([(line.strip(), "B", 9)], [list(c) for c in empty],
                               min_h=9, writable=True))

    vigilant = [o for o in file.orders if o.status == "active"
                and (o.end is None or o.end > start) and o.start < end
                and (o.comments or o.timing.kind == "text")]
    if vigilant:
        g.heading(t.text("vigilance.title"))
        for o in sorted(vigilant, key=lambda o: o.drug.casefold()):
            dose = " ".join(x for x in (o.dose, o.unit, o.route) if x)
            lines = [(f"{o.drug} — {dose}", "B", 9), (format_timing(o.timing), "", 8)]
            if o.comments:
                lines.append((o.comments, "I", 7.5))
            g.row(grid.GridRow(lines, [list(c) for c in empty], writable=True))

    rows = t.number("blank.rows", 0, 20)
    if rows:
        g.heading(t.text("blank.title"))
        for _ in range(rows):
            g.row(grid.GridRow([(t.text("blank.hint"), "I", 7)], [list(c) for c in empty],
                               min_h=12, writable=True))
