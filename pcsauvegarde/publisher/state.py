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
                    # the package replaces everything: keep the rows it leaves as they are
                    # (a periodic full mostly re-sends what the state already describes)
                    old = {(t, i): h for t, i, h in db.execute(
                        "SELECT type, id, hash FROM digest WHERE scope=? AND domain=?",
                        (scope, domain))}
                    now_sent = dict(changed)
                    deleted = [k for k in old if k not in now_sent]
                    changed = sorted((k, h) for k, h in now_sent.items() if old.get(k) != h)
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
