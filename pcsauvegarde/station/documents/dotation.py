"""« Dotation de service »: a unit's ward stock list for the PUI picker (a unit document)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import (
    ALLERGY_RED,
    FAMILY,
    GREY,
    INK,
    DocumentPDF,
    render_document,
)
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import DotationLine, WardStockList

KIND = "dotation"
TITLE = "Dotation de service"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "list.count": ("count",), "list.empty": (),
    "list.no_zone": (), "list.unit": ("name", "code"), "list.problems": ("count",),
    **{f"columns.{k}": () for k in ("zone", "product", "code", "form", "quantity", "present",
                                    "to_deliver", "delivered")},
    **{f"signature.{k}": () for k in ("title", "prepared", "checked", "received", "name",
                                      "when", "sign")},
}


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render(stock: WardStockList, ctx: DocumentContext) -> bytes:
    """Render a unit's dotation as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, stock, ctx, landscape=True)


def draw(pdf: DocumentPDF, stock: WardStockList, ctx: DocumentContext) -> None:
    """Add a unit's dotation, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, fitted_title(pdf, t, stock.code, stock.name), landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.unit", name=stock.name or stock.code, code=stock.code), "", 8.5)
    pdf.paragraph(t.text("list.count", count=len(stock.lines)), "", 8.5)
    pdf.set_text_color(*INK)
    if not stock.lines:
        pdf.paragraph(t.text("list.empty"))
    else:
        bad = sum(1 for line in stock.lines if line.problems)
        if bad:
            pdf.set_text_color(*ALLERGY_RED)
            pdf.paragraph(t.text("list.problems", count=bad), "B", 9)
            pdf.set_text_color(*INK)
        # Codes one a line, shrunk then cut (Column.fit): a code is never split by a hyphen.
        columns = [Column(t.text(f"columns.{k}"), w, a, fit=k == "code") for k, w, a in (
            ("zone", 0.7, "L"), ("product", 3.2, "L"), ("code", 1.4, "L"),
            ("form", 2.0, "L"), ("quantity", 0.95, "R"), ("present", 0.9, "C"),
            ("to_deliver", 0.9, "C"), ("delivered", 0.85, "C"))]
        draw_table(pdf, columns, [_row(t, line) for line in stock.lines], size=8.5)
    _signatures(pdf, t)


def fitted_title(pdf: DocumentPDF, t: Template, code: str, name: str) -> str:
    """« name (code) » when it fits the header line, else the name, else cut with « … »
    (``t`` has a « document.title » with {unit}: every unit document of the PUI)."""
    pdf.set_font(FAMILY, "B", 14)
    candidates = [t.text("document.title", unit=u) for u in (
        f"{name} ({code})" if name else code, name or code)]
    for title in candidates:
        if pdf.get_string_width(title) <= pdf.epw:
            return title
    title = candidates[-1]
    while title and pdf.get_string_width(title + "…") > pdf.epw:
        title = title[:-1]
    return title + "…"


CODE_PART = 16   # characters of a code a line in the code column (a CIP13 is one line)


def code_cell(code: str, kind: str) -> str:
    """A product code then its kind, for a ``fit`` column: a long code (UUID…) goes on several
    lines of CODE_PART characters, never cut with « … » (every PUI list prints it whole)."""
    parts = [code[i:i + CODE_PART] for i in range(0, len(code), CODE_PART)] or [""]
    return "\n".join((*parts, kind))


def _row(t: Template, line: DotationLine) -> Row:
    product = line.label or "—"
    if line.problems:
        product += "\n⚠ " + "\n⚠ ".join(line.problems)
    form = "\n".join(x for x in (line.form, line.packaging) if x) or "—"
    return Row((line.storage_zone or t.text("list.no_zone"), product,
                code_cell(line.product_id, line.code_kind), form, str(line.quantity), "", "", ""),
               red=frozenset({1}) if line.problems else frozenset())


def _signatures(pdf: DocumentPDF, t: Template) -> None:
    pdf.ensure_space(40)
    pdf.section(t.text("signature.title"))
    columns = [Column("", 1.6), Column(t.text("signature.name"), 2.0),
               Column(t.text("signature.when"), 1.4), Column(t.text("signature.sign"), 2.0)]
    rows = [Row((t.text(f"signature.{k}"), "\n\n", "", "")) for k in
            ("prepared", "checked", "received")]
    draw_table(pdf, columns, rows, size=9)
