"""The admin's sync actions (freeze, force-accept), kept in the station's hash-chained audit."""

from __future__ import annotations

import json

from pcsauvegarde.station.settings import Settings

PREFIX = "sync."


def _audit(settings: Settings):
    from pcsauvegarde.station.station import open_audit

    return open_audit(settings)


def record_action(settings: Settings, actor: str, action: str, **detail) -> None:
    """Append one action to the audit (durable before returning): who, when, what."""
    name = PREFIX + action.replace("-", "_")
    _audit(settings).record(actor, name, str(detail.get("file", "")), detail)


def read_actions(settings: Settings, limit: int = 50) -> list[dict]:
    """The latest sync actions, newest first, as {at, actor, action, **detail}."""
    audit = _audit(settings)
    with audit.db.connect() as db:
        rows = db.execute("SELECT at, actor, action, details FROM audit WHERE action LIKE ?"
                          " ORDER BY seq DESC LIMIT ?", (PREFIX + "%", limit)).fetchall()
    out = []
    for at, actor, action, details in rows:
        extra = json.loads(details) if details else {}
        out.append({**extra, "at": at, "actor": actor,
                    "action": action[len(PREFIX):].replace("_", "-")})
    return out
