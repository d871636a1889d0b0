"""The issued-documents journal: every printed document gets a unique number (re-entry key)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.statedb import StateDB


@dataclass(frozen=True)
class IssuedDocument:
    number: str
    kind: str
    ipp: str | None
    unit: str | None
    issued_at: dt.datetime
    issued_by: str
    snapshot: str


class Journal:
    """Append-only list of issued documents on the station's state database."""

    def __init__(self, db: StateDB, station_id: str, audit=None):
        self.db = db
        self.prefix = station_id.upper()
        self.audit = audit  # every issued number is also an audit entry (same transaction)

    def issue(self, kind: str, issued_by: str, ipp: str | None = None,
              unit: str | None = None, snapshot: str = "",
              now: dt.datetime | None = None) -> IssuedDocument:
        """Reserve the next document number and journal it, in one transaction."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.transaction() as db:
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM issued_document").fetchone()[0]
            number = f"{self.prefix}-{seq:07d}"
            db.execute("INSERT INTO issued_document (number, seq, kind, ipp, unit, issued_at,"
                       " issued_by, snapshot) VALUES (?,?,?,?,?,?,?,?)",
                       (number, seq, kind, ipp, unit, now.isoformat(), issued_by, snapshot))
            if self.audit is not None:
                self.audit.record(issued_by, "document.issued", number,
                                  {"kind": kind, "ipp": ipp, "unit": unit, "snapshot": snapshot},
                                  db=db, now=now)
        return IssuedDocument(number, kind, ipp, unit, now, issued_by, snapshot)

    def set_pages(self, number: str, pages: int) -> None:
        with self.db.connect() as db:
            db.execute("UPDATE issued_document SET pages=? WHERE number=?", (pages, number))

    def get(self, number: str) -> dict | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM issued_document WHERE number=?",
                             (number[:80],)).fetchone()
        return dict(row) if row else None

    def recent(self, limit: int = 50) -> list[dict]:
        with self.db.connect() as db:
            rows = db.execute("SELECT * FROM issued_document ORDER BY seq DESC LIMIT ?",
                              (limit,)).fetchall()
        return [dict(r) for r in rows]
