"""Retention of issued documents' PDFs: patient data on a corridor workstation, kept no longer
than re-entry needs.

A PDF is due for purge ``pdf_retention_days`` after everything it holds is re-entered and
verified (or set « sans objet »): a document, the documents of a bundle or kit, the labels of a
label sheet, the admission of an admission kit. A PDF holding nothing to re-enter (issued
outside every declared outage, during an exercise, a report) is due that long after it was
issued. Purging records the purge (``purged_document``, audit ``reentry.purged``) then removes
the file; the journal line stays, its IPP cleared (with those of the documents the PDF held):
nothing left on the station ties that paper to a patient but the hash-chained audit journal.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station.reentry import outage, status
from pcsauvegarde.station.reentry.worklist import CARRIERS, CONTAINERS, NOT_REENTERED, item_kind_of
from pcsauvegarde.station.station import Station

log = logging.getLogger("pcsauvegarde.station.reentry")
SCHEMA = """
CREATE TABLE IF NOT EXISTS purged_document (
    number TEXT PRIMARY KEY, purged_at TEXT NOT NULL, purged_by TEXT NOT NULL,
    bytes INTEGER NOT NULL, reason TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Due:
    number: str
    due_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class KeptPdfs:
    """What the admin sees: how many PDFs, how much disk, the oldest one."""

    count: int
    bytes: int
    oldest_number: str = ""
    oldest_issued_at: dt.datetime | None = None

    @property
    def megabytes(self) -> str:
        return megabytes(self.bytes)


def megabytes(size: int) -> str:
    """« 12,3 »: MiB with a decimal comma."""
    return f"{size / 1_048_576:.1f}".replace(".", ",")


@dataclass
class PurgeRun:
    purged: list[str] = field(default_factory=list)
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


def _db(station: Station):
    with station.state.connect() as conn:
        conn.executescript(SCHEMA)
    return station.state


def _files(station: Station) -> dict[str, Path]:
    folder = station.settings.documents_dir
    return {p.stem: p for p in folder.glob("*.pdf")} if folder.is_dir() else {}


def _held(conn, number: str, kind: str) -> list[tuple[str, str]]:
    """The worklist items whose paper this document's PDF holds."""
    keys = [] if kind in CONTAINERS + CARRIERS + NOT_REENTERED else [(item_kind_of(kind), number)]
    for inner, inner_kind in conn.execute(
            "SELECT p.number, d.kind FROM document_pages p JOIN issued_document d "
            "ON d.number = p.number WHERE p.container=?", (number,)):
        keys.append((item_kind_of(inner_kind), inner))
    for table, item_kind, column in (("lab_batch", "lab_label", None),
                                     ("downtime_admission", "admission", "ipp")):
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (table,)).fetchone():
            continue
        if column is None:
            rows = conn.execute("SELECT l.number FROM lab_label l JOIN lab_batch b ON "
                                "b.id = l.batch WHERE b.document_number=?", (number,))
        else:
            rows = conn.execute("SELECT ipp FROM downtime_admission WHERE document_number=?",
                                (number,))
        keys += [(item_kind, r[0]) for r in rows]
    return keys


def due(station: Station, now: dt.datetime | None = None) -> list[Due]:
    """The kept PDFs whose retention is over, oldest issued first."""
    now = now or dt.datetime.now(dt.UTC)
    delay = dt.timedelta(days=station.settings.pdf_retention_days)
    files = _files(station)
    if not files:
        return []
    windows = outage.outages(station)
    statuses = status.current_all(station)
    out = []
    with station.state.connect() as conn:
        drills = {r[0] for r in conn.execute("SELECT number FROM exercise_document")} if \
            conn.execute("SELECT 1 FROM sqlite_master WHERE name='exercise_document'"
                         ).fetchone() else set()
        for row in conn.execute("SELECT number, kind, issued_at FROM issued_document "
                                "ORDER BY seq").fetchall():
            if row["number"] not in files:
                continue
            issued_at = parse_utc(row["issued_at"])
            keys = _held(conn, row["number"], row["kind"])
            in_outage = row["number"] not in drills and any(w.contains(issued_at)
                                                             for w in windows)
            if in_outage and keys:
                states = [statuses.get(k) for k in keys]
                done = [s for s in states if s is not None and s.is_done and s.at is not None]
                if len(done) < len(keys):
                    continue   # something on this paper is still to re-enter or verify
                when = max(s.at for s in done if s.at is not None) + delay
                reason = "ressaisie vérifiée"
            else:
                when, reason = issued_at + delay, "rien à ressaisir"
            if when <= now:
                out.append(Due(row["number"], when, reason))
    return out


def purge(station: Station, by: str = "système", now: dt.datetime | None = None) -> PurgeRun:
    """Purge every PDF due: record it (journal, audit), clear the IPPs, remove the file."""
    now = now or dt.datetime.now(dt.UTC)
    _db(station)
    files = _files(station)
    run = PurgeRun()
    for d in due(station, now):
        path = files[d.number]
        size = path.stat().st_size
        with station.state.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO purged_document VALUES (?,?,?,?,?)",
                         (d.number, now.isoformat(), by, size, d.reason))
            conn.execute("UPDATE issued_document SET ipp=NULL WHERE number=? OR number IN "
                         "(SELECT number FROM document_pages WHERE container=?)",
                         (d.number, d.number))
            station.audit.record(by, "reentry.purged", d.number,
                                 {"bytes": size, "reason": d.reason}, db=conn, now=now)
        try:   # recorded first: a file left by a crash here is removed by the next run
            path.unlink(missing_ok=True)
        except OSError as exc:
            run.errors.append(f"{path.name} : {exc}")
            continue
        run.purged.append(d.number)
        run.bytes += size
    station.audit.anchor_now()
    return run


def kept(station: Station) -> KeptPdfs:
    """How many issued PDFs the station keeps, their size, and the oldest one."""
    files = _files(station)
    if not files:
        return KeptPdfs(0, 0)
    total = sum(p.stat().st_size for p in files.values())
    with station.state.connect() as conn:
        for number, issued_at in conn.execute("SELECT number, issued_at FROM issued_document "
                                              "ORDER BY seq"):
            if number in files:
                return KeptPdfs(len(files), total, number, parse_utc(issued_at))
    return KeptPdfs(len(files), total)


def purged(station: Station, number: str) -> dict | None:
    """When and why ``number``'s PDF was purged, or None."""
    with station.state.connect() as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='purged_document'"
                            ).fetchone():
            return None
        row = conn.execute("SELECT * FROM purged_document WHERE number=?", (number,)).fetchone()
    return dict(row) if row else None


def daily_job(station: Station):
    """The scheduler's daily purge (a failure is logged, never raised into the scheduler)."""
    from apscheduler.triggers.interval import IntervalTrigger

    from pcsauvegarde.station.sync.scheduler import Job

    def run() -> PurgeRun | None:
        try:
            done = purge(station)
        except Exception:  # the next day retries; the station keeps serving
            log.exception("PDF retention purge failed")
            return None
        log.info("PDF retention: %d purged (%d bytes)", len(done.purged), done.bytes)
        return done

    first = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)   # once soon after start-up
    return Job("retention:pdf", IntervalTrigger(hours=24, start_date=first), run)
