"""Child process of the benchmark: one pull of a station, timed, with its peak RSS."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.pull import pull_all


def peak_rss_kb() -> int:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec(),
    so a child forked from the big benchmark process would report its parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(data_dir: str) -> None:
    settings = load_settings(Path(data_dir))
    store = Store(settings.store_path)
    keys = load_station_keys(settings)
    start, cpu = time.perf_counter(), time.process_time()
    runs = pull_all(settings, store, keys)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    outcomes = [o for run in runs for o in run.outcomes]
    print(json.dumps({
        "seconds": seconds, "cpu": cpu,
        "maxrss_kb": peak_rss_kb(),
        "accepted": sum(o.outcome == "accepted" for o in outcomes),
        "refused": [o.message for o in outcomes if o.outcome != "accepted"],
        "errors": [run.error for run in runs if run.error]}))


if __name__ == "__main__":
    main(sys.argv[1])
