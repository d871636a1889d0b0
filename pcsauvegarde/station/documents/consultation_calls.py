"""« Planning des consultations » printed as a call list: one clinic and day, with tick columns
« appelé / maintenu / reporté » and notes (a unit document, journalled under the clinic)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.consultations.model import CallLine, CallList, CallWeek, status_text
from pcsauvegarde.station.documents import identity
from pcsauvegarde.station.documents.base import (
    ALLERGY_RED,
    GREY,
    INK,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_date, format_time, to_local
from pcsauvegarde.station.documents.roster import who_cells
from pcsauvegarde.station.documents.table import Column, Row, draw_table, identifier_weight
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "consultation_calls"
TITLE = "Planning des consultations"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("day",), "document.week_title": ("first", "last"),
    "list.day": ("day",), "list.no_appointment_days": ("days",),
    "list.clinic": ("clinic",), "list.clinics": ("clinics",),
    "list.count": ("count", "cancelled"), "list.empty": (), "list.no_phone": (),
    "list.unknown": ("count",), "list.blank_rows": (),
    **{f"columns.{k}": () for k in ("time", "identity", "ipp", "phone", "practitioner",
                                    "status", "called", "kept", "moved", "notes")},
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
BOX = "☐"


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("list.blank_rows", 0, 20)
    return t


def render(calls: CallList | CallWeek, ctx: DocumentContext) -> bytes:
    """Render one clinic's call list (a day, or a week) as PDF bytes (pure)."""
    return render_document(draw, TITLE, calls, ctx, landscape=True)


def draw(pdf: DocumentPDF, calls: CallList | CallWeek, ctx: DocumentContext) -> None:
    """Add one clinic's call list, as its own document, to ``pdf``: one day, or every day of
    a week with appointments, each from a new page."""
    t = load(ctx.templates_dir)
    words = identity.load(ctx.templates_dir)
    clinic = f"{calls.name} ({calls.code})" if calls.name else calls.code
    if isinstance(calls, CallList):
        pdf.begin_document(ctx, t.text("document.title", day=_day(calls.day)), landscape=True)
        pdf.add_page()
        pdf.paragraph(t.text("list.clinic", clinic=clinic), "B", 11)
        _day_list(pdf, t, words, calls, ctx)
        return
    first, last = (calls.days[0].day, calls.days[-1].day) if calls.days else (None, None)
    pdf.begin_document(ctx, t.text("document.week_title",
                                   first=_day(first) if first else "—",
                                   last=_day(last) if last else "—"), landscape=True)
    pdf.add_page()
    pdf.paragraph(t.text("list.clinic", clinic=clinic), "B", 11)
    empty = [_day(d.day) for d in calls.days if not d.lines]
    if empty:
        pdf.set_text_color(*GREY)
        pdf.paragraph(t.text("list.no_appointment_days", days=", ".join(empty)), "", 8.5)
        pdf.set_text_color(*INK)
    busy = [d for d in calls.days if d.lines]
    for n, day in enumerate(busy):
        if n:
            pdf.add_page()
        _day_list(pdf, t, words, day, ctx, title=t.text("list.day", day=_day(day.day)))
    if not busy:
        pdf.paragraph(t.text("list.empty"))


def _day(day) -> str:
    return f"{WEEKDAYS[day.weekday()]} {format_date(day)}"


def _day_list(pdf: DocumentPDF, t: Template, words: Template, calls: CallList,
              ctx: DocumentContext, title: str = "") -> None:
    """One day's counts and table of calls, from the current position; with ``title`` (a
    day of a week) the day heads the table, repeated « (suite) » on its next pages."""
    own = [c for c in calls.clinics if c.casefold() != calls.name.casefold()]
    cancelled = sum(1 for line in calls.lines if line.appointment.status == "cancelled")
    unknown = sum(1 for line in calls.lines if line.who is None)
    notes = [t.text("list.clinics", clinics=" · ".join(own)) if own else "",
             t.text("list.count", count=len(calls.lines), cancelled=cancelled)]
    if not title:
        if notes[0]:
            pdf.paragraph(notes[0], "", 9)
        pdf.set_text_color(*GREY)
        pdf.paragraph(notes[1], "", 8.5)
        pdf.set_text_color(*INK)
    if unknown:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("list.unknown", count=unknown), "B", 9)
        pdf.set_text_color(*INK)
    if not calls.lines:
        pdf.paragraph(t.text("list.empty"))
    ipp_w = identifier_weight((line.appointment.ipp for line in calls.lines), 1.5, 3.6)
    spare = 3.6 - ipp_w   # short IPPs leave room to the patient's identity and the notes
    columns = [Column(t.text(f"columns.{k}"), w, a, fit=k in ("ipp", "phone")) for k, w, a in (
        ("time", 0.95, "L"), ("identity", 2.2 + spare * 0.4, "L"), ("ipp", ipp_w, "L"),
        ("phone", 1.8, "L"),
        ("practitioner", 2.0, "L"), ("status", 1.1, "L"), ("called", 1.05, "C"),
        ("kept", 1.35, "C"), ("moved", 1.15, "C"), ("notes", 1.8 + spare * 0.6, "L"))]
    today = to_local(ctx.printed_at).date()
    rows = [_row(t, words, line, today) for line in calls.lines]
    rows += [Row(("\n\n",) + ("",) * 5 + (BOX, BOX, BOX, ""))] * t.number("list.blank_rows",
                                                                           0, 20)
    if rows:
        draw_table(pdf, columns, rows, size=8.5, title=title,
                   note=" ".join(n for n in notes if n) if title else "")


def _row(t: Template, words: Template, line: CallLine, today) -> Row:
    a = line.appointment
    who = who_cells(words, line.who, a.ipp, today)
    when = format_time(a.start) + (f"\nà {format_time(a.end)}" if a.end else "")
    red: set[int] = set()
    phone = a.phone
    if not phone:
        phone, red = t.text("list.no_phone"), red | {3}
    if line.who is None:
        red.add(1)
    seen_by = "\n".join(x for x in (a.practitioner, a.reason) if x) or "—"
    return Row((when, who.identity, who.ipp, phone, seen_by, status_text(a.status),
                BOX, BOX, BOX, ""), red=frozenset(red),
               fill=a.status == "cancelled")
