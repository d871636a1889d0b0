"""Server-side sessions: a cookie is only worth something while its row here is open.

Flask's signed cookie could be replayed after logout; the cookie therefore carries a random
session id whose SHA-256 is kept here, closed at logout, idle timeout or account disabling.
Break-glass grants (one patient, one session) hang off the same row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_session (
    id_hash TEXT PRIMARY KEY, login TEXT NOT NULL, created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL, closed_at TEXT, closed_reason TEXT);
CREATE INDEX IF NOT EXISTS web_session_by_login ON web_session (login, closed_at);
CREATE TABLE IF NOT EXISTS session_grant (
    id_hash TEXT NOT NULL, ipp TEXT NOT NULL, login TEXT NOT NULL, reason TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (id_hash, ipp));
"""
# Writing last_seen on every request would serialise readers behind the disk; a few
# seconds of slack is far below any idle timeout.
TOUCH_EVERY = dt.timedelta(seconds=10)


@dataclass(frozen=True)
class SessionCheck:
    """Outcome of checking a session id: ``ok``, ``expired``, ``closed`` or ``unknown``."""

    status: str
    login: str | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Sessions:
    """Open, check, close and revoke web sessions in station.sqlite."""

    def __init__(self, db: StateDB,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)):
        self.db = db
        self.clock = clock  # replaceable, so idle and absolute limits are testable
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def open(self, login: str, now: dt.datetime | None = None) -> str:
        """A new session for ``login``; returns the secret id to put in the cookie."""
        token = secrets.token_urlsafe(32)
        at = (now or self.clock()).isoformat()
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO web_session (id_hash, login, created_at, last_seen)"
                         " VALUES (?,?,?,?)", (_hash(token), login, at, at))
        return token

    def check(self, token: str, idle: dt.timedelta, max_age: dt.timedelta | None = None,
              now: dt.datetime | None = None) -> SessionCheck:
        """Is this session open, recently used and younger than ``max_age``? One that is not
        is closed on the spot (this, not the cookie, is what enforces both limits)."""
        now = now or self.clock()
        key = _hash(token)
        with self.db.connect() as conn:
            row = conn.execute("SELECT login, created_at, last_seen, closed_at FROM web_session"
                               " WHERE id_hash=?", (key,)).fetchone()
            if row is None:
                return SessionCheck("unknown")
            if row["closed_at"]:
                return SessionCheck("closed", row["login"])
            last = dt.datetime.fromisoformat(row["last_seen"])
            too_old = max_age is not None and (
                now - dt.datetime.fromisoformat(row["created_at"]) > max_age)
            if now - last > idle or too_old:
                conn.execute("UPDATE web_session SET closed_at=?, closed_reason=?"
                             " WHERE id_hash=? AND closed_at IS NULL",
                             (now.isoformat(), "durée maximale" if too_old else "inactivité",
                              key))
                return SessionCheck("expired", row["login"])
            if now - last > min(TOUCH_EVERY, idle / 4):
                conn.execute("UPDATE web_session SET last_seen=? WHERE id_hash=?",
                             (now.isoformat(), key))
        return SessionCheck("ok", row["login"])

    def close(self, token: str, reason: str = "déconnexion",
              now: dt.datetime | None = None) -> None:
        at = (now or self.clock()).isoformat()
        with self.db.connect() as conn:
            conn.execute("UPDATE web_session SET closed_at=?, closed_reason=? WHERE id_hash=?"
                         " AND closed_at IS NULL", (at, reason, _hash(token)))

    def revoke_user(self, login: str, reason: str, now: dt.datetime | None = None) -> int:
        """Close every open session of ``login`` (disabled account, new password)."""
        at = (now or self.clock()).isoformat()
        with self.db.connect() as conn:
            cur = conn.execute("UPDATE web_session SET closed_at=?, closed_reason=? WHERE"
                               " login=? AND closed_at IS NULL", (at, reason, login))
            return cur.rowcount

    def open_count(self, login: str) -> int:
        with self.db.connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM web_session WHERE login=? AND"
                                " closed_at IS NULL", (login,)).fetchone()[0]

    # ---- break-glass --------------------------------------------------------------------

    def grant(self, token: str, login: str, ipp: str, reason: str,
              now: dt.datetime | None = None) -> None:
        """Let this session open one patient outside the user's units (reason kept)."""
        at = (now or self.clock()).isoformat()
        with self.db.connect() as conn:
            conn.execute("INSERT OR REPLACE INTO session_grant VALUES (?,?,?,?,?)",
                         (_hash(token), ipp, login, reason, at))

    def has_grant(self, token: str, ipp: str) -> bool:
        with self.db.connect() as conn:
            row = conn.execute("SELECT 1 FROM session_grant g JOIN web_session s"
                               " ON s.id_hash = g.id_hash WHERE g.id_hash=? AND g.ipp=?"
                               " AND s.closed_at IS NULL", (_hash(token), ipp)).fetchone()
        return row is not None
