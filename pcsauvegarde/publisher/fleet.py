"""Source side: list every station's heartbeat in a drop point and flag the ones to check.

A heartbeat counts only when signed by the key pinned for the station it names
(:mod:`pcsauvegarde.publisher.fleet_pins`): a station's key cannot speak for another station.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pcsauvegarde.core.heartbeat import heartbeat_name, parse_heartbeat
from pcsauvegarde.core.numberrange import NumberingError, overlapping, parse_range
from pcsauvegarde.core.package import PackageError
from pcsauvegarde.core.package.minisign import Signature
from pcsauvegarde.core.records import RecordError, parse_utc
from pcsauvegarde.publisher.fleet_pins import FleetPins

# What can be wrong with a station, most serious first; ``state`` is the first that applies.
FLAGS = ("invalide", "audit", "silencieuse", "chevauchement", "périmée", "non prête",
         "non vérifiée", "version")
READINESS_LABELS = {"ok": "prête", "warning": "à vérifier", "critical": "NON PRÊTE",
                    "unknown": "non vérifiée"}


class HeartbeatRefused(ValueError):
    """A heartbeat not signed by its own station's pinned key (French message)."""


@dataclass(frozen=True)
class StationStatus:
    station: str
    written_at: dt.datetime | None
    data_age: dt.timedelta | None
    last_error: str
    state: str           # ok or the first of FLAGS that applies
    detail: str = ""
    key: str = ""        # the station key's identification (fingerprint and minisign ID)
    flags: tuple[str, ...] = ()
    location: str = ""
    units: tuple[str, ...] = ()
    version: str = ""
    readiness: str = ""  # the doctor's level on the station (ok/warning/critical/unknown)
    failing: tuple[str, ...] = ()  # the doctor's checks that are not ok, by label
    audit_head: int | None = None  # sequence of the station's latest signed audit head
    audit_hash: str = ""           # and its hash (fleet_heads.py compares it across runs)
    last_pull: dt.datetime | None = None
    ranges: dict = field(default_factory=dict, compare=False)

    @property
    def readiness_label(self) -> str:
        return READINESS_LABELS.get(self.readiness, "inconnue")


def fleet_status(drop: Path, pins: FleetPins, stale_after: dt.timedelta,
                 now: dt.datetime | None = None) -> list[StationStatus]:
    """One line per heartbeat file, then one per pinned station that signed none (silent).

    A heartbeat's own ``stale_after_minutes`` (the station's banner threshold) wins over
    ``stale_after``; the data age counts from the heartbeat to ``now``.
    """
    now = now or dt.datetime.now(dt.UTC)
    out = [_read_one(path, pins, stale_after, now)
           for path in sorted(drop.glob("heartbeat-*.json"))]
    listed = {r.station for r in out}
    for pin in pins.stations:
        if pin.station not in listed:
            out.append(StationStatus(pin.station, None, None, "", "silencieuse",
                                     "clé épinglée, aucun signal de vie dans le dépôt",
                                     key=pin.key.identification, flags=("silencieuse",),
                                     location=pin.location, units=pin.units))
    return _cross_checks(out)


def _read_one(path: Path, pins: FleetPins, stale_after: dt.timedelta,
              now: dt.datetime) -> StationStatus:
    station = path.name[len("heartbeat-"):-len(".json")]
    pin = pins.for_station(station)
    location, units = (pin.location, pin.units) if pin else ("", ())
    try:
        status = _verified(path, station, pins)
        written = parse_utc(status["written_at"])
        age = status.get("data_age_seconds")
        data_age = (dt.timedelta(seconds=age) + (now - written)) if age is not None else None
        threshold = status.get("stale_after_minutes")
        limit = dt.timedelta(minutes=threshold) if isinstance(threshold, int) else stale_after
        run = status.get("last_run") or {}
        last_pull = parse_utc(run["ended"]) if run.get("ended") else None
        readiness = status.get("readiness") or {}
        failing = tuple(str(f.get("label", f.get("check", "?")))
                        for f in readiness.get("failing") or [])
        head = status.get("audit_head") or {}
    except (OSError, PackageError, RecordError, ValueError, KeyError, TypeError,
            AttributeError) as exc:
        return StationStatus(station, None, None, "", "invalide", str(exc), flags=("invalide",),
                             location=location, units=units)
    flags = []
    if now - written > limit:
        flags.append("silencieuse")
    if data_age is None or data_age > limit:
        flags.append("périmée")
    if readiness.get("level") == "critical":
        flags.append("non prête")
    elif readiness.get("level") not in ("ok", "warning") or readiness.get("error"):
        # The station could not tell whether it is ready: that is not « prête ».
        flags.append("non vérifiée")
    details = [f"{format_duration(now - written)} sans signal"] if "silencieuse" in flags else []
    if readiness.get("error"):
        details.append(f"diagnostic impossible sur le poste : {readiness['error']}"[:300])
    detail = "; ".join(details)
    return StationStatus(
        station, written, data_age, run.get("error", ""), flags[0] if flags else "ok", detail,
        key=pin.key.identification if pin else "", flags=tuple(flags),
        version=str(status.get("version", "")), readiness=str(readiness.get("level", "unknown")),
        failing=failing, audit_head=head.get("seq") if isinstance(head, dict) else None,
        audit_hash=str(head.get("hash", "")) if isinstance(head, dict) else "",
        last_pull=last_pull, ranges=status.get("ranges") or {}, location=location,
        units=units or tuple(str(u) for u in status.get("units") or ()))


def _verified(path: Path, station: str, pins: FleetPins) -> dict:
    """The heartbeat file, if signed by the key pinned for ``station`` and naming it inside."""
    sig_path = path.with_name(path.name + ".minisig")
    if not sig_path.is_file():
        raise HeartbeatRefused(f"signature « {sig_path.name} » absente : signal de vie non "
                               "vérifiable (en cours d'écriture, ou déposé sans signature)")
    return verified_heartbeat(path.read_bytes(), sig_path.read_text(encoding="ascii"),
                              station, pins)


def verified_heartbeat(data: bytes, sig_text: str, station: str, pins: FleetPins) -> dict:
    """The heartbeat, if signed by the key pinned for ``station`` and naming it inside
    (``fleet`` on every reading, ``serve-drop`` before it stores one)."""
    name = heartbeat_name(station)
    signer = Signature.parse(sig_text, name + ".minisig").key_id
    pin = pins.for_station(station)
    if pin is None or pin.key.key_id != signer:
        owner = pins.owner_of(signer)
        if owner is not None:
            raise HeartbeatRefused(f"signal de vie de « {station} » signé par la clé de la "
                                   f"station « {owner.station} » : refusé (une clé ne parle "
                                   "que pour sa propre station)")
        if pin is None:
            raise HeartbeatRefused(f"aucune clé épinglée pour la station « {station} » : signal "
                                   "de vie refusé (épingler sa clé : heartbeat_key dans "
                                   "publisher.toml ou fichier <station>.pub)")
        raise HeartbeatRefused(f"signal de vie de « {station} » signé par une clé inconnue, "
                               "pas par celle épinglée pour cette station : refusé")
    status = parse_heartbeat(data, sig_text, [pin.key], name)
    if status.get("station") != station:
        raise HeartbeatRefused(f"le signal de vie de « {station} » se dit de la station "
                               f"« {status.get('station')} » : refusé")
    return status


def _cross_checks(rows: list[StationStatus]) -> list[StationStatus]:
    """Flags that need the whole fleet: overlapping reserved ranges and version skew."""
    clashes = range_overlaps({r.station: r.ranges for r in rows if r.ranges})
    versions = Counter(r.version for r in rows if r.version)
    usual = max(versions, key=lambda v: (versions[v], v)) if versions else ""
    out = []
    for r in rows:
        flags, details = list(r.flags), [r.detail] if r.detail else []
        if r.station in clashes:
            flags.append("chevauchement")
            details.extend(clashes[r.station])
        if usual and r.version and r.version != usual:
            flags.append("version")
            details.append(f"version {r.version}, le parc est en {usual}")
        flags.sort(key=FLAGS.index)
        out.append(replace(r, flags=tuple(flags), state=flags[0] if flags else "ok",
                           detail="; ".join(details)))
    return out


def range_overlaps(ranges: dict[str, dict]) -> dict[str, list[str]]:
    """Station → what its reserved ranges overlap on other stations (same number twice)."""
    parsed = []
    for station, named in ranges.items():
        for name, info in named.items():
            try:
                parsed.append((f"{station}/{name}", parse_range(name, str(info.get("range")))))
            except (NumberingError, AttributeError):
                continue
    clashes: dict[str, list[str]] = {}
    for a, b in overlapping(parsed):
        sa, sb = a.rsplit("/", 1)[0], b.rsplit("/", 1)[0]
        if sa == sb:
            continue
        clashes.setdefault(sa, []).append(f"plage {a.rsplit('/', 1)[1]} chevauche {b}")
        clashes.setdefault(sb, []).append(f"plage {b.rsplit('/', 1)[1]} chevauche {a}")
    return clashes


def format_table(rows: list[StationStatus]) -> str:
    """A French plain-text table for the terminal."""
    head = ("Station", "Dernier signal (UTC)", "Âge des données", "Version", "Préparation",
            "État", "Détail", "Clé")
    lines = [head]
    for r in rows:
        lines.append((r.station, r.written_at.strftime("%Y-%m-%d %H:%M") if r.written_at else "—",
                      format_duration(r.data_age), r.version or "—",
                      r.readiness_label if r.written_at else "—",
                      ", ".join(f.upper() for f in r.flags) or "ok",
                      r.detail or r.last_error, r.key))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def format_duration(age: dt.timedelta | None) -> str:
    """« 12 min », « 2 h 05 », « 3 j »; « — » when unknown."""
    if age is None:
        return "—"
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} j"
