"""The issued-documents journal: every printed document gets a unique number (re-entry key)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pcsauvegarde.station.state.statedb import StateDB


@dataclass(frozen=True)
class IssuedDocument:
    number: str
    kind: str
    ipp: str | None
    unit: str | None
    issued_at: dt.datetime
    issued_by: str
    snapshot: str
    form: str | None = None    # the form id of a pre-identified form (kind « form »)


@dataclass(frozen=True)
class PageRange:
    """Where an issued document's pages lie inside another one's PDF (a unit bundle)."""

    container: str      # number of the document whose PDF holds the pages
    first_page: int     # 1-based
    pages: int


class Journal:
    """Append-only list of issued documents on the station's state database."""

    def __init__(self, db: StateDB, station_id: str, audit=None,
                 in_exercise: Callable[[sqlite3.Connection], bool] | None = None,
                 exercise_prefix: str = "EX"):
        self.db = db
        self.prefix = station_id.upper()
        self.audit = audit  # every issued number is also an audit entry (same transaction)
        # While an exercise runs, numbers come from a series of their own (negative seq,
        # « EX-<STATION>-0000001 »): an exercise never uses up a real document number.
        self.in_exercise = in_exercise
        self.exercise_prefix = exercise_prefix

    def issue(self, kind: str, issued_by: str, ipp: str | None = None,
              unit: str | None = None, snapshot: str = "",
              now: dt.datetime | None = None, form: str | None = None) -> IssuedDocument:
        """Reserve the next document number and journal it, in one transaction."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.transaction() as db:
            if self.in_exercise is not None and self.in_exercise(db):
                seq = db.execute("SELECT COALESCE(MIN(seq), 0) - 1 FROM issued_document"
                                 " WHERE seq < 0").fetchone()[0]
                number = f"{self.exercise_prefix}-{self.prefix}-{-seq:07d}"
            else:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM issued_document"
                                 " WHERE seq > 0").fetchone()[0]
                number = f"{self.prefix}-{seq:07d}"
            db.execute("INSERT INTO issued_document (number, seq, kind, ipp, unit, issued_at,"
                       " issued_by, snapshot, form) VALUES (?,?,?,?,?,?,?,?,?)",
                       (number, seq, kind, ipp, unit, now.isoformat(), issued_by, snapshot,
                        form))
            if self.audit is not None:
                detail = {"kind": kind, "ipp": ipp, "unit": unit, "snapshot": snapshot}
                if form is not None:
                    detail["form"] = form
                self.audit.record(issued_by, "document.issued", number, detail, db=db, now=now)
        return IssuedDocument(number, kind, ipp, unit, now, issued_by, snapshot, form)

    def set_pages(self, number: str, pages: int) -> None:
        with self.db.connect() as db:
            db.execute("UPDATE issued_document SET pages=? WHERE number=?", (pages, number))

    def get(self, number: str) -> dict | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM issued_document WHERE number=?",
                             (number[:80],)).fetchone()
        return dict(row) if row else None

    def place(self, container: str, ranges: Iterable[tuple[str, int, int]]) -> None:
        """Record (number, first page, pages) of documents kept inside ``container``'s PDF.

        Also sets each document's page count; one transaction for all.
        """
        with self.db.transaction() as db:
            for number, first_page, pages in ranges:
                db.execute("UPDATE issued_document SET pages=? WHERE number=?", (pages, number))
                if number != container:
                    db.execute("INSERT OR REPLACE INTO document_pages (number, container,"
                               " first_page, pages) VALUES (?,?,?,?)",
                               (number, container, first_page, pages))

    def location(self, number: str) -> PageRange | None:
        """Where ``number``'s pages lie if they are kept inside another PDF, else None."""
        with self.db.connect() as db:
            row = db.execute("SELECT container, first_page, pages FROM document_pages"
                             " WHERE number=?", (number,)).fetchone()
        return PageRange(row[0], row[1], row[2]) if row else None

    def forms_of(self, ipp: str) -> list[dict]:
        """The pre-identified forms issued for a patient, oldest first: what re-entry lists
        (number, form id, page count, when, by whom, the kit holding it if any)."""
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT d.number, d.form, d.pages, d.unit, d.issued_at, d.issued_by,"
                " p.container FROM issued_document d LEFT JOIN document_pages p"
                " ON p.number = d.number WHERE d.ipp=? AND d.kind='form'"
                " ORDER BY d.issued_at, abs(d.seq)",
                (ipp,)).fetchall()
        return [dict(r) for r in rows]

    def documents_of(self, ipp: str) -> list[dict]:
        """Every document issued for a patient, oldest first (forms, labels, plans…): what a
        transfer pack lists so the receiving team knows which papers exist."""
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT d.number, d.kind, d.form, d.pages, d.unit, d.issued_at, d.issued_by,"
                " p.container FROM issued_document d LEFT JOIN document_pages p"
                " ON p.number = d.number WHERE d.ipp=? ORDER BY d.seq", (ipp,)).fetchall()
        return [dict(r) for r in rows]

    def documents_of_kind(self, kind: str, start: dt.datetime,
                          end: dt.datetime) -> list[dict]:
        """Documents of one kind issued in ``[start, end)``, oldest first."""
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT * FROM issued_document WHERE kind=? AND issued_at >= ? AND issued_at < ?"
                " ORDER BY seq", (kind, start.isoformat(), end.isoformat())).fetchall()
        return [dict(r) for r in rows]

    def recent(self, limit: int = 50) -> list[dict]:
        with self.db.connect() as db:
            # by time: exercise documents (negative seq) take their place among the others
            rows = db.execute("SELECT * FROM issued_document ORDER BY issued_at DESC, seq DESC"
                              " LIMIT ?",
                              (limit,)).fetchall()
        return [dict(r) for r in rows]
