"""Issue a document: number it in the journal, render it, keep the PDF for preview and reprint."""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import KINDS, Scope, document_kind, forms
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.state.journal import IssuedDocument
from pcsauvegarde.station.station import Station

_NUMBER = re.compile(r"^[A-Z0-9-]{1,80}$")


class UnitData(Protocol):
    """What a unit document is journalled by: the unit code and the age of its data."""

    @property
    def code(self) -> str: ...

    @property
    def extracted_at(self) -> dict[str, dt.datetime]: ...


class IssueError(LookupError):
    """A document that cannot be issued (French message)."""


@dataclass(frozen=True)
class Issued:
    document: IssuedDocument
    pdf: bytes


def documents_dir(station: Station) -> Path:
    return station.settings.documents_dir


def issue_patient_document(station: Station, kind: str, ipp: str, user: str,
                           now: dt.datetime | None = None, **options: Any) -> Issued:
    """Render one patient document; the PDF is journalled under a new unique number.

    ``options`` go to the renderer (e.g. ``count`` of labels); provisional patients (downtime
    admissions) are found as well as the store's."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, "patient") is None:
        raise IssueError(f"type de document « {kind} » inconnu")
    file = patients.patient_file(station, ipp, now=now)
    if file is None:
        raise IssueError(f"patient IPP {ipp} introuvable dans les données de la station")
    return issue_file_document(station, kind, file, user, now, **options)


def issue_file_document(station: Station, kind: str, file: PatientFile, user: str,
                        now: dt.datetime | None = None, **options: Any) -> Issued:
    """Journal, render and keep one patient document for an already loaded PatientFile."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, "patient") is None:
        raise IssueError(f"type de document « {kind} » inconnu")
    form = options.get("form") if kind == forms.KIND else None
    if kind == forms.KIND:   # refused before a number is spent
        try:
            forms.get_form(str(form), station.settings.print_templates_path)
        except TemplateError as exc:
            raise IssueError(str(exc)) from None
    doc = journal_file_document(station, kind, file, user, now, form=form)
    return _render_and_keep(station, doc, kind, file, file.extracted_at, user, now,
                            **options)


def issue_unit_document(station: Station, kind: str, unit: UnitData, user: str,
                        now: dt.datetime | None = None) -> Issued:
    """Journal, render and keep one unit document (census, dotation…)."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, "unit") is None:
        raise IssueError(f"type de document de service « {kind} » inconnu")
    doc = journal_unit_document(station, kind, unit, user, now)
    return _render_and_keep(station, doc, kind, unit, unit.extracted_at, user, now)


def issue_supplier_document(station: Station, kind: str, form: UnitData, user: str,
                            now: dt.datetime | None = None) -> Issued:
    """Journal (no patient, no unit), render and keep one supplier or PUI document (order
    form, PUI inventory, directory)."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, "supplier") is None and document_kind(kind, "pharmacy") is None:
        raise IssueError(f"type de document de la pharmacie « {kind} » inconnu")
    doc = station.journal.issue(kind, user, snapshot=snapshot_label(station), now=now)
    return _render_and_keep(station, doc, kind, form, form.extracted_at, user, now)


def issue_scoped_document(station: Station, kind: str, scope: Scope, data, user: str, *,
                          ipp: str | None = None, unit: str | None = None,
                          now: dt.datetime | None = None) -> Issued:
    """Journal (with the patient and unit it concerns, if any), render and keep a document of
    a department's own scope (imaging…); ``data`` MUST have ``extracted_at``."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, scope) is None:
        raise IssueError(f"type de document « {kind} » inconnu")
    doc = station.journal.issue(kind, user, ipp=ipp, unit=unit or None,
                                snapshot=snapshot_label(station), now=now)
    return _render_and_keep(station, doc, kind, data, data.extracted_at, user, now)


def issue_theatre_document(station: Station, kind: str, data: UnitData, user: str,
                           now: dt.datetime | None = None) -> Issued:
    """Journal (no patient; the unit ``data.code`` when its patients share one, else none: an
    OR list spans units), render and keep an OR list."""
    return issue_scoped_document(station, kind, "theatre", data, user, unit=data.code, now=now)


def issue_station_document(station: Station, kind: str, data, user: str,
                           now: dt.datetime | None = None) -> Issued:
    """Journal (no patient, no unit), render and keep one document about the station."""
    now = now or dt.datetime.now(dt.UTC)
    if document_kind(kind, "station") is None:
        raise IssueError(f"type de document du poste « {kind} » inconnu")
    doc = station.journal.issue(kind, user, snapshot=snapshot_label(station), now=now)
    extracted = {d: s.extracted_at for d, s in station.store.snapshots().items()}
    return _render_and_keep(station, doc, kind, data, extracted, user, now)


def journal_file_document(station: Station, kind: str, file: PatientFile, user: str,
                          now: dt.datetime, form: str | None = None) -> IssuedDocument:
    """Number a patient document in the journal (rendering is the caller's)."""
    return station.journal.issue(kind, user, ipp=file.patient.id,
                                 unit=file.stay.unit if file.stay else None,
                                 snapshot=snapshot_label(station), now=now, form=form)


def journal_unit_document(station: Station, kind: str, unit: UnitData, user: str,
                          now: dt.datetime) -> IssuedDocument:
    """Number a unit document in the journal (rendering is the caller's)."""
    return station.journal.issue(kind, user, unit=unit.code, snapshot=snapshot_label(station),
                                 now=now)


def snapshot_label(station: Station) -> str:
    """« dpi:12,lab:7 »: the snapshots a document was printed from (journalled)."""
    snaps = station.store.snapshots()
    return ",".join(f"{d}:{s.sequence}" for d, s in sorted(snaps.items()))


def context(station: Station, number: str, user: str, now: dt.datetime,
            extracted_at: dict[str, dt.datetime]) -> DocumentContext:
    """The print context of a journalled document: the oldest data it may show."""
    from pcsauvegarde.station import exercise

    oldest = min(extracted_at.values()) if extracted_at else None
    # Every document is rendered through here once its number is journalled: the one place
    # where an exercise document gets both its watermark and its mark in the journal.
    return DocumentContext(establishment=station.settings.establishment,
                           station=station.settings.station_id, printed_by=user,
                           printed_at=now, extracted_at=oldest, document_number=number,
                           exercise=exercise.tag(station, number),
                           templates_dir=station.settings.print_templates_path)


def _render_and_keep(station: Station, doc: IssuedDocument, kind: str, data,
                     extracted_at: dict[str, dt.datetime], user: str,
                     now: dt.datetime, **options: Any) -> Issued:
    try:
        pdf = render(station, kind, data, context(station, doc.number, user, now, extracted_at),
                     **options)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    from pcsauvegarde.station.documents.bundle import page_count
    station.journal.set_pages(doc.number, page_count(pdf))   # re-entry lists sheets by count
    return Issued(doc, pdf)


def _render(kind: str, data, ctx: DocumentContext, options: dict[str, Any]) -> bytes:
    return KINDS[kind].render(data, ctx, **options)


def render(station: Station, kind: str, data, ctx: DocumentContext, **options: Any) -> bytes:
    """Render in the station's worker processes when it has some (PDFs are CPU-bound and the
    GIL would make every screen wait behind them), else in this thread."""
    pool = station.render_pool
    if pool is not None:
        try:
            return pool.submit(_render, kind, data, ctx, options).result(timeout=120)
        except BrokenExecutor:
            station.render_pool = None  # a worker died: keep printing, in-thread
    with station.render_lock:  # two fpdf2 documents built at once in one process can clash
        return _render(kind, data, ctx, options)


def start_render_pool(station: Station, workers: int | None = None) -> None:
    """Give the station PDF worker processes (serve, load test), warmed up."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or max(1, min(4, os.cpu_count() or 1))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"))
    for future in [pool.submit(_warm_up) for _ in range(workers)]:
        future.result(timeout=120)
    station.render_pool = pool


def _warm_up() -> None:
    from pcsauvegarde.station.documents.engine import preload_fonts

    preload_fonts()


def stored_pdf(station: Station, number: str) -> bytes | None:
    """The PDF kept for an issued document number, or None.

    A document issued inside a unit bundle has no file of its own: its pages are taken out
    of the bundle's PDF, on demand.
    """
    if not _NUMBER.match(number):
        return None
    folder = documents_dir(station)
    path = folder / f"{number}.pdf"
    if path.is_file():
        return path.read_bytes()
    where = station.journal.location(number)
    if where is None or not _NUMBER.match(where.container):
        return None
    container = folder / f"{where.container}.pdf"
    if not container.is_file():
        return None
    from pcsauvegarde.station.documents.bundle import extract_pages
    return extract_pages(container.read_bytes(), where.first_page, where.pages)


def has_stored_pdf(station: Station, number: str) -> bool:
    """Whether a PDF is kept for ``number`` (on its own or inside a bundle), cheaply."""
    if not _NUMBER.match(number):
        return False
    folder = documents_dir(station)
    if (folder / f"{number}.pdf").is_file():
        return True
    where = station.journal.location(number)
    return (where is not None and _NUMBER.match(where.container) is not None
            and (folder / f"{where.container}.pdf").is_file())
