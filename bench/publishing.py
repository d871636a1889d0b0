"""Child process of the benchmark: the publisher's side, timed, with its peak RSS.

``python -m bench.publishing ROOT SCALE_JSON NOW`` loads the generated hospital into a
mirror (as the importers would hand it over), then times: a full publish per domain, one
minute of changes published as deltas, and the same minute for a fleet of 200 stations
(40 scope groups of 5, one per unit). Peak RSS is reset once the mirror is loaded
(``/proc/self/clear_refs``): the figure is the publisher's while publishing (memory Python
kept from generating the records included); the loading peak is reported apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import sys
import time
from pathlib import Path

from bench.generate import Scale, hospital, minute_of_changes
from bench.ingest import peak_rss_kb
from pcsauvegarde.core.package.age import generate_identity, public_key_of
from pcsauvegarde.core.records import DOMAINS
from pcsauvegarde.publisher.incremental import publish_mirror
from pcsauvegarde.publisher.mirror import Mirror
from pcsauvegarde.publisher.publisher import StationScope, load_publisher_config

FLEET, PER_GROUP = 200, 5


def _timed(func) -> tuple[object, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - start, time.process_time() - cpu


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main(root: Path, scale: Scale, now: dt.datetime) -> dict:
    config = load_publisher_config(root / "publisher" / "publisher.toml")
    records = hospital(scale, now)
    mirror = Mirror()
    _, load_s, load_cpu = _timed(functools.partial(mirror.upsert, records, check=True))
    units = sorted({r.id for r in records if r.TYPE == "unit"})
    later = [minute_of_changes(records, now + dt.timedelta(minutes=m), m) for m in (1, 2)]
    del records
    gc.collect()
    out: dict = {"records": len(mirror), "load_s": load_s, "load_cpu": load_cpu,
                 "load_rss_kb": peak_rss_kb(), "domains": {}}
    out["peak_reset"] = _reset_peak()
    for domain in DOMAINS:
        paths, wall, cpu = _timed(lambda d=domain: publish_mirror(mirror, config, "full", now,
                                                                  [d]))
        out["domains"][domain] = {"records": mirror.count(domain), "s": wall,
                                  "cpu": cpu, "bytes": sum(p.stat().st_size for p in paths)}
    # one minute of changes: what the source gives (records changed), upserted then published
    delta_config = config.__class__(**{**config.__dict__,
                                       "drop_dir": root / "publisher" / "later"})
    minute = now + dt.timedelta(minutes=1)
    (changed, paths), wall, cpu = _timed(lambda: (mirror.upsert(later[0]), publish_mirror(
        mirror, delta_config, "delta", minute)))
    out["delta"] = {"changed": changed, "packages": len(paths), "s": wall, "cpu": cpu,
                    "bytes": sum(p.stat().st_size for p in paths)}
    out["fleet"] = fleet(root, config, mirror, units, later[1], now)
    out["publish_rss_kb"] = peak_rss_kb()
    return out


def fleet(root: Path, config, mirror: Mirror, units: list[str], changes, now) -> dict:
    """200 stations in scope groups by unit: a first full, then one minute of deltas."""
    stations = tuple(StationScope(f"st-{n:03d}", (public_key_of(generate_identity()),),
                                  (units[(n // PER_GROUP) % len(units)],),
                                  f"g-{units[(n // PER_GROUP) % len(units)].lower()}")
                     for n in range(FLEET))
    fleet_config = config.__class__(**{**config.__dict__, "stations": stations,
                                       "drop_dir": root / "fleet" / "drop",
                                       "state_file": root / "fleet" / "state.sqlite"})
    paths, full_s, full_cpu = _timed(lambda: publish_mirror(mirror, fleet_config, "full", now))
    minute = now + dt.timedelta(minutes=2)
    (_, delta), wall, cpu = _timed(lambda: (mirror.upsert(changes), publish_mirror(
        mirror, fleet_config, "delta", minute)))
    groups = len({s.group for s in stations})
    return {"stations": FLEET, "groups": groups, "full_s": full_s, "full_cpu": full_cpu,
            "full_packages": len(paths), "delta_s": wall, "delta_cpu": cpu,
            "delta_packages": len(delta)}


if __name__ == "__main__":
    root, scale, stamp = Path(sys.argv[1]), Scale(**json.loads(sys.argv[2])), sys.argv[3]
    print(json.dumps(main(root, scale, dt.datetime.fromisoformat(stamp))))
