"""The kiosk's Chromium policy and flags, tried on Debian's Chromium: the station's address
opens, any other address is blocked. Run in a private mount and network namespace, so that
the policy (bind-mounted over /etc/chromium) and port 8080 are this test's alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from pcsauvegarde.station.settings import SYSTEM_DATA_DIR, Settings
from tests.support.install_root import INSTALL, unit_settings

POLICY = INSTALL / "files" / "chromium-policy.json"
KIOSK = INSTALL / "files" / "pcsauvegarde-kiosque.service"
# Left out of the kiosk's command line here: what needs a screen (--kiosk, Wayland).
NEEDS_SCREEN = ("--kiosk", "--ozone-platform=wayland")
SCRIPT = """
set -eu
ip link set lo up
mount --bind "$1" /etc/chromium
cd "$2"
"$3" -m http.server -b 127.0.0.1 8080 >/dev/null 2>&1 & a=$!
"$3" -m http.server -b 127.0.0.1 8081 >/dev/null 2>&1 & b=$!
shift 3
sleep 1
for port in 8080 8081; do
  echo "== $port"
  timeout 60 chromium --headless --no-sandbox --disable-gpu "$@" --dump-dom \
    "http://127.0.0.1:$port/" 2>/dev/null || true
done
kill $a $b
"""


def test_policy_allows_only_the_station_ui():
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    defaults = Settings(data_dir=SYSTEM_DATA_DIR)
    assert policy["URLBlocklist"] == ["*"]
    assert f"http://{defaults.host}:{defaults.port}" in policy["URLAllowlist"]
    # the browser's print is the documented fallback when CUPS fails (docs/configuration.md)
    assert policy["PrintingEnabled"] is True
    # the admin downloads the re-entry exports and the audit CSV (docs/ressaisie.md), into the
    # one folder install.sh creates, with no dialog to browse the disk
    assert policy["DownloadRestrictions"] == 0
    assert policy["DownloadDirectory"] == "/var/lib/pcsauvegarde-kiosque/exports"
    assert policy["PromptForDownloadLocation"] is False
    assert policy["AllowFileSelectionDialogs"] is False
    assert policy["BackgroundModeEnabled"] is False and policy["SyncDisabled"] is True


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None or os.geteuid() != 0
                    or shutil.which("unshare") is None,
                    reason="needs Debian's chromium, unshare and root")
def test_chromium_with_the_kiosk_policy_opens_the_station_and_nothing_else(tmp_path):
    etc = tmp_path / "etc"
    (etc / "policies" / "managed").mkdir(parents=True)
    if os.path.exists("/etc/chromium/master_preferences"):
        shutil.copy("/etc/chromium/master_preferences", etc)
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    # Headless Chromium is driven through DevTools: the kiosk's "no DevTools" would stall it.
    policy.pop("DeveloperToolsAvailability")
    (etc / "policies" / "managed" / "pcsauvegarde.json").write_text(json.dumps(policy),
                                                                      encoding="utf-8")
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("<html><body>interface-station</body></html>",
                                    encoding="utf-8")
    command = unit_settings(KIOSK)["ExecStart"][0].split()
    flags = [f for f in command[4:-1] if f not in NEEDS_SCREEN]
    done = subprocess.run(["unshare", "--mount", "--net", "sh", "-c", SCRIPT, "sh", str(etc),
                           str(www), sys.executable, *flags], capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"unshare refusé ici : {done.stderr.strip()}")
    station, other = done.stdout.split("== 8081")
    assert "interface-station" in station, done.stdout + done.stderr
    assert "interface-station" not in other, done.stdout


DOWNLOAD_SCRIPT = """
set -eu
ip link set lo up
mount --bind "$1" /etc/chromium
cd "$2"
"$3" -m http.server -b 127.0.0.1 8080 >/dev/null 2>&1 & a=$!
shift 3
sleep 1
timeout 60 chromium --headless --no-sandbox --disable-gpu "$@" --virtual-time-budget=5000 \
  --dump-dom "http://127.0.0.1:8080/" >/dev/null 2>&1 || true
sleep 1
kill $a
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None or os.geteuid() != 0
                    or shutil.which("unshare") is None,
                    reason="needs Debian's chromium, unshare and root")
def test_an_export_downloaded_in_the_kiosk_lands_in_the_download_folder(tmp_path):
    """The admin's download of a re-entry export (docs/ressaisie.md) is saved, with no dialog,
    into the policy's DownloadDirectory (here redirected to a temporary folder)."""
    etc = tmp_path / "etc"
    (etc / "policies" / "managed").mkdir(parents=True)
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    policy.pop("DeveloperToolsAvailability")
    policy["DownloadDirectory"] = str(tmp_path / "exports")
    (etc / "policies" / "managed" / "pcsauvegarde.json").write_text(json.dumps(policy),
                                                                      encoding="utf-8")
    www = tmp_path / "www"
    www.mkdir()
    (www / "export.csv").write_bytes(b"ipp;nom\r\n1;D'ARTAGNAN\r\n")
    (www / "index.html").write_text(
        '<html><body><a id="a" href="export.csv" download="ressaisie-admissions.csv">'
        "exporter</a><script>document.getElementById('a').click()</script></body></html>",
        encoding="utf-8")
    command = unit_settings(KIOSK)["ExecStart"][0].split()
    flags = [f for f in command[4:-1] if f not in NEEDS_SCREEN]
    done = subprocess.run(["unshare", "--mount", "--net", "sh", "-c", DOWNLOAD_SCRIPT, "sh",
                           str(etc), str(www), sys.executable, *flags], capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"unshare refusé ici : {done.stderr.strip()}")
    saved = tmp_path / "exports" / "ressaisie-admissions.csv"
    assert saved.read_bytes() == b"ipp;nom\r\n1;D'ARTAGNAN\r\n", done.stdout + done.stderr
