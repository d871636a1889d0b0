"""The two processes of the freshness bench: the publisher (watch mode) and the station.

``python -m bench.freshness_roles publisher ROOT SCALE_JSON NOW`` and
``python -m bench.freshness_roles station DATA_DIR``; both stop on SIGTERM.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import shutil
import signal
import sys
import threading
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.package.age import generate_identity, public_key_of, save_identity
from pcsauvegarde.publisher.publisher import (
    StationScope,
    load_publisher_config,
    write_publisher_config,
)

STATION = "fresh-1"


def setup(root: Path) -> dict[str, Path]:
    """Publisher keys and publisher.toml, an export folder, a station pulling the drop."""
    from pcsauvegarde.station.settings import load_settings, write_settings

    pub = root / "publisher"
    pub.mkdir(parents=True)
    minisign.save_keypair(minisign.generate_keypair(), pub / "publisher.key",
                          pub / "publisher.pub")
    identity = generate_identity()
    station = root / "station"
    (station / "keys").mkdir(parents=True)
    save_identity(identity, station / "keys" / "station.agekey")
    shutil.copy(pub / "publisher.pub", station / "keys" / "publisher.pub")
    write_publisher_config(pub / "publisher.toml", "../drop", "publisher.key",
                           [StationScope(STATION, (public_key_of(identity),), ("*",))])
    (root / "drop").mkdir()
    (root / "inbox").mkdir()
    # the station's defaults (pull every 15 s), plus the folder watched for new packages
    write_settings(load_settings(station, {"station_id": STATION, "sources": [
        {"id": "depot", "path": str(root / "drop"), "react": True}]}))
    return {"publisher": pub, "station": station, "inbox": root / "inbox"}


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def publisher(root: Path, scale_json: str, now_text: str) -> None:
    """Seed a mirror with the generated hospital, publish it whole, then watch the inbox."""
    from bench.generate import Scale, hospital
    from pcsauvegarde.publisher.mirror import Mirror
    from pcsauvegarde.publisher.watch import Watcher

    stop = _stop_event()
    config = load_publisher_config(root / "publisher" / "publisher.toml")
    now = dt.datetime.fromisoformat(now_text)
    records = hospital(Scale(**json.loads(scale_json)), now)
    mirror = Mirror()
    mirror.upsert(records, check=True)
    seed = {"units": sorted(r.id for r in records if r.TYPE == "unit"),
            "inpatients": [[r.ipp, r.id, r.unit, r.admission.isoformat()] for r in records
                           if r.TYPE == "stay" and r.discharge is None]}
    del records
    gc.collect()
    watcher = Watcher(config, (root / "inbox",), settle=0.2, mirror=mirror)
    first = watcher.turn()
    print(f"first publish: {len(first.written)} packages {first.error}", flush=True)
    atomic_write(root / "publisher-ready", json.dumps(seed).encode())
    watcher.run(stop, functools.partial(_log_turn))


def _log_turn(turn) -> None:
    if turn.written or turn.error or turn.refresh.rejections:
        print(f"read {turn.refresh.files} files, {turn.refresh.changed} changed, "
              f"{len(turn.written)} packages {turn.error} {turn.refresh.rejections[:3]}",
              flush=True)


def station(data_dir: Path) -> None:
    """The station's real scheduler (pull jobs, folder reactor) until SIGTERM."""
    from pcsauvegarde.station.keys import load_station_keys
    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.sync.scheduler import jobs, start_scheduler

    stop = _stop_event()
    settings = load_settings(data_dir)
    opened = open_station(settings)
    scheduler = start_scheduler(jobs(settings, opened.store, load_station_keys(settings)))
    stop.wait()
    scheduler.shutdown(wait=True)


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "publisher":
        publisher(Path(args[0]), args[1], args[2])
    else:
        station(Path(args[0]))
