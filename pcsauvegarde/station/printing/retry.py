"""Print jobs that failed stay listed (station.sqlite) until printed again or set aside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pcsauvegarde.station.printing import Printer, PrintError
from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS print_job (
    id INTEGER PRIMARY KEY, number TEXT NOT NULL, status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
    first_try TEXT NOT NULL, last_try TEXT NOT NULL, requested_by TEXT NOT NULL,
    job TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX IF NOT EXISTS print_job_failed ON print_job (number)
    WHERE status = 'failed';
"""


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to one attempt: ``job`` when sent, ``error`` (French) when not."""

    number: str
    job: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class FailedJob:
    id: int
    number: str
    error: str
    attempts: int
    first_try: dt.datetime
    last_try: dt.datetime
    requested_by: str


class PrintQueue:
    """Sends documents to the printer and keeps the ones that failed in a retry list."""

    def __init__(self, db: StateDB, printer: Printer):
        self.db = db
        self.printer = printer
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def send(self, number: str, pdf: bytes, user: str,
             now: dt.datetime | None = None) -> PrintOutcome:
        """Print ``pdf``; on failure the job MUST be on the retry list when this returns."""
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat()
        try:
            job = self.printer.print_pdf(pdf, number)
        except PrintError as exc:
            with self.db.transaction() as conn:
                conn.execute(
                    "INSERT INTO print_job (number, status, error, attempts, first_try, last_try,"
                    " requested_by) VALUES (?, 'failed', ?, 1, ?, ?, ?) "
                    "ON CONFLICT(number) WHERE status = 'failed' DO UPDATE SET "
                    "error=excluded.error, attempts=attempts+1, last_try=excluded.last_try, "
                    "requested_by=excluded.requested_by",
                    (number, str(exc), stamp, stamp, user))
            return PrintOutcome(number, error=str(exc))
        with self.db.transaction() as conn:
            conn.execute("UPDATE print_job SET status='printed', job=?, last_try=?, "
                         "attempts=attempts+1 WHERE number=? AND status='failed'",
                         (job, stamp, number))
        return PrintOutcome(number, job=job)

    def failed(self, visible: Callable[[str], bool] | None = None) -> list[FailedJob]:
        """Jobs still waiting to be printed, oldest first (only those ``visible`` accepts)."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM print_job WHERE status='failed' "
                                "ORDER BY first_try, id").fetchall()
        return [FailedJob(r["id"], r["number"], r["error"], r["attempts"],
                          dt.datetime.fromisoformat(r["first_try"]),
                          dt.datetime.fromisoformat(r["last_try"]), r["requested_by"])
                for r in rows if visible is None or visible(r["number"])]

    def failed_number(self, job_id: int) -> str | None:
        """The document number of a listed failed job (None when no such failed job)."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT number FROM print_job WHERE id=? AND status='failed'",
                               (job_id,)).fetchone()
        return row[0] if row else None

    def count_failed(self) -> int:
        with self.db.connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM print_job WHERE status='failed'"
                                ).fetchone()[0]

    def retry(self, job_id: int, load_pdf: Callable[[str], bytes | None],
              user: str) -> PrintOutcome | None:
        """Send a listed job again (None when no such failed job)."""
        job = self.failed_number(job_id)
        if job is None:
            return None
        pdf = load_pdf(job)
        if pdf is None:
            self.set_aside(job_id)
            return PrintOutcome(job, error="document introuvable sur la station")
        return self.send(job, pdf, user)

    def retry_all(self, load_pdf: Callable[[str], bytes | None], user: str,
                  visible: Callable[[str], bool] | None = None) -> list[PrintOutcome]:
        """Send again every listed job ``visible`` accepts; stop at the first failure."""
        out = []
        for job in self.failed(visible):
            outcome = self.retry(job.id, load_pdf, user)
            if outcome is not None:
                out.append(outcome)
            if outcome is not None and not outcome.ok:
                break  # the printer is still down: do not hammer it job after job
        return out

    def set_aside(self, job_id: int) -> bool:
        """Take a job off the list (printed from the browser preview instead)."""
        with self.db.transaction() as conn:
            cur = conn.execute("UPDATE print_job SET status='set_aside' "
                               "WHERE id=? AND status='failed'", (job_id,))
        return cur.rowcount == 1
