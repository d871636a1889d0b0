"""A real release in a throwaway root: the virtualenv built from requirements.lock, then the
unit's own ExecStart command serving the UI (slow: downloads or reuses ~60 MB of wheels)."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request

import pytest

from tests.support.install_root import STATION, install, tree, units_checkable
from tests.support.peers import free_port

pytestmark = pytest.mark.slow


def test_release_builds_runs_and_is_not_rebuilt(tmp_path):
    root = tmp_path / "root"
    started = time.monotonic()
    done = install(root, "--station", STATION, "--build-venv", timeout=900)
    took = time.monotonic() - started
    print(f"installation avec environnement Python construit : {took:.0f} s")  # the figure
    venv = root / "opt/pcsauvegarde/venv"
    assert (venv / ".complete").is_file(), done.stdout

    # The service's ExecStart, from the installed (non-editable) package: templates and fonts
    # are packaged, the UI answers on the port the settings give.
    data, port = tmp_path / "data", free_port()
    subprocess.run([str(venv / "bin/pcsauvegarde"), "init", "--data", str(data),
                    "--station", STATION], check=True, capture_output=True, timeout=60)
    subprocess.run([str(venv / "bin/pcsauvegarde"), "keys", "--data", str(data),
                    "--publisher-dir", str(tmp_path / "publisher")], check=True,
                   capture_output=True, timeout=60)
    shutil.copy(next((tmp_path / "publisher").glob("*.pub")), data / "keys" / "publisher.pub")
    toml = data / "station.toml"
    toml.write_text(f"port = {port}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    server = subprocess.Popen([str(venv / "bin/pcsauvegarde"), "serve", "--data", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, page = time.monotonic() + 60, ""
        while not page:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "the installed service did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    page = reply.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert "Connexion" in page or "connexion" in page
    finally:
        server.terminate()
        server.wait(timeout=30)

    if shutil.which("systemd-analyze"):  # the real ExecStart binary, no stand-in
        units_checkable(root, ("/usr/bin/cage", "/bin/bash"))
        checked = subprocess.run(["systemd-analyze", "verify", f"--root={root}",
                                  "/etc/systemd/system/pcsauvegarde.service"],
                                 capture_output=True, text=True, check=False, timeout=60)
        assert checked.returncode == 0 and checked.stderr == "", checked.stderr

    before = tree(root / "opt")
    again = install(root, "--build-venv")
    assert "déjà construite" in again.stdout
    assert tree(root / "opt") == before
