"""The freeze switch: a durable flag in the data dir that stops every pull (guide DGOS 2.2)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write, fsync_dir
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.sync.actions import record_action


@dataclass(frozen=True)
class FreezeState:
    frozen: bool
    since: str = ""
    by: str = ""
    reason: str = ""


def _flag(settings: Settings) -> Path:
    return settings.freeze_flag


def freeze_state(settings: Settings) -> FreezeState:
    """Read the flag; an unreadable flag still means frozen (fail safe)."""
    path = _flag(settings)
    if not path.exists():
        return FreezeState(False)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return FreezeState(True, data.get("since", ""), data.get("by", ""), data.get("reason", ""))
    except (OSError, ValueError):
        return FreezeState(True)


def is_frozen(settings: Settings) -> bool:
    return _flag(settings).exists()


def set_frozen(settings: Settings, frozen: bool, by: str, reason: str = "") -> FreezeState:
    """Turn the switch on or off (durably) and journal who did it."""
    path = _flag(settings)
    if frozen:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        atomic_write(path, json.dumps({"since": now, "by": by, "reason": reason},
                                      ensure_ascii=False).encode(), mode=0o600)
    elif path.exists():
        path.unlink()
        fsync_dir(path.parent)
    record_action(settings, by, "freeze" if frozen else "unfreeze", reason=reason)
    return freeze_state(settings)
