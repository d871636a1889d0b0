"""« Imprimer le service »: every chosen document of every inpatient of a unit, in one PDF.

Each document inside is journalled on its own (own number, own page count, « Page n/N »
restarting), then the bundle — a cover page plus the documents in bed order — is journalled
under its own number. Everything is drawn into one PDF (fonts embedded once); the journal
records where each inner document's pages lie, so it can be previewed and reprinted alone.
A bundle of unit documents only (the census alone) has no cover. ``bundle_plan`` says what a
bundle will hold and how many pages, before anything is printed or journalled.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import KINDS, Drawer, bundle
from pcsauvegarde.station.documents import administration_plan as mar
from pcsauvegarde.station.documents.context import UnitFile
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.issue import (
    Issued,
    IssueError,
    context,
    documents_dir,
    journal_file_document,
    journal_unit_document,
    snapshot_label,
)
from pcsauvegarde.station.station import Station

Progress = Callable[[str, int, int, int], None]   # (stage, done, total, pages drawn)
# Order of the documents inside a bundle: unit documents first, then per patient.
BUNDLE_KINDS = ("census", "administration_plan", "care_plan", "prescriptions", "summary")


@dataclass(frozen=True)
class Preset:
    """A bundle offered as one choice: its kinds, and whether the MAR is the compact one."""

    key: str
    label: str
    kinds: tuple[str, ...]
    compact: bool = False


PRESETS = (
    Preset("service", "Lot du service (liste, plans d'administration et de soins)",
           ("census", "administration_plan", "care_plan")),
    # The night shift: who is where (census, with allergies), and what to give (compact MAR;
    # allergies in every identity band). About 2 pages per patient.
    Preset("nuit", "Lot de nuit compact (liste du service et plans d'administration)",
           ("census", "administration_plan"), compact=True),
    Preset("liste", "Liste du service seule", ("census",)),
)


@dataclass(frozen=True)
class PlanLine:
    """One kind of document in a planned bundle: how many documents, how many pages."""

    kind: str
    title: str
    documents: int
    pages: int


@dataclass(frozen=True)
class BundlePlan:
    """What a bundle will hold, before printing: lines per kind, cover, totals."""

    unit: str
    unit_name: str
    patients: int
    lines: tuple[PlanLine, ...]
    cover_pages: int
    pages: int               # everything, cover included
    compact: bool = False

    @property
    def pages_per_patient(self) -> float:
        return self.pages / self.patients if self.patients else float(self.pages)


def _chosen(kinds: Sequence[str]) -> list[str]:
    unknown = [k for k in kinds if k not in BUNDLE_KINDS]
    if unknown or not kinds:
        raise IssueError(f"documents à imprimer invalides : {', '.join(unknown) or 'aucun'}")
    return [k for k in BUNDLE_KINDS if k in kinds]


def _drawer(kind: str, compact: bool = False) -> Drawer:
    """The drawer of a bundle kind (every BUNDLE_KINDS entry has one: tested)."""
    if compact and kind == mar.KIND:
        return functools.partial(mar.draw, compact=True)
    drawer = KINDS[kind].draw
    if drawer is None:
        raise IssueError(f"« {kind} » ne peut pas être imprimé dans un lot")
    return drawer


def _parts(station: Station, unit: str, kinds: list[str], user: str, now: dt.datetime,
           compact: bool, number, progress: Progress | None = None
           ) -> tuple[UnitFile, list[bundle.BundlePart]]:
    """The bundle's documents in order; ``number(kind, data)`` gives each its number."""
    unit_file = patients.unit_file(station, unit)
    parts: list[bundle.BundlePart] = []
    for kind in kinds:
        if KINDS[kind].scope == "unit":
            parts.append(bundle.BundlePart(
                _drawer(kind), unit_file,
                context(station, number(kind, unit_file), user, now, unit_file.extracted_at),
                "", "", KINDS[kind].title))
    patient_kinds = [k for k in kinds if KINDS[k].scope == "patient"]
    for at, row in enumerate(unit_file.rows if patient_kinds else ()):
        if progress is not None:
            progress("patients", at, len(unit_file.rows), 0)
        file = patients.patient_file(station, row.patient.id, now=now)
        if file is None:  # vanished between the two queries (a pull promoted meanwhile)
            continue
        bed = " / ".join(x for x in (row.stay.room, row.stay.bed) if x)
        who = f"{row.patient.birth_name.upper()} {row.patient.first_names} (IPP {row.patient.id})"
        for kind in patient_kinds:
            parts.append(bundle.BundlePart(
                _drawer(kind, compact), file,
                context(station, number(kind, file), user, now, file.extracted_at),
                bed, who, KINDS[kind].title))
    return unit_file, parts


def bundle_plan(station: Station, unit: str, kinds: Sequence[str], user: str = "",
                now: dt.datetime | None = None, *, compact: bool = False) -> BundlePlan:
    """What ``issue_unit_bundle`` would print, laid out but neither journalled nor written.

    Page counts are those of the documents laid out from the current snapshot (the numbers
    they would carry are placeholders): an estimate only because data may change before the
    print.
    """
    now = now or dt.datetime.now(dt.UTC)
    chosen = _chosen(kinds)
    # Placeholder numbers of the journal's shape: same barcode width, same layout.
    placeholder = f"{station.journal.prefix}-{0:07d}"
    unit_file, parts = _parts(station, unit, chosen, user, now, compact,
                              lambda kind, data: placeholder)
    cover = _has_cover(parts)
    try:
        placed = bundle.page_counts(unit, unit_file.name, len(unit_file.rows), parts,
                                    context(station, placeholder, user, now,
                                            unit_file.extracted_at), cover=cover)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    inner = placed[1:] if cover else placed
    lines = []
    for kind in chosen:
        pages = [p.pages for part, p in zip(parts, inner, strict=True)
                 if part.title == KINDS[kind].title]
        lines.append(PlanLine(kind, KINDS[kind].title, len(pages), sum(pages)))
    return BundlePlan(unit, unit_file.name, len(unit_file.rows), tuple(lines),
                      placed[0].pages if cover else 0, sum(p.pages for p in placed), compact)


def _has_cover(parts: Sequence[bundle.BundlePart]) -> bool:
    """A cover lists patients' documents; a bundle of unit documents only needs none."""
    return any(part.patient for part in parts)


def issue_unit_bundle(station: Station, unit: str, kinds: list[str] | tuple[str, ...],
                      user: str, now: dt.datetime | None = None,
                      progress: Progress | None = None, *, compact: bool = False) -> Issued:
    """Issue the chosen kinds for a unit's inpatients and the bundle holding them all.

    ``progress(stage, done, total, pages)`` follows it: stage « patients » while their
    files are read, then « documents » as the bundle is drawn.
    """
    now = now or dt.datetime.now(dt.UTC)
    chosen = _chosen(kinds)

    def number(kind, data) -> str:
        if KINDS[kind].scope == "unit":
            return journal_unit_document(station, kind, data, user, now).number
        return journal_file_document(station, kind, data, user, now).number

    unit_file, parts = _parts(station, unit, chosen, user, now, compact, number, progress)
    doc = station.journal.issue(bundle.KIND, user, unit=unit, snapshot=snapshot_label(station),
                                now=now)
    try:
        rendered = bundle.render(unit, unit_file.name, len(unit_file.rows), parts,
                                 context(station, doc.number, user, now,
                                         unit_file.extracted_at), cover=_has_cover(parts),
                                 progress=functools.partial(progress, "documents")
                                 if progress is not None else None)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", rendered.pdf, mode=0o600)
    station.journal.place(doc.number, [(p.number, p.first_page, p.pages)
                                       for p in rendered.placed])
    station.journal.set_pages(doc.number, rendered.pages)
    return Issued(doc, rendered.pdf)
