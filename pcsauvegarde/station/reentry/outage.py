"""Outage windows (pannes réelles), declared by the admin: what was issued inside is re-entered.

A start may be back-dated (the outage is noticed after the first paper came out); the end is
declared when the systems are back. Exercises are kept apart (exercise.py): their documents
never enter a real outage's worklist, and an exercise has a worklist of its own (``Window``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station import exercise
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.station import Station

SCHEMA = """
CREATE TABLE IF NOT EXISTS outage (
    id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL, started_by TEXT NOT NULL, start_declared_at TEXT NOT NULL,
    ended_at TEXT, ended_by TEXT, end_declared_at TEXT);
"""
MAX_LABEL = 120


class OutageError(ValueError):
    """A declaration refused (overlap, end before start, future date…), French message."""


@dataclass(frozen=True)
class Window:
    """What a worklist covers: [start, end) UTC (end None: still running), real or exercise."""

    id: int
    label: str
    start: dt.datetime
    end: dt.datetime | None
    exercise_id: int | None = None
    started_by: str = ""
    ended_by: str = ""

    @property
    def is_exercise(self) -> bool:
        return self.exercise_id is not None

    @property
    def key(self) -> str:
        """« panne-3 » / « exercice-2 »: how screens and commands name a window."""
        return f"exercice-{self.exercise_id}" if self.is_exercise else f"panne-{self.id}"

    @property
    def title(self) -> str:
        what = "Exercice" if self.is_exercise else "Panne"
        label = f" « {self.label} »" if self.label else ""
        if self.end is None:
            return f"{what}{label} depuis le {format_local(self.start)} (en cours)"
        return f"{what}{label} du {format_local(self.start)} au {format_local(self.end)}"

    def contains(self, when: dt.datetime) -> bool:
        return self.start <= when and (self.end is None or when < self.end)


def _db(station: Station):
    with station.state.connect() as conn:
        conn.executescript(SCHEMA)
    return station.state


def _window(row) -> Window:
    return Window(row["id"], row["label"], parse_utc(row["started_at"]),
                  parse_utc(row["ended_at"]) if row["ended_at"] else None,
                  started_by=row["started_by"], ended_by=row["ended_by"] or "")


def outages(station: Station) -> list[Window]:
    """Every declared outage, latest first (read on every re-entry page: never a write)."""
    with station.state.connect() as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='outage'"
                            ).fetchone():
            return []
        return [_window(r) for r in conn.execute("SELECT * FROM outage ORDER BY started_at DESC")]


def running(station: Station) -> Window | None:
    """The outage declared and not yet ended, if any."""
    return next((w for w in outages(station) if w.end is None), None)


def declare_start(station: Station, by: str, start: dt.datetime | None = None,
                  label: str = "", now: dt.datetime | None = None) -> Window:
    """Open an outage at ``start`` (default now; may be in the past, never in the future)."""
    now = now or dt.datetime.now(dt.UTC)
    start = (start or now).astimezone(dt.UTC)
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise OutageError(f"libellé trop long ({len(label)} caractères, {MAX_LABEL} au plus)")
    if start > now:
        raise OutageError(f"début de panne dans le futur ({format_local(start)}) : "
                          "déclarez la panne quand elle a commencé")
    with _db(station).transaction() as conn:
        if conn.execute("SELECT 1 FROM outage WHERE ended_at IS NULL").fetchone():
            raise OutageError("une panne est déjà déclarée en cours : déclarez d'abord sa fin")
        last = conn.execute("SELECT started_at, ended_at FROM outage WHERE ended_at > ? "
                            "ORDER BY ended_at DESC LIMIT 1", (start.isoformat(),)).fetchone()
        if last is not None:   # windows never overlap: an item belongs to one outage
            raise OutageError(f"une panne commençant le {format_local(start)} chevaucherait "
                              f"celle du {format_local(parse_utc(last[0]))} au "
                              f"{format_local(parse_utc(last[1]))}, déjà close")
        cur = conn.execute("INSERT INTO outage (label, started_at, started_by, "
                           "start_declared_at) VALUES (?,?,?,?)",
                           (label, start.isoformat(), by, now.isoformat()))
        station.audit.record(by, "outage.started", str(cur.lastrowid),
                             {"start": start.isoformat(), "label": label}, db=conn, now=now)
    found = running(station)
    assert found is not None  # noqa: S101 - just inserted in the same database
    return found


def declare_end(station: Station, by: str, end: dt.datetime | None = None,
                now: dt.datetime | None = None) -> Window:
    """Close the running outage at ``end`` (default now; after its start, not in the future)."""
    now = now or dt.datetime.now(dt.UTC)
    end = (end or now).astimezone(dt.UTC)
    current = running(station)
    if current is None:
        raise OutageError("aucune panne en cours à terminer")
    if end > now:
        raise OutageError(f"fin de panne dans le futur ({format_local(end)})")
    if end <= current.start:
        raise OutageError(f"la fin ({format_local(end)}) doit suivre le début de la panne "
                          f"({format_local(current.start)})")
    with station.state.transaction() as conn:
        conn.execute("UPDATE outage SET ended_at=?, ended_by=?, end_declared_at=? WHERE id=?",
                     (end.isoformat(), by, now.isoformat(), current.id))
        station.audit.record(by, "outage.ended", str(current.id), {"end": end.isoformat()},
                             db=conn, now=now)
    return Window(current.id, current.label, current.start, end, started_by=current.started_by,
                  ended_by=by)


def amend_start(station: Station, by: str, start: dt.datetime,
                now: dt.datetime | None = None) -> Window:
    """Move the latest outage's start (found out later that it began earlier, or a typo):
    audited with the old and new start; MUST keep windows apart and the start before the end."""
    now = now or dt.datetime.now(dt.UTC)
    start = start.astimezone(dt.UTC)
    target = latest(station)
    if target is None:
        raise OutageError("aucune panne déclarée à corriger")
    if start > now:
        raise OutageError(f"début de panne dans le futur ({format_local(start)})")
    if target.end is not None and start >= target.end:
        raise OutageError(f"le début ({format_local(start)}) doit précéder la fin de la panne "
                          f"({format_local(target.end)})")
    with station.state.transaction() as conn:
        other = conn.execute("SELECT started_at, ended_at FROM outage WHERE id != ? AND "
                             "ended_at > ? AND started_at < ? LIMIT 1",
                             (target.id, start.isoformat(), target.start.isoformat())
                             ).fetchone()
        if other is not None:
            raise OutageError(f"une panne commençant le {format_local(start)} chevaucherait "
                              f"celle du {format_local(parse_utc(other[0]))} au "
                              f"{format_local(parse_utc(other[1]))}, déjà close")
        conn.execute("UPDATE outage SET started_at=? WHERE id=?", (start.isoformat(), target.id))
        station.audit.record(by, "outage.amended", str(target.id),
                             {"from": target.start.isoformat(), "start": start.isoformat()},
                             db=conn, now=now)
    found = find(station, target.key)
    assert found is not None  # noqa: S101 - updated in place just above
    return found


def exercise_windows(station: Station) -> list[Window]:
    """Every crisis exercise as a window of its own (its worklist is shown apart)."""
    return [Window(e.id, e.label, e.started_at, e.ended_at, exercise_id=e.id,
                   started_by=e.started_by, ended_by=e.ended_by)
            for e in exercise.exercises(station)]


def find(station: Station, key: str) -> Window | None:
    """The window named ``key`` (« panne-3 », « exercice-2 »), or None."""
    return next((w for w in outages(station) + exercise_windows(station) if w.key == key), None)


def latest(station: Station) -> Window | None:
    """The running outage, else the latest one declared (what re-entry opens on)."""
    found = outages(station)
    return found[0] if found else None
