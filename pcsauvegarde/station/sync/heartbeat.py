"""The station's signed heartbeat, written back to its drop point after each run."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from importlib.metadata import PackageNotFoundError, version

from pcsauvegarde.core.heartbeat import FORMAT, heartbeat_name
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.records import format_utc
from pcsauvegarde.station.keys import signing_key
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.store import Store

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("pcsauvegarde")
    except PackageNotFoundError:
        return "dev"


def build_status(settings: Settings, store: Store, run, now: dt.datetime | None = None) -> dict:
    """What the central side needs to know: data per domain, age, last run. No patient data."""
    now = now or dt.datetime.now(dt.UTC)
    snaps = store.snapshots()
    oldest = min((s.extracted_at for s in snaps.values()), default=None)
    return {
        "format": FORMAT, "station": settings.station_id, "version": _version(),
        "written_at": format_utc(now),
        "domains": {d: {"sequence": s.sequence, "extracted_at": format_utc(s.extracted_at)}
                    for d, s in sorted(snaps.items())},
        "data_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "ranges": reserved_ranges(settings),
        "stale_after_minutes": settings.stale_after_minutes,  # the fleet uses the same limit
        "last_run": {"source": run.source, "ended": format_utc(run.ended or now),
                     "seen": run.seen, "accepted": run.accepted,
                     "quarantined": run.quarantined, "error": run.error},
        "audit_head": _audit_head(settings),
        "readiness": readiness_summary(settings, now),
        "units": _units(settings),
    }


def _units(settings: Settings) -> list[str]:
    """The unit codes this station serves (no patient data), for the fleet report."""
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.station import open_station

    try:
        return [u.code for u in patients.served_units(open_station(settings))]
    except sqlite3.OperationalError:  # never pulled: no read model yet
        return []


def readiness_summary(settings: Settings, now: dt.datetime) -> dict:
    """The doctor's verdict for the fleet: its level and the checks that are not ok (labels
    and levels only: their sentences may name local paths, and the fleet needs no more)."""
    from pcsauvegarde.station.readiness import assess
    from pcsauvegarde.station.station import open_station

    # service=None: the heartbeat is written by the pull itself, so the station is running
    # (or being run by hand); probing its port from inside proves nothing more.
    try:
        readiness = assess(open_station(settings), now, service=None)
    except Exception as exc:  # a broken check must not silence the station: say it instead
        log.exception("readiness of %s not assessed", settings.station_id)
        return {"level": "unknown", "failing": [], "error": f"{type(exc).__name__} : {exc}"}
    return {"level": readiness.level,
            "failing": [{"check": v.check, "label": v.label, "level": v.level}
                        for v in readiness.verdicts if v.level not in ("ok", "unknown")]}


def reserved_ranges(settings: Settings) -> dict[str, dict]:
    """Each reserved range of the station and its high-water mark, for the fleet's overlap
    check (two stations configured with the same block) and its restore check."""
    from pcsauvegarde.station.state.highwater import HighWater, HighWaterError

    try:
        marks = HighWater(settings.high_water_path).read()
    except HighWaterError:
        marks = {}
    ranges = {"ipp-provisoire": settings.provisional_ipp_range,
              "nda-provisoire": settings.provisional_nda_range, "labo": settings.lab_range}
    return {name: {"range": spec, "next": marks.get(name)}
            for name, spec in ranges.items() if spec}


def _audit_head(settings: Settings) -> dict | None:
    """The latest signed audit head: the fleet side keeps what the station had journalled,
    so a journal cut or rewritten on the station no longer matches it."""
    from pcsauvegarde.station.station import open_audit

    audit = open_audit(settings)
    audit.anchor_now()  # entries made inside other transactions since the last head
    head = audit.anchor.latest() if audit.anchor else None
    return head.to_dict() if head else None


def signed_heartbeat(settings: Settings, status: dict) -> tuple[bytes, str]:
    """The JSON bytes and their minisign signature text (station signing key)."""
    secret = signing_key(settings)
    data = json.dumps(status, ensure_ascii=False, indent=1).encode()
    comment = f"heartbeat station:{settings.station_id} written_at:{status['written_at']}"
    return data, minisign.sign(data, secret, comment)


def write_heartbeat(settings: Settings, store: Store, transport, run) -> None:
    """Put heartbeat-<station>.json then its .minisig on the drop point (if it can be put)."""
    if not transport.can_put:
        return
    data, sig = signed_heartbeat(settings, build_status(settings, store, run))
    name = heartbeat_name(settings.station_id)
    transport.put(name, data)
    transport.put(name + ".minisig", sig.encode())
