"""The reconciliation report of a window: counts per domain and unit, the outstanding list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station.documents import reentry_report
from pcsauvegarde.station.issuing.issue import Issued, context, documents_dir
from pcsauvegarde.station.reentry import worklist
from pcsauvegarde.station.reentry.outage import Window
from pcsauvegarde.station.reentry.worklist import DOMAINS, Item, Progress
from pcsauvegarde.station.station import Station


@dataclass(frozen=True)
class ReentryReport:
    window: Window
    by_domain: tuple[Progress, ...]
    by_unit: tuple[Progress, ...]
    total: Progress
    outstanding: tuple[Item, ...]


def build(items: list[Item], window: Window) -> ReentryReport:
    """The report of ``items`` (a window's worklist), outstanding by domain then time."""
    total = Progress("", "Total", dict(Counter(i.status.status for i in items)))
    order = list(DOMAINS)
    late = sorted((i for i in items if not i.status.is_done),
                  key=lambda i: (order.index(i.domain), i.issued_at, i.number))
    return ReentryReport(window, tuple(worklist.progress(items, "domain")),
                         tuple(worklist.progress(items, "unit")), total, tuple(late))


def issue_report(station: Station, window: Window, by: str,
                 now: dt.datetime | None = None) -> Issued:
    """Journal, render and keep the report of the whole window (every domain and unit)."""
    now = now or dt.datetime.now(dt.UTC)
    data = build(worklist.items(station, window), window)
    doc = station.journal.issue(reentry_report.KIND, by, now=now)
    extracted = {d: s.extracted_at for d, s in station.store.snapshots().items()}
    pdf = reentry_report.render(data, context(station, doc.number, by, now, extracted))
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    from pcsauvegarde.station.documents.bundle import page_count
    station.journal.set_pages(doc.number, page_count(pdf))
    return Issued(doc, pdf)
