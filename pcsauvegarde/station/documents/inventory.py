"""« Liste d'inventaire »: one sheet per storage zone (PUI or unit stock), or a blank sheet."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.dotation import code_cell, fitted_title
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import InventoryLine, InventorySheets, InventoryZone

UNIT_KIND = "inventory"
UNIT_TITLE = "Liste d'inventaire (stock d'un service)"
PUI_KIND = "inventory_pui"
PUI_TITLE = "Liste d'inventaire (PUI)"
TEMPLATE = "inventory"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "zone.title": ("zone",), "zone.none": (),
    "zone.blank": (), "zone.count": ("count",), "zone.empty": (), "list.place": ("name", "code"),
    "list.expected_pui": (), "list.expected_unit": (), "list.problems": ("count",),
    "list.blank_rows": (), "list.extra_rows": (), "list.other": (),
    **{f"columns.{k}": () for k in ("product", "code", "form", "expected", "counted", "lot",
                                    "expiry")},
    **{f"signature.{k}": () for k in ("counted", "checked", "fields")},
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(TEMPLATE, SCHEMA, directory)
    t.number("list.blank_rows", 1, 60)
    t.number("list.extra_rows", 0, 20)
    return t


def render(sheets: InventorySheets, ctx: DocumentContext) -> bytes:
    """Render inventory sheets as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, PUI_TITLE if sheets.pharmacy else UNIT_TITLE, sheets, ctx,
                           landscape=True)


def draw(pdf: DocumentPDF, sheets: InventorySheets, ctx: DocumentContext) -> None:
    """Add the sheets, as one document (one zone a sheet), to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, fitted_title(pdf, t, sheets.code, sheets.name), landscape=True)
    zones = sheets.zones if not sheets.blank else (InventoryZone(t.text("zone.blank")),)
    if not zones:
        pdf.add_page()
        _place(pdf, t, sheets)
        pdf.paragraph(t.text("zone.empty"))
    for zone in zones:
        pdf.add_page()
        _place(pdf, t, sheets)
        _zone(pdf, t, sheets, zone)


def _place(pdf: DocumentPDF, t: Template, sheets: InventorySheets) -> None:
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.place", name=sheets.name or sheets.code, code=sheets.code), "",
                  8.5)
    pdf.paragraph(t.text("list.expected_pui" if sheets.pharmacy else "list.expected_unit"),
                  "", 8.5)
    pdf.set_text_color(*INK)
    if sheets.unit_problems:
        pdf.set_text_color(*ALLERGY_RED)
        for problem in sheets.unit_problems:
            pdf.paragraph(f"⚠ {problem}", "B", 9)
        pdf.set_text_color(*INK)


def _zone(pdf: DocumentPDF, t: Template, sheets: InventorySheets, zone: InventoryZone) -> None:
    name = zone.zone if sheets.blank else (zone.zone or t.text("zone.none"))
    bad = sum(1 for line in zone.lines if line.problems)
    note = "" if sheets.blank else t.text("zone.count", count=len(zone.lines))
    pdf.section(t.text("zone.title", zone=name), note)
    if bad:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("list.problems", count=bad), "B", 9)
        pdf.set_text_color(*INK)
    with_expected = not sheets.pharmacy
    spec = [("product", 3.0, "L"), ("code", 1.4, "L"), ("form", 1.9, "L")]
    spec += [("expected", 0.9, "R")] if with_expected else []
    spec += [("counted", 1.0, "C"), ("lot", 1.3, "C"), ("expiry", 1.1, "C")]
    columns = [Column(t.text(f"columns.{k}"), w, a, fit=k == "code") for k, w, a in spec]
    rows = [_row(line, with_expected) for line in zone.lines]
    empty = Row(("\n",) + ("",) * (len(columns) - 1))
    if sheets.blank:
        rows += [empty] * t.number("list.blank_rows", 1, 60)
    elif extra := t.number("list.extra_rows", 0, 20):
        rows.append(Row((t.text("list.other"),) + ("",) * (len(columns) - 1), fill=True))
        rows += [empty] * extra
    draw_table(pdf, columns, rows, size=8.5)
    pdf.ensure_space(14)
    pdf.ln(2)
    draw_table(pdf, [Column(t.text("signature.counted")), Column(t.text("signature.checked"))],
               [Row((t.text("signature.fields"),) * 2)], size=9)


def _row(line: InventoryLine, with_expected: bool) -> Row:
    product = line.label or "—"
    if line.problems:
        product += "\n⚠ " + "\n⚠ ".join(line.problems)
    form = "\n".join(x for x in (line.form, line.packaging) if x) or "—"
    cells = [product, code_cell(line.product_id, line.code_kind), form]
    if with_expected:
        cells.append("" if line.expected is None else str(line.expected))
    cells += ["", "", ""]
    return Row(tuple(cells), red=frozenset({0}) if line.problems else frozenset())
