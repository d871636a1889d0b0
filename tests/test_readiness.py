"""`pcsauvegarde doctor` and the readiness checks: each failing condition produced for real."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import time

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.station.readiness import CRITICAL, OK, WARNING, assess
from pcsauvegarde.station.settings import load_settings, write_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.freeze import set_frozen
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import NOW, PASSWORD
from tests.support.drops import dpi, state
from tests.support.web import client_as


@pytest.fixture
def listening(settings):
    """A socket listening where the station's UI should be (what `serve` would do)."""
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        write_settings(load_settings(settings.data_dir, {"port": srv.getsockname()[1]}))
        yield srv


def _set(settings, **values):
    return write_settings(load_settings(settings.data_dir, values))


def _doctor(settings):
    started = time.perf_counter()
    r = CliRunner().invoke(main, ["doctor", "--data", str(settings.data_dir)])
    assert "Traceback" not in r.output, r.output
    return r, time.perf_counter() - started


def _level(station, check, now=None):
    verdicts = [v for v in assess(station, now, service=None).verdicts if v.check == check]
    assert verdicts, check
    return max((v.level for v in verdicts), key=[OK, WARNING, CRITICAL].index), verdicts


def test_a_ready_station_exits_zero_in_one_screen(settings, listening):
    r, took = _doctor(settings)
    assert r.exit_code == 0, r.output
    assert "Station PRÊTE" in r.output and "Imprimante" in r.output
    assert "Source « test-drop »" in r.output and "Horloge" in r.output
    assert len(r.output.splitlines()) < 40  # one screen
    assert took < 5, took


def test_nothing_listening_is_not_ready(settings):
    # The pulled station's port: nothing serves it in tests.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    _set(settings, port=free_port)
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "Rien n'écoute" in r.output and "NON PRÊTE" in r.output


def test_stale_data_from_old_snapshot_times(settings, keys, drop, make_package, demo_records,
                                            listening):
    old = NOW - dt.timedelta(hours=5)
    for p in settings.data_dir.glob("store.sqlite*"):
        p.unlink()
    shutil.rmtree(settings.packages_dir)
    shutil.rmtree(drop)
    drop.mkdir()
    make_package(drop, dpi(demo_records), sequence=1, extracted_at=old)
    st = open_station(settings)
    assert pull_all(settings, st.store, keys)[0].accepted == 1
    level, verdicts = _level(st, "data")
    assert level == CRITICAL and "périmées" in verdicts[0].message
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "périmées" in r.output


def test_last_successful_pull_too_old(settings, station, listening):
    # The pulls keep failing (drop gone) and the last success is older than the threshold.
    shutil.rmtree(settings.sources[0].path)
    pull_all(settings, station.store, None)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=settings.stale_after_minutes + 1)
    level, verdicts = _level(station, "source", later)
    assert level == CRITICAL and "Dernière erreur" in verdicts[0].message


def test_quarantined_package(station, settings, keys, drop, make_package, demo_records,
                             listening):
    few = [r for r in dpi(demo_records) if r.TYPE == "patient"][:3]
    make_package(drop, few, sequence=state(station)[0] + 1)
    assert pull_all(settings, station.store, keys)[0].quarantined == 1
    r, _ = _doctor(settings)
    assert r.exit_code == 1, r.output
    assert "1 paquet(s) en quarantaine" in r.output and "À VÉRIFIER" in r.output


def test_frozen(settings, listening):
    set_frozen(settings, True, "console:test", "intrusion en cours")
    r, _ = _doctor(settings)
    assert r.exit_code == 1 and "Tirages suspendus" in r.output and "intrusion" in r.output


def test_key_readable_by_others(settings, listening, tmp_path):
    # Opening the station tightens its data dir; a key kept elsewhere (absolute path) is not.
    outside = tmp_path / "cles" / "station.agekey"
    outside.parent.mkdir()
    shutil.copyfile(settings.identity_path, outside)
    os.chmod(outside, 0o644)
    _set(settings, identity_file=str(outside))
    r, _ = _doctor(settings)
    assert r.exit_code == 1 and "lisible par d'autres comptes" in r.output and "0644" in r.output
    outside.unlink()
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "absent" in r.output


def test_no_publisher_key_pinned(settings, listening):
    for p in settings.publisher_key_paths:
        p.unlink()
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "aucun paquet n'est accepté" in r.output
    # copy the publisher's key: never make a new one on the station (keys --publisher-dir)
    assert "copier la clé publique publisher.pub de l'émetteur" in r.output
    assert str(settings.publisher_key_paths[0]) in " ".join(r.output.split())
    assert "--publisher-dir" not in r.output and "No such file" not in r.output
    _set(settings, publisher_keys=[])
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "Aucune clé d'émetteur épinglée" in r.output


def test_broken_printer_command(settings, listening, tmp_path):
    # A CUPS queue on a spooler that does not exist: lpstat fails for real.
    _set(settings, printer="cups:ABSENTE", cups_server=str(tmp_path / "no-cups.sock"))
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "Imprimante" in r.output and "cups:ABSENTE" in r.output


def test_disk_threshold_above_free_space(settings, listening):
    free_mb = shutil.disk_usage(settings.data_dir).free // 2**20
    _set(settings, min_free_mb=free_mb + 10_000)
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "Mo libres" in r.output and "tirages sont refusés" in r.output


def test_clock_before_the_last_extract(settings, station, keys, drop, make_package,
                                       demo_records, listening):
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)  # accepted: within the skew
    make_package(drop, dpi(demo_records), sequence=state(station)[0] + 1, extracted_at=ahead)
    assert pull_all(settings, station.store, keys)[0].accepted == 1
    level, verdicts = _level(station, "clock", NOW - dt.timedelta(days=1))
    assert level == CRITICAL and "antérieure à la dernière extraction" in verdicts[0].message
    _set(settings, clock_skew_minutes=0)  # no tolerance: the clock is now 4 min behind
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "Horloge" in r.output and "heure du poste" in r.output


def test_provisional_range_exhausted(settings, station, listening):
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.state.admissions import AdmissionRequest

    _set(settings, provisional_ipp_range="91000001-91000003")
    s = load_settings(settings.data_dir)
    req = AdmissionRequest("PANNE", "Jean", dt.date(1970, 1, 1), "M", "CHD")
    for _ in range(3):  # the real admissions path, not a hand-made range name
        patients.admissions_of(open_station(s)).admit(req, "infirmiere")
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "0 numéro(s) restant(s) sur 3" in r.output
    assert "Plage : IPP provisoires" in r.output


def test_lab_and_tray_label_ranges_remaining(settings, station):
    from pcsauvegarde.station.lab.register import register_of
    from pcsauvegarde.station.sterilisation.service import register as trays

    _set(settings, lab_range="9500001-9500100",
         sterilisation_circulation_range="ST000001-ST000010")
    s = load_settings(settings.data_dir)
    st = open_station(s)
    register_of(st).allocate("patient", 95, 1, "laborantin")
    trays(st).allocate([("PL-1", "BLOC", None)] * 10, dt.date(2026, 11, 27), "op", "agent")
    verdicts = {v.label: v for v in assess(st, service=None).verdicts if v.check == "ranges"}
    lab = verdicts["Plage : Étiquettes de laboratoire"]
    assert lab.level == WARNING and "5 numéro(s) restant(s) sur 100" in lab.message
    tray = verdicts["Plage : Étiquettes de plateaux (stérilisation)"]
    assert tray.level == CRITICAL and "0 numéro(s) restant(s) sur 10" in tray.message
    assert verdicts["Plage : IPP provisoires"].level == OK


def test_not_ready_banner_on_every_page_and_checks_on_admin_home(app, station, settings):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    admin = client_as(app, "chef")
    home = admin.get("/admin").get_data(as_text=True)
    assert 'id="readiness"' in home and "not-ready-banner" not in home
    assert "Imprimante" in home and "Horloge" in home
    for p in settings.publisher_key_paths:
        p.unlink()
    for page in ("/admin", "/connexion", "/"):
        html = client_as(app, "chef").get(page).get_data(as_text=True)
        assert 'id="not-ready-banner"' in html and "NON PRÊT" in html, page
        assert "Clés des émetteurs épinglées" in html
    assert "readiness-critical" in admin.get("/admin").get_data(as_text=True)
    # Staff and visitors see what is wrong, not the station's file paths.
    for client in (app.test_client(), client_as(app, "infirmiere")):
        html = client.get("/connexion").get_data(as_text=True)
        assert "NON PRÊT" in html and "prévenir l'informatique" in html
        assert "publisher.pub" not in html


def test_missing_data_dir_is_critical(tmp_path):
    r = CliRunner().invoke(main, ["doctor", "--data", str(tmp_path / "absent")])
    assert r.exit_code == 2, r.output
    assert "NON PRÊTE" in r.output and "aucune station" in r.output
    assert not (tmp_path / "absent").exists()


def test_invalid_station_toml_is_critical(settings):
    cfg = settings.data_dir / "station.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nport = \"huit\"\n", encoding="utf-8")
    r, _ = _doctor(settings)
    assert r.exit_code == 2, r.output
    assert "NON PRÊTE" in r.output and "station.toml" in r.output
    assert "ne peut pas démarrer" in r.output


def test_doctor_checks_the_audit_chain(settings, station, listening):
    import sqlite3

    station.audit.record("admin", "user.login", "admin", {})
    station.audit.record("admin", "user.logout", "admin", {})
    r, _ = _doctor(settings)
    assert r.exit_code == 0 and "Journal d'audit" in r.output and "intègre" in r.output, r.output
    db = sqlite3.connect(settings.state_path)
    db.executescript("DROP TRIGGER audit_no_update; UPDATE audit SET actor='x' WHERE seq=1;")
    db.commit()
    db.close()
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "JOURNAL ALTÉRÉ" in r.output and "n° 1" in r.output, r.output


def test_unreadable_publisher_key_is_said_in_french(settings, listening):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = settings.publisher_key_paths[0]
    path.chmod(0)
    r, _ = _doctor(settings)
    assert r.exit_code == 2 and "accès refusé" in r.output
    assert "Permission denied" not in r.output


def test_os_errors_in_french():
    import errno

    from pcsauvegarde.core.fsutil import os_reason
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == \
        "fichier ou dossier absent"
    assert "accès refusé" in os_reason(PermissionError(errno.EACCES, "Permission denied"))
    assert "Broken" not in os_reason(OSError(errno.EPIPE, "Broken pipe"))
