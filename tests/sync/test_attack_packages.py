"""Attack run (issue 11, packages 1–8): poisoned packages are quarantined fast, alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import threading

import pytest

from pcsauvegarde.core.package import limits as limits_module
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.drops import dpi, state
from tests.support.poison import gz, poisoned, timed

LAB_SEQ = 10**5


def _reason(settings, name) -> dict:
    [path] = settings.quarantine_dir.glob(f"*{name}.reason.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _lab(make_package, drop, demo_records):
    """A good lab package, same source, sorted after the poisoned dpi one."""
    return make_package(drop, [r for r in demo_records if r.DOMAIN == "lab"], domain="lab",
                        sequence=LAB_SEQ + 1)


@pytest.mark.parametrize("line", [b"[" * 50_000 + b"]" * 50_000,
                                  b'{"a":' * 200_000 + b"1" + b"}" * 200_000])
def test_deep_nesting_is_quarantined_and_other_domains_go_on(
        world, keys, station, settings, drop, make_package, demo_records, line):
    bad = poisoned(world, keys, drop, gz(line + b"\n"), {"patient": 1}, sequence=10**5)
    _lab(make_package, drop, demo_records)
    run, seconds = timed(lambda: pull_all(settings, station.store, keys)[0])
    assert run.error == "" and seconds < 5
    assert run.quarantined == 1 and run.accepted == 1  # the lab package was not blocked
    assert _reason(settings, bad.name)["code"] == "depth"
    assert station.store.snapshot("lab").sequence == LAB_SEQ + 1
    again = pull_all(settings, station.store, keys)[0]
    assert again.seen == 0 and again.error == ""  # not retried on every run


def test_newline_bomb_is_refused_within_five_seconds(world, keys, station, settings, drop,
                                                     make_package, demo_records):
    body = gz(b"\n" * (256 * 1024 * 1024))  # ≈ 250 kB expanding to 256 MiB
    bomb = poisoned(world, keys, drop, body, {"patient": 1}, sequence=10**5)
    assert bomb.stat().st_size < 400_000
    _lab(make_package, drop, demo_records)
    run, seconds = timed(lambda: pull_all(settings, station.store, keys)[0])
    assert seconds < 5 and run.quarantined == 1 and run.accepted == 1
    assert _reason(settings, bomb.name)["code"] in ("ratio", "line_count")


def test_expanded_size_and_ratio_limits(world, keys, station, settings, drop):
    before = state(station)
    record = (b'{"type":"patient","id":"%d","birth_name":"X","first_names":"Y",'
              b'"birth_date":"1950-01-01","sex":"M"}\n')
    body = gz(b"".join(record % i for i in range(300_000)))  # ≈ 30 MiB of true records
    poisoned(world, keys, drop, body, {"patient": 300_000}, sequence=before[0] + 1)
    tight = load_settings(settings.data_dir, {"max_expanded_bytes": 8 * 1024 * 1024})
    run = pull_all(tight, station.store, keys)[0]
    assert run.quarantined == 1 and "trop gros" in run.outcomes[0].message
    assert run.outcomes[0].code == "expanded_size" and state(station) == before


def test_time_budget_is_enforced_while_reading(world, keys, station, settings, drop,
                                               make_package, demo_records, monkeypatch):
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    clock = iter(range(0, 10**6, 400))  # every look at the clock: 400 s later
    monkeypatch.setattr(limits_module.time, "monotonic", lambda: next(clock))
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    assert run.quarantined == 1 and run.outcomes[0].code == "time_budget"
    assert state(station) == before


def test_blank_lines_beyond_the_manifest_are_refused(world, keys, station, settings, drop):
    record = (b'{"type":"patient","id":"1","birth_name":"X","first_names":"Y",'
              b'"birth_date":"1950-01-01","sex":"M"}\n')
    poisoned(world, keys, drop, gz(record + b"\n" * 50_000), {"patient": 1})
    run = pull_all(settings, station.store, keys)[0]
    assert run.outcomes[0].code == "line_count"


def test_store_is_not_locked_while_decompressing(world, keys, station, settings, drop,
                                                 make_package, demo_records, monkeypatch):
    before = state(station)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    free = []
    original = limits_module.Guard.produced

    def probe(self, nbytes, line):
        with sqlite3.connect(settings.store_path, timeout=0) as other:
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                free.append(True)
            except sqlite3.OperationalError:
                free.append(False)
        return original(self, nbytes, line)

    monkeypatch.setattr(limits_module.Guard, "produced", probe)
    assert pull_all(settings, station.store, keys)[0].accepted == 1
    assert free and all(free)


def test_lying_counts_are_caught_while_reading_not_after_writing(world, keys, station,
                                                                 settings, drop):
    record = (b'{"type":"patient","id":"%d","birth_name":"X","first_names":"Y",'
              b'"birth_date":"1950-01-01","sex":"M"}\n')
    body = gz(b"".join(record % i for i in range(300_000)))
    wal = settings.store_path.with_name("store.sqlite-wal")
    size_before = wal.stat().st_size if wal.exists() else 0
    poisoned(world, keys, drop, body, {"patient": 1000})
    run, seconds = timed(lambda: pull_all(settings, station.store, keys)[0])
    outcome = run.outcomes[0]
    assert seconds < 5
    assert outcome.code in ("counts", "line_count") and "manifeste" in outcome.message
    assert int(outcome.message.split("ligne ")[1].split(" ")[0]) < 20_000  # early, not at the end
    assert (wal.stat().st_size if wal.exists() else 0) <= size_before + 1024 * 1024


def test_fifo_signature_does_not_hang_the_pull(world, keys, station, settings, drop,
                                               make_package, demo_records):
    before = state(station)
    good = make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    sig = good.with_name(good.name + ".minisig")
    sig.unlink()
    os.mkfifo(sig)
    result = []
    worker = threading.Thread(target=lambda: result.append(
        pull_all(settings, station.store, keys)[0]), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # the old behaviour: free the thread, then fail
        with open(sig, "wb") as f:
            f.write(b"x")
        pytest.fail("the pull hangs on a FIFO .minisig")
    run = result[0]
    assert run.error == "" and run.quarantined == 1
    assert run.outcomes[0].code in ("missing", "signature")


def test_symlinked_signature_never_copies_the_station_key(world, keys, station, settings,
                                                          drop, make_package, demo_records):
    before = state(station)
    good = make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    sig = good.with_name(good.name + ".minisig")
    sig.unlink()
    key_file = settings.path(settings.identity_file)
    sig.symlink_to(key_file)
    run = pull_all(settings, station.store, keys)[0]
    assert run.error == "" and run.quarantined == 1 and state(station) == before
    secret = key_file.read_bytes().strip().splitlines()[-1]
    for root in (settings.quarantine_dir, settings.data_dir / "incoming"):
        for path in root.rglob("*"):
            assert not path.is_symlink(), path
            if path.is_file():
                assert secret not in path.read_bytes(), path
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_quarantine_is_capped_and_junk_keeps_metadata_only(world, keys, station, settings,
                                                           drop, make_package, demo_records):
    """Eight 4 MiB junk files once filled a 40 MiB disk: now they cost a few kB."""
    capped = load_settings(settings.data_dir, {"quarantine_max_mb": 10,
                                               "quarantine_max_files": 6})
    for i in range(8):
        (drop / f"depot-{i}.age").write_bytes(os.urandom(4 << 20))
    run = pull_all(capped, station.store, keys)[0]
    assert run.quarantined == 8 and run.error == ""
    files = list(capped.quarantine_dir.iterdir())
    assert sum(p.stat().st_size for p in files) < 64 * 1024  # metadata only
    reasons = [json.loads(p.read_text()) for p in files]
    assert len(reasons) == 6  # the count cap: the two oldest went
    assert all(r["unsigned"] and not r["kept"] and len(r["sha256"]) == 64 for r in reasons)
    purge = [e for e in station.audit.search(action="sync.quarantine_purge")[0]]
    assert sum(e.details_dict["count"] for e in purge) == 2  # the admin is told


def test_quarantine_size_cap_drops_oldest_signed_files_keeping_reasons(
        world, keys, station, settings, drop):
    capped = load_settings(settings.data_dir, {"quarantine_max_mb": 1})
    for i in range(3):  # signed, refused for lying counts: kept for the admin, up to the cap
        body = gz(os.urandom(450_000).hex().encode() + b"\n")
        poisoned(world, keys, drop, body, {"patient": 1}, sequence=10**5 + i)
        pull_all(capped, station.store, keys)
    reasons = sorted(capped.quarantine_dir.glob("*.reason.json"))
    kept = [json.loads(p.read_text())["kept"] for p in reasons]
    assert len(reasons) == 3 and kept[-1] and not kept[0]
    assert sum(p.stat().st_size for p in capped.quarantine_dir.iterdir()) <= 1024 * 1024


def test_real_disk_full_during_promotion_says_disque_plein(station, settings, keys, drop,
                                                           make_package, demo_records,
                                                           monkeypatch):
    from pcsauvegarde.core.records import Patient
    from pcsauvegarde.station.store import db as store_db
    before = state(station)
    more = [Patient(id=f"77{i:06d}", birth_name="AJOUT", first_names="Page",
                    birth_date=dt.date(1950, 1, 1), sex="F") for i in range(3000)]
    make_package(drop, dpi(demo_records) + more, sequence=before[0] + 1)
    with station.store.connect() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    original = store_db.Store._open

    def tiny_disk(self):
        conn = original(self)
        conn.execute(f"PRAGMA max_page_count={pages}")  # SQLITE_FULL, for real
        return conn

    monkeypatch.setattr(store_db.Store, "_open", tiny_disk)
    station.store.close()
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    station.store.close()
    assert "disque plein" in run.error and "rollback" not in run.error
    assert run.quarantined == 0 and state(station) == before
    assert pull_all(settings, station.store, keys)[0].accepted == 1


def test_free_space_check_counts_the_expanded_size(station, settings, keys, drop,
                                                   make_package, demo_records, monkeypatch):
    import shutil
    before = state(station)
    package = make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    compressed = package.stat().st_size
    real = shutil.disk_usage
    # Enough room for the compressed package and its decrypted copy, not for its plaintext.
    room = settings.min_free_mb * 1024 * 1024 + 2 * compressed + 50_000

    def usage(path):
        return real(path)._replace(free=room)

    monkeypatch.setattr(limits_module.shutil, "disk_usage", usage)
    from pcsauvegarde.station.sync import pull as pull_module
    monkeypatch.setattr(pull_module.shutil, "disk_usage", usage)
    run = pull_all(settings, station.store, keys)[0]
    monkeypatch.undo()
    assert "disque plein" in run.error and run.quarantined == 0 and state(station) == before
    assert pull_all(settings, station.store, keys)[0].accepted == 1


@pytest.mark.parametrize("attack, code", [("other-key", "signature"),
                                          ("other-recipient", "decrypt"),
                                          ("not-gzip", "format"),
                                          ("bad-record", "record")])
def test_quarantine_keeps_the_specific_reason_code(world, keys, station, settings, drop,
                                                   attack, code):
    from pcsauvegarde.core.package.age import generate_identity, public_key_of
    from pcsauvegarde.core.package.minisign import generate_keypair
    options, raw = {}, None
    if attack == "other-key":
        options["signing_key"] = generate_keypair()
    elif attack == "other-recipient":
        options["recipient"] = public_key_of(generate_identity())
    elif attack == "not-gzip":
        raw = b"ceci n'est pas du gzip\n"
    body = gz(b'{"type":"patient","id":"1"}\n')
    bad = poisoned(world, keys, drop, body, {"patient": 1}, raw_plaintext=raw, **options)
    run = pull_all(settings, station.store, keys)[0]
    assert run.quarantined == 1
    assert _reason(settings, bad.name)["code"] == code


def test_a_purged_entry_cannot_be_forced_and_says_why(station, settings, keys):
    from pcsauvegarde.station.sync.quarantine import QuarantineError, force_accept
    settings.quarantine_dir.mkdir(exist_ok=True)
    (settings.quarantine_dir / "20261127T000000000000-x.age.reason.json").write_text(json.dumps(
        {"file": "x.age", "code": "sanity", "reason": "chute", "at": "20261127T000000000000",
         "kept": False, "purged": True}))
    with pytest.raises(QuarantineError, match="plafond"):
        force_accept(settings, station.store, "20261127T000000000000", keys, "chef")


def test_default_limits_follow_the_stations_ram(settings, monkeypatch):
    monkeypatch.setattr(limits_module, "ram_bytes", lambda: 4 * limits_module.GiB)
    auto = load_settings(settings.data_dir, {"max_package_bytes": 0, "max_expanded_bytes": 0})
    assert auto.package_size_limit == limits_module.GiB
    assert auto.expanded_size_limit == 4 * limits_module.GiB
    monkeypatch.setattr(limits_module, "ram_bytes", lambda: 64 * limits_module.GiB)
    assert auto.package_size_limit == 2 * limits_module.GiB
    assert auto.expanded_size_limit == 8 * limits_module.GiB
    fixed = load_settings(settings.data_dir, {"max_package_bytes": 1000})
    assert fixed.package_size_limit == 1000


def test_a_trickling_drop_point_is_cut_off(tmp_path):
    import time

    from pcsauvegarde.station.sync.transports import PullError, copy_stream
    chunks = iter([b"x"] * 100)

    def slow(_size):
        time.sleep(0.02)
        return next(chunks, b"")

    with pytest.raises(PullError, match="trop lente"):
        copy_stream(slow, tmp_path / ".p.age.part", 10**6, time.monotonic() + 0.1)
    assert not (tmp_path / ".p.age.part").exists()
