"""Gates added for issue #3: duplicates, clock skew setting, discharged retention, disk guard."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import Patient, Stay
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.sync.ingest import ingest
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import NOW
from tests.support.drops import dpi, quarantined, state


def test_duplicate_id_in_a_full_package_is_refused(station, settings, keys, drop, make_package,
                                                   demo_records):
    before = state(station)
    records = dpi(demo_records)
    p = next(r for r in records if r.TYPE == "patient")
    twin = dataclasses.replace(p, used_name="AUTRE")
    path = make_package(drop, [*records, twin], sequence=before[0] + 1)
    run = pull_all(settings, station.store, keys)[0]
    assert run.quarantined == 1
    reason = quarantined(settings, path.name)
    assert "deux fois" in reason and p.id in reason and path.name in reason
    assert state(station) == before


def test_clock_skew_tolerance_is_a_setting(station, settings, keys, make_package, demo_records,
                                           tmp_path):
    before = state(station)
    path = make_package(tmp_path, dpi(demo_records), sequence=before[0] + 1,
                        extracted_at=NOW + dt.timedelta(minutes=30))
    tolerant = load_settings(settings.data_dir, {"clock_skew_minutes": 60})
    assert ingest(tolerant, station.store, path, keys, now=NOW).outcome == "accepted"


def test_discharged_patients_leave_the_read_model_after_retention(station, settings, keys,
                                                                  drop, make_package,
                                                                  demo_records):
    before = state(station)
    old = Patient(id="88000001", birth_name="ANCIEN", first_names="Sorti",
                  birth_date=dt.date(1950, 1, 1), sex="M")
    recent = Patient(id="88000002", birth_name="RECENT", first_names="Sorti",
                     birth_date=dt.date(1951, 1, 1), sex="F")
    stays = [Stay(id="NDA-OLD", ipp=old.id, unit="MED", admission=NOW - dt.timedelta(days=70),
                  discharge=NOW - dt.timedelta(days=60)),
             Stay(id="NDA-NEW", ipp=recent.id, unit="MED", admission=NOW - dt.timedelta(days=12),
                  discharge=NOW - dt.timedelta(days=10))]
    make_package(drop, [*dpi(demo_records), old, recent, *stays], sequence=before[0] + 1)
    assert pull_all(settings, station.store, keys)[0].accepted == 1
    with station.store.connect() as db:
        ipps = {r[0] for r in db.execute("SELECT ipp FROM record WHERE domain='dpi'")}
        index = {r[0] for r in db.execute("SELECT ipp FROM patient_index")}
    assert old.id not in ipps and old.id not in index
    assert recent.id in ipps and recent.id in index


def test_low_disk_space_refuses_the_pull(station, settings, keys, drop, make_package,
                                         demo_records):
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    starved = load_settings(settings.data_dir, {"min_free_mb": 10**9})
    run = pull_all(starved, station.store, keys)[0]
    assert "espace disque insuffisant" in run.error and "min_free_mb" in run.error
    assert run.seen == 0 and state(station) == before
    assert station.store.pull_runs()[0]["error"] == run.error
    assert pull_all(settings, station.store, keys)[0].accepted == 1


def test_a_failing_source_does_not_stop_the_others(station, settings, keys, drop,
                                                   make_package, demo_records, tmp_path):
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    two = load_settings(settings.data_dir, {"sources": [
        {"id": "absent", "path": str(tmp_path / "nowhere")},
        {"id": "test-drop", "path": str(drop)}]})
    runs = pull_all(two, station.store, keys)
    assert "introuvable" in runs[0].error and runs[1].accepted == 1
    recorded = {r["source"]: r for r in station.store.pull_runs(limit=2)}
    assert recorded["absent"]["error"] and recorded["test-drop"]["accepted"] == 1


def test_package_still_being_written_is_skipped_then_accepted(station, settings, keys, drop,
                                                              make_package, demo_records,
                                                              tmp_path, monkeypatch):
    before = state(station)
    full = make_package(tmp_path, dpi(demo_records), sequence=before[0] + 1)
    target = drop / full.name
    (drop / (full.name + ".minisig")).write_bytes(
        full.with_name(full.name + ".minisig").read_bytes())
    data = full.read_bytes()
    target.write_bytes(data[: len(data) // 2])  # the publisher is half-way through

    from pcsauvegarde.station.sync.transports import folder
    original = folder.copy_stream

    def copy_while_growing(read, dest, limit, deadline=None):
        size = original(read, dest, limit, deadline)
        target.write_bytes(data)  # the writer finishes while we were reading
        return size

    monkeypatch.setattr(folder, "copy_stream", copy_while_growing)
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    assert run.seen == 1 and run.accepted == 0 and run.quarantined == 0 and run.error == ""
    assert state(station) == before
    run = pull_all(settings, station.store, keys)[0]
    assert run.accepted == 1 and state(station)[0] == before[0] + 1


def test_disk_full_while_copying_is_a_run_error(station, settings, keys, drop, make_package,
                                               demo_records, monkeypatch):
    import errno

    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    from pcsauvegarde.station.sync.transports import folder

    def full_disk(read, dest, limit, deadline=None):
        dest.write_bytes(b"partial")
        dest.unlink()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folder, "copy_stream", full_disk)
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    assert "disque plein" in run.error and state(station) == before
    assert not list((settings.data_dir / "incoming").iterdir())
    assert not settings.quarantine_dir.exists() or not list(settings.quarantine_dir.iterdir())
    assert pull_all(settings, station.store, keys)[0].accepted == 1


def test_disk_full_during_promotion_keeps_snapshot_and_retries(station, settings, keys, drop,
                                                               make_package, demo_records,
                                                               monkeypatch):
    import sqlite3

    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    from pcsauvegarde.station.store import db as store_db

    def full(db, manifest, batches):
        for i, _ in enumerate(row for batch in batches for row in batch):
            if i == 200:
                raise sqlite3.OperationalError("database or disk is full")
        return {}, set()

    monkeypatch.setattr(store_db, "_write_rows", full)
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    assert "disque plein" in run.error and run.quarantined == 0
    assert state(station) == before
    with station.store.connect() as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert pull_all(settings, station.store, keys)[0].accepted == 1


def test_a_promotion_racing_another_is_retried_not_mixed(station, settings, keys, drop,
                                                         make_package, demo_records,
                                                         monkeypatch):
    """Gates judged against sequence n; another writer promotes n+1 before our transaction."""
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    (settings.data_dir / "rival").mkdir()
    rival = make_package(settings.data_dir / "rival", dpi(demo_records), sequence=before[0] + 2)
    from pcsauvegarde.station.sync import ingest as ingest_mod
    real_sanity = ingest_mod._sanity_gate

    def sanity_then_rival(*args):
        monkeypatch.setattr(ingest_mod, "_sanity_gate", real_sanity)
        assert ingest(settings, station.store, rival, keys, now=NOW).outcome == "accepted"
        return real_sanity(*args)

    monkeypatch.setattr(ingest_mod, "_sanity_gate", sanity_then_rival)
    run = pull_all(settings, station.store, keys)[0]
    assert "entre-temps" in run.error and run.quarantined == 0
    assert state(station)[0] == before[0] + 2
    # next run: judged again, now an old sequence, refused as such
    run = pull_all(settings, station.store, keys)[0]
    assert run.quarantined == 1 and "rejeu" in run.outcomes[0].message
