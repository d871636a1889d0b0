"""Child process of test_crash: pull once, announcing the start on stdout (killed at random)."""

import sys
from pathlib import Path

from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.pull import pull_all

settings = load_settings(Path(sys.argv[1]))
keys = load_station_keys(settings)
store = Store(settings.store_path)
print("go", flush=True)
runs = pull_all(settings, store, keys)
print("done", runs[0].accepted, runs[0].error, flush=True)
