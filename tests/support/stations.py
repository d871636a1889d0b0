"""Station data dirs in the states tests start from."""

from __future__ import annotations

import shutil

from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all


def unpull(settings):
    """Back to before the first pull: no read model, no kept package (accounts are kept)."""
    for p in settings.data_dir.glob("store.sqlite*"):
        p.unlink()
    shutil.rmtree(settings.packages_dir, ignore_errors=True)
    return settings


def station_of_records(settings, keys, drop, make_package, domains):
    """The station of ``settings`` having pulled only ``domains`` (domain → records) first;
    its accounts (the nurse) are kept."""
    unpull(settings)
    shutil.rmtree(drop)
    drop.mkdir()
    for domain, records in domains.items():
        make_package(drop, records, domain=domain, sequence=1)
    st = open_station(settings)
    runs = pull_all(settings, st.store, keys)
    assert all(r.quarantined == 0 and not r.error for r in runs), runs
    return st
