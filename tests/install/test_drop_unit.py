"""The example systemd unit for serve-drop in docs/publisher.md: systemd accepts it and it
runs serve-drop with the pinned station keys (a drop server without them is refused)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from tests.support.docs_runner import DOCS
from tests.support.install_root import unit_settings, units_checkable

ANALYZE = shutil.which("systemd-analyze")


def _unit_text() -> str:
    text = (DOCS / "publisher.md").read_text(encoding="utf-8")
    found = re.search(r"```ini\n(.*?)```", text, re.S)
    assert found is not None, "exemple de service systemd absent de publisher.md"
    return found.group(1)


def test_documented_drop_unit_passes_the_pins_to_serve_drop(tmp_path):
    unit = tmp_path / "pcsauvegarde-depot.service"
    unit.write_text(_unit_text(), encoding="utf-8")
    command = unit_settings(unit)["ExecStart"][0].split()
    assert command[1:2] == ["serve-drop"] and "--config" in command
    # and serve-drop refuses to start with no pins at all
    r = CliRunner().invoke(main, ["serve-drop", "--drop", str(tmp_path), "--cert", str(unit),
                                  "--key", str(unit)])
    assert r.exit_code != 0 and "indiquer --config publisher.toml ou --keys" in r.output


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze absent")
def test_documented_drop_unit_is_valid_for_systemd(tmp_path):
    root = tmp_path / "root"
    unit = root / "etc/systemd/system/pcsauvegarde-depot.service"
    unit.parent.mkdir(parents=True)
    unit.write_text(_unit_text(), encoding="utf-8")
    units_checkable(root, ("/opt/pcsauvegarde/venv/bin/pcsauvegarde",))
    done = subprocess.run([ANALYZE, "verify", f"--root={root}", str(unit)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == "", done.stderr  # verify exits 0 on unknown keys: warnings count
