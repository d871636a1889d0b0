"""« Synthèse patient »: identity, stay, allergies, antecedents, treatments, labs, imaging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.core.records import LabResult
from pcsauvegarde.station.documents.allergies import (
    absence_text,
    allergy_state,
    describe,
    is_anaphylaxis,
)
from pcsauvegarde.station.documents.base import (
    ALLERGY_RED,
    FAMILY,
    GREY,
    INK,
    MARGIN,
    UNKNOWN_INK,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import (
    decimal_commas,
    dose_text,
    format_age,
    format_date,
    format_lab_flag,
    format_local,
    format_timing,
)
from pcsauvegarde.station.documents.orders import ROUTE_LEGEND, route_short
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.lab import bloodbank

KIND = "summary"
TITLE = "Synthèse patient"
LAB_WINDOW_HOURS = 72
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "common.source": ("date", "age"), "stay.title_ended": ("date",),
    **{f"stay.{k}": () for k in
       ("title", "empty", "unit", "room", "admission", "discharge", "attending", "reason")},
    "allergies.title": (),
    **{f"blood.{k}": () for k in
       ("title", "group", "phenotype", "rai", "requirements", "history")},
    "conditions.title": (), "conditions.empty": (),
    **{f"treatments.{k}": () for k in
       ("title", "empty", "drug", "dose", "route", "timing", "start", "prescriber")},
    "labs.window": ("hours", "since"),
    **{f"labs.{k}": () for k in
       ("title", "empty", "test", "collected", "value", "unit", "range", "flag", "legend",
        "latest", "preliminary", "corrected")},
    "labs.old": ("age",),
    **{f"imaging.{k}": () for k in ("title", "empty", "date", "modality", "exam", "room")},
}
CONDITION_STATUS = {"inactive": "inactif", "resolved": "résolu", "remission": "en rémission",
                    "recurrence": "récidive", "relapse": "rechute"}
HIDDEN_STATUS = {"entered-in-error", "refuted"}   # conditions that say "this was wrong"
MODALITIES = {"CT": "Scanner", "MR": "IRM", "US": "Échographie", "CR": "Radiographie",
              "DX": "Radiographie", "XR": "Radiographie", "MG": "Mammographie",
              "NM": "Médecine nucléaire", "PT": "TEP", "XA": "Angiographie"}
NORMAL_FLAGS = ("", "N")


def load(directory: Path | str | None = None) -> Template:
    """The summary template (TemplateError names file and key)."""
    return load_template(KIND, SCHEMA, directory)


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    """Render the patient summary as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, file, ctx, landscape=False)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    """Add the patient summary, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, t.text("document.title"), patient=file)
    pdf.add_page()
    _stay(pdf, t, file)
    _allergies(pdf, t, file)
    draw_blood(pdf, t, file)
    _conditions(pdf, t, file)
    _treatments(pdf, t, file)
    _labs(pdf, t, file)
    _imaging(pdf, t, file)


def _source(t: Template, file: PatientFile, ctx: DocumentContext, domain: str) -> str:
    at = file.extracted_at.get(domain)
    if at is None:
        return ""
    return t.text("common.source", date=format_local(at), age=format_age(ctx.printed_at - at))


def _stay(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    stay = file.stay
    title = t.text("stay.title")
    if stay is not None and stay.discharge is not None:   # never « en cours » once ended
        title = t.text("stay.title_ended", date=format_local(stay.discharge))
    pdf.section(title, _source(t, file, pdf.ctx, "dpi"))
    if stay is None:
        pdf.paragraph(t.text("stay.empty"))
        return
    unit = f"{file.unit_name} ({stay.unit})" if file.unit_name else stay.unit
    bed = " / ".join(x for x in (stay.room, stay.bed) if x) or "—"
    pdf.field(t.text("stay.unit"), unit)
    pdf.field(t.text("stay.room"), bed)
    pdf.field(t.text("stay.admission"), format_local(stay.admission))
    if stay.discharge is not None:
        pdf.field(t.text("stay.discharge"), format_local(stay.discharge))
    pdf.field(t.text("stay.attending"), stay.attending or "—")
    pdf.field(t.text("stay.reason"), stay.reason or "—")


def _allergies(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    """A heavy-framed box: the one thing nobody may miss on this page (same words as the band)."""
    pdf.section(t.text("allergies.title"), _source(t, file, pdf.ctx, "dpi"))
    words = pdf.identity_texts
    state = allergy_state(file.allergies)
    lines: list[tuple[str, tuple[int, int, int], str]] = []
    for a in state.current:
        text = f"⚠ {describe(a, words)}"
        if is_anaphylaxis(a):
            text = f"{words.text('allergies.anaphylaxis')} — {describe(a, words)}"
        lines.append((text, ALLERGY_RED, "B"))
    if not state.current:
        lines.append((absence_text(state, words), INK if state.informed else UNKNOWN_INK, "B"))
    width = pdf.epw - 6
    heights = []
    for text, _, style in lines:
        pdf.set_font(FAMILY, style, 10)
        heights.append(5 * len(pdf.wrap(width, text)))
    pdf.ensure_space(sum(heights) + 4)
    top, page = pdf.y, pdf.page
    pdf.set_y(top + 2)
    for text, color, style in lines:
        pdf.set_font(FAMILY, style, 10)
        pdf.set_text_color(*color)
        pdf.set_x(MARGIN + 3)
        pdf.text_lines(width, 5, text)
    pdf.set_text_color(*INK)
    if pdf.page == page:  # same page: frame it (a list longer than a page simply flows)
        pdf.set_line_width(0.9)
        pdf.rect(MARGIN, top, pdf.epw, pdf.y + 2 - top)
        pdf.set_line_width(0.2)
    pdf.set_y(pdf.y + 3)
    pdf.set_font(FAMILY, "", 9)


def draw_blood(pdf: DocumentPDF, t: Template, file: PatientFile, history: bool = False) -> None:
    """Group, phenotype, RAI with its validity (station/lab/bloodbank.py says how), needs;
    ``history``: every transfusion given, else the three latest."""
    pdf.section(t.text("blood.title"), _source(t, file, pdf.ctx, "lab"))
    status = bloodbank.blood_status(file.blood_typings, file.transfusions, pdf.ctx.printed_at)
    alarm = not status.known or bool(status.discordance)
    _blood_field(pdf, t.text("blood.group"), bloodbank.group_text(status), alarm)
    if status.known:
        pdf.field(t.text("blood.phenotype"), bloodbank.phenotype_text(status))
    rai_alarm = status.rai is None or status.rai_expired or status.rai.screen == "positive"
    _blood_field(pdf, t.text("blood.rai"), bloodbank.rai_text(status), rai_alarm)
    if status.requirements:
        _blood_field(pdf, t.text("blood.requirements"), " ; ".join(
            bloodbank.requirement_text(f) for f in status.requirements), True)
    if status.given:
        shown = status.given if history else status.given[:3]
        more = len(status.given) - len(shown)
        pdf.field(t.text("blood.history"), " ; ".join(
            bloodbank.transfusion_text(f) for f in shown) + (f" (et {more} autres)" * bool(more)))


def _blood_field(pdf: DocumentPDF, label: str, value: str, bold: bool) -> None:
    """A field whose value is bold when it calls for action (missing, expired, positive)."""
    if not bold:
        pdf.field(label, value)
        return
    label_w = 40
    pdf.set_font(FAMILY, "B", 9)
    lines = pdf.wrap(pdf.epw - label_w, value)
    pdf.ensure_space(4.5 * max(len(lines), 1))
    pdf.set_x(MARGIN)
    pdf.cell(label_w, 4.5, label)
    pdf.text_lines(pdf.epw - label_w, 4.5, value)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_x(MARGIN)


def _conditions(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    pdf.section(t.text("conditions.title"))
    shown = [c for c in file.conditions if c.status not in HIDDEN_STATUS]
    if not shown:
        pdf.paragraph(t.text("conditions.empty"))
        return
    shown.sort(key=lambda c: (c.status != "active", -(c.onset or dt.date.min).toordinal()))
    for c in shown:
        text = c.label + (f" ({c.code})" if c.code else "")
        if c.onset:
            text += f" — depuis le {format_date(c.onset)}"
        if c.status and c.status != "active":
            text += f" — {CONDITION_STATUS.get(c.status, c.status)}"
        pdf.ensure_space(5)
        pdf.paragraph(f"• {text}")


def _treatments(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    pdf.section(t.text("treatments.title"), _source(t, file, pdf.ctx, "dpi"))
    now = pdf.ctx.printed_at
    active = [o for o in file.orders
              if o.status == "active" and (o.end is None or o.end > now)]
    if not active:
        pdf.paragraph(t.text("treatments.empty"))
        return
    active.sort(key=lambda o: (o.drug.casefold(), o.start))
    columns = [Column(t.text("treatments.drug"), 3.2), Column(t.text("treatments.dose"), 1.3),
               Column(t.text("treatments.route"), 1.1), Column(t.text("treatments.timing"), 2.2),
               Column(t.text("treatments.start"), 1.4),
               Column(t.text("treatments.prescriber"), 1.6)]
    rows = []
    for o in active:
        drug = o.drug + (f"\n{o.comments}" if o.comments else "")
        until = f"\njusqu'au {format_local(o.end)}" if o.end else ""
        rows.append(Row((drug, dose_text(o.dose, o.unit), route_short(o.route) or "—",
                         format_timing(o.timing), format_local(o.start) + until,
                         o.prescriber or "—")))
    draw_table(pdf, columns, rows)
    if any(route_short(o.route) != o.route.strip() for o in active):
        pdf.paragraph(ROUTE_LEGEND, "", 8, 4)


def _labs(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    """The last 72 h of results as a table, then the last known value of every other test
    with its date, flagged old (a patient whose last results are older still shows them)."""
    ctx = pdf.ctx
    anchor = file.extracted_at.get("lab") or ctx.extracted_at or ctx.printed_at
    since = anchor - dt.timedelta(hours=LAB_WINDOW_HOURS)
    note = t.text("labs.window", hours=LAB_WINDOW_HOURS, since=format_local(since))
    source = _source(t, file, ctx, "lab")
    pdf.section(t.text("labs.title"), f"{note}\n{source}" if source else note)
    recent = [r for r in file.lab_results if r.collected_at >= since]
    latest = _latest_older(file.lab_results, {r.analysis for r in recent}, since)
    columns = [Column(t.text("labs.test"), 3), Column(t.text("labs.collected"), 1.8),
               Column(t.text("labs.value"), 1.3, "R"), Column(t.text("labs.unit"), 1.2),
               Column(t.text("labs.range"), 1.6), Column(t.text("labs.flag"), 0.9, "C")]
    if recent:
        draw_table(pdf, columns, [_lab_row(r, t) for r in _grouped(recent)], group_first=True)
    else:
        pdf.paragraph(t.text("labs.empty"))
    if latest:
        pdf.ensure_space(14)
        pdf.ln(1)
        pdf.paragraph(t.text("labs.latest"), "B", 9)
        old = [_lab_row(r, t, t.text("labs.old", age=format_age(anchor - r.collected_at)))
               for r in latest]
        draw_table(pdf, columns, old)
    if recent or latest:
        pdf.set_text_color(*GREY)
        pdf.paragraph(t.text("labs.legend"), "", 8, 4)
        pdf.set_text_color(*INK)


def _latest_older(results, recent_tests: set[str], since: dt.datetime) -> list[LabResult]:
    """The newest result of each test with nothing since ``since``, by label."""
    latest: dict[str, LabResult] = {}
    for r in results:
        if r.collected_at < since and r.analysis not in recent_tests:
            held = latest.get(r.analysis)
            if held is None or r.collected_at > held.collected_at:
                latest[r.analysis] = r
    return sorted(latest.values(), key=lambda r: (r.label.casefold(), r.code))


def _grouped(results: list[LabResult]) -> list[LabResult]:
    """By test (alphabetical label), newest first within a test."""
    results = sorted(results, key=lambda r: r.collected_at, reverse=True)
    return sorted(results, key=lambda r: (r.label.casefold(), r.code))


def _lab_row(r: LabResult, t: Template, old: str = "") -> Row:
    abnormal = r.abnormal not in NORMAL_FLAGS
    collected = format_local(r.collected_at) + (f"\n{old}" if old else "")
    value = decimal_commas(r.value)
    if r.status != "final":  # not final yet, or corrected since: said under the value
        value = f"{value}\n{t.text('labs.' + r.status)}"
    return Row((r.label, collected, value, r.unit, decimal_commas(r.reference_range),
                format_lab_flag(r.abnormal) if abnormal else ""),
               bold=abnormal, fill=r.abnormal in ("HH", "LL"))


def _imaging(pdf: DocumentPDF, t: Template, file: PatientFile) -> None:
    pdf.section(t.text("imaging.title"), _source(t, file, pdf.ctx, "imaging"))
    planned = sorted((e for e in file.imaging_exams if e.status == "planned"),
                     key=lambda e: e.scheduled_at)
    if not planned:
        pdf.paragraph(t.text("imaging.empty"))
        return
    columns = [Column(t.text("imaging.date"), 1.5), Column(t.text("imaging.modality"), 1.5),
               Column(t.text("imaging.exam"), 4), Column(t.text("imaging.room"), 1.5)]
    rows = [Row((format_local(e.scheduled_at),
                 f"{MODALITIES[e.modality]} ({e.modality})" if e.modality in MODALITIES
                 else e.modality, e.label, e.room or "—")) for e in planned]
    draw_table(pdf, columns, rows)
