"""Source side: list every station's heartbeat in a drop point and flag stale ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from pcsauvegarde.core.heartbeat import read_heartbeat
from pcsauvegarde.core.numberrange import NumberingError, overlapping, parse_range
from pcsauvegarde.core.package import PackageError
from pcsauvegarde.core.package.minisign import PublicKey, load_public_key
from pcsauvegarde.core.records import RecordError, parse_utc


@dataclass(frozen=True)
class StationStatus:
    station: str
    written_at: dt.datetime | None
    data_age: dt.timedelta | None
    last_error: str
    state: str           # ok | périmée | invalide | silencieuse
    detail: str = ""
    key: str = ""        # the station key's identification (fingerprint and minisign ID)


@dataclass(frozen=True)
class KnownKey:
    """A station's public key and the file it came from (its stem names a silent station)."""

    name: str
    key: PublicKey


def load_keys(paths: list[Path]) -> tuple[list[KnownKey], list[str]]:
    """Public keys from files or from every ``*.pub`` in directories, and a French warning for
    each file that is not a minisign public key (skipped: one foreign file must not blind the
    whole fleet)."""
    files = [f for p in paths for f in (sorted(p.glob("*.pub")) if p.is_dir() else [p])]
    keys, warnings = [], []
    for f in files:
        try:
            keys.append(KnownKey(f.stem, load_public_key(f)))
        except (PackageError, OSError, UnicodeDecodeError) as exc:
            warnings.append(f"clé ignorée : « {f} » n'est pas une clé publique minisign ({exc})")
    return keys, warnings


def fleet_status(drop: Path, keys: list[KnownKey] | list[PublicKey], stale_after: dt.timedelta,
                 now: dt.datetime | None = None) -> list[StationStatus]:
    """One line per heartbeat file, then one per known key that signed none (a silent
    station). A heartbeat's own ``stale_after_minutes`` (the station's banner threshold) wins
    over ``stale_after``; the data age counts from the heartbeat to ``now``."""
    now = now or dt.datetime.now(dt.UTC)
    known = [k if isinstance(k, KnownKey) else KnownKey(k.key_id_hex, k) for k in keys]
    public = [k.key for k in known]
    heard: set[bytes] = set()
    out = []
    ranges: dict[str, dict] = {}
    for path in sorted(drop.glob("heartbeat-*.json")):
        station = path.name[len("heartbeat-"):-len(".json")]
        try:
            status = read_heartbeat(path, public)
            if status.get("station") != station:
                raise ValueError(f"station « {status.get('station')} » dans le fichier")
            written = parse_utc(status["written_at"])
            age = status.get("data_age_seconds")
            data_age = (dt.timedelta(seconds=age) + (now - written)) if age is not None else None
            threshold = status.get("stale_after_minutes")
            limit = dt.timedelta(minutes=threshold) if isinstance(threshold, int) else stale_after
        except (OSError, PackageError, RecordError, ValueError, KeyError, TypeError) as exc:
            out.append(StationStatus(station, None, None, "", "invalide", str(exc)))
            continue
        heard.update(k.key.key for k in known if k.key.identification == status["_signer"])
        last_error = (status.get("last_run") or {}).get("error", "")
        stale = data_age is None or data_age > limit
        ranges[station] = status.get("ranges") or {}
        out.append(StationStatus(station, written, data_age, last_error,
                                 "périmée" if stale else "ok", key=status["_signer"]))
    listed = {r.station for r in out}
    for k in known:
        if k.key.key not in heard and k.name not in listed:  # an invalid one is listed already
            out.append(StationStatus(k.name, None, None, "", "silencieuse",
                                     "clé connue, aucun signal de vie signé par elle dans le "
                                     "dépôt", key=k.key.identification))
    clashes = range_overlaps(ranges)
    return [replace(r, state="chevauchement", detail="; ".join(clashes[r.station]))
            if r.station in clashes else r for r in out]


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
        sa, sb = a.split("/")[0], b.split("/")[0]
        if sa == sb:
            continue
        clashes.setdefault(sa, []).append(f"plage {a.split('/')[1]} chevauche {b}")
        clashes.setdefault(sb, []).append(f"plage {b.split('/')[1]} chevauche {a}")
    return clashes


def format_table(rows: list[StationStatus]) -> str:
    """A French plain-text table for the terminal."""
    head = ("Station", "Dernier signal (UTC)", "Âge des données", "État", "Détail", "Clé")
    lines = [head]
    for r in rows:
        lines.append((r.station, r.written_at.strftime("%Y-%m-%d %H:%M") if r.written_at else "—",
                      _age(r.data_age), r.state.upper() if r.state != "ok" else "ok",
                      r.detail or r.last_error, r.key))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def _age(age: dt.timedelta | None) -> str:
    if age is None:
        return "—"
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} j"



