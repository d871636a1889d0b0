"""Attack run (issue 11, web 8): the data dir is private whatever the umask; UI on loopback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from pcsauvegarde.station.settings import ConfigError, load_settings


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _loose(root) -> list[str]:
    out = []
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(base, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                continue
            want = 0o700 if stat.S_ISDIR(mode) else 0o600
            if stat.S_IMODE(mode) != want:
                out.append(f"{oct(stat.S_IMODE(mode))} {os.path.relpath(path, root)}")
    return out


def test_everything_in_the_data_dir_is_private_under_umask_022(loose_umask, station_dir):
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    from pcsauvegarde.station.settings import write_settings
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.store import queries
    from pcsauvegarde.station.sync.freeze import set_frozen
    from pcsauvegarde.station.sync.pull import load_station_keys, pull_all

    os.chmod(station_dir, 0o755)
    settings = load_settings(station_dir)
    station = open_station(settings)  # an install made under umask 022 is tightened
    assert _loose(station_dir) == []
    keys = load_station_keys(settings)
    pull_all(settings, station.store, keys)
    drop = settings.sources[0].path
    (Path(drop) / "dpi-junk.age").write_bytes(os.urandom(300))  # quarantined: no signature
    (Path(drop) / "dpi-junk.age.minisig").write_bytes(b"untrusted comment: x\nnot a sig\n")
    assert sum(r.quarantined for r in pull_all(settings, station.store, keys)) == 1
    ipp = queries.inpatients(station.store, queries.units(station.store)[0].code)[0].patient.id
    issued = issue_patient_document(station, "summary", ipp, "système")
    station.printer.print_pdf(issued.pdf, issued.document.number)
    set_frozen(settings, True, "chef", "essai")
    write_settings(settings)
    from pcsauvegarde.station.web import create_app
    create_app(station)  # the session secret
    assert {p.name for p in station_dir.iterdir()} >= {"station.sqlite", "store.sqlite",
                                                       "packages", "quarantine", "printed"}
    assert _loose(station_dir) == []
    assert stat.S_IMODE(os.stat(station_dir).st_mode) == 0o700


ANY = "0.0.0.0"  # noqa: S104 - the address the settings must refuse


@pytest.mark.parametrize("host", [ANY, "192.168.1.20", "::", "poste.chu.local"])
def test_non_loopback_host_is_refused_unless_allowed(tmp_path, host):
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path, {"host": host})
    assert "allow_remote_ui" in str(exc.value) and host in str(exc.value)
    assert load_settings(tmp_path, {"host": host, "allow_remote_ui": True}).host == host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_are_accepted(tmp_path, host):
    assert load_settings(tmp_path, {"host": host}).host == host


def test_serve_warns_when_the_ui_is_reachable_from_the_network(station_dir, tmp_path,
                                                               monkeypatch):
    import shutil

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.station.documents import templates
    from pcsauvegarde.station.settings import write_settings
    write_settings(load_settings(station_dir, {"host": ANY, "allow_remote_ui": True}))
    broken = tmp_path / "printtemplates"  # stops serve right after the warning
    shutil.copytree(templates.DEFAULT_DIR, broken)
    (broken / "summary.toml").write_text("= [", encoding="utf-8")
    monkeypatch.setattr(templates, "DEFAULT_DIR", broken)
    r = CliRunner().invoke(main, ["serve", "--data", str(station_dir)])
    assert "ATTENTION" in r.output and ANY in r.output and r.exit_code == 1
