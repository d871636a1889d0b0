"""« Compte-rendu d'imagerie » pre-formatted on paper: a planned exam with its patient's
identity band and allergies, or blank with the identity to fill in by hand."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.roster import patient_file
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.imaging.model import ExamReport, modality_text

KIND = "imaging_report"
TITLE = "Compte-rendu d'imagerie"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "document.note": (),
    **{f"blank.{k}": () for k in ("title", "birth_name", "used_name", "first_names",
                                  "birth_date", "sex", "ipp", "unit", "allergies",
                                  "no_allergy")},
    **{f"exam.{k}": () for k in ("title", "label", "modality", "room", "when", "requesting",
                                 "requester", "indication", "empty")},
    **{f"areas.{k}": () for k in ("technique", "findings", "conclusion")},
    **{f"signature.{k}": () for k in ("title", "name", "when", "sign")},
}
LINE_H = 7.0     # ruled lines, room for handwriting
AREA_HEAD = 8.0  # space, title and rule above each area
TECHNIQUE, CONCLUSION, MIN_FINDINGS = 2, 4, 6   # ruled lines per area
SIGNATURE_H = 32.0


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render(report: ExamReport, ctx: DocumentContext) -> bytes:
    """Render a report form as PDF bytes (pure: records in, bytes out)."""
    pdf = DocumentPDF(ctx, TITLE)
    draw(pdf, report, ctx)
    return pdf.output_bytes()


def draw(pdf: DocumentPDF, report: ExamReport, ctx: DocumentContext) -> None:
    """Add one report form, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    file = patient_file(report.who, report.extracted_at) if report.who else None
    pdf.begin_document(ctx, t.text("document.title"), patient=file)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("document.note"), "", 8)
    pdf.set_text_color(*INK)
    if file is None:
        _blank_identity(pdf, t)
    _exam(pdf, t, report)
    # The findings take what the page has left, so that the form stays on one sheet.
    fixed = 3 * AREA_HEAD + (TECHNIQUE + CONCLUSION) * LINE_H + SIGNATURE_H
    room = pdf.page_break_trigger - pdf.get_y() - fixed
    findings = max(MIN_FINDINGS, int(room // LINE_H))
    _area(pdf, t.text("areas.technique"), TECHNIQUE)
    _area(pdf, t.text("areas.findings"), findings)
    _area(pdf, t.text("areas.conclusion"), CONCLUSION)
    _signature(pdf, t)


def _blank_identity(pdf: DocumentPDF, t: Template) -> None:
    pdf.section(t.text("blank.title"))
    for left, right in (("birth_name", "used_name"), ("first_names", "birth_date"),
                        ("ipp", "sex"), ("unit", None)):
        y = pdf.get_y()
        _blank_field(pdf, t.text(f"blank.{left}"), MARGIN, y, pdf.epw / 2 - 2 if right
                     else pdf.epw)
        if right:
            _blank_field(pdf, t.text(f"blank.{right}"), MARGIN + pdf.epw / 2 + 2, y,
                         pdf.epw / 2 - 2)
        pdf.set_y(y + LINE_H + 1)
    pdf.set_font(FAMILY, "B", 9)
    pdf.set_x(MARGIN)
    pdf.cell(pdf.epw, 5, t.text("blank.allergies"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    y = pdf.get_y()
    pdf.set_x(MARGIN)
    pdf.cell(pdf.epw, LINE_H, t.text("blank.no_allergy"))
    pdf.line(MARGIN + 95, y + LINE_H - 1, MARGIN + pdf.epw, y + LINE_H - 1)
    pdf.set_y(y + LINE_H + 1)


def _blank_field(pdf: DocumentPDF, label: str, x: float, y: float, w: float) -> None:
    """« Label : ______ » on one line, the rule where the hand writes."""
    pdf.set_font(FAMILY, "", 9)
    label_w = min(pdf.get_string_width(label + " :") + 2, w / 2)
    pdf.set_xy(x, y)
    pdf.fit_cell(label_w, LINE_H, label + " :", "", 9)
    pdf.set_line_width(0.2)
    pdf.line(x + label_w, y + LINE_H - 1, x + w, y + LINE_H - 1)


def _exam(pdf: DocumentPDF, t: Template, report: ExamReport) -> None:
    pdf.section(t.text("exam.title"))
    e = report.exam
    empty = t.text("exam.empty")
    if e is None:
        for left, right in (("label", "modality"), ("when", "room"),
                            ("requesting", "requester"), ("indication", None)):
            y = pdf.get_y()
            _blank_field(pdf, t.text(f"exam.{left}"), MARGIN, y,
                         pdf.epw / 2 - 2 if right else pdf.epw)
            if right:
                _blank_field(pdf, t.text(f"exam.{right}"), MARGIN + pdf.epw / 2 + 2, y,
                             pdf.epw / 2 - 2)
            pdf.set_y(y + LINE_H + 1)
        return
    for key, value in (("label", e.label), ("modality", modality_text(e.modality)),
                       ("when", format_local(e.scheduled_at)), ("room", e.room or empty),
                       ("requesting", report.requesting or empty),
                       ("requester", e.requester or empty),
                       ("indication", e.indication or empty)):
        pdf.field(t.text(f"exam.{key}") + " :", value, label_w=42)


def _area(pdf: DocumentPDF, title: str, lines: int) -> None:
    """A titled box of ruled lines for handwriting, kept whole on one page."""
    pdf.ensure_space(8 + lines * LINE_H)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_x(MARGIN)
    pdf.cell(pdf.epw, 5, title, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y()
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, top, pdf.epw, lines * LINE_H)
    pdf.set_line_width(0.1)
    for k in range(1, lines):
        pdf.line(MARGIN + 2, top + k * LINE_H, MARGIN + pdf.epw - 2, top + k * LINE_H)
    pdf.set_y(top + lines * LINE_H + 1)


def _signature(pdf: DocumentPDF, t: Template) -> None:
    pdf.ensure_space(SIGNATURE_H - 4)
    pdf.section(t.text("signature.title"))
    y = pdf.get_y()
    w = pdf.epw / 3
    for i, key in enumerate(("name", "when", "sign")):
        x = MARGIN + i * w
        pdf.set_line_width(0.3)
        pdf.rect(x, y, w - 2, 16)
        pdf.set_xy(x + 1, y + 0.5)
        pdf.fit_cell(w - 4, 4, t.text(f"signature.{key}"), "", 8)
    pdf.set_y(y + 17)
