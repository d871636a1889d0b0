"""Cycles typed on screen during the outage: kept on the station, re-entered after recovery.

An entry is kept whole even when it names a tray the catalogue does not know (the gap is said
on screen and on its printed form): nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from pcsauvegarde.core.records import SterilisationCycle
from pcsauvegarde.station.state.statedb import StateDB
from pcsauvegarde.station.sterilisation.papers import AUTOCLAVE, WASHER

SCHEMA = """
CREATE TABLE IF NOT EXISTS sterilisation_entry (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, equipment TEXT NOT NULL,
    cycle_number TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    program TEXT NOT NULL DEFAULT '', operator TEXT NOT NULL DEFAULT '',
    trays TEXT NOT NULL DEFAULT '[]', decision TEXT NOT NULL DEFAULT '',
    entered_at TEXT NOT NULL, entered_by TEXT NOT NULL, document TEXT);
"""
KINDS = {WASHER: "laveur", AUTOCLAVE: "autoclave"}
DECISIONS = {"": "non renseignée", "released": "libérée", "rejected": "non libérée"}


class EntryError(ValueError):
    """A cycle entry that cannot be kept as typed (French message naming the field)."""


@dataclass(frozen=True)
class CycleEntry:
    kind: str
    equipment: str
    cycle_number: str
    at: dt.datetime
    trays: tuple[str, ...] = ()
    lot: str = ""
    program: str = ""
    operator: str = ""
    decision: str = ""
    id: int = 0
    entered_at: dt.datetime | None = None
    entered_by: str = ""
    document: str = ""

    def check(self) -> None:
        if self.kind not in KINDS:
            raise EntryError(f"type de cycle « {self.kind} » inconnu (laveur ou autoclave)")
        if not self.equipment:
            raise EntryError("« Équipement » : choisir le laveur ou l'autoclave")
        if not self.cycle_number:
            raise EntryError("« N° de cycle » : obligatoire")
        if self.decision not in DECISIONS:
            raise EntryError(f"« Libération » : « {self.decision} » inconnue")
        if self.kind == WASHER and self.decision:
            raise EntryError("« Libération » : ne concerne que les charges d'autoclave")

    def as_cycle(self) -> SterilisationCycle:
        """The entry as a cycle record (for the OR traceability of its trays)."""
        return SterilisationCycle(f"saisie-{self.id}", self.equipment, self.cycle_number,
                                  self.at, self.lot, self.trays, self.program)


class CycleEntries:
    """The cycles typed on this station, newest first."""

    def __init__(self, db: StateDB):
        self.db = db
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def add(self, entry: CycleEntry, user: str, now: dt.datetime | None = None) -> CycleEntry:
        entry.check()
        now = now or dt.datetime.now(dt.UTC)
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sterilisation_entry (kind, equipment, cycle_number, lot, at, "
                "program, operator, trays, decision, entered_at, entered_by) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (entry.kind, entry.equipment, entry.cycle_number, entry.lot,
                 entry.at.isoformat(), entry.program, entry.operator, json.dumps(entry.trays),
                 entry.decision, now.isoformat(), user))
            new_id = int(cur.lastrowid or 0)
        return self.get(new_id)  # type: ignore[return-value]

    def set_document(self, entry_id: int, number: str) -> None:
        with self.db.connect() as conn:
            conn.execute("UPDATE sterilisation_entry SET document=? WHERE id=?",
                         (number, entry_id))

    def get(self, entry_id: int) -> CycleEntry | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM sterilisation_entry WHERE id=?",
                               (entry_id,)).fetchone()
        return _entry(row) if row else None

    def recent(self, limit: int = 100) -> list[CycleEntry]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM sterilisation_entry ORDER BY id DESC LIMIT ?",
                                (limit,)).fetchall()
        return [_entry(r) for r in rows]


def _entry(row: sqlite3.Row) -> CycleEntry:
    return CycleEntry(row["kind"], row["equipment"], row["cycle_number"],
                      dt.datetime.fromisoformat(row["at"]), tuple(json.loads(row["trays"])),
                      row["lot"], row["program"], row["operator"], row["decision"], row["id"],
                      dt.datetime.fromisoformat(row["entered_at"]), row["entered_by"],
                      row["document"] or "")
