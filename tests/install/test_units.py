"""The systemd units of install/: valid for systemd, hardened, and in step with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pcsauvegarde.station.readiness import SERVICE_UNIT
from pcsauvegarde.station.settings import SYSTEM_DATA_DIR, Settings
from tests.support.install_root import INSTALL, STATION, install, unit_settings, units_checkable

ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze absent")
UNITS = ("/etc/systemd/system/pcsauvegarde.service",
         "/etc/systemd/system/pcsauvegarde-kiosque.service")
SERVICE = INSTALL / "files" / "pcsauvegarde.service"
KIOSK = INSTALL / "files" / "pcsauvegarde-kiosque.service"


def _staged(root: Path) -> Path:
    install(root, "--station", STATION)
    units_checkable(root, ("/opt/pcsauvegarde/venv/bin/pcsauvegarde", "/usr/bin/cage",
                           "/bin/bash"))
    return root


def _verify(root: Path, *units: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run([ANALYZE, "verify", f"--root={root}", *units], capture_output=True,
                          text=True, timeout=60, check=False)


@needs_analyze
def test_units_verify_without_a_warning(tmp_path):
    root = _staged(tmp_path / "root")
    done = _verify(root, *UNITS)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # verify exits 0 on unknown keys: warnings count


@needs_analyze
def test_verify_as_run_here_catches_a_bad_unit(tmp_path):
    root = _staged(tmp_path / "root")
    unit = root / UNITS[0].lstrip("/")
    unit.write_text(unit.read_text(encoding="utf-8").replace(
        "ProtectSystem=strict", "ProtectSytem=strict"), encoding="utf-8")
    assert "Unknown key 'ProtectSytem'" in _verify(root, UNITS[0]).stderr
    (root / "opt/pcsauvegarde/venv/bin/pcsauvegarde").unlink()
    assert "is not executable" in _verify(root, UNITS[0]).stderr


@needs_analyze
def test_station_service_exposure_is_low(tmp_path):
    """systemd's own scoring of the sandbox: 0 (locked down) to 10 (unprotected)."""
    root = _staged(tmp_path / "root")
    assert ANALYZE is not None
    done = subprocess.run([ANALYZE, "security", "--offline=yes", f"--root={root}",
                           "--threshold=20", UNITS[0]], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    level = re.search(r"Overall exposure level for pcsauvegarde.service: (\d+\.\d)",
                      done.stdout + done.stderr)
    assert level is not None and float(level.group(1)) <= 2.0, done.stdout


def test_station_service_is_sandboxed():
    unit = unit_settings(SERVICE)
    expected = {"ProtectSystem": "strict", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
                "ProtectHome": "yes", "CapabilityBoundingSet": "", "Restart": "on-failure",
                "SystemCallFilter": "@system-service", "UMask": "0077", "LimitCORE": "0",
                "User": "pcsauvegarde"}
    for key, value in expected.items():
        assert value in unit.get(key, []), (key, unit.get(key))
    assert unit["RestrictAddressFamilies"] == ["AF_UNIX AF_INET AF_INET6"]
    writable = unit["ReadWritePaths"][0].split()
    assert writable == [str(SYSTEM_DATA_DIR)]
    # The journal, not a file systemd would create as root (logrotate could not truncate it).
    assert unit["StandardOutput"] == ["journal"] and "LogsDirectory" not in unit


def test_station_service_runs_serve_on_the_installed_data_dir():
    """The unit, the doctor's service probe and the settings agree on names and paths."""
    assert SERVICE.name == SERVICE_UNIT
    exec_start = unit_settings(SERVICE)["ExecStart"][0].split()
    assert exec_start == ["/opt/pcsauvegarde/venv/bin/pcsauvegarde", "serve", "--data",
                          str(SYSTEM_DATA_DIR)]


def test_kiosk_opens_the_station_ui_with_no_background_networking():
    defaults = Settings(data_dir=SYSTEM_DATA_DIR)
    command = unit_settings(KIOSK)["ExecStart"][0].split()
    assert command[:3] == ["/usr/bin/cage", "-d", "--"]
    assert command[3] == "/usr/bin/chromium"
    assert command[-1] == f"http://{defaults.host}:{defaults.port}/"
    for flag in ("--kiosk", "--incognito", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"):
        assert flag in command, flag
    assert unit_settings(KIOSK)["User"] == ["pcsauvegarde-kiosque"]
