"""The demo hospital wired end to end: FHIR export → publisher → drop folder → station."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.package.age import generate_identity, public_key_of, save_identity
from pcsauvegarde.core.package.minisign import generate_keypair, save_keypair
from pcsauvegarde.publisher.publisher import (
    PublisherConfig,
    StationScope,
    load_publisher_config,
    publish_full,
    write_publisher_config,
)
from pcsauvegarde.station.settings import Settings, load_settings, write_settings

log = logging.getLogger("pcsauvegarde.demo")
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo-sauvegarde"
DEMO_STATION = "station-demo"


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def publisher(self) -> Path:
        return self.root / "publisher"

    @property
    def fhir(self) -> Path:
        return self.publisher / "fhir-export"

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    @property
    def station(self) -> Path:
        return self.root / "station"

    @property
    def publisher_config(self) -> Path:
        return self.publisher / "publisher.toml"


def ensure_station_keys(data_dir: Path) -> str:
    """Create the station's age identity if missing; return its public recipient."""
    from pcsauvegarde.core.package.age import load_identity

    path = data_dir / "keys" / "station.agekey"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        save_identity(generate_identity(), path)
    return public_key_of(load_identity(path))


def ensure_publisher_key(publisher_dir: Path) -> Path:
    """Create the publisher's minisign signing key if missing; return the public key path."""
    secret, public = publisher_dir / "publisher.key", publisher_dir / "publisher.pub"
    if not secret.exists():
        publisher_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        save_keypair(generate_keypair(), secret, public)
    return public


def setup(root: Path, interval_seconds: int = 60) -> tuple[DemoPaths, Settings, PublisherConfig]:
    """Create (idempotently) the demo publisher and station under root."""
    paths = DemoPaths(Path(root).resolve())
    paths.drop.mkdir(parents=True, exist_ok=True)
    recipient = ensure_station_keys(paths.station)
    public = ensure_publisher_key(paths.publisher)
    pinned = paths.station / "keys" / "publisher.pub"
    pinned.write_bytes(public.read_bytes())
    if not paths.publisher_config.exists():
        write_publisher_config(paths.publisher_config, "../drop", "publisher.key",
                               [StationScope(DEMO_STATION, (recipient,), ("*",))])
    settings = load_settings(paths.station, {
        "station_id": DEMO_STATION,
        "sources": [{"id": "demo-drop", "kind": "folder", "path": str(paths.drop),
                     "interval_seconds": interval_seconds}]})
    write_settings(settings)
    return paths, settings, load_publisher_config(paths.publisher_config)


def publish_demo(paths: DemoPaths, config: PublisherConfig, minute: int = 0,
                 now: dt.datetime | None = None, seed: int = 1) -> list[Path]:
    """Export the demo hospital as FHIR (as its DPI would), import it and publish it."""
    from pcsauvegarde.demo import generate_fhir
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir

    now = now or dt.datetime.now(dt.UTC)
    generate_fhir(paths.fhir, seed=seed, now=now, minute=minute)
    result = import_fhir(sorted(paths.fhir.glob("*.ndjson")))
    for rejection in result.rejections:
        log.warning("demo FHIR rejected: %s", rejection)
    return publish_full(list(result.records), config, now=now)
