"""SQLite connections for the station's two databases: one cached connection per thread."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path


class Database:
    """A WAL SQLite file. ``connect()`` lends this thread's cached autocommit connection
    (opening one costs ~0.7 ms and a page may need a dozen); ``transaction()`` always uses a
    connection of its own, so a transaction never captures unrelated statements."""

    def __init__(self, path: Path, row_factory=None, foreign_keys: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Patient data: the file exists 0600 before SQLite opens it, whatever the umask, and
        # SQLite gives its -wal and -shm files the database file's mode. An existing database
        # is NEVER opened outside SQLite: closing any descriptor of the file drops every POSIX
        # lock this process holds on it, so another process (`pcsauvegarde doctor` beside the
        # service) would see no reader, checkpoint and delete the WAL under live connections
        # (sqlite.org/howtocorrupt.html, 2.2).
        if self.path.is_symlink():
            raise OSError(errno.ELOOP, "base de données : lien symbolique refusé", str(self.path))
        with contextlib.suppress(FileExistsError):
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o600))
        for extra in ("", "-wal", "-shm", "-journal"):
            target = Path(f"{self.path}{extra}")
            try:
                if target.stat().st_mode & 0o077:
                    os.chmod(target, 0o600)
            except FileNotFoundError:
                pass  # absent, or a journal another connection just removed: nothing to tighten
        self._row_factory = row_factory
        self._foreign_keys = foreign_keys
        self._local = threading.local()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                             check_same_thread=True)
        db.execute("PRAGMA synchronous=FULL")  # what is committed survives a power cut
        if self._foreign_keys:
            db.execute("PRAGMA foreign_keys=ON")
        return db

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = getattr(self._local, "db", None)
        if db is not None and db.in_transaction:  # lent already, inside a transaction
            with self.fresh() as other:
                yield other
            return
        if db is None:
            db = self._local.db = self._open()
        db.row_factory = self._row_factory  # a caller may have changed it
        try:
            yield db
        finally:
            if db.in_transaction:  # a caller's BEGIN left open by an error: never leak it
                db.execute("ROLLBACK")

    def close(self) -> None:
        """Close this thread's cached connection (the last close checkpoints the WAL)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = None
            db.close()

    @contextlib.contextmanager
    def fresh(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own, closed afterwards."""
        db = self._open()
        db.row_factory = self._row_factory
        try:
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT on a connection of its own; ROLLBACK on any error."""
        with self.fresh() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
                    db.execute("ROLLBACK")
                raise
