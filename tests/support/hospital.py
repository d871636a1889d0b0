"""A tiny canonical hospital for publisher tests (units, patients, catalogues) and its stations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from pcsauvegarde.core.package.age import generate_identity, public_key_of, save_identity
from pcsauvegarde.core.package.minisign import generate_keypair, save_keypair
from pcsauvegarde.core.records import Allergy, LabResult, Patient, Product, Record, Stay, Unit
from pcsauvegarde.publisher.publisher import PublisherConfig, StationScope
from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings, write_settings
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.pull import pull_all

T0 = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(hours=2)
NAMES = [("LÉGER", "Hélène"), ("NOËL", "François"), ("CŒUR", "Zoé"), ("DUPRÉ", "Jérôme")]


def patient(n: int, unit: str) -> list[Record]:
    ipp = f"9000{n:02d}"
    last, first = NAMES[n % len(NAMES)]
    return [Patient(ipp, last, first, dt.date(1940 + n, 3, 9), "F" if n % 2 else "M"),
            Stay(f"NDA{n:02d}", ipp, unit, T0 - dt.timedelta(days=n), room=str(100 + n)),
            LabResult(f"K{n:02d}", ipp, "2823-3", "Potassium", "4.1", T0, unit="mmol/L")]


def hospital() -> list[Record]:
    records: list[Record] = [Unit("CARDIO", "Cardiologie"), Unit("USIC", "Soins intensifs"),
                             Product("9213718", "Paracétamol 1 g comprimé")]
    for n in range(6):
        records += patient(n, "CARDIO" if n % 2 == 0 else "USIC")
    records.append(Allergy("A00", "900000", "Pénicilline"))
    return records


def replace(records: list[Record], rtype: str, rid: str, **changes) -> list[Record]:
    return [dataclasses.replace(r, **changes) if (r.TYPE, r.id) == (rtype, rid) else r
            for r in records]


def publisher(root: Path, stations: list[tuple[str, str, tuple[str, ...]]]
              ) -> tuple[PublisherConfig, dict]:
    """A publisher with a fresh signing key and one age identity per (id, group, units)."""
    root.mkdir(parents=True, exist_ok=True)
    save_keypair(generate_keypair(), root / "publisher.key", root / "publisher.pub")
    identities, scopes = {}, []
    for sid, group, units in stations:
        identities[sid] = generate_identity()
        scopes.append(StationScope(sid, (public_key_of(identities[sid]),), units, group))
    config = PublisherConfig(root / "drop", root / "publisher.key",
                             root / "publisher-state.sqlite", tuple(scopes))
    return config, identities


def save_station_identity(identity, data_dir: Path) -> None:
    (data_dir / "keys").mkdir(parents=True, exist_ok=True)
    save_identity(identity, data_dir / "keys" / "station.agekey")


def station(root: Path, config, identity, station_id: str, **extra):
    """A station data dir pulling from the publisher's drop: its settings and empty store."""
    data = root / station_id
    save_station_identity(identity, data)
    shutil.copy(config.signing_key.with_suffix(".pub"), data / "keys" / "publisher.pub")
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    settings = load_settings(data, {"station_id": station_id, "sources": [
        {"id": "depot", "path": str(config.drop_dir)}], **extra})
    write_settings(settings)
    return settings, Store(settings.store_path)


def pull(settings, store) -> list:
    """Pull the drop once; nothing may be quarantined."""
    (run,) = pull_all(settings, store, load_station_keys(settings))
    assert run.quarantined == 0 and not run.error, run.outcomes
    return run.outcomes
