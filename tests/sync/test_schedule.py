"""The pull schedule: one job per source, back-off after failures, freeze, run history."""

from __future__ import annotations

from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.sync.freeze import set_frozen
from pcsauvegarde.station.sync.pull import pull_all
from pcsauvegarde.station.sync.scheduler import SourceRunner, jobs, retry_delay


def test_retry_delay_doubles_up_to_the_interval():
    assert [retry_delay(n, 60, 3600) for n in range(8)] == [3600, 60, 120, 240, 480, 960,
                                                            1920, 3600]
    assert retry_delay(50, 60, 300) == 300


def test_runner_reschedules_sooner_after_failures_and_resets(settings, keys, tmp_path):
    bad = load_settings(settings.data_dir, {"sources": [
        {"id": "flaky", "path": str(tmp_path / "absent"), "interval_seconds": 3600}],
        "retry_base_seconds": 60})
    from pcsauvegarde.station.station import open_station
    store = open_station(bad).store
    (job,) = jobs(bad, store, keys)
    runner: SourceRunner = job.func
    asked: list[int] = []
    runner.reschedule = asked.append
    for _ in range(3):
        assert runner().error
    assert asked == [60, 120, 240]
    (tmp_path / "absent").mkdir()
    assert runner().error == "" and runner.failures == 0
    assert [r["error"] == "" for r in store.pull_runs("flaky")] == [True, False, False, False]


def test_freeze_stops_every_pull_and_keeps_the_snapshot(station, settings, keys, drop,
                                                        make_package, demo_records):
    from tests.support.drops import dpi, state
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    runs_before = len(station.store.pull_runs(limit=100))
    set_frozen(settings, True, "admin", "intrusion en cours d'analyse")
    (job,) = jobs(settings, station.store, keys)
    run = job.func()
    assert run.frozen and "suspendus" in run.error and run.seen == 0
    assert pull_all(settings, station.store, keys)[0].frozen
    assert state(station) == before
    assert len(station.store.pull_runs(limit=100)) == runs_before  # nothing tried, nothing logged
    set_frozen(settings, False, "admin")
    assert pull_all(settings, station.store, keys)[0].accepted == 1
    from pcsauvegarde.station.sync.actions import read_actions
    assert [a["action"] for a in read_actions(settings)] == ["unfreeze", "freeze"]
