"""« Imprimer le service »: every chosen document of every inpatient of a unit, in one PDF.

Each document inside is journalled on its own (own number, own page count, « Page n/N »
restarting), then the bundle — a cover page plus the documents in bed order — is journalled
under its own number. Everything is drawn into one PDF (fonts embedded once); the journal
records where each inner document's pages lie, so it can be previewed and reprinted alone.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import KINDS, Drawer, bundle
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


def issue_unit_bundle(station: Station, unit: str, kinds: list[str] | tuple[str, ...],
                      user: str, now: dt.datetime | None = None,
                      progress: Progress | None = None) -> Issued:
    """Issue the chosen kinds for a unit's inpatients and the bundle holding them all.

    ``progress(stage, done, total, pages)`` follows it: stage « patients » while their
    files are read, then « documents » as the bundle is drawn.
    """
    now = now or dt.datetime.now(dt.UTC)
    unknown = [k for k in kinds if k not in BUNDLE_KINDS]
    if unknown or not kinds:
        raise IssueError(f"documents à imprimer invalides : {', '.join(unknown) or 'aucun'}")
    chosen = [k for k in BUNDLE_KINDS if k in kinds]
    unit_file = patients.unit_file(station, unit)
    parts: list[bundle.BundlePart] = []
    for kind in chosen:
        if KINDS[kind].scope == "unit":
            doc = journal_unit_document(station, kind, unit_file, user, now)
            parts.append(bundle.BundlePart(
                _drawer(kind), unit_file,
                context(station, doc.number, user, now, unit_file.extracted_at),
                "", "", KINDS[kind].title))
    patient_kinds = [k for k in chosen if KINDS[k].scope == "patient"]
    for at, row in enumerate(unit_file.rows if patient_kinds else ()):
        if progress is not None:
            progress("patients", at, len(unit_file.rows), 0)
        file = patients.patient_file(station, row.patient.id, now=now)
        if file is None:  # vanished between the two queries (a pull promoted meanwhile)
            continue
        bed = " / ".join(x for x in (row.stay.room, row.stay.bed) if x)
        who = f"{row.patient.birth_name.upper()} {row.patient.first_names} (IPP {row.patient.id})"
        for kind in patient_kinds:
            doc = journal_file_document(station, kind, file, user, now)
            parts.append(bundle.BundlePart(
                _drawer(kind), file,
                context(station, doc.number, user, now, file.extracted_at),
                bed, who, KINDS[kind].title))

    doc = station.journal.issue(bundle.KIND, user, unit=unit, snapshot=snapshot_label(station),
                                now=now)
    try:
        rendered = bundle.render(unit, unit_file.name, len(unit_file.rows), parts,
                                 context(station, doc.number, user, now,
                                         unit_file.extracted_at),
                                 progress=functools.partial(progress, "documents")
                                 if progress is not None else None)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", rendered.pdf, mode=0o600)
    station.journal.place(doc.number, [(p.number, p.first_page, p.pages)
                                       for p in rendered.placed])
    station.journal.set_pages(doc.number, rendered.pages)
    return Issued(doc, rendered.pdf)


def _drawer(kind: str) -> Drawer:
    """The drawer of a bundle kind (every BUNDLE_KINDS entry has one: tested)."""
    drawer = KINDS[kind].draw
    if drawer is None:
        raise IssueError(f"« {kind} » ne peut pas être imprimé dans un lot")
    return drawer
