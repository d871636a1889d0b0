"""The heartbeat format: what a station writes back to its drop point, signed, for the fleet."""

from __future__ import annotations

import json

from pcsauvegarde.core.package import minisign

FORMAT = "pcsauvegarde-heartbeat/1"


def heartbeat_name(station_id: str) -> str:
    return f"heartbeat-{station_id}.json"


def parse_heartbeat(data: bytes, sig: str, keys, name: str) -> dict:
    """Verify and parse heartbeat bytes against their ``.minisig`` text (PackageError when the
    signature is bad; ValueError when the signed bytes are not a JSON object)."""
    signer = minisign.verify(data, sig, keys, name)
    status = json.loads(data)
    if not isinstance(status, dict):
        raise ValueError(f"« {name} » : signal de vie illisible (objet JSON attendu)")
    status["_signer"] = signer.identification
    return status
