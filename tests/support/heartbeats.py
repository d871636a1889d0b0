"""Signed heartbeats of several stations written into one drop point (real keys)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.core.package.minisign import PublicKey
from pcsauvegarde.station.keys import ensure_signing_key
from pcsauvegarde.station.settings import Settings, load_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.heartbeat import build_status, signed_heartbeat


class Run:
    """The last run as a heartbeat reports it (a successful one)."""

    source, ended, seen, accepted, quarantined, error = "depot", None, 1, 1, 0, ""


def station_settings(base: Settings, station_id: str, **overrides) -> tuple[Settings, PublicKey]:
    """A station of its own (id and signing key) sharing ``base``'s data dir, and its public
    heartbeat key."""
    s = load_settings(base.data_dir, {"station_id": station_id,
                                      "signing_key_file": f"keys/{station_id}.key", **overrides})
    return s, ensure_signing_key(s)


def write_beat(drop: Path, settings: Settings, edit=None, name: str | None = None,
               signer: Settings | None = None) -> dict:
    """Build the station's real status, let ``edit`` change it, sign it with ``signer``'s key
    (the station's own by default) and write it as ``heartbeat-<name>.json``."""
    status = build_status(settings, open_station(settings).store, Run())
    if edit is not None:
        edit(status)
    data, sig = signed_heartbeat(signer or settings, status)
    target = drop / f"heartbeat-{name or settings.station_id}.json"
    target.write_bytes(data)
    target.with_name(target.name + ".minisig").write_text(sig)
    return status
