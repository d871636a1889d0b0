"""Reserved number ranges (provisional IPP/NDA, lab downtime labels): never issued twice.

A range is configured per station as ``"90000001-90999999"`` (optionally with a letter prefix,
``"P0000001-P0999999"``): every number has the width of the real ones and lies in a block the
hospital reserved for this station, so it never collides with a real number or another station.
Allocation happens in one SQLite ``BEGIN IMMEDIATE`` transaction on station.sqlite, committed
(synchronous=FULL) before any number is returned: a crash never hands the same number out again,
and concurrent threads or processes are serialised by SQLite's write lock. Every issued number
is also kept, UNIQUE, in ``allocated_number`` — the register of issued numbers, and a second
guard if a range is ever reconfigured over numbers already issued.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass

from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS number_range (
    name TEXT PRIMARY KEY, next INTEGER NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS allocated_number (
    number TEXT PRIMARY KEY, range TEXT NOT NULL, allocated_at TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '');
"""
_SPEC = re.compile(r"^([A-Z]{0,4})(\d{1,17})-([A-Z]{0,4})(\d{1,17})$")
MAX_BATCH = 10_000


class NumberingError(ValueError):
    """A range that is misconfigured or cannot give numbers any more (French message)."""


class RangeExhausted(NumberingError):
    """Not enough numbers left in a range."""


@dataclass(frozen=True)
class NumberRange:
    """Numbers ``prefix`` + ``first..last`` zero-padded so that every number is ``width`` long."""

    name: str
    prefix: str
    first: int
    last: int
    width: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def format(self, value: int) -> str:
        return f"{self.prefix}{value:0{self.width - len(self.prefix)}d}"

    def describe(self) -> str:
        return f"{self.format(self.first)}–{self.format(self.last)}"


def parse_range(name: str, spec: str) -> NumberRange:
    """``"90000001-90999999"`` → a NumberRange; MUST raise NumberingError when inconsistent."""
    m = _SPEC.match(spec.strip().replace(" ", ""))
    if not m:
        raise NumberingError(f"plage « {name} » : « {spec} » illisible (attendu par exemple "
                             "90000001-90999999, même longueur que les numéros réels)")
    prefix, first, prefix2, last = m.groups()
    if prefix != prefix2 or len(first) != len(last):
        raise NumberingError(f"plage « {name} » : « {spec} » : début et fin doivent avoir le même "
                             "préfixe et la même longueur")
    if int(first) > int(last):
        raise NumberingError(f"plage « {name} » : « {spec} » : début après la fin")
    return NumberRange(name, prefix, int(first), int(last), len(prefix) + len(first))


class Numbering:
    """Allocates numbers from reserved ranges on the station's state database."""

    def __init__(self, db: StateDB):
        self.db = db
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
            return self._allocate(conn, rng, n, purpose, stamp)
        with self.db.transaction() as own:
            return self._allocate(own, rng, n, purpose, stamp)

    def remaining(self, rng: NumberRange) -> int:
        """How many numbers ``rng`` can still give (shown on screen before it runs out)."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT next FROM number_range WHERE name=?",
                               (rng.name,)).fetchone()
        nxt = max(row[0], rng.first) if row else rng.first
        return max(rng.last - nxt + 1, 0)

    def issued(self, rng: NumberRange) -> list[dict]:
        """The register of numbers issued from a range, oldest first."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM allocated_number WHERE range=? "
                                "ORDER BY allocated_at, number", (rng.name,)).fetchall()
        return [dict(r) for r in rows]

    @staticmethod
    def _allocate(conn: sqlite3.Connection, rng: NumberRange, n: int, purpose: str,
                  stamp: str) -> list[str]:
        row = conn.execute("SELECT next FROM number_range WHERE name=?", (rng.name,)).fetchone()
        # A range moved up in the settings starts at its new first; moved down, never goes back.
        value = max(row[0], rng.first) if row else rng.first
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
        conn.execute("INSERT INTO number_range (name, next, updated_at) VALUES (?,?,?) "
                     "ON CONFLICT(name) DO UPDATE SET next=excluded.next, "
                     "updated_at=excluded.updated_at", (rng.name, value, stamp))
        return out
