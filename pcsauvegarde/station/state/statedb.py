"""The station's own state (accounts, journals, print jobs): not derived, never rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pcsauvegarde.core.sqlitedb import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS user (
    login TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '', units TEXT NOT NULL DEFAULT '*',
    active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT);
CREATE TABLE IF NOT EXISTS issued_document (
    number TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,
    ipp TEXT, unit TEXT, issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,
    snapshot TEXT NOT NULL DEFAULT '', pages INTEGER, status TEXT NOT NULL DEFAULT 'issued',
    form TEXT);
CREATE TABLE IF NOT EXISTS document_pages (
    number TEXT PRIMARY KEY REFERENCES issued_document(number),
    container TEXT NOT NULL REFERENCES issued_document(number),
    first_page INTEGER NOT NULL, pages INTEGER NOT NULL);
"""


class StateDB(Database):
    """SQLite file for station state (WAL); rows as sqlite3.Row."""

    def __init__(self, path: Path):
        super().__init__(path, row_factory=sqlite3.Row)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            _add_missing_columns(db)


# Columns added after a station's database was created: (table, column, declaration).
ADDED_COLUMNS = (("issued_document", "form", "TEXT"),)   # pre-identified form id (issue 15)


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Bring an older state database up to SCHEMA (nothing is ever dropped)."""
    for table, column, declaration in ADDED_COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
