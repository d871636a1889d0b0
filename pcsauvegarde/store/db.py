"""The SQLite read model: snapshots per domain, records, search indexes; atomic promotion."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.package.manifest import Deletion
from pcsauvegarde.records import Patient, Record, Stay, parse_utc
from pcsauvegarde.sqlitedb import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshot (
    domain TEXT PRIMARY KEY, sequence INTEGER NOT NULL, kind TEXT NOT NULL,
    extracted_at TEXT NOT NULL, promoted_at TEXT NOT NULL, package TEXT NOT NULL,
    source TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record (
    type TEXT NOT NULL, id TEXT NOT NULL, domain TEXT NOT NULL, ipp TEXT, data TEXT NOT NULL,
    PRIMARY KEY (type, id)) WITHOUT ROWID;
{indexes}
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
    waiting INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS pull_run_by_source ON pull_run (source, id);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS record_by_ipp ON record (ipp, type);
CREATE INDEX IF NOT EXISTS record_by_domain ON record (domain);
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


def fold(text: str) -> str:
    """Accent- and case-insensitive form used for searching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Store(Database):
    """The station's read model; every write is one SQLite transaction (WAL)."""

    def __init__(self, path: Path):
        super().__init__(path, foreign_keys=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    # ---- snapshots ------------------------------------------------------------------

    def snapshots(self) -> dict[str, SnapshotInfo]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM snapshot").fetchall()
        return {r[0]: _snapshot(r) for r in rows}

    def snapshot(self, domain: str) -> SnapshotInfo | None:
        return self.snapshots().get(domain)

    def promote(self, manifest, records: Iterable[Record], package: str,
                sanity=None, discharged_before: dt.datetime | None = None,
                expected_sequence: int | None | bool = False) -> dict[str, int]:
        """Replace (full) or patch (delta) a domain in one transaction; all or nothing.

        ``records`` may raise while being iterated (bad record, duplicate id in a full
        package): the transaction is rolled back and the previous snapshot stays.
        ``sanity(db, counts)`` may raise to refuse. Patients whose last stay ended before
        ``discharged_before`` are dropped from the dpi domain. ``expected_sequence`` (None: no
        snapshot yet) is the sequence the gates judged against: if another writer promoted
        meanwhile, :class:`SnapshotMoved` is raised and nothing changes.
        """
        with self.connect() as db:
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
                    db.execute("DROP INDEX IF EXISTS record_by_domain")
                if manifest.kind == "full":
                    db.execute("DELETE FROM record WHERE domain = ?", (manifest.domain,))
                counts = _write_records(db, manifest.domain, records,
                                        unique=manifest.kind == "full")
                if bulk:  # not executescript(): it would commit the transaction first
                    for statement in INDEXES.strip().splitlines():
                        db.execute(statement)
                if manifest.domain == "dpi":
                    if discharged_before is not None:
                        _drop_discharged(db, discharged_before)
                    _rebuild_patient_index(db)
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
        """Already handled: logged for this source, or backing a snapshot (a crash may have
        struck between promotion and the log line)."""
        with self.connect() as db:
            row = db.execute("SELECT 1 FROM package_log WHERE source=? AND file=? UNION ALL "
                             "SELECT 1 FROM snapshot WHERE package=? LIMIT 1",
                             (source, file, file)).fetchone()
        return row is not None

    # ---- pull runs ------------------------------------------------------------------

    def record_run(self, source: str, started: dt.datetime, ended: dt.datetime, seen: int,
                   accepted: int, quarantined: int, waiting: int, error: str = "") -> None:
        """Record the outcome of one pull of one source."""
        with self.connect() as db:
            db.execute("INSERT INTO pull_run (source, started, ended, seen, accepted, "
                       "quarantined, waiting, error) VALUES (?,?,?,?,?,?,?,?)",
                       (source, started.isoformat(), ended.isoformat(), seen, accepted,
                        quarantined, waiting, error))

    def pull_runs(self, source: str | None = None, limit: int = 20) -> list[dict]:
        """The latest runs, newest first (of one source, or of all)."""
        where, args = ("WHERE source=?", (source, limit)) if source else ("", (limit,))
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(f"SELECT * FROM pull_run {where} ORDER BY id DESC LIMIT ?",
                              args).fetchall()
        return [{**dict(r), "started": parse_utc(r["started"]), "ended": parse_utc(r["ended"])}
                for r in rows]

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


def _insert(db: sqlite3.Connection, batch: list[tuple], unique: bool) -> None:
    if not unique:
        db.executemany("INSERT OR REPLACE INTO record VALUES (?,?,?,?,?)", batch)
        return
    try:
        db.executemany("INSERT INTO record VALUES (?,?,?,?,?)", batch)
    except sqlite3.IntegrityError:
        seen: set[tuple[str, str]] = set()
        for row in batch:
            key = (row[0], row[1])
            if key in seen or db.execute("SELECT 1 FROM record WHERE type=? AND id=?",
                                         key).fetchone():
                raise DuplicateRecord(f"{key[0]} {key[1]} : identifiant présent deux fois dans "
                                      "le paquet complet (doublon refusé)") from None
            seen.add(key)
        raise


def _drop_discharged(db: sqlite3.Connection, before: dt.datetime) -> int:
    """Drop the dpi records of patients with no current stay, discharged before ``before``."""
    cutoff = before.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ipps = [r[0] for r in db.execute(
        "SELECT ipp FROM record WHERE domain='dpi' AND type='stay' AND ipp IS NOT NULL "
        "GROUP BY ipp HAVING SUM(json_extract(data, '$.discharge') IS NULL) = 0 "
        "AND MAX(json_extract(data, '$.discharge')) < ?", (cutoff,))]
    db.executemany("DELETE FROM record WHERE domain='dpi' AND ipp=?", [(i,) for i in ipps])
    return len(ipps)


def _write_records(db: sqlite3.Connection, domain: str, records: Iterable,
                   unique: bool = False) -> dict[str, int]:
    """Insert records (or ``(record, json_text)`` pairs: the package's own line, kept as is)."""
    counts: dict[str, int] = {}
    batch: list[tuple] = []
    deletions: list[tuple] = []
    for rec in records:
        text = None
        if type(rec) is tuple:
            rec, text = rec
        if isinstance(rec, Deletion):  # a delta package removing a record
            deletions.append((rec.record_type, rec.id))
            continue
        if rec.DOMAIN != domain:
            raise ValueError(f"{rec.TYPE} {rec.id} : enregistrement hors du domaine {domain}")
        counts[rec.TYPE] = counts.get(rec.TYPE, 0) + 1
        ipp = rec.id if rec.TYPE == "patient" else getattr(rec, "ipp", None)
        batch.append((rec.TYPE, rec.id, domain, ipp, text or json.dumps(rec.to_dict())))
        if len(batch) >= 5000:
            _insert(db, batch, unique)
            batch.clear()
    _insert(db, batch, unique)
    db.executemany("DELETE FROM record WHERE type=? AND id=?", deletions)
    return counts


def _rebuild_patient_index(db: sqlite3.Connection) -> None:
    from pcsauvegarde.records import record_from_dict

    db.execute("DELETE FROM patient_index")
    stays: dict[str, Stay] = {}
    for (data,) in db.execute("SELECT data FROM record WHERE type='stay'"):
        stay = record_from_dict(json.loads(data))
        best = stays.get(stay.ipp)
        # the current stay wins; otherwise the latest admission
        if best is None or (best.discharge is not None and
                            (stay.discharge is None or stay.admission > best.admission)):
            stays[stay.ipp] = stay
    rows = []
    for (data,) in db.execute("SELECT data FROM record WHERE type='patient'"):
        p: Patient = record_from_dict(json.loads(data))
        s = stays.get(p.id)
        names = fold(" ".join(filter(None, (p.birth_name, p.used_name, p.first_names,
                                            p.used_first_name))))
        rows.append((p.id, names, p.birth_date.isoformat(), s.id if s else None,
                     s.unit if s else None, s.room if s else None, s.bed if s else None,
                     int(s is not None and s.discharge is None),
                     s.admission.isoformat() if s else None,
                     s.discharge.isoformat() if s and s.discharge else None))
    db.executemany("INSERT INTO patient_index VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def _snapshot(row: tuple) -> SnapshotInfo:
    return SnapshotInfo(row[0], row[1], row[2], parse_utc(row[3]), parse_utc(row[4]), row[5],
                        row[6], json.loads(row[7]))
