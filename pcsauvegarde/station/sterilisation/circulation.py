"""Circulation numbers of tray labels: from the station's reserved range, never reused.

Numbers come from :class:`Numbering` (the allocator of provisional IPPs and lab labels): one
``BEGIN IMMEDIATE`` transaction gives them and, in the same transaction, records which tray
each went to, so a crash leaves either both or neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.numberrange import exercise_range
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.state.numbering import Numbering, NumberRange, parse_range
from pcsauvegarde.station.state.statedb import StateDB

RANGE_NAME = "sterilisation_circulation"
SCHEMA = """
CREATE TABLE IF NOT EXISTS tray_circulation (
    number TEXT PRIMARY KEY, tray TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',
    recomposed_on TEXT NOT NULL, expiry TEXT, operator TEXT NOT NULL DEFAULT '',
    issued_at TEXT NOT NULL, issued_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tray_circulation_by_tray ON tray_circulation (tray, issued_at);
"""


@dataclass(frozen=True)
class Circulation:
    """One circulation number given to one tray for one recomposition."""

    number: str
    tray: str
    unit: str
    recomposed_on: dt.date
    expiry: dt.date | None
    operator: str


class CirculationRegister:
    """Gives circulation numbers to trays and remembers which tray has which."""

    def __init__(self, db: StateDB, range_spec: str, high_water: HighWater | None = None,
                 exercise_prefix: str = ""):
        self.db = db
        self.range: NumberRange = parse_range(RANGE_NAME, range_spec)
        if exercise_prefix:  # an exercise draws from its own range, never from the real one
            self.range = exercise_range(self.range, exercise_prefix, "plateaux")
        # The lab's high-water mark too: a station restored from a backup never gives a
        # circulation number twice (the mark lives outside the restored database).
        self.numbering = Numbering(db, high_water)
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def allocate(self, trays: list[tuple[str, str, dt.date | None]], recomposed_on: dt.date,
                 operator: str, user: str, now: dt.datetime | None = None) -> list[Circulation]:
        """One new number per (tray, unit, expiry), durably recorded before it is returned."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.transaction() as conn:
            numbers = self.numbering.allocate(self.range, len(trays), "étiquette de plateau",
                                              conn=conn, now=now)
            out = []
            for number, (tray, unit, expiry) in zip(numbers, trays, strict=True):
                conn.execute("INSERT INTO tray_circulation VALUES (?,?,?,?,?,?,?,?)",
                             (number, tray, unit, recomposed_on.isoformat(),
                              expiry.isoformat() if expiry else None, operator,
                              now.isoformat(), user))
                out.append(Circulation(number, tray, unit, recomposed_on, expiry, operator))
        return out

    def latest(self, trays: list[str]) -> dict[str, Circulation]:
        """The last circulation number given to each of ``trays`` (those that have one)."""
        out: dict[str, Circulation] = {}
        with self.db.connect() as conn:
            for tray in trays:
                row = conn.execute("SELECT * FROM tray_circulation WHERE tray=? ORDER BY "
                                   "issued_at DESC, number DESC LIMIT 1", (tray,)).fetchone()
                if row is not None:
                    out[tray] = _circulation(row)
        return out

    def find(self, number: str) -> Circulation | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM tray_circulation WHERE number=?",
                               (number.strip().upper(),)).fetchone()
        return _circulation(row) if row else None

    def remaining(self) -> int:
        return self.numbering.remaining(self.range)


def _circulation(row) -> Circulation:
    return Circulation(row["number"], row["tray"], row["unit"],
                       dt.date.fromisoformat(row["recomposed_on"]),
                       dt.date.fromisoformat(row["expiry"]) if row["expiry"] else None,
                       row["operator"])
