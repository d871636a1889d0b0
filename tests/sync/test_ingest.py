"""The gates before promotion: each bad package is quarantined and the snapshot kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from pcsauvegarde.core.package.minisign import generate_keypair
from pcsauvegarde.core.records import Patient
from pcsauvegarde.station.sync.ingest import ingest
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import NOW
from tests.support.drops import dpi, quarantined, state


def test_demo_pull_promotes_every_domain(station):
    snaps = station.store.snapshots()
    assert {"dpi", "lab", "directory"} <= set(snaps)
    assert snaps["dpi"].counts["patient"] >= 45
    kept = list((station.settings.packages_dir / "dpi").glob("*.age"))
    assert len(kept) == 1 and kept[0].with_name(kept[0].name + ".minisig").exists()


def test_newer_full_package_replaces_snapshot(station, settings, keys, drop, make_package,
                                              demo_records):
    before = state(station)
    records = dpi(demo_records)
    extra = Patient(id="99999999", birth_name="NOUVEAU", first_names="Test",
                    birth_date=dt.date(1990, 1, 1), sex="F")
    make_package(drop, [*records, extra], sequence=before[0] + 1)
    runs = pull_all(settings, station.store, keys)
    assert runs[0].accepted == 1
    assert state(station) == (before[0] + 1, f"station-demo.dpi.full.{before[0] + 1:010d}.age",
                              before[2] + 1)


@pytest.mark.parametrize("offset", [0, 30, 200, "middle", -1])
def test_tampered_package_is_quarantined(station, settings, keys, drop, make_package,
                                         demo_records, offset):
    before = state(station)
    path = make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset == "middle" else offset
    data[i] ^= 0x01
    path.write_bytes(bytes(data))
    run = pull_all(settings, station.store, keys)[0]
    assert run.quarantined == 1 and run.accepted == 0
    reason = quarantined(settings, path.name)
    assert path.name in reason and "signature" in reason
    assert state(station) == before


def test_wrong_signing_key(station, settings, keys, drop, make_package, demo_records):
    before = state(station)
    path = make_package(drop, dpi(demo_records), sequence=before[0] + 1,
                        signing_key=generate_keypair())
    pull_all(settings, station.store, keys)
    assert "clé" in quarantined(settings, path.name)
    assert state(station) == before


def test_package_for_another_station(station, settings, keys, drop, make_package,
                                     demo_records, tmp_path):
    before = state(station)
    # encrypted for another station's key, but named for this one: decryption fails
    from pcsauvegarde.core.package.age import generate_identity, public_key_of
    other = public_key_of(generate_identity())
    path = make_package(drop, dpi(demo_records), sequence=before[0] + 1, recipient=other)
    pull_all(settings, station.store, keys)
    assert "autre station" in quarantined(settings, path.name)
    # addressed to another station in its manifest: refused by the station gate
    path2 = make_package(tmp_path, dpi(demo_records), sequence=before[0] + 2,
                         station="autre-station")
    outcome = ingest(settings, station.store, path2, keys, now=NOW)
    assert outcome.outcome == "quarantined" and "autre-station" in outcome.message
    assert state(station) == before


def test_truncated_zero_byte_and_random_packages(station, settings, keys, drop, make_package,
                                                 demo_records):
    before = state(station)
    path = make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    path.write_bytes(path.read_bytes()[:-500])
    empty = drop / "station-demo.lab.full.0000000500.age"
    empty.write_bytes(b"")
    ransomed = drop / "station-demo.imaging.full.0000000600.age"
    ransomed.write_bytes(bytes(range(256)) * 64)
    run = pull_all(settings, station.store, keys)[0]
    assert run.quarantined == 3 and run.accepted == 0
    assert "vide" in quarantined(settings, empty.name)
    assert ransomed.name in quarantined(settings, ransomed.name)
    assert state(station) == before


def test_older_sequence_is_refused(station, settings, keys, make_package, demo_records, tmp_path):
    before = state(station)
    path = make_package(tmp_path, dpi(demo_records), sequence=before[0])
    outcome = ingest(settings, station.store, path, keys, now=NOW)
    assert outcome.outcome == "quarantined" and "rejeu" in outcome.message
    assert state(station) == before


def test_future_extraction_date_is_refused(station, settings, keys, make_package, demo_records,
                                           tmp_path):
    before = state(station)
    path = make_package(tmp_path, dpi(demo_records), sequence=before[0] + 1,
                        extracted_at=NOW + dt.timedelta(hours=2))
    outcome = ingest(settings, station.store, path, keys, now=NOW)
    assert outcome.outcome == "quarantined" and "futur" in outcome.message
    assert state(station) == before


def test_collapsing_patient_count_is_quarantined(station, settings, keys, drop, make_package,
                                                 demo_records):
    before = state(station)
    few = [r for r in dpi(demo_records) if r.TYPE == "patient"][:3]
    path = make_package(drop, few, sequence=before[0] + 1)
    pull_all(settings, station.store, keys)
    assert "chute" in quarantined(settings, path.name)
    assert state(station) == before


def test_invalid_record_inside_a_signed_package_rolls_back(station, settings, keys, drop,
                                                           make_package, demo_records):
    before = state(station)
    records = [r.to_dict() for r in dpi(demo_records)]
    records[40] = {**records[40], "id": ""}  # an invalid record deep inside the package
    path = make_package(drop, records, sequence=before[0] + 1, validate=False)
    pull_all(settings, station.store, keys)
    reason = quarantined(settings, path.name)
    assert "ligne 42" in reason
    assert state(station) == before


def test_delta_with_a_gap_waits_for_next_full(station, settings, keys, make_package,
                                              demo_records, tmp_path):
    before = state(station)
    p = next(r for r in dpi(demo_records) if r.TYPE == "patient")
    changed = dataclasses.replace(p, used_name="CHANGÉ")
    path = make_package(tmp_path, [changed], kind="delta", sequence=before[0] + 5,
                        base_sequence=before[0] + 3)
    outcome = ingest(settings, station.store, path, keys, now=NOW)
    assert outcome.outcome == "waiting" and "prochain paquet complet" in outcome.message
    assert state(station) == before
    ok = make_package(tmp_path, [changed], kind="delta", sequence=before[0] + 1,
                      base_sequence=before[0])
    assert ingest(settings, station.store, ok, keys, now=NOW).outcome == "accepted"
    with station.store.connect() as db:
        data = db.execute("SELECT data FROM record WHERE type='patient' AND id=?",
                          (p.id,)).fetchone()[0]
    assert json.loads(data)["used_name"] == "CHANGÉ"
