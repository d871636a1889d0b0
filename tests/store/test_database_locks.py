"""A station database opened again in the serving process (heartbeat, readiness, each request)
must not drop the process's SQLite locks: another process (`pcsauvegarde doctor` beside the
service) would then delete the WAL under live connections and committed rows would be lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pcsauvegarde.core.sqlitedb import Database

READ = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        " print(c.execute('SELECT x FROM t ORDER BY x').fetchall()); c.close()")


def _other_process_reads(path) -> str:
    done = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_reopening_keeps_the_wal_for_other_processes(tmp_path) -> None:
    path = tmp_path / "state.sqlite"
    db = Database(path)
    with db.connect() as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("CREATE TABLE t (x)")
        c.execute("INSERT INTO t VALUES (1)")
    Database(path)                       # what open_station() does again in the service
    assert _other_process_reads(path) == "[(1,)]"   # a command run beside the service
    with db.connect() as c:
        c.execute("INSERT INTO t VALUES (2)")
    assert os.path.exists(f"{path}-wal")
    assert _other_process_reads(path) == "[(1,), (2,)]"


def test_new_database_is_private_and_a_symlink_is_refused(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        Database(tmp_path / "new.sqlite")
    finally:
        os.umask(old)
    assert (tmp_path / "new.sqlite").stat().st_mode & 0o777 == 0o600
    (tmp_path / "link.sqlite").symlink_to(tmp_path / "new.sqlite")
    with pytest.raises(OSError, match="lien symbolique"):
        Database(tmp_path / "link.sqlite")
