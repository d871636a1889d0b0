"""« Planning des examens »: one modality, room and day of the imaging extract (landscape)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents import identity
from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date, format_time, to_local
from pcsauvegarde.station.documents.roster import who_cells
from pcsauvegarde.station.documents.table import Column, Row, draw_table, identifier_weight
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.imaging.model import (
    ExamDay,
    ExamLine,
    ExamSchedule,
    modality_text,
    status_text,
)

KIND = "imaging_schedule"
TITLE = "Planning des examens d'imagerie"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("modality", "day"), "document.day_title": ("day",),
    "list.schedule": ("modality", "room"), "list.room": ("room",), "list.no_room": (),
    "list.count": ("count",), "list.empty": (), "list.unknown": ("count",),
    "list.blank_rows": (),
    **{f"columns.{k}": () for k in ("time", "identity", "ipp", "allergies", "exam",
                                    "requesting", "status", "notes")},
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("list.blank_rows", 0, 20)
    return t


def render(schedule: ExamSchedule | ExamDay, ctx: DocumentContext) -> bytes:
    """Render one exam schedule, or a whole day's, as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, schedule, ctx, landscape=True)


def draw(pdf: DocumentPDF, schedule: ExamSchedule | ExamDay, ctx: DocumentContext) -> None:
    """Add one exam schedule (or every schedule of a day, each from a new page), as its own
    document, to ``pdf``."""
    t = load(ctx.templates_dir)
    words = identity.load(ctx.templates_dir)
    if isinstance(schedule, ExamDay):
        pdf.begin_document(ctx, t.text("document.day_title", day=format_date(schedule.day)),
                           landscape=True)
        pdf.add_page()
        for n, one in enumerate(schedule.schedules):
            if n:
                pdf.add_page()
            pdf.paragraph(t.text("list.schedule", modality=modality_text(one.modality),
                                 room=one.room or t.text("list.no_room")), "B", 12)
            _schedule(pdf, t, words, one, ctx, room_line=False)
        if not schedule.schedules:
            pdf.paragraph(t.text("list.empty"))
        return
    title = t.text("document.title", modality=modality_text(schedule.modality),
                   day=format_date(schedule.day))
    pdf.begin_document(ctx, title, landscape=True)
    pdf.add_page()
    _schedule(pdf, t, words, schedule, ctx)


def _schedule(pdf: DocumentPDF, t: Template, words: Template, schedule: ExamSchedule,
              ctx: DocumentContext, room_line: bool = True) -> None:
    """One modality and room's exams from the current position: room, counts, table."""
    if room_line:   # a whole day's heading names the room already
        pdf.paragraph(t.text("list.room", room=schedule.room) if schedule.room
                      else t.text("list.no_room"), "B", 10)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.count", count=len(schedule.lines)), "", 8.5)
    pdf.set_text_color(*INK)
    unknown = sum(1 for line in schedule.lines if line.who is None)
    if unknown:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("list.unknown", count=unknown), "B", 9)
        pdf.set_text_color(*INK)
    if not schedule.lines:
        pdf.paragraph(t.text("list.empty"))
    ipp_w = identifier_weight((line.exam.ipp for line in schedule.lines), 1.5, 2.8)
    spare = 2.8 - ipp_w   # short IPPs leave room to the patient's identity and the exam
    columns = [Column(t.text(f"columns.{k}"), w, fit=k == "ipp") for k, w in (
        ("time", 0.75), ("identity", 2.3 + spare / 2), ("ipp", ipp_w), ("allergies", 1.6),
        ("exam", 2.1 + spare / 2),
        ("requesting", 1.2), ("status", 0.9), ("notes", 1.4))]
    today = to_local(ctx.printed_at).date()
    rows = [_row(words, line, today) for line in schedule.lines]
    rows += [Row(("\n\n",) + ("",) * (len(columns) - 1))] * t.number("list.blank_rows", 0, 20)
    if rows:
        draw_table(pdf, columns, rows, size=8.5)


def _row(words: Template, line: ExamLine, today) -> Row:
    e = line.exam
    who = who_cells(words, line.who, e.ipp, today)
    exam = e.label + (f"\nIndication : {e.indication}" if e.indication else "")
    requesting = line.requesting or "—"
    if e.requester:
        requesting += f"\n{e.requester}"
    return Row((format_time(e.scheduled_at), who.identity, who.ipp, who.allergies, exam,
                requesting, status_text(e.status), ""),
               red=frozenset({3}) if who.allergic else frozenset({1}) if line.who is None
               else frozenset())
