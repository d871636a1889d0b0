"""install.sh for real (no staging root) in a Debian 12 made by debootstrap: users, owners,
`pcsauvegarde init` as the service user, systemctl enable, the firewall in a private network
namespace, the offline install (pip from a wheel folder), re-run, upgrade, uninstall.

Takes minutes (debootstrap, Debian packages, wheels): opt in with
PCSAUVEGARDE_TEST_DEBOOTSTRAP=1; needs root, debootstrap and access to a Debian mirror
(PCSAUVEGARDE_DEBIAN_MIRROR, default deb.debian.org) and to PyPI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.install_root import INSTALL, REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("PCSAUVEGARDE_TEST_DEBOOTSTRAP") != "1",
                       reason="chroot Debian réel (plusieurs minutes) : "
                              "PCSAUVEGARDE_TEST_DEBOOTSTRAP=1 pour le lancer"),
    pytest.mark.skipif(shutil.which("debootstrap") is None or os.geteuid() != 0
                       or shutil.which("unshare") is None,
                       reason="needs debootstrap, unshare and root"),
]
MIRROR = os.environ.get("PCSAUVEGARDE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
STATION = "ch-chroot-1"
RELEASE_FILES = ("pyproject.toml", "README.md", "LICENSE", "requirements.lock", "pcsauvegarde",
                 "install", "docs")


def _in_chroot(root: Path, command: str, *, network: bool = True, timeout: float = 900,
               env: str = "") -> subprocess.CompletedProcess[str]:
    """Run a shell command in the chroot, in private mount and PID namespaces (the /proc and
    /dev mounts vanish with it); without network, in a private network namespace too."""
    inner = (f"mount -t proc proc {root}/proc && mount --rbind /dev {root}/dev && "
             f"chroot {root} /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "
             f"LC_ALL=C.UTF-8 {env} sh -c {_quote(command)}")
    namespaces = ["--mount", "--pid", "--fork"] + ([] if network else ["--net"])
    return subprocess.run(["unshare", *namespaces, "sh", "-c", inner], capture_output=True,
                          text=True, timeout=timeout, check=False)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout + done.stderr


def _debian(root: Path) -> None:
    """Debian 12 with what install.sh installs (its own package list), and the wheels of
    requirements.lock in /wheels: the install itself then runs with no network at all."""
    _ok(subprocess.run(["debootstrap", "--variant=minbase",
                        "--include=systemd,python3,python3-venv,python3-pip", "bookworm",
                        str(root), MIRROR], capture_output=True, text=True, timeout=1800,
                       check=False))
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    policy = root / "usr/sbin/policy-rc.d"  # no daemon starts inside the chroot
    policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
    policy.chmod(0o755)
    script = (INSTALL / "install.sh").read_text(encoding="utf-8")
    match = re.search(r'^PKGS="([^"]+)"', script, re.M)
    assert match is not None
    packages = f"{match.group(1)} systemd-timesyncd util-linux"
    _ok(_in_chroot(root, "apt-get install -y -q --no-install-recommends " + packages,
                   env="DEBIAN_FRONTEND=noninteractive"))
    release = root / "root/pcsauvegarde"
    for name in RELEASE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, release / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            release.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, release / name)
    # Fetched outside, as docs/installation.md says (same Debian, same Python): the host's
    # pip also knows the proxies and certificates the chroot does not.
    _ok(subprocess.run([sys.executable, "-m", "pip", "download", "-q", "-d",
                        str(root / "wheels"), "-r", str(REPO / "requirements.lock"),
                        "setuptools>=77", "wheel"], capture_output=True, text=True,
                       timeout=900, check=False))


def _install(root: Path, *args: str) -> str:
    return _ok(_in_chroot(root, "sh /root/pcsauvegarde/install/install.sh " + " ".join(args),
                          network=False, env="PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheels"))


def test_install_rerun_upgrade_uninstall_in_a_debian_chroot(tmp_path):
    root = tmp_path / "debian"
    started = time.monotonic()
    _debian(root)
    prepared = time.monotonic()
    nft_link = root / "etc/systemd/system/sysinit.target.wants/nftables.service"
    nft_before = nft_link.is_symlink()
    out = _install(root, "--station", STATION, "--no-kiosk", "--no-printer",
                   "--ntp", "ntp.chu.example")
    installed = time.monotonic()
    print(f"debootstrap + paquets + roues : {prepared - started:.0f} s ; "
          f"installation hors ligne : {installed - prepared:.0f} s")

    passwd = (root / "etc/passwd").read_text(encoding="utf-8")
    entry = next(line for line in passwd.splitlines() if line.startswith("pcsauvegarde:"))
    uid = int(entry.split(":")[2])
    assert entry.endswith(":/var/lib/pcsauvegarde:/usr/sbin/nologin")
    data = root / "var/lib/pcsauvegarde"
    assert (data.stat().st_mode & 0o777, data.stat().st_uid) == (0o700, uid)
    for made in ("station.toml", "keys"):  # `init` and `keys` ran as the service user
        assert (data / made).stat().st_uid == uid, made
    assert f'station_id = "{STATION}"' in (data / "station.toml").read_text(encoding="utf-8")
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert (wants / "pcsauvegarde.service").is_symlink()
    assert (root / "etc/systemd/system/sysinit.target.wants/nftables.service").is_symlink()
    assert "Installation terminée" in out
    assert "service activé mais pas démarré" in out  # no publisher key pinned yet
    assert (root / "etc/systemd/journald.conf.d/pcsauvegarde.conf").is_file()
    assert not (root / "etc/logrotate.d/pcsauvegarde").exists()
    conf = (root / "etc/pcsauvegarde/installation.conf").read_text(encoding="utf-8")
    assert f"NFT_ENABLED_BEFORE={'oui' if nft_before else 'non'}" in conf
    assert re.search(r"^PREVIOUS_TARGET=[a-z-]+\.target$", conf, re.M), conf

    # The IT team's command, typed as root: it runs as the service user on the installed data.
    doctor = _in_chroot(root, "/usr/local/bin/pcsauvegarde doctor", network=False)
    assert "Station NON PRÊTE" in doctor.stdout, doctor.stdout + doctor.stderr
    assert "Traceback" not in doctor.stderr
    assert {p.stat().st_uid for p in data.rglob("*")} == {uid}

    again = _install(root)
    assert "déjà construite" in again and "écrit :" not in again

    before = (data / "station.toml").read_bytes()
    package = root / "root/pcsauvegarde/pcsauvegarde/__init__.py"
    package.write_text(package.read_text(encoding="utf-8") + "# next release\n",
                       encoding="utf-8")
    upgraded = _install(root)
    assert "version en service" in upgraded and "(avant : " in upgraded
    assert (data / "station.toml").read_bytes() == before
    assert len(list((root / "opt/pcsauvegarde/releases").iterdir())) == 2

    gone = _ok(_in_chroot(root, "sh /opt/pcsauvegarde/install/uninstall.sh", network=False))
    assert not (root / "opt/pcsauvegarde").exists()
    assert not (root / "etc/systemd/system/pcsauvegarde.service").exists()
    assert (data / "station.toml").read_bytes() == before
    assert "Restent sur ce poste, volontairement" in gone
    assert nft_link.is_symlink() == nft_before  # nftables.service as it was before
    assert "non connus de cette installation" not in gone
