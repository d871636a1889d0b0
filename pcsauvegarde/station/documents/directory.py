"""« Annuaire »: suppliers with their order contacts, units' phones, staff (PUI document)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import ALLERGY_RED, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template
from pcsauvegarde.station.pharmacy.model import DirectoryBook

KIND = "directory"
TITLE = "Annuaire"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": (), "list.problems": ("count",), "list.missing": (),
    "suppliers.title": (), "suppliers.empty": (), "units.title": (), "units.empty": (),
    "units.unknown": ("codes",), "staff.title": (), "staff.empty": (),
    **{f"columns.{k}": () for k in ("supplier", "code", "phone", "email", "contact", "unit",
                                    "name", "role")},
}


def load(directory: Path | str | None = None) -> Template:
    return load_template(KIND, SCHEMA, directory)


def render(book: DirectoryBook, ctx: DocumentContext) -> bytes:
    """Render the directory as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, book, ctx)


def draw(pdf: DocumentPDF, book: DirectoryBook, ctx: DocumentContext) -> None:
    """Add the directory, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    missing = t.text("list.missing")
    pdf.begin_document(ctx, t.text("document.title"))
    pdf.add_page()
    if book.problems:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph(t.text("list.problems", count=len(book.problems)), "B", 9)
        pdf.set_text_color(*INK)
    c = {k: t.text(f"columns.{k}") for k in ("supplier", "code", "phone", "email", "contact",
                                             "unit", "name", "role")}
    rows = []
    for s, problems in book.suppliers:
        name = s.name + "".join(f"\n⚠ {p}" for p in problems)
        rows.append(Row((name, s.id, s.phone or missing, s.email or missing,
                         s.order_contact or missing),
                        red=frozenset({0}) if problems else frozenset()))
    _table(pdf, t, "suppliers", [Column(c["supplier"], 2.2), Column(c["code"], 0.9, fit=True),
                                 Column(c["phone"], 1.2), Column(c["email"], 2.0),
                                 Column(c["contact"], 1.6)], rows)
    names = {u.id: u.name for u in book.units}
    rows = [Row((u.name, u.id, u.phone or "⚠ " + missing),
                red=frozenset() if u.phone else frozenset({2})) for u in book.units]
    _table(pdf, t, "units", [Column(c["unit"], 3.0), Column(c["code"], 1.5, fit=True),
                             Column(c["phone"], 1.5)], rows)
    if book.unknown_units:
        pdf.set_text_color(*ALLERGY_RED)
        pdf.paragraph("⚠ " + t.text("units.unknown", codes=", ".join(book.unknown_units)),
                      "B", 9)
        pdf.set_text_color(*INK)
    rows = [Row((s.name, s.role or "—", names.get(s.unit, s.unit) or "—",
                 s.phone or missing)) for s in book.staff]
    _table(pdf, t, "staff", [Column(c["name"], 2.2), Column(c["role"], 1.6),
                             Column(c["unit"], 2.0), Column(c["phone"], 1.2)], rows)


def _table(pdf: DocumentPDF, t: Template, key: str, columns: list[Column],
           rows: list[Row]) -> None:
    if rows:
        draw_table(pdf, columns, rows, size=8.5, title=t.text(f"{key}.title"))
    else:
        pdf.section(t.text(f"{key}.title"))
        pdf.paragraph(t.text(f"{key}.empty"))
