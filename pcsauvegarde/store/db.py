"""The SQLite read model: snapshots per domain, records, search indexes; atomic promotion."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from pcsauvegarde.package.manifest import Deletion
from pcsauvegarde.records import Record, parse_utc, types_of_domain
from pcsauvegarde.store.patient_index import (
    INDEXED_TYPES,
    fold,  # noqa: F401 - re-exported, callers import it here
    update_patient_index,
)

Row = tuple[str, str, str, str | None, str | None]  # type, id, domain, ipp, JSON line

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshot (
    domain TEXT PRIMARY KEY, sequence INTEGER NOT NULL, kind TEXT NOT NULL,
    extracted_at TEXT NOT NULL, promoted_at TEXT NOT NULL, package TEXT NOT NULL,
    source TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record (
    type TEXT NOT NULL, id TEXT NOT NULL, domain TEXT NOT NULL, ipp TEXT, data TEXT NOT NULL,
    PRIMARY KEY (type, id)) WITHOUT ROWID;
{indexes}
DROP INDEX IF EXISTS record_by_domain;
CREATE TABLE IF NOT EXISTS patient_index (
    ipp TEXT PRIMARY KEY, names TEXT NOT NULL, birth_date TEXT NOT NULL,
    nda TEXT, unit TEXT, room TEXT, bed TEXT, current INTEGER NOT NULL,
    admission TEXT, discharge TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS patient_by_unit ON patient_index (unit, current);
CREATE TABLE IF NOT EXISTS package_log (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL, file TEXT NOT NULL,
    domain TEXT, sequence INTEGER, outcome TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS package_log_by_file ON package_log (source, file);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS record_by_ipp ON record (ipp, type);
"""
SCHEMA = SCHEMA.format(indexes=INDEXES)
BULK = 50_000  # a full package this large is inserted without indexes, rebuilt after


@dataclass(frozen=True)
class SnapshotInfo:
    """The promoted snapshot of one domain."""

    domain: str
    sequence: int
    kind: str
    extracted_at: dt.datetime
    promoted_at: dt.datetime
    package: str
    source: str
    counts: dict


class Store:
    """The station's read model; every write is one SQLite transaction (WAL)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")  # a promoted snapshot survives a power cut
        db.execute("PRAGMA foreign_keys=ON")
        try:
            yield db
        finally:
            db.close()

    # ---- snapshots ------------------------------------------------------------------

    def snapshots(self) -> dict[str, SnapshotInfo]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM snapshot").fetchall()
        return {r[0]: _snapshot(r) for r in rows}

    def snapshot(self, domain: str) -> SnapshotInfo | None:
        return self.snapshots().get(domain)

    def promote(self, manifest, rows: Iterable[list[Row]], package: str,
                sanity=None) -> dict[str, int]:
        """Replace (full) or patch (delta) a domain in one transaction; all or nothing.

        ``rows`` are batches of ``(type, id, domain, ipp, json_line)`` (``json_line`` None for
        a deletion), as ``OpenedPackage.iter_rows()`` yields them or :func:`record_rows`
        makes them. They may raise while being iterated (bad record): the transaction is
        rolled back and the previous snapshot stays. ``sanity(db, counts)`` may raise to refuse.
        """
        with self.connect() as db:
            db.execute("PRAGMA cache_size=-65536")  # 64 MiB: big packages touch many pages
            db.execute("PRAGMA temp_store=MEMORY")  # index builds sort in memory
            db.execute("BEGIN IMMEDIATE")
            try:
                bulk = manifest.kind == "full" and sum(manifest.counts.values()) >= BULK
                if bulk:  # building an index once is cheaper than 100 000s of index inserts
                    db.execute("DROP INDEX IF EXISTS record_by_ipp")
                if manifest.kind == "full":  # by type: the primary key's prefix, no scan
                    db.executemany("DELETE FROM record WHERE type = ?",
                                   [(t,) for t in types_of_domain(manifest.domain)])
                counts, touched = _write_rows(db, manifest, rows)
                if bulk:  # not executescript(): it would commit the transaction first
                    for statement in INDEXES.strip().splitlines():
                        db.execute(statement)
                if manifest.domain == "dpi":
                    update_patient_index(db, None if manifest.kind == "full" else touched)
                if sanity is not None:
                    sanity(db, counts)
                now = dt.datetime.now(dt.UTC).isoformat()
                db.execute(
                    "INSERT OR REPLACE INTO snapshot VALUES (?,?,?,?,?,?,?,?)",
                    (manifest.domain, manifest.sequence, manifest.kind,
                     manifest.extracted_at.isoformat(), now, package, manifest.source,
                     json.dumps(dict(manifest.counts))))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return counts

    # ---- package log ----------------------------------------------------------------

    def log_package(self, source: str, file: str, outcome: str, reason: str = "",
                    domain: str | None = None, sequence: int | None = None) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO package_log (at, source, file, domain, sequence, outcome, reason)"
                " VALUES (?,?,?,?,?,?,?)",
                (dt.datetime.now(dt.UTC).isoformat(), source, file, domain, sequence,
                 outcome, reason))

    def seen(self, source: str, file: str) -> bool:
        with self.connect() as db:
            row = db.execute("SELECT 1 FROM package_log WHERE source=? AND file=? LIMIT 1",
                             (source, file)).fetchone()
        return row is not None

    def package_log(self, limit: int = 50) -> list[dict]:
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM package_log ORDER BY id DESC LIMIT ?",
                              (limit,)).fetchall()
        return [dict(r) for r in rows]


def record_rows(domain: str, items: Iterable[Record | Deletion]) -> Iterator[list[Row]]:
    """Store rows of already-built records (tests, tools), in the batches promote() takes."""
    rows: list[Row] = []
    for rec in items:
        if isinstance(rec, Deletion):
            rows.append((rec.record_type, rec.id, domain, None, None))
            continue
        ipp = rec.id if rec.TYPE == "patient" else getattr(rec, "ipp", None)
        rows.append((rec.TYPE, rec.id, rec.DOMAIN, ipp, json.dumps(rec.to_dict())))
    yield rows


def _write_rows(db: sqlite3.Connection, manifest, batches: Iterable[list[Row]]
                ) -> tuple[dict[str, int], set[str]]:
    """Write the rows; return counts per type and, for a delta, the IPPs whose patient index
    entry may change (patients and stays written or deleted, before and after)."""
    domain, delta = manifest.domain, manifest.kind == "delta"
    allowed = set(types_of_domain(domain))
    counts: Counter = Counter()
    touched: set[str] = set()
    deletions: list[tuple[str, str]] = []
    first = itemgetter(0)
    for rows in batches:
        kinds = Counter(map(first, rows))  # in C: no Python loop over the rows
        if not kinds.keys() <= allowed:
            bad = next(r for r in rows if r[0] not in allowed)
            raise ValueError(f"{bad[0]} {bad[1]} : enregistrement hors du domaine {domain}")
        if delta:
            gone = [(r[0], r[1]) for r in rows if r[4] is None]
            if gone:
                deletions += gone
                rows = [r for r in rows if r[4] is not None]
                kinds = Counter(map(first, rows))
            touched |= _index_ipps(db, [r for r in rows if r[0] in INDEXED_TYPES])
        counts.update(kinds)
        db.executemany("INSERT OR REPLACE INTO record VALUES (?,?,?,?,?)", rows)
    if deletions:
        touched |= _index_ipps(db, [d for d in deletions if d[0] in INDEXED_TYPES])
        db.executemany("DELETE FROM record WHERE type=? AND id=?", deletions)
    return dict(counts), touched


def _index_ipps(db: sqlite3.Connection, rows: list) -> set[str]:
    """IPPs of patient and stay rows, and those the same keys have in the store now."""
    ipps = {r[3] for r in rows if len(r) > 3 and r[3] is not None}
    for r in rows:
        old = db.execute("SELECT ipp FROM record WHERE type=? AND id=?", (r[0], r[1])).fetchone()
        if old is not None and old[0] is not None:
            ipps.add(old[0])
    return ipps


def _snapshot(row: tuple) -> SnapshotInfo:
    return SnapshotInfo(row[0], row[1], row[2], parse_utc(row[3]), parse_utc(row[4]), row[5],
                        row[6], json.loads(row[7]))
