"""Reserved number ranges (provisional IPP/NDA, lab downtime labels): never issued twice.

A range is configured per station as ``"90000001-90999999"`` (optionally with a letter prefix,
``"P0000001-P0999999"``): every number has the width of the real ones and lies in a block the
hospital reserved for this station, so it never collides with a real number or another station.
Allocation happens in one SQLite ``BEGIN IMMEDIATE`` transaction on station.sqlite, committed
(synchronous=FULL) before any number is returned: a crash never hands the same number out again,
and concurrent threads or processes are serialised by SQLite's write lock. Every issued number
is also kept, UNIQUE, in ``allocated_number`` — the register of issued numbers, and a second
guard if a range is ever reconfigured over numbers already issued. With a HighWater file
(highwater.py), a station restored from an older backup never goes back either: numbers the
restored database does not know are recorded in ``number_gap`` and skipped.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from pcsauvegarde.core.numberrange import (  # noqa: F401 - re-exported: the ranges' vocabulary
    NumberingError,
    NumberRange,
    overlapping,
    parse_range,
)
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS number_range (
    name TEXT PRIMARY KEY, next INTEGER NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS allocated_number (
    number TEXT PRIMARY KEY, range TEXT NOT NULL, allocated_at TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS number_gap (
    range TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
    detected_at TEXT NOT NULL, PRIMARY KEY (range, first));
"""
MAX_BATCH = 10_000


class RangeExhausted(NumberingError):
    """Not enough numbers left in a range."""


class Numbering:
    """Allocates numbers from reserved ranges on the station's state database."""

    def __init__(self, db: StateDB, high_water: HighWater | None = None):
        self.db = db
        self.high_water = high_water
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def allocate(self, rng: NumberRange, n: int = 1, purpose: str = "",
                 conn: sqlite3.Connection | None = None,
                 now: dt.datetime | None = None) -> list[str]:
        """The next ``n`` numbers of ``rng``, durably recorded as issued before they are returned.

        With ``conn`` (a connection already inside ``BEGIN IMMEDIATE``) the allocation joins the
        caller's transaction, so that it commits or rolls back with the caller's own rows.
        """
        if not 1 <= n <= MAX_BATCH:
            raise NumberingError(f"plage « {rng.name} » : quantité {n} hors limites "
                                 f"(1–{MAX_BATCH})")
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat()
        if conn is not None:
            return self._allocate(conn, rng, n, purpose, stamp, self.high_water)
        with self.db.transaction() as own:
            return self._allocate(own, rng, n, purpose, stamp, self.high_water)

    def remaining(self, rng: NumberRange) -> int:
        """How many numbers ``rng`` can still give (shown on screen before it runs out)."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT next FROM number_range WHERE name=?",
                               (rng.name,)).fetchone()
        nxt = max(row[0], rng.first) if row else rng.first
        if self.high_water is not None:
            nxt = max(nxt, self.high_water.next(rng.name))
        return max(rng.last - nxt + 1, 0)

    def gaps(self, rng: NumberRange) -> list[tuple[str, str, str]]:
        """Numbers issued before a restore, unknown to this database: (first, last, when)."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT first, last, detected_at FROM number_gap WHERE range=?"
                                " ORDER BY first", (rng.name,)).fetchall()
        return [(rng.format(r[0]), rng.format(r[1]), r[2]) for r in rows]

    def issued(self, rng: NumberRange) -> list[dict]:
        """The register of numbers issued from a range, oldest first."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM allocated_number WHERE range=? "
                                "ORDER BY allocated_at, number", (rng.name,)).fetchall()
        return [dict(r) for r in rows]

    @staticmethod
    def _allocate(conn: sqlite3.Connection, rng: NumberRange, n: int, purpose: str,
                  stamp: str, high_water: HighWater | None = None) -> list[str]:
        row = conn.execute("SELECT next FROM number_range WHERE name=?", (rng.name,)).fetchone()
        # A range moved up in the settings starts at its new first; moved down, never goes back.
        value = max(row[0], rng.first) if row else rng.first
        if high_water is not None:
            mark = high_water.next(rng.name)
            if mark > value:  # this database was restored: what it forgot was issued anyway
                conn.execute("INSERT OR IGNORE INTO number_gap VALUES (?,?,?,?)",
                             (rng.name, value, mark - 1, stamp))
                value = mark
        out: list[str] = []
        while len(out) < n:
            if value > rng.last:
                left = len(out)
                raise RangeExhausted(
                    f"plage de numéros « {rng.name} » ({rng.describe()}) épuisée : "
                    f"{left} numéro(s) disponible(s) sur {n} demandé(s). Demandez à "
                    "l'administrateur une nouvelle plage réservée pour ce poste.")
            number = rng.format(value)
            value += 1
            try:
                conn.execute("INSERT INTO allocated_number (number, range, allocated_at, purpose)"
                             " VALUES (?,?,?,?)", (number, rng.name, stamp, purpose))
            except sqlite3.IntegrityError:
                continue  # issued before under another range setting: skip it, never reissue
            out.append(number)
        if high_water is not None:  # before the commit: the file may be ahead, never behind
            high_water.advance(rng.name, value)
        conn.execute("INSERT INTO number_range (name, next, updated_at) VALUES (?,?,?) "
                     "ON CONFLICT(name) DO UPDATE SET next=excluded.next, "
                     "updated_at=excluded.updated_at", (rng.name, value, stamp))
        return out
