"""The heartbeat format: what a station writes back to its drop point, signed, for the fleet."""

from __future__ import annotations

import json
from pathlib import Path

from pcsauvegarde.core.package import minisign

FORMAT = "pcsauvegarde-heartbeat/1"


def heartbeat_name(station_id: str) -> str:
    return f"heartbeat-{station_id}.json"


def read_heartbeat(path: Path, keys) -> dict:
    """Verify and parse one heartbeat file (raises PackageError on a bad signature)."""
    data = path.read_bytes()
    sig = path.with_name(path.name + ".minisig").read_text(encoding="ascii")
    signer = minisign.verify(data, sig, keys, path.name)
    status = json.loads(data)
    status["_signer"] = signer.identification
    return status
