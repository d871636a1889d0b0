"""Sync tests: the demo station is pulled once per session, then copied for each test.

Overrides ``station_dir`` and ``station`` of tests/conftest.py with the same meaning (a fresh
station that has pulled the demo drop, with the nurse account) at the cost of a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings, write_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import PASSWORD


@pytest.fixture(scope="session")
def pulled_template(world, tmp_path_factory) -> Path:
    paths, _, _ = world
    root = tmp_path_factory.mktemp("pulled")
    data, drop = root / "station", root / "drop"
    shutil.copytree(paths.station, data, ignore=shutil.ignore_patterns(
        "*.sqlite*", "packages", "quarantine", "incoming"))
    shutil.copytree(paths.drop, drop)
    s = load_settings(data, {"sources": [{"id": "test-drop", "path": str(drop)}]})
    write_settings(s)
    st = open_station(s)
    runs = pull_all(s, st.store, load_station_keys(s))
    assert all(r.quarantined == 0 and not r.error for r in runs), runs
    st.accounts.add("infirmiere", "Inès Infirmière", PASSWORD, ("soins",), ("*",))
    return root


@pytest.fixture
def station_dir(pulled_template, tmp_path) -> Path:
    data, drop = tmp_path / "station", tmp_path / "drop"
    shutil.copytree(pulled_template / "station", data)
    shutil.copytree(pulled_template / "drop", drop)
    write_settings(load_settings(data, {"sources": [{"id": "test-drop", "path": str(drop)}]}))
    return data


@pytest.fixture
def station(settings):
    """A station that has pulled the demo hospital, with a nurse account."""
    return open_station(settings)


@pytest.fixture
def unpulled(settings):
    """The same station before its first pull: no read model, no kept package."""
    for p in settings.data_dir.glob("store.sqlite*"):
        p.unlink()
    shutil.rmtree(settings.packages_dir, ignore_errors=True)
    return settings
