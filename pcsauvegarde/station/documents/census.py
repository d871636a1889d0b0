"""« Liste des patients du service »: the unit census, in room/bed order (a unit document)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.station.documents import identity
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.base import GREY, INK, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import CensusRow, DocumentContext, UnitFile
from pcsauvegarde.station.documents.fmt import format_local, to_local
from pcsauvegarde.station.documents.identity import identity_lines
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.documents.templates import Template, load_template

KIND = "census"
TITLE = "Liste des patients du service"
SCHEMA: dict[str, tuple[str, ...]] = {
    "document.title": ("unit",), "list.count": ("count",), "list.empty": (),
    "list.allergy": (), "blank.rows": (),
    **{f"columns.{k}": () for k in ("bed", "identity", "ids", "allergies", "attending",
                                    "admission", "reason")},
}


def load(directory: Path | str | None = None) -> Template:
    t = load_template(KIND, SCHEMA, directory)
    t.number("blank.rows", 0, 20)
    return t


def render(unit: UnitFile, ctx: DocumentContext) -> bytes:
    """Render the census of a unit as PDF bytes (pure: records in, bytes out)."""
    return render_document(draw, TITLE, unit, ctx, landscape=True)


def draw(pdf: DocumentPDF, unit: UnitFile, ctx: DocumentContext) -> None:
    """Add the census of a unit, as its own document, to ``pdf``."""
    t = load(ctx.templates_dir)
    pdf.begin_document(ctx, t.text("document.title", unit=unit.name or unit.code),
                       landscape=True)
    pdf.add_page()
    pdf.set_text_color(*GREY)
    pdf.paragraph(t.text("list.count", count=len(unit.rows)), "", 8.5)
    pdf.set_text_color(*INK)
    columns = [Column(t.text(f"columns.{k}"), w, fit=k == "ids") for k, w in (
        ("bed", 0.9), ("identity", 2.8), ("ids", 2.4), ("allergies", 2.0),
        ("attending", 1.2), ("admission", 1.0), ("reason", 1.5))]
    today = to_local(ctx.printed_at).date()
    words = identity.load(ctx.templates_dir)
    rows = [_row(t, words, r, today) for r in unit.rows]
    rows += [Row(("\n\n",) + ("",) * (len(columns) - 1))] * t.number("blank.rows", 0, 20)
    if not unit.rows:
        pdf.paragraph(t.text("list.empty"))
    if rows:
        draw_table(pdf, columns, rows, size=9)


def _row(t: Template, words: Template, r: CensusRow, today: dt.date) -> Row:
    p, s = r.patient, r.stay
    who = identity_lines(words, p, s, today=today)
    name = "\n".join(v for v in (who.names, who.used, f"{who.birth} {who.age} · {who.sex}",
                                  who.deceased) if v)
    state = allergy_state(r.allergies)
    if state.current:
        flag = t.text("list.allergy")
        if state.anaphylaxis:
            flag = words.text("allergies.anaphylaxis")
        allergy = f"{flag}\n" + " · ".join(describe(a, words) for a in state.current)
    elif state.informed:
        allergy = absence_text(state, words)
    else:
        allergy = words.text("allergies.unknown_short")
    bed = " / ".join(x for x in (s.room, s.bed) if x) or "—"
    # Identifiers one a line, shrunk then cut with « … » (Column.fit): never in fragments.
    return Row((bed, name, f"{p.id}\n{s.id}", allergy, s.attending or "—",
                format_local(s.admission), s.reason or "—"),
               red=frozenset({3}) if state.current else frozenset())
