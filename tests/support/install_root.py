"""install/ run in a throwaway root: run the scripts, read their trees and printed commands."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "install"
SIMULATED = "[simulation] "
STATION = "ch-test-station-1"
PRINTER_URI = "usb://Brother/HL-L5100DN%20series?serial=E78012A1N123456"


def run_script(name: str, root: Path, *args: str, timeout: float = 60
               ) -> subprocess.CompletedProcess[str]:
    """Run install/NAME with --root ROOT (never on the real system), output as text."""
    return subprocess.run(["sh", str(INSTALL / name), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})


def install(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A staged install that MUST succeed (the first one needs the station id)."""
    done = run_script("install.sh", root, "--printer-uri", PRINTER_URI, *args, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def commands(output: str) -> list[str]:
    """The system commands a staged run printed instead of running them."""
    return [line.removeprefix(SIMULATED) for line in output.splitlines()
            if line.startswith(SIMULATED)]


def tree(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every path under root: kind, mode, and content digest or link target."""
    found: dict[str, tuple[str, int, str]] = {}
    for path in sorted(root.rglob("*")):
        rel = "/" + str(path.relative_to(root))
        st = path.lstat()
        if path.is_symlink():
            found[rel] = ("link", 0, os.readlink(path))
        elif path.is_dir():
            found[rel] = ("dir", st.st_mode & 0o7777, "")
        else:
            found[rel] = ("file", st.st_mode & 0o7777,
                          hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def fake_release(dest: Path, version: str) -> Path:
    """A release folder as install.sh reads it (version, lock, package), with another version."""
    dest.mkdir(parents=True)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    current = next(line for line in pyproject.splitlines() if line.startswith("version = "))
    (dest / "pyproject.toml").write_text(pyproject.replace(current, f'version = "{version}"'),
                                         encoding="utf-8")
    shutil.copy(REPO / "requirements.lock", dest)
    (dest / "pcsauvegarde").mkdir()
    (dest / "pcsauvegarde" / "__init__.py").write_text(f'"""{version}"""\n', encoding="utf-8")
    return dest


def units_checkable(root: Path, stubs: tuple[str, ...] = ()) -> None:
    """Give a staged root what `systemd-analyze verify --root` resolves: the system's own units
    (targets the station's units order against) and stand-ins for the given executables."""
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system",
                    symlinks=True, dirs_exist_ok=True)
    for stub in stubs:
        path = root / stub.lstrip("/")
        step = root
        for part in Path(stub).parts[1:-1]:  # a staged link (venv → releases/…) has no target
            step = step / part
            if step.is_symlink() and not step.exists():
                (step.parent / os.readlink(step)).mkdir(parents=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        path.chmod(0o755)


def unit_settings(path: Path) -> dict[str, list[str]]:
    """A systemd unit's settings, each key with all its values (continuation lines joined)."""
    joined = path.read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict[str, list[str]] = {}
    for line in joined.splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def station_ready(root: Path) -> Path:
    """What `init` and the IT team leave in a staged data dir: station.toml and the pinned
    publisher key (install.sh starts the service only then). Returns the data dir."""
    data = root / "var/lib/pcsauvegarde"
    (data / "keys").mkdir(mode=0o700, exist_ok=True)
    (data / "station.toml").write_text(f'station_id = "{STATION}"\n', encoding="utf-8")
    (data / "keys" / "publisher.pub").write_text("untrusted comment: test\nRWQ=\n",
                                                 encoding="ascii")
    return data
