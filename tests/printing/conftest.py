"""A private CUPS spooler on 127.0.0.1 printing to a file (set up below, in a temp dir), when
cupsd exists."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CUPSD = Path("/usr/sbin/cupsd")
PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")


@dataclass
class Spooler:
    root: Path
    socket: str
    out: Path

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "CUPS_SERVER": self.socket, "LC_ALL": "C"}
        return subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=20,
                              check=False)

    def add_queue(self, name: str) -> Path:
        target = self.out / f"{name}.pdf"
        r = self.run("lpadmin", "-p", name, "-E", "-v", f"file://{target}", "-P", str(PPD))
        assert r.returncode == 0, r.stderr
        return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing() -> str:
    if not CUPSD.exists() or not shutil.which("lpadmin") or not PPD.exists():
        return "cupsd, cups-client or the Generic PDF PPD missing (apt-get install cups " \
               "cups-client printer-driver-cups-pdf): falling back to the file printer"
    if os.geteuid() != 0:
        return "a private cupsd needs root here: falling back to the file printer"
    return ""


@pytest.fixture(scope="session")
def cups_spooler():
    """A running private cupsd; skips (with the reason) where it cannot run."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="pcs-cups-"))   # short path: unix socket names ≤ 107
    os.chmod(root, 0o755)   # filters run as lp and read the PPD under root/etc/ppd
    for sub in ("etc/ppd", "spool/tmp", "cache", "state", "log", "out"):
        (root / sub).mkdir(parents=True)
    os.chmod(root / "spool", 0o710)
    os.chmod(root / "spool/tmp", 0o1777)
    os.chmod(root / "out", 0o777)
    shutil.chown(root / "spool", "root", "lp")
    sock = str(root / "cups.sock")
    (root / "etc/cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nAccessLog {root}/log/access_log\n"
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\n"
        f"Printcap {root}/printcap\nFileDevice Yes\nSystemGroup root\nUser lp\nGroup lp\n")
    (root / "etc/cupsd.conf").write_text(
        f"Listen 127.0.0.1:{_free_port()}\nListen {sock}\nBrowsing No\nWebInterface No\n"
        "DefaultAuthType None\nLogLevel warn\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  </Limit>\n"
        "</Policy>\n")
    proc = subprocess.Popen([str(CUPSD), "-f", "-c", f"{root}/etc/cupsd.conf",
                             "-s", f"{root}/etc/cups-files.conf"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    spooler = Spooler(root, sock, root / "out")
    try:
        deadline = time.monotonic() + 10
        while "scheduler is running" not in spooler.run("lpstat", "-r").stdout:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"private cupsd did not start: {proc.stderr.read()[:300]!r}")
            time.sleep(0.05)
        yield spooler
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not os.environ.get("PCS_KEEP_CUPS"):
            shutil.rmtree(root, ignore_errors=True)
