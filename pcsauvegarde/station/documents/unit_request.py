"""« Demande de produits à la PUI »: a unit's usual products and blank lines, to fill and serve."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.dotation import code_cell, fitted_title
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import RequestLine, UnitRequestForm

KIND = "unit_request"
TITLE = "Demande de produits à la PUI"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "list.unit": ("name", "code"), "list.count": ("count",),
    "list.history": ("count",), "list.no_history": (), "list.empty": (), "list.no_zone": (),
    "list.problems": ("count",), "list.asked": ("quantity", "count"), "list.not_dotation": (),
    "list.blank_rows": (), "list.other": (), "request.urgent": (),
    **{f"columns.{k}": () for k in ("zone", "product", "code", "form", "dotation", "last",
                                    "requested", "delivered")},
    **{f"signature.{k}": () for k in ("title", "requested", "prepared", "received", "name",
                                      "when", "sign")},
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("list.blank_rows", 0, 40)
    return t


def render(form: UnitRequestForm, ctx: DocumentContext) -> bytes:
    """Render a unit's request form as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, form, ctx, landscape=True)


def draw(pdf: DocumentPDF, form: UnitRequestForm, ctx: DocumentContext) -> None:
    """Add a unit's request form, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, fitted_title(pdf, t, form.code, form.name), landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.unit", name=form.name or form.code, code=form.code), "", 8.5)
    pdf.paragraph(t.text("list.count", count=len(form.lines)) + " " + (
        t.text("list.history", count=form.history_requests) if form.history_requests
        else t.text("list.no_history")), "", 8.5)
    pdf.set_text_color(*INK)
    pdf.paragraph(t.text("request.urgent"), "B", 9)
    bad = sum(1 for line in form.lines if line.problems) + len(form.unit_problems)
    if bad:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("list.problems", count=bad), "B", 9)
        for problem in form.unit_problems:
            pdf.paragraph(f"⚠ {problem}", "B", 9)
        pdf.set_text_color(*INK)
    if not form.lines:
        pdf.paragraph(t.text("list.empty"))
    columns = [Column(t.text(f"columns.{k}"), w, a, fit=k == "code") for k, w, a in (
        ("zone", 0.7, "L"), ("product", 3.0, "L"), ("code", 1.4, "L"), ("form", 1.8, "L"),
        ("dotation", 0.9, "R"), ("last", 1.1, "R"), ("requested", 1.0, "C"),
        ("delivered", 1.0, "C"))]
    rows = [_row(t, line) for line in form.lines]
    blank = t.number("list.blank_rows", 0, 40)
    if blank:
        rows.append(Row(("", t.text("list.other"), "", "", "", "", "", ""), fill=True))
        rows += [Row(("\n",) + ("",) * (len(columns) - 1))] * blank
    if rows:
        draw_table(pdf, columns, rows, size=8.5)
    _signatures(pdf, t)


def _row(t: Template, line: RequestLine) -> Row:
    product = line.label or "—"
    if line.dotation is None:
        product += "\n" + t.text("list.not_dotation")
    if line.problems:
        product += "\n⚠ " + "\n⚠ ".join(line.problems)
    form = "\n".join(x for x in (line.form, line.packaging) if x) or "—"
    last = (t.text("list.asked", quantity=line.last_quantity, count=line.requests)
            if line.last_quantity is not None else "")
    return Row((line.storage_zone or t.text("list.no_zone"), product,
                code_cell(line.product_id, line.code_kind), form,
                "" if line.dotation is None else str(line.dotation), last, "", ""),
               red=frozenset({1}) if line.problems else frozenset())


def _signatures(pdf: DocumentPDF, t: Template) -> None:
    pdf.ensure_space(40)
    pdf.section(t.text("signature.title"))
    columns = [Column("", 1.6), Column(t.text("signature.name"), 2.0),
               Column(t.text("signature.when"), 1.4), Column(t.text("signature.sign"), 2.0)]
    rows = [Row((t.text(f"signature.{k}"), "\n\n", "", "")) for k in
            ("requested", "prepared", "received")]
    draw_table(pdf, columns, rows, size=9)
