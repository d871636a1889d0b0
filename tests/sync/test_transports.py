"""SFTP against a real OpenSSH server and HTTPS against a local TLS server, both on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time

import pytest

from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all
from pcsauvegarde.station.sync.transports.sftp import fingerprint, parse_host_key
from tests.support.peers import SSHD, HttpsDrop, Sshd, keygen

needs_sshd = pytest.mark.skipif(not os.path.exists(SSHD) or os.geteuid() != 0,
                                reason="OpenSSH server (root) needed")


def dpi_state(store):
    snap = store.snapshot("dpi")
    with store.connect() as db:
        n = db.execute("SELECT COUNT(*) FROM record WHERE type='patient'").fetchone()[0]
    return (snap.sequence if snap else None), n


@pytest.fixture
def sshd(unpulled, drop, tmp_path):
    settings = unpulled
    key = keygen(settings.data_dir / "keys" / "sftp_ed25519")
    server = Sshd(tmp_path / "sshd", drop, key.with_suffix(".pub")).start()
    yield server
    server.stop()


def sftp_settings(settings, sshd, **extra):
    source = {"id": "sftp-drop", "kind": "sftp", "host": "127.0.0.1", "port": sshd.port,
              "user": "root", "key_file": "keys/sftp_ed25519", "host_key": sshd.host_key_line,
              "remote_path": ".", "timeout_seconds": 5, **extra}
    return load_settings(settings.data_dir, {"sources": [source]})


@needs_sshd
def test_sftp_pull_with_pinned_key_line_then_fingerprint(settings, sshd, keys):
    s = sftp_settings(settings, sshd)
    store = open_station(s).store
    run = pull_all(s, store, keys)[0]
    assert run.error == "" and run.accepted >= 3 and run.quarantined == 0
    assert store.snapshot("dpi") is not None
    fp = fingerprint(parse_host_key(sshd.host_key_line))
    again = pull_all(sftp_settings(settings, sshd, host_key=fp), store, keys)[0]
    assert again.error == "" and again.seen == 0
    assert [r["error"] for r in store.pull_runs("sftp-drop")] == ["", ""]


@needs_sshd
@pytest.mark.parametrize("pin", ["line", "fingerprint"])
def test_sftp_wrong_host_key_is_refused_in_french(settings, sshd, keys, tmp_path, pin):
    other = keygen(tmp_path / "other_key").with_suffix(".pub").read_text().strip()
    value = other if pin == "line" else fingerprint(parse_host_key(other))
    s = sftp_settings(settings, sshd, host_key=value)
    store = open_station(s).store
    run = pull_all(s, store, keys)[0]
    assert "clé d'hôte" in run.error and "refusée" in run.error and "sftp-drop" in run.error
    assert run.seen == 0 and store.snapshot("dpi") is None
    assert store.pull_runs("sftp-drop")[0]["error"] == run.error


@needs_sshd
# paramiko's prefetch thread dies with the killed server: expected, the run error is checked.
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_sftp_server_dying_mid_transfer_then_next_run_works(settings, sshd, keys, drop,
                                                           make_package, demo_records):
    s = sftp_settings(settings, sshd)
    store = open_station(s).store
    assert pull_all(s, store, keys)[0].error == ""
    before = dpi_state(store)
    big = drop / f"station-demo.dpi.full.{before[0] + 1:010d}.age"
    with open(big, "wb") as fh:  # 256 MiB of noise: far longer to send than to kill
        chunk = os.urandom(1024 * 1024)
        fh.writelines(chunk for _ in range(256))
    incoming = s.data_dir / "incoming"
    part = incoming / f".{big.name}.part"

    def kill_when_started():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if part.exists() and part.stat().st_size > 2 * 1024 * 1024:
                sshd.kill()
                return
            time.sleep(0.002)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    run = pull_all(s, store, keys)[0]
    killer.join()
    assert sshd.proc is None, "the server was not killed during the transfer"
    assert "interrompu" in run.error or "impossible" in run.error, run.error
    assert run.accepted == 0 and dpi_state(store) == before
    assert not list(incoming.iterdir()) and not list(s.quarantine_dir.glob("*"))
    assert store.pull_runs("sftp-drop")[0]["error"] == run.error

    big.unlink()
    from tests.support.drops import dpi
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    sshd.start()
    s = sftp_settings(settings, sshd)
    run = pull_all(s, store, keys)[0]
    assert run.error == "" and run.accepted == 1
    assert dpi_state(store)[0] == before[0] + 1


@pytest.fixture
def https_drop(unpulled, drop, tmp_path):
    server = HttpsDrop(tmp_path / "https", drop)
    server.index()
    yield server
    server.stop()


def https_settings(settings, server, **extra):
    source = {"id": "https-drop", "kind": "https", "url": server.url,
              "pin_sha256": hashlib.sha256(server.der).hexdigest(), "timeout_seconds": 5,
              **extra}
    return load_settings(settings.data_dir, {"sources": [source]})


def test_https_pull_with_pinned_certificate(settings, https_drop, keys):
    s = https_settings(settings, https_drop)
    store = open_station(s).store
    run = pull_all(s, store, keys)[0]
    assert run.error == "" and run.accepted >= 3 and run.quarantined == 0
    assert pull_all(s, store, keys)[0].seen == 0


def test_https_pins_list_accepts_old_and_new_certificate_during_a_renewal(settings, https_drop,
                                                                          keys):
    """pin_sha256 as a list: the renewed certificate's pin is added before the switch, the old
    one removed after; either certificate is accepted meanwhile, no other."""
    served = hashlib.sha256(https_drop.der).hexdigest()
    for pins in (["cd" * 32, served], [":".join([served[i:i + 2] for i in range(0, 64, 2)])
                                       .upper(), "cd" * 32]):
        s = https_settings(settings, https_drop, pin_sha256=pins)
        run = pull_all(s, open_station(s).store, keys)[0]
        assert run.error == "", pins
    s = https_settings(settings, https_drop, pin_sha256=["cd" * 32, "ef" * 32])
    assert "inattendu" in pull_all(s, open_station(s).store, keys)[0].error


def test_https_with_ca_file_and_index_without_sizes(settings, https_drop, keys):
    https_drop.index(with_sizes=False)
    shutil.copyfile(https_drop.cert, settings.data_dir / "depot-ca.pem")
    s = https_settings(settings, https_drop, pin_sha256="", ca_file="depot-ca.pem")
    run = pull_all(s, open_station(s).store, keys)[0]
    assert run.error == "" and run.accepted >= 3


def test_https_wrong_pin_is_refused_in_french(settings, https_drop, keys):
    s = https_settings(settings, https_drop, pin_sha256="ab" * 32)
    store = open_station(s).store
    run = pull_all(s, store, keys)[0]
    assert "certificat" in run.error and "inattendu" in run.error and "refusée" in run.error
    assert store.snapshot("dpi") is None


def test_https_untrusted_ca_is_refused(settings, https_drop, keys, tmp_path):
    from tests.support.peers import self_signed
    other, _, _ = self_signed(tmp_path)
    s = https_settings(settings, https_drop, pin_sha256="", ca_file=str(other))
    run = pull_all(s, open_station(s).store, keys)[0]
    assert "certificat" in run.error and "refusé" in run.error


def test_https_skips_a_file_whose_size_disagrees(settings, https_drop, keys, monkeypatch):
    """A server announcing more bytes than it sends: not whole, skipped, fetched next run."""
    s = https_settings(settings, https_drop)
    store = open_station(s).store
    from pcsauvegarde.station.sync.transports import https as https_mod
    original = https_mod.copy_stream

    def short(read, target, limit, deadline=None):
        size = original(read, target, limit, deadline)
        with open(target, "r+b") as fh:
            fh.truncate(size - 10)
        return size - 10

    monkeypatch.setattr(https_mod, "copy_stream", short)
    run = pull_all(s, store, keys)[0]
    monkeypatch.undo()
    assert run.seen >= 3 and run.accepted == 0 and run.error == ""
    assert pull_all(s, store, keys)[0].accepted >= 3
