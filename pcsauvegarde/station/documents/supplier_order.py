"""« Bon de commande fournisseur »: one supplier's products, to fax or scan (PUI document)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import ALLERGY_RED, GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.dotation import code_cell
from pcsauvegarde.station.documents.fmt import format_local, format_number
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import OrderForm, OrderLine

KIND = "supplier_order"
TITLE = "Bon de commande fournisseur"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("supplier",), "document.number": ("number", "date"),
    **{f"supplier.{k}": () for k in ("title", "name", "code", "phone", "email", "contact",
                                     "missing")},
    "delivery.title": (), "delivery.missing": (),
    "list.count": ("count",), "list.history": ("orders",), "list.no_history": (),
    "list.empty": (), "list.orders": ("count",), "list.blank_rows": (),
    **{f"columns.{k}": () for k in ("product", "code", "ref", "packaging", "average", "ordered",
                                    "received")},
    "signature.title": (), "signature.pharmacist": (), "signature.sent": (),
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("list.blank_rows", 0, 20)
    return t


def render(form: OrderForm, ctx: DocumentContext) -> bytes:
    """Render one supplier's order form as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, form, ctx)


def draw(pdf: DocumentPDF, form: OrderForm, ctx: DocumentContext) -> None:
    """Add one supplier's order form, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, t.text("document.title", supplier=form.name or form.code))
    pdf.add_page()
    pdf.paragraph(t.text("document.number", number=ctx.document_number,
                         date=format_local(ctx.printed_at)), "B", 10)
    _parties(pdf, t, form, ctx)
    pdf.ln(2)
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.count", count=len(form.lines)), "", 8.5)
    pdf.paragraph(t.text("list.history", orders=form.history_orders) if form.history_orders
                  else t.text("list.no_history"), "", 8.5)
    pdf.set_text_color(*INK)
    if not form.lines:
        pdf.paragraph(t.text("list.empty"))
    columns = [Column(t.text(f"columns.{k}"), w, a, fit=k == "code") for k, w, a in (
        ("product", 2.1, "L"), ("code", 1.55, "L"), ("ref", 1.4, "L"), ("packaging", 1.95, "L"),
        ("average", 1.15, "R"), ("ordered", 1.4, "C"), ("received", 0.95, "C"))]
    rows = [_row(t, line) for line in form.lines]
    rows += [Row(("\n",) + ("",) * (len(columns) - 1))] * t.number("list.blank_rows", 0, 20)
    if rows:
        draw_table(pdf, columns, rows, size=8.5)
    pdf.section(t.text("signature.title"))
    draw_table(pdf, [Column(t.text("signature.pharmacist")), Column(t.text("signature.sent"))],
               [Row(("\n\n\n", ""))], size=9)


def _parties(pdf: DocumentPDF, t: Template, form: OrderForm, ctx: DocumentContext) -> None:
    pdf.section(t.text("supplier.title"))
    missing = t.text("supplier.missing")
    for key, value in (("name", form.name), ("code", form.code), ("phone", form.phone),
                       ("email", form.email), ("contact", form.order_contact)):
        pdf.field(t.text(f"supplier.{key}"), value or missing)
    if form.problems:
        pdf.set_text_color(*ALLERGY_RED)
        for problem in form.problems:
            pdf.paragraph(f"⚠ {problem}", "B", 9)
        pdf.set_text_color(*INK)
    pdf.section(t.text("delivery.title"))
    if form.delivery_address:
        pdf.paragraph("\n".join((ctx.establishment, *form.delivery_address)))
    else:
        pdf.paragraph(ctx.establishment)
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("delivery.missing"), "B", 9)
        pdf.set_text_color(*INK)


def _row(t: Template, line: OrderLine) -> Row:
    product = line.label
    if line.problems:
        product += "\n⚠ " + "\n⚠ ".join(line.problems)
    average = ("" if line.average is None else
               f"{format_number(round(line.average, 1))}\n"
               + t.text("list.orders", count=line.orders))
    return Row((product, code_cell(line.product_id, line.code_kind), line.supplier_ref or "—",
                line.packaging or "—", average, "", ""),
               red=frozenset({0}) if line.problems else frozenset())
