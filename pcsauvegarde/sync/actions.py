"""Append-only journal of the admin's sync actions (freeze, force-accept), one JSON per line."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pcsauvegarde.config import Settings


def journal_path(settings: Settings) -> Path:
    return settings.data_dir / "journal" / "sync-actions.jsonl"


def record_action(settings: Settings, actor: str, action: str, **detail) -> None:
    """Append one action (fsynced before returning): who, when, what."""
    path = journal_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "actor": actor,
             "action": action, **detail}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_actions(settings: Settings, limit: int = 50) -> list[dict]:
    """The latest actions, newest first (a torn last line after a crash is skipped)."""
    path = journal_path(settings)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out[::-1][:limit]
