"""Issue a sterilisation document: journal a number, render, keep the PDF (as every document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station.documents import (
    or_traceability,
    tray_labels,
    tray_list,
    tray_load,
    tray_transfer,
)
from pcsauvegarde.station.issuing.issue import Issued, context, documents_dir, snapshot_label
from pcsauvegarde.station.station import Station

# kind → (renderer, French title); journalled under these kinds.
KINDS: dict[str, tuple[Callable[..., bytes], str]] = {
    tray_list.KIND: (tray_list.render, tray_list.TITLE),
    tray_labels.KIND: (tray_labels.render, tray_labels.TITLE),
    tray_load.WASHER_KIND: (tray_load.render, tray_load.WASHER_TITLE),
    tray_load.AUTOCLAVE_KIND: (tray_load.render, tray_load.AUTOCLAVE_TITLE),
    tray_transfer.RECEPTION_KIND: (tray_transfer.render, tray_transfer.RECEPTION_TITLE),
    tray_transfer.DELIVERY_KIND: (tray_transfer.render, tray_transfer.DELIVERY_TITLE),
    or_traceability.KIND: (or_traceability.render, or_traceability.TITLE),
}


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
