"""Source side: canonical records → one sealed package per domain and station scope."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.fsutil import atomic_write
from pcsauvegarde.package import Manifest, write_package
from pcsauvegarde.package.minisign import load_secret_key
from pcsauvegarde.records import DOMAINS, Record

_STATION = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PATIENT_DOMAINS = ("dpi", "lab", "imaging")


class PublishError(ValueError):
    """A publisher configuration or run that cannot go on (French message)."""


@dataclass(frozen=True)
class StationScope:
    """A station served by this publisher: who can decrypt, which units it receives."""

    id: str
    recipients: tuple[str, ...]
    units: tuple[str, ...] = ("*",)

    def serves(self, unit: str) -> bool:
        return "*" in self.units or unit in self.units


@dataclass(frozen=True)
class PublisherConfig:
    """Read from publisher.toml: where to drop packages, signing key, stations served."""

    drop_dir: Path
    signing_key: Path
    state_file: Path
    stations: tuple[StationScope, ...]
    source: str = "pcsauvegarde-publisher"


def load_publisher_config(path: Path) -> PublisherConfig:
    """Parse publisher.toml; paths are relative to its folder."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PublishError(f"« {path} » : configuration illisible ({exc})") from None
    base = Path(path).parent
    try:
        stations = tuple(StationScope(s["id"], tuple(s["recipients"]), tuple(s.get("units", ["*"])))
                         for s in data["stations"])
        config = PublisherConfig(base / data["drop_dir"], base / data["signing_key"],
                                 base / data.get("state_file", "publisher-state.json"),
                                 stations, data.get("source", "pcsauvegarde-publisher"))
    except (KeyError, TypeError) as exc:
        raise PublishError(f"« {path} » : clé manquante ou invalide {exc}") from None
    for s in stations:
        if not _STATION.match(s.id) or not s.recipients:
            raise PublishError(f"« {path} » : station « {s.id} » : id invalide ou sans destinataire")
    return config


def write_publisher_config(path: Path, drop_dir: str, signing_key: str,
                           stations: Iterable[StationScope]) -> None:
    lines = [f'drop_dir = "{drop_dir}"', f'signing_key = "{signing_key}"', ""]
    for s in stations:
        lines += ["[[stations]]", f'id = "{s.id}"',
                  "recipients = [" + ", ".join(f'"{r}"' for r in s.recipients) + "]",
                  "units = [" + ", ".join(f'"{u}"' for u in s.units) + "]", ""]
    atomic_write(Path(path), "\n".join(lines).encode())


def scope_records(records: list[Record], station: StationScope) -> dict[str, list[Record]]:
    """The records a station may receive, by domain: only patients of its units (and their
    data), plus every catalogue record."""
    served_ipps = {r.ipp for r in records if r.TYPE == "stay" and station.serves(r.unit)}
    by_domain: dict[str, list[Record]] = {d: [] for d in DOMAINS}
    for r in records:
        ipp = r.id if r.TYPE == "patient" else getattr(r, "ipp", None)
        if r.DOMAIN in PATIENT_DOMAINS and ipp is not None and ipp not in served_ipps:
            continue
        by_domain[r.DOMAIN].append(r)
    return by_domain


class SequenceState:
    """Last sequence published per station and domain (a small JSON file, atomic writes)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.data: dict[str, dict[str, int]] = (
            json.loads(self.path.read_text()) if self.path.exists() else {})

    def next(self, station: str, domain: str) -> int:
        return self.data.get(station, {}).get(domain, 0) + 1

    def commit(self, station: str, domain: str, sequence: int) -> None:
        self.data.setdefault(station, {})[domain] = sequence
        atomic_write(self.path, json.dumps(self.data, indent=1, sort_keys=True).encode())


def publish_full(records: list[Record], config: PublisherConfig,
                 now: dt.datetime | None = None,
                 domains: Iterable[str] = DOMAINS) -> list[Path]:
    """Write one full package per station and non-empty domain; return the files written."""
    now = now or dt.datetime.now(dt.UTC)
    key = load_secret_key(config.signing_key)
    state = SequenceState(config.state_file)
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for station in config.stations:
        scoped = scope_records(records, station)
        for domain in domains:
            items = scoped[domain]
            if not items:
                continue
            sequence = state.next(station.id, domain)
            manifest = Manifest(kind="full", domain=domain, station=station.id,
                                source=config.source, extracted_at=now, sequence=sequence)
            written.append(write_package(config.drop_dir, manifest, items,
                                         list(station.recipients), key))
            state.commit(station.id, domain, sequence)
    return written
