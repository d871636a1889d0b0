"""Crisis exercises (exercices de crise): started and ended by the admin; while one runs every
document is watermarked EXERCICE and its number is kept apart from real issues in the journal."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.state.statedb import StateDB
from pcsauvegarde.station.station import Station

SCHEMA = """
CREATE TABLE IF NOT EXISTS exercise (
    id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL, started_by TEXT NOT NULL,
    ended_at TEXT, ended_by TEXT);
CREATE TABLE IF NOT EXISTS exercise_document (
    number TEXT PRIMARY KEY, exercise INTEGER NOT NULL REFERENCES exercise(id));
"""


class ExerciseError(Exception):
    """Starting an exercise while one runs, or ending none (French message)."""


@dataclass(frozen=True)
class Exercise:
    id: int
    label: str
    started_at: dt.datetime
    started_by: str
    ended_at: dt.datetime | None = None
    ended_by: str = ""


@dataclass(frozen=True)
class ExerciseReport:
    """What the exercise printed, by whom, and how soon the first print came."""

    exercise: Exercise
    documents: tuple[dict, ...]   # journal rows, plus « title » (French) and local time
    by_kind: tuple[tuple[str, int], ...]  # (French title of the kind, count)
    by_person: tuple[tuple[str, int], ...]
    first_print_after: dt.timedelta | None


def _db(station: Station) -> StateDB:
    with station.state.connect() as conn:
        conn.executescript(SCHEMA)
    return station.state


def _exercise(row) -> Exercise:
    return Exercise(row["id"], row["label"], parse_utc(row["started_at"]), row["started_by"],
                    parse_utc(row["ended_at"]) if row["ended_at"] else None,
                    row["ended_by"] or "")


def current(station: Station) -> Exercise | None:
    """The running exercise, if any (read on every issued document)."""
    with _db(station).connect() as conn:
        row = conn.execute("SELECT * FROM exercise WHERE ended_at IS NULL "
                           "ORDER BY id DESC LIMIT 1").fetchone()
    return _exercise(row) if row else None


def exercises(station: Station) -> list[Exercise]:
    """Every exercise, latest first (re-entry shows each one's worklist apart)."""
    with _db(station).connect() as conn:
        rows = conn.execute("SELECT * FROM exercise ORDER BY id DESC").fetchall()
    return [_exercise(r) for r in rows]


def start(station: Station, by: str, label: str = "",
          now: dt.datetime | None = None) -> Exercise:
    """Start an exercise (journalled); MUST refuse while another one runs."""
    now = now or dt.datetime.now(dt.UTC)
    with _db(station).transaction() as conn:
        if conn.execute("SELECT 1 FROM exercise WHERE ended_at IS NULL").fetchone():
            raise ExerciseError("un exercice est déjà en cours : le terminer d'abord")
        cur = conn.execute("INSERT INTO exercise (label, started_at, started_by) VALUES (?,?,?)",
                           (label, now.isoformat(), by))
        station.audit.record(by, "exercise.started", str(cur.lastrowid), {"label": label},
                             db=conn, now=now)
    found = current(station)
    assert found is not None  # noqa: S101 - just inserted in the same database
    return found


def running_in(conn) -> bool:
    """Whether an exercise runs, read inside the caller's transaction (numbering)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='exercise'"
                    ).fetchone() is None:
        return False  # no exercise was ever started on this station
    return conn.execute("SELECT 1 FROM exercise WHERE ended_at IS NULL").fetchone() is not None


def numbers_prefix(station: Station) -> str:
    """The exercise letters when an exercise runs (registers then draw from the exercise
    ranges, never from the real ones), else ""."""
    return station.settings.exercise_number_prefix if current(station) else ""


def tag(station: Station, number: str) -> bool:
    """Mark a just-issued document as an exercise one when an exercise runs; True if so."""
    running = current(station)
    if running is None:
        return False
    with station.state.connect() as conn:
        conn.execute("INSERT OR IGNORE INTO exercise_document (number, exercise) VALUES (?,?)",
                     (number, running.id))
    return True


def is_exercise_document(station: Station, number: str) -> bool:
    """True when ``number`` was issued during an exercise (left out of re-entry)."""
    with _db(station).connect() as conn:
        return conn.execute("SELECT 1 FROM exercise_document WHERE number=?",
                            (number,)).fetchone() is not None


def end(station: Station, by: str, now: dt.datetime | None = None) -> ExerciseReport:
    """End the running exercise (journalled) and return its report."""
    now = now or dt.datetime.now(dt.UTC)
    running = current(station)
    if running is None:
        raise ExerciseError("aucun exercice en cours")
    with station.state.transaction() as conn:
        conn.execute("UPDATE exercise SET ended_at=?, ended_by=? WHERE id=?",
                     (now.isoformat(), by, running.id))
        station.audit.record(by, "exercise.ended", str(running.id), {}, db=conn, now=now)
    return report(station, running.id)


def report(station: Station, exercise_id: int) -> ExerciseReport:
    with _db(station).connect() as conn:
        row = conn.execute("SELECT * FROM exercise WHERE id=?", (exercise_id,)).fetchone()
        if row is None:
            raise ExerciseError(f"exercice {exercise_id} inconnu")
        docs = tuple(dict(r) for r in conn.execute(
            "SELECT d.number, d.kind, d.form, d.ipp, d.unit, d.issued_at, d.issued_by, d.pages "
            "FROM exercise_document e JOIN issued_document d ON d.number = e.number "
            "WHERE e.exercise=? ORDER BY d.issued_at, abs(d.seq)", (exercise_id,)))
    from pcsauvegarde.station.issuing.preview import title_of

    ex = _exercise(row)
    templates = station.settings.print_templates_path
    docs = tuple({**d, "issued_at_local": format_local(parse_utc(d["issued_at"])),
                  "title": title_of(d["kind"], d["form"], templates)} for d in docs)
    first = (parse_utc(docs[0]["issued_at"]) - ex.started_at) if docs else None
    return ExerciseReport(ex, docs, tuple(Counter(d["title"] for d in docs).most_common()),
                          tuple(Counter(d["issued_by"] for d in docs).most_common()), first)


def print_report(station: Station, report: ExerciseReport, by: str,
                 now: dt.datetime | None = None):
    """Journal, keep and print the report (a failed print stays on the retry list)."""
    from pcsauvegarde.station.documents import exercise_report
    from pcsauvegarde.station.issuing.issue import context, documents_dir
    from pcsauvegarde.station.issuing.send import send_document

    now = now or dt.datetime.now(dt.UTC)
    doc = station.journal.issue(exercise_report.KIND, by, now=now)
    extracted = {d: s.extracted_at for d, s in station.store.snapshots().items()}
    pdf = exercise_report.render(report, context(station, doc.number, by, now, extracted))
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", pdf, mode=0o600)
    return send_document(station, doc.number, pdf, by)
