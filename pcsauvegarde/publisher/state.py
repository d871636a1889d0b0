"""The publisher's memory: last sequence per (scope, domain) and a digest per published record.

A compact SQLite file beside publisher.toml. Deltas are computed against it: a record whose
digest (BLAKE2b-128 of its canonical JSON line) changed or is new is sent whole; a key that
disappeared becomes a Deletion. The sequence is *reserved* before a package is written and
committed with the digests after, so a crash in between forces the next package to be full
(never a delta on a base the state does not describe, never a sequence used twice).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.package import PackageError, parse_file_name

SCHEMA = """
CREATE TABLE IF NOT EXISTS sequence (
    scope TEXT NOT NULL, domain TEXT NOT NULL, last INTEGER NOT NULL DEFAULT 0,
    reserved INTEGER NOT NULL DEFAULT 0, last_full_at TEXT,
    PRIMARY KEY (scope, domain)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digest (
    scope TEXT NOT NULL, domain TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
    hash BLOB NOT NULL, PRIMARY KEY (scope, domain, type, id)) WITHOUT ROWID;
"""
Key = tuple[str, str]  # (record type, id)


def digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


def first_sequence(drop_dir: Path, scope: str, domain: str) -> int:
    """The sequence to use when the state knows nothing of (scope, domain): after the drop's.

    A lost or fresh state MUST NOT restart at 1 where stations already hold a higher sequence
    (they would refuse every package as a replay).
    """
    prefix, highest = f"{scope}.{domain}.", 0
    try:
        names = [p.name for p in Path(drop_dir).iterdir() if p.name.startswith(prefix)]
    except OSError:
        return 1
    for name in names:
        try:
            highest = max(highest, int(parse_file_name(name.removesuffix(".minisig"))["sequence"]))
        except PackageError:
            continue
    return highest + 1


@dataclass(frozen=True)
class DomainState:
    last: int                        # last sequence published (0: never)
    reserved: int                    # > last when a publish was interrupted
    last_full_at: dt.datetime | None

    @property
    def interrupted(self) -> bool:
        return self.reserved > self.last

    @property
    def next_sequence(self) -> int:
        return max(self.last, self.reserved) + 1


class PublishState:
    """Sequences and record digests per (scope, domain); one transaction per change."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    def domain(self, scope: str, domain: str) -> DomainState:
        with self._connect() as db:
            row = db.execute("SELECT last, reserved, last_full_at FROM sequence "
                             "WHERE scope=? AND domain=?", (scope, domain)).fetchone()
        if row is None:
            return DomainState(0, 0, None)
        full_at = dt.datetime.fromisoformat(row[2]) if row[2] else None
        return DomainState(row[0], row[1], full_at)

    def digests(self, scope: str, domain: str) -> dict[Key, bytes]:
        with self._connect() as db:
            rows = db.execute("SELECT type, id, hash FROM digest WHERE scope=? AND domain=?",
                              (scope, domain))
            return {(t, i): h for t, i, h in rows}

    def iter_digests(self, scope: str, domain: str) -> Iterator[tuple[Key, bytes]]:
        """Every digest of (scope, domain) in key order, read as it goes (no dict of them)."""
        with self._connect() as db:
            for t, i, h in db.execute("SELECT type, id, hash FROM digest WHERE scope=? AND "
                                      "domain=? ORDER BY type, id", (scope, domain)):
                yield (t, i), h

    def digests_of(self, scope: str, domain: str, keys: Iterable[Key]) -> dict[Key, bytes]:
        """The digests of some keys only (a delta's candidates): cost in proportion to them."""
        found: dict[Key, bytes] = {}
        with self._connect() as db:
            for t, i in keys:
                row = db.execute("SELECT hash FROM digest WHERE scope=? AND domain=? AND type=? "
                                 "AND id=?", (scope, domain, t, i)).fetchone()
                if row is not None:
                    found[(t, i)] = row[0]
        return found

    def reserve(self, scope: str, domain: str, sequence: int) -> None:
        with self._connect() as db:
            db.execute("INSERT INTO sequence (scope, domain, reserved) VALUES (?,?,?) "
                       "ON CONFLICT (scope, domain) DO UPDATE SET reserved=excluded.reserved",
                       (scope, domain, sequence))

    def commit(self, scope: str, domain: str, sequence: int, kind: str, now: dt.datetime,
               changed: Iterable[tuple[Key, bytes]], deleted: Iterable[Key]) -> None:
        """Record a written package: its sequence and the digests it leaves the station with."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if kind == "full":
                    changed, deleted = _replace_all(db, scope, domain, changed), ()
                db.executemany("INSERT OR REPLACE INTO digest VALUES (?,?,?,?,?)",
                               ((scope, domain, t, i, h) for (t, i), h in changed))
                db.executemany("DELETE FROM digest WHERE scope=? AND domain=? AND type=? AND id=?",
                               ((scope, domain, t, i) for t, i in deleted))
                db.execute("UPDATE sequence SET last=?, reserved=? WHERE scope=? AND domain=?",
                           (sequence, sequence, scope, domain))
                if kind == "full":
                    db.execute("UPDATE sequence SET last_full_at=? WHERE scope=? AND domain=?",
                               (now.isoformat(), scope, domain))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise


def _replace_all(db: sqlite3.Connection, scope: str, domain: str,
                 sent: Iterable[tuple[Key, bytes]]) -> Iterable[tuple[Key, bytes]]:
    """A full package replaces every digest of (scope, domain): rows it leaves as they were
    stay untouched (a periodic full mostly re-sends what the state describes). ``sent`` is
    streamed through a temporary table, never held as a dict; returns what to insert still."""
    rows = ((t, i, h) for (t, i), h in sent)
    if db.execute("SELECT 1 FROM digest WHERE scope=? AND domain=? LIMIT 1",
                  (scope, domain)).fetchone() is None:
        db.executemany("INSERT OR REPLACE INTO digest VALUES (?,?,?,?,?)",
                       ((scope, domain, t, i, h) for t, i, h in rows))
        return ()
    db.execute("CREATE TEMP TABLE sent (type TEXT NOT NULL, id TEXT NOT NULL, hash BLOB NOT NULL,"
               " PRIMARY KEY (type, id)) WITHOUT ROWID")
    db.executemany("INSERT OR REPLACE INTO temp.sent VALUES (?,?,?)", rows)
    db.execute("DELETE FROM digest WHERE scope=? AND domain=? AND NOT EXISTS (SELECT 1 FROM "
               "temp.sent s WHERE s.type=digest.type AND s.id=digest.id)", (scope, domain))
    db.execute("INSERT OR REPLACE INTO digest SELECT ?, ?, s.type, s.id, s.hash FROM temp.sent s "
               "WHERE NOT EXISTS (SELECT 1 FROM digest d WHERE d.scope=? AND d.domain=? AND "
               "d.type=s.type AND d.id=s.id AND d.hash=s.hash)", (scope, domain, scope, domain))
    db.execute("DROP TABLE temp.sent")
    return ()
