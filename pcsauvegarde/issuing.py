"""Issue a document: number it in the journal, render it, keep the PDF for preview and reprint."""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.documents import RENDERERS
from pcsauvegarde.documents.context import DocumentContext
from pcsauvegarde.fsutil import atomic_write
from pcsauvegarde.journal import IssuedDocument
from pcsauvegarde.station import Station
from pcsauvegarde.store import queries

_NUMBER = re.compile(r"^[A-Z0-9-]{1,80}$")


class IssueError(LookupError):
    """A document that cannot be issued (French message)."""


@dataclass(frozen=True)
class Issued:
    document: IssuedDocument
    pdf: bytes


def documents_dir(station: Station) -> Path:
    return station.settings.data_dir / "documents"


def issue_patient_document(station: Station, kind: str, ipp: str, user: str,
                           now: dt.datetime | None = None) -> Issued:
    """Render one patient document; the PDF is journalled under a new unique number."""
    now = now or dt.datetime.now(dt.UTC)
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise IssueError(f"type de document « {kind} » inconnu")
    file = queries.patient_file(station.store, ipp, now=now)
    if file is None:
        raise IssueError(f"patient IPP {ipp} introuvable dans les données de la station")
    snaps = station.store.snapshots()
    snapshot = ",".join(f"{d}:{s.sequence}" for d, s in sorted(snaps.items()))
    doc = station.journal.issue(kind, user, ipp=ipp, unit=file.stay.unit if file.stay else None,
                                snapshot=snapshot, now=now)
    oldest = min(file.extracted_at.values()) if file.extracted_at else None
    ctx = DocumentContext(establishment=station.settings.establishment,
                          station=station.settings.station_id, printed_by=user,
                          printed_at=now, extracted_at=oldest, document_number=doc.number)
    pdf = render(station, kind, file, ctx)
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    return Issued(doc, pdf)


def _render(kind: str, data, ctx: DocumentContext) -> bytes:
    return RENDERERS[kind](data, ctx)


def render(station: Station, kind: str, data, ctx: DocumentContext) -> bytes:
    """Render in the station's worker processes when it has some (PDFs are CPU-bound and the
    GIL would make every screen wait behind them), else in this thread."""
    pool = station.render_pool
    if pool is None:
        return _render(kind, data, ctx)
    try:
        return pool.submit(_render, kind, data, ctx).result(timeout=120)
    except BrokenExecutor:
        station.render_pool = None  # a worker died: keep printing, in-thread
        return _render(kind, data, ctx)


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
    from pcsauvegarde.documents import fontcache
    from pcsauvegarde.documents.base import FAMILY, font_files

    fontcache.preload(FAMILY, font_files())


def stored_pdf(station: Station, number: str) -> bytes | None:
    """The PDF kept for an issued document number, or None."""
    if not _NUMBER.match(number):
        return None
    path = documents_dir(station) / f"{number}.pdf"
    return path.read_bytes() if path.is_file() else None
