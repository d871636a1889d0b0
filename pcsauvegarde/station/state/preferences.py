"""What the station remembers for each user between sessions (e.g. the unit she works in)."""

from __future__ import annotations

from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS preference (
    login TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (login, key)) WITHOUT ROWID;
"""
UNIT = "unit"   # the unit whose page the user opened last: her home page offers it first


class Preferences:
    """Per-user values on the station's state database (not patient data)."""

    def __init__(self, db: StateDB):
        self.db = db
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def get(self, login: str, key: str) -> str | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT value FROM preference WHERE login = ? AND key = ?",
                               (login, key)).fetchone()
        return row[0] if row else None

    def set(self, login: str, key: str, value: str) -> None:
        """Remember ``value``; a write only when it changed (unit pages are opened often)."""
        if self.get(login, key) == value:
            return
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO preference (login, key, value) VALUES (?, ?, ?) "
                         "ON CONFLICT (login, key) DO UPDATE SET value = excluded.value",
                         (login, key, value))
