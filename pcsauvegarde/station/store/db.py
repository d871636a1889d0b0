"""The SQLite read model: snapshots per domain, records, search indexes; atomic promotion."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from pcsauvegarde.core.package.manifest import Deletion
from pcsauvegarde.core.records import Record, parse_utc, types_of_domain
from pcsauvegarde.core.sqlitedb import Database
from pcsauvegarde.station.store.keeping import (
    CLINICAL_DOMAINS,
    NotKept,
    domains_covered_by,
    dpi_covers,
    drop_discharged,
    drop_orphans,
    kept_patients,
)
from pcsauvegarde.station.store.patient_index import (
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
CREATE TABLE IF NOT EXISTS pull_run (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, started TEXT NOT NULL, ended TEXT NOT NULL,
    seen INTEGER NOT NULL, accepted INTEGER NOT NULL, quarantined INTEGER NOT NULL,
    waiting INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '',
    not_kept TEXT NOT NULL DEFAULT '{{}}');
CREATE INDEX IF NOT EXISTS pull_run_by_source ON pull_run (source, id);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS record_by_ipp ON record (ipp, type);
"""
SCHEMA = SCHEMA.format(indexes=INDEXES)
BULK = 50_000  # a full package this large is inserted without indexes, rebuilt after


@dataclass(frozen=True)
class Promotion:
    """What one promotion wrote (records per type) and what it did not keep, and why."""

    counts: dict[str, int]
    not_kept: NotKept = field(default_factory=Counter)
    patients_kept: int | None = None  # dpi only: patients in the store afterwards


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


class Store(Database):
    """The station's read model; every write is one SQLite transaction (WAL)."""

    def __init__(self, path: Path):
        super().__init__(path, foreign_keys=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            columns = {r[1] for r in db.execute("PRAGMA table_info(pull_run)")}
            if "not_kept" not in columns:  # a store created before records not kept were counted
                db.execute("ALTER TABLE pull_run ADD COLUMN not_kept TEXT NOT NULL DEFAULT '{}'")

    # ---- snapshots ------------------------------------------------------------------

    def snapshots(self) -> dict[str, SnapshotInfo]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM snapshot").fetchall()
        return {r[0]: _snapshot(r) for r in rows}

    def snapshot(self, domain: str) -> SnapshotInfo | None:
        return self.snapshots().get(domain)

    def promote(self, manifest, rows: Iterable[list[Row]], package: str,
                sanity=None, discharged_before: dt.datetime | None = None,
                expected_sequence: int | bool | None = False) -> Promotion:
        """Replace (full) or patch (delta) a domain in one transaction; all or nothing.

        ``rows`` are batches of ``(type, id, domain, ipp, json_line)`` (``json_line`` None for
        a deletion), as ``OpenedPackage.iter_rows()`` yields them or :func:`record_rows`
        makes them. They may raise while being iterated (bad record, duplicate id in a full
        package): the transaction is rolled back and the previous snapshot stays.
        ``sanity(db, counts)`` may raise to refuse. Patients whose last stay ended before
        ``discharged_before`` are dropped from the dpi domain, and records of other domains
        whose patient is not kept are not stored (both counted in ``not_kept``; see
        :mod:`keeping`). ``expected_sequence`` (None: no
        snapshot yet) is the sequence the gates judged against: if another writer promoted
        meanwhile, :class:`SnapshotMoved` is raised and nothing changes.
        """
        with self.fresh() as db:  # its own connection: the big cache below is not kept
            db.execute("PRAGMA cache_size=-65536")  # 64 MiB: big packages touch many pages
            db.execute("PRAGMA temp_store=MEMORY")  # index builds sort in memory
            db.execute("BEGIN IMMEDIATE")
            try:
                if expected_sequence is not False:
                    row = db.execute("SELECT sequence FROM snapshot WHERE domain=?",
                                     (manifest.domain,)).fetchone()
                    if (row[0] if row else None) != expected_sequence:
                        raise SnapshotMoved(manifest.domain)
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
                not_kept = _keep_patients(db, manifest, touched, discharged_before)
                kept = kept_patients(db) if manifest.domain == "dpi" else None
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
                # SQLite may have rolled back already (disk full): a second ROLLBACK would
                # replace the real error with « no transaction is active ».
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return Promotion(counts, not_kept, kept)

    # ---- package log ----------------------------------------------------------------

    def log_package(self, source: str, file: str, outcome: str, reason: str = "",
                    domain: str | None = None, sequence: int | None = None) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO package_log (at, source, file, domain, sequence, outcome, reason)"
                " VALUES (?,?,?,?,?,?,?)",
                (dt.datetime.now(dt.UTC).isoformat(), source, file, domain, sequence,
                 outcome, reason))

    def requeue(self, source: str, files: list[str]) -> int:
        """Forget that these quarantined or waiting files were handled, so that the next pull
        of ``source`` fetches and judges them again (history kept as outcome « requeued »)."""
        with self.connect() as db:
            return db.execute(
                "UPDATE package_log SET outcome='requeued' WHERE source=? AND outcome IN "
                "('quarantined', 'waiting') AND file IN (SELECT value FROM json_each(?))",
                (source, json.dumps(files))).rowcount

    def requeue_waiting(self, source: str) -> int:
        """Forget every delta of ``source`` that waited for a full (see :meth:`requeue`)."""
        with self.connect() as db:
            return db.execute("UPDATE package_log SET outcome='requeued' WHERE source=? AND "
                              "outcome='waiting'", (source,)).rowcount

    def seen(self, source: str, file: str) -> bool:
        """Already handled: logged for this source, or backing a snapshot (a crash may have
        struck between promotion and the log line)."""
        with self.connect() as db:
            row = db.execute("SELECT 1 FROM package_log WHERE source=? AND file=? AND "
                             "outcome != 'requeued' UNION ALL "
                             "SELECT 1 FROM snapshot WHERE package=? LIMIT 1",
                             (source, file, file)).fetchone()
        return row is not None

    def unseen(self, source: str, files: list[str]) -> list[str]:
        """The files not yet handled (see :meth:`seen`), in one connection: a no-op pull
        stays one listing and a few indexed lookups, however long the package log."""
        names = json.dumps(files)
        with self.connect() as db:
            handled = {r[0] for r in db.execute(
                "SELECT file FROM package_log WHERE source=? AND outcome != 'requeued' AND "
                "file IN (SELECT value FROM json_each(?)) UNION SELECT package FROM snapshot WHERE "
                "package IN (SELECT value FROM json_each(?))", (source, names, names))}
        return [f for f in files if f not in handled]

    def accepted_before(self, file: str) -> bool:
        """Whether a package of this name was accepted before, from any source."""
        with self.connect() as db:
            row = db.execute("SELECT 1 FROM package_log WHERE file=? AND outcome='accepted' "
                             "LIMIT 1", (file,)).fetchone()
        return row is not None

    # ---- pull runs ------------------------------------------------------------------

    def record_run(self, source: str, started: dt.datetime, ended: dt.datetime, seen: int,
                   accepted: int, quarantined: int, waiting: int, error: str = "",
                   not_kept: dict | None = None) -> None:
        """Record the outcome of one pull of one source (``not_kept``: see sync.notkept)."""
        with self.connect() as db:
            db.execute("INSERT INTO pull_run (source, started, ended, seen, accepted, "
                       "quarantined, waiting, error, not_kept) VALUES (?,?,?,?,?,?,?,?,?)",
                       (source, started.isoformat(), ended.isoformat(), seen, accepted,
                        quarantined, waiting, error, json.dumps(not_kept or {})))

    def pull_runs(self, source: str | None = None, limit: int = 20) -> list[dict]:
        """The latest runs, newest first (of one source, or of all)."""
        where, args = ("WHERE source=?", (source, limit)) if source else ("", (limit,))
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            sql = f"SELECT * FROM pull_run {where} ORDER BY id DESC LIMIT ?"  # noqa: S608 - fixed WHERE
            rows = db.execute(sql, args).fetchall()
        return [{**dict(r), "started": parse_utc(r["started"]), "ended": parse_utc(r["ended"]),
                 "not_kept": json.loads(r["not_kept"] or "{}")} for r in rows]

    def last_success(self, source: str) -> dt.datetime | None:
        with self.connect() as db:
            row = db.execute("SELECT MAX(ended) FROM pull_run WHERE source=? AND error=''",
                             (source,)).fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def package_log(self, limit: int = 50) -> list[dict]:
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM package_log ORDER BY id DESC LIMIT ?",
                              (limit,)).fetchall()
        return [dict(r) for r in rows]


class SnapshotMoved(Exception):
    """Another writer promoted the domain between the gates and the transaction."""


class DuplicateRecord(ValueError):
    """A full package listing the same record twice (which one is right is unknowable)."""


def _insert_unique(db: sqlite3.Connection, rows: list) -> None:
    """Plain INSERT (a full package starts from an empty domain): a repeated id is refused."""
    try:
        db.executemany("INSERT INTO record VALUES (?,?,?,?,?)", rows)
    except sqlite3.IntegrityError:
        seen: set[tuple[str, str]] = set()
        for row in rows:
            key = (row[0], row[1])
            if key in seen or db.execute("SELECT 1 FROM record WHERE type=? AND id=?",
                                         key).fetchone():
                raise DuplicateRecord(f"{key[0]} {key[1]} : identifiant présent deux fois dans "
                                      "le paquet complet (doublon refusé)") from None
            seen.add(key)
        raise


def _keep_patients(db: sqlite3.Connection, manifest, touched: set[str],
                   discharged_before: dt.datetime | None) -> NotKept:
    """Drop what the station does not keep after writing a package (see :mod:`keeping`)."""
    not_kept: NotKept = NotKept()
    full = manifest.kind == "full"
    if manifest.domain == "dpi":
        if discharged_before is not None:
            dropped, gone = drop_discharged(db, discharged_before)
            touched |= dropped
            not_kept += gone
        update_patient_index(db, None if full else touched)
        for domain in domains_covered_by(db, manifest.extracted_at):
            not_kept += drop_orphans(db, domain, None if full else touched)
    elif manifest.domain in CLINICAL_DOMAINS and dpi_covers(db, manifest.extracted_at):
        not_kept += drop_orphans(db, manifest.domain, None if full else touched)
    return not_kept


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
            touched |= (_index_ipps(db, [r for r in rows if r[0] in INDEXED_TYPES])
                        if domain == "dpi" else {r[3] for r in rows if r[3] is not None})
        counts.update(kinds)
        if delta:
            db.executemany("INSERT OR REPLACE INTO record VALUES (?,?,?,?,?)", rows)
        else:
            _insert_unique(db, rows)
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
