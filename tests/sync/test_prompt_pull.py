"""Prompt pulls: a cheap no-op when nothing is new, folders watched with back-off."""

from __future__ import annotations

import time

import pytest

from pcsauvegarde.station.settings import ConfigError, Source, load_settings
from pcsauvegarde.station.sync import pull as pull_module
from pcsauvegarde.station.sync.pull import pull_all
from pcsauvegarde.station.sync.react import SLOWEST, FolderReactor
from pcsauvegarde.station.sync.scheduler import jobs, start_scheduler
from tests.support.drops import dpi, state


def test_default_interval_is_fifteen_seconds():
    assert Source("x").interval_seconds == 15


def test_nothing_new_is_a_listing_without_decryption(station, settings, keys, drop,
                                                     make_package, demo_records, monkeypatch):
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    assert pull_all(settings, station.store, keys)[0].accepted == 1

    def never(*args, **kwargs):
        raise AssertionError("a pull with nothing new must not open a package")
    monkeypatch.setattr(pull_module, "ingest", never)
    monkeypatch.setattr(station.store, "seen", never)  # one batched lookup, not one per file
    (run,) = pull_all(settings, station.store, keys)
    assert (run.seen, run.accepted, run.error) == (0, 0, "")


def test_folder_reactor_backs_off_and_triggers_on_a_new_package(tmp_path):
    now = [0.0]
    reactor = FolderReactor(tmp_path, clock=lambda: now[0])
    fired = []
    reactor.trigger = lambda: fired.append(now[0])
    looks = []
    for second in range(40):
        now[0] = float(second)
        if second == 27:
            (tmp_path / "s.dpi.delta.0000000002.age").write_bytes(b"x")
        before = reactor.looks
        reactor()
        if reactor.looks != before:
            looks.append(second)
    # quiet: 2, 4, 8, 8 s apart; the package landed at 27 is seen at the next look (30), then
    # the folder is looked at every second again
    assert looks == [0, 2, 6, 14, 22, 30, 31, 33, 37]
    assert fired == [30.0]
    (tmp_path / "notes.txt").write_text("pas un paquet")
    now[0] = 100.0
    assert reactor() is False and reactor.delay == SLOWEST


def test_react_only_for_folders(tmp_path):
    with pytest.raises(ConfigError, match="react"):
        load_settings(tmp_path, {"sources": [{"id": "s", "kind": "sftp", "host": "h",
                                              "user": "u", "key_file": "k", "host_key": "x",
                                              "react": True}]})


def test_a_reacting_folder_is_pulled_within_seconds_of_a_drop(settings, keys, station, drop,
                                                               make_package, demo_records):
    reacting = load_settings(settings.data_dir, {"sources": [
        {"id": "depot", "path": str(drop), "interval_seconds": 3600, "react": True}]})
    table = jobs(reacting, station.store, keys)
    assert sorted(j.id for j in table) == ["pull:depot", "react:depot"]
    scheduler = start_scheduler(table)
    try:
        time.sleep(2)  # the first pull (at start) has run: nothing new
        before = state(station)
        make_package(drop, dpi(demo_records), sequence=before[0] + 1)
        deadline = time.monotonic() + 20
        while state(station) == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert state(station)[0] == before[0] + 1  # long before the 3,600 s interval
    finally:
        scheduler.shutdown(wait=True)
