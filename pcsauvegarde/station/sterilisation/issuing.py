"""Issue a sterilisation document: journal a number, render, keep the PDF (as every document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import documents
from pcsauvegarde.station.issuing.issue import Issued, context, documents_dir, snapshot_label
from pcsauvegarde.station.station import Station

# kind → (renderer, French title): the registry's sterilisation kinds, journalled as such.
KINDS: dict[str, tuple[Callable[..., bytes], str]] = {
    k.name: (k.render, k.title) for k in documents.KINDS.values() if k.scope == "sterilisation"}


def issue(station: Station, kind: str, data: Any, user: str, *, unit: str | None = None,
          ipp: str | None = None, now: dt.datetime | None = None) -> Issued:
    """Journal ``kind`` under a new number, render ``data`` and keep the PDF."""
    now = now or dt.datetime.now(dt.UTC)
    renderer, _ = KINDS[kind]
    doc = station.journal.issue(kind, user, ipp=ipp, unit=unit or None,
                                snapshot=snapshot_label(station), now=now)
    ctx = context(station, doc.number, user, now, data.extracted_at)
    pdf = renderer(data, ctx)
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    return Issued(doc, pdf)


def is_sterilisation_kind(kind: str) -> bool:
    return kind in KINDS
