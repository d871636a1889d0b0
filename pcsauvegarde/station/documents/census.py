"""« Liste des patients du service »: the unit census, in room/bed order (a unit document)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import CensusRow, DocumentContext, UnitFile
from pcsauvegarde.station.documents.fmt import (
    allergy_text,
    format_date,
    format_local,
    format_person_age,
    to_local,
)
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "census"
TITLE = "Liste des patients du service"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "list.count": ("count",), "list.empty": (),
    "list.allergy": (), "blank.rows": (),
    **{f"columns.{k}": () for k in ("bed", "identity", "birth", "sex", "ids", "allergies",
                                    "attending", "admission", "reason")},
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("blank.rows", 0, 20)
    return t


def render(unit: UnitFile, ctx: DocumentContext, *,
           templates_dir: Path | str | None = None) -> bytes:
    """Render the census of a unit as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, unit, ctx, landscape=True, templates_dir=templates_dir)


def draw(pdf: DocumentPDF, unit: UnitFile, ctx: DocumentContext, *,
         templates_dir: Path | str | None = None) -> None:
    """Add the census of a unit, as its own document, to ``pdf``."""
    t = load(templates_dir)
    pdf.begin_document(ctx, t.text("document.title", unit=unit.name or unit.code),
                       landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.count", count=len(unit.rows)), "", 8.5)
    pdf.set_text_color(*INK)
    columns = [Column(t.text(f"columns.{k}"), w) for k, w in (
        ("bed", 0.9), ("identity", 2.6), ("birth", 1.2), ("sex", 0.5), ("ids", 1.2),
        ("allergies", 1.6), ("attending", 1.4), ("admission", 1.1), ("reason", 1.8))]
    today = to_local(ctx.printed_at).date()
    rows = [_row(t, r, today) for r in unit.rows]
    rows += [Row(("\n\n",) + ("",) * (len(columns) - 1))] * t.number("blank.rows", 0, 20)
    if not unit.rows:
        pdf.paragraph(t.text("list.empty"))
    if rows:
        draw_table(pdf, columns, rows, size=9)


def _row(t: Template, r: CensusRow, today) -> Row:
    p, s = r.patient, r.stay
    name = f"{p.birth_name.upper()} {p.first_names}"
    if p.used_name and p.used_name.casefold() != p.birth_name.casefold():
        name += f"\n(nom utilisé : {p.used_name.upper()})"
    allergy = (f"{t.text('list.allergy')}\n{', '.join(allergy_text(a) for a in r.allergies)}"
               if r.allergies else "")
    bed = " / ".join(x for x in (s.room, s.bed) if x) or "—"
    born = f"{format_date(p.birth_date)}\n({format_person_age(p.birth_date, today)})"
    return Row((bed, name, born, p.sex, f"{p.ipp}\n{s.id}", allergy, s.attending or "—",
                format_local(s.admission), s.reason or "—"))
