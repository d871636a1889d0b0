"""Issue a document: number it in the journal, render it, keep the PDF for preview and reprint."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcsauvegarde.documents import RENDERERS
from pcsauvegarde.documents.context import DocumentContext
from pcsauvegarde.documents.templates import TemplateError
from pcsauvegarde.fsutil import atomic_write
from pcsauvegarde.journal import IssuedDocument
from pcsauvegarde.station import Station

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
                           now: dt.datetime | None = None, **options: Any) -> Issued:
    """Render one patient document; the PDF is journalled under a new unique number.

    ``options`` go to the renderer (e.g. ``count`` of labels); provisional patients (downtime
    admissions) are found as well as the store's."""
    from pcsauvegarde import provisional

    now = now or dt.datetime.now(dt.UTC)
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise IssueError(f"type de document « {kind} » inconnu")
    file = provisional.patient_file(station, ipp, now=now)
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
    try:
        pdf = renderer(file, ctx, **options)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    return Issued(doc, pdf)


def stored_pdf(station: Station, number: str) -> bytes | None:
    """The PDF kept for an issued document number, or None."""
    if not _NUMBER.match(number):
        return None
    path = documents_dir(station) / f"{number}.pdf"
    return path.read_bytes() if path.is_file() else None
