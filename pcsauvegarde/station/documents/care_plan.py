"""« Plan de soins » over 24 h: exams and OR cases, care tasks by time slot, surveillances.

Planned imaging exams and OR cases come first, at their time, with the preparation to check
(contrast injection and the patient's contrast allergy, MRI safety, fasting before surgery).
A discharged patient gets no plan: one page says so, with the discharge date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pcsauvegarde.core.records import (
    ALLERGY_NOT_ACTIVE,
    ImagingExam,
    SurgeryCase,
    allergy_standing,
)
from pcsauvegarde.station.documents import discharge, grid, orders
from pcsauvegarde.station.documents.base import (
    GREY,
    INK,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import (
    dose_text,
    format_local,
    format_time,
    format_timing,
)
from pcsauvegarde.station.documents.schedule import load_standard_hours, order_slots
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "care_plan"
TITLE = "Plan de soins"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "window.hours": (), "window.block_hours": (),
    "window.note": ("start", "end"), "columns.task": (),
    "exams.title": (), "exams.imaging": ("modality", "room"), "exams.surgery": ("room",),
    "exams.surgeons": ("surgeon", "anaesthetist"), "exams.contrast": (),
    "exams.contrast_allergy": ("substances",), "exams.mri": (), "exams.fasting": (),
    "tasks.title": (), "tasks.empty": (), "surveillance.title": (), "surveillance.lines": (),
    "vigilance.title": (), "blank.title": (), "blank.rows": (), "blank.hint": (),
    "discharged.title": ("date",), "discharged.note": (),
}
_CONTRAST = re.compile(r"inject|contraste|angio|arthro|uro-?scanner|coronarograph|\bTAP\b",
                       re.IGNORECASE)
_CONTRAST_ALLERGY = re.compile(r"iod|contraste|gadolin", re.IGNORECASE)
_MRI = re.compile(r"\bIRM\b|\bMRI?\b", re.IGNORECASE)
DONE = ("done", "completed", "cancelled", "entered-in-error")


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
    now = ctx.printed_at
    blocks = grid.blocks(now, now + dt.timedelta(hours=t.number("window.hours", 1, 48)),
                         t.number("window.block_hours", 1, 12), now)
    start, end = now, blocks[-1].end          # whole periods to the end of the last
    pdf.begin_document(ctx, t.text("document.title"), patient=file, landscape=True)
    pdf.add_page()
    left = discharge.discharged_at(file, now)
    if left is not None:
        discharge.draw_notice(pdf, t.text("discharged.title", date=format_local(left)),
                              t.text("discharged.note"))
        return
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("window.note", start=format_local(start), end=format_local(end)),
                  "", 8, 3.8)
    pdf.set_text_color(*INK)
    g = grid.Grid(pdf, blocks, t.text("columns.task"), boundary=now)
    empty: list[list[grid.Entry]] = [[] for _ in blocks]

    planned = _planned(t, file, blocks[0].start, end)
    if planned:
        g.heading(t.text("exams.title"))
        for at, lines in planned:
            marks = [(at, grid.Entry(format_time(at), box=True))]
            g.row(grid.GridRow(lines, grid.place(blocks, marks)))

    g.heading(t.text("tasks.title"))
    tasks = sorted(file.care_tasks, key=lambda c: c.label.casefold())
    if not tasks:
        g.note(t.text("tasks.empty"))
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
                and (o.comments or orders.read_order(o).mode not in (orders.SCHEDULED,
                                                                     orders.PRN))]
    if vigilant:
        g.heading(t.text("vigilance.title"))
        for o in sorted(vigilant, key=lambda o: o.drug.casefold()):
            dose = dose_text(o.dose, " ".join(x for x in (o.unit, orders.route_short(o.route))
                                              if x))
            words = orders.words_of(o)
            lines = [(f"{o.drug} — {dose}", "B", 9),
                     (f"« {words} »" if words else format_timing(o.timing), "", 8)]
            if o.comments:
                lines.append((o.comments, "I", 7.5))
            g.row(grid.GridRow(lines, [list(c) for c in empty], writable=True))

    # Blank rows fill what is left of the last page; they never start a page of their own.
    blank = grid.GridRow([(t.text("blank.hint"), "I", 7)], [list(c) for c in empty],
                         min_h=12, writable=True)
    g.heading(t.text("blank.title"))
    for _ in range(min(t.number("blank.rows", 0, 20), g.fitting(blank))):
        g.row(blank)


def _planned(t: Template, file: PatientFile, start: dt.datetime, end: dt.datetime
             ) -> list[tuple[dt.datetime, list[tuple[str, str, float]]]]:
    """Imaging exams and OR cases due in [start, end): their time and description lines."""
    contrast_allergies = [a.substance for a in file.allergies
                          if allergy_standing(a.status, a.verification) != ALLERGY_NOT_ACTIVE
                          and _CONTRAST_ALLERGY.search(a.substance)]
    out = []
    for e in file.imaging_exams:
        if start <= e.scheduled_at < end and e.status not in DONE:
            out.append((e.scheduled_at, _exam_lines(t, e, contrast_allergies)))
    for c in file.surgery_cases:
        if start <= c.scheduled_at < end and c.status not in DONE:
            out.append((c.scheduled_at, _surgery_lines(t, c)))
    return sorted(out, key=lambda x: x[0])


def _exam_lines(t: Template, e: ImagingExam, allergies: list[str]
                ) -> list[tuple[str, str, float]]:
    lines = [(f"{e.label} — {format_local(e.scheduled_at)}", "B", 9.5),
             (t.text("exams.imaging", modality=e.modality, room=e.room or "—"), "", 8)]
    if _CONTRAST.search(e.label):
        lines.append((t.text("exams.contrast"), "", 7.5))
        if allergies:
            lines.append((t.text("exams.contrast_allergy", substances=", ".join(allergies)),
                          "X", 8))
    if _MRI.search(f"{e.label} {e.modality}"):
        lines.append((t.text("exams.mri"), "", 7.5))
    return lines


def _surgery_lines(t: Template, c: SurgeryCase) -> list[tuple[str, str, float]]:
    lines = [(f"{c.procedure} — {format_local(c.scheduled_at)}", "B", 9.5),
             (t.text("exams.surgery", room=c.room), "", 8)]
    if c.surgeon or c.anaesthetist:
        lines.append((t.text("exams.surgeons", surgeon=c.surgeon or "—",
                             anaesthetist=c.anaesthetist or "—"), "", 7.5))
    lines.append((t.text("exams.fasting"), "", 7.5))
    return lines
