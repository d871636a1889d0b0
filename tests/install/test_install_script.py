"""install.sh and uninstall.sh in a throwaway root: files, commands, idempotence, upgrade."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.support.install_root import (
    INSTALL,
    PRINTER_URI,
    STATION,
    commands,
    fake_release,
    install,
    run_script,
    station_ready,
    tree,
)

SCRIPTS = [INSTALL / "install.sh", INSTALL / "uninstall.sh", INSTALL / "lib.sh",
           INSTALL / "files" / "wrapper.sh"]
DATA = "/var/lib/pcsauvegarde"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script):
    done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck absent")
def test_shellcheck_is_clean():
    done = subprocess.run(["shellcheck", "-x", *map(str, SCRIPTS)], capture_output=True,
                          text=True, check=False, cwd=INSTALL)
    assert done.returncode == 0, done.stdout


def test_first_install_writes_the_files_and_prints_the_system_commands(tmp_path):
    root = tmp_path / "root"
    done = install(root, "--station", STATION, "--ntp", "ntp.chu.example")
    files = tree(root)
    assert files[DATA][:2] == ("dir", 0o700)
    assert "/var/log/pcsauvegarde" not in files  # the service logs to the journal
    for path in ("/etc/systemd/system/pcsauvegarde.service",
                 "/etc/systemd/system/pcsauvegarde-kiosque.service",
                 "/etc/nftables.conf", "/etc/systemd/journald.conf.d/pcsauvegarde.conf",
                 "/etc/chromium/policies/managed/pcsauvegarde.json",
                 "/etc/pam.d/pcsauvegarde-kiosque", "/etc/pcsauvegarde/pcsauvegarde.env",
                 "/opt/pcsauvegarde/install/uninstall.sh", "/usr/local/bin/pcsauvegarde"):
        assert files[path][0] == "file", path
    assert files["/opt/pcsauvegarde/venv"][2].startswith("releases/0.")
    assert "NTP=ntp.chu.example" in (
        root / "etc/systemd/timesyncd.conf.d/pcsauvegarde.conf").read_text(encoding="utf-8")
    run = commands(done.stdout)
    assert any(c.startswith("useradd --system --user-group --home-dir " + DATA) for c in run)
    assert f"chown pcsauvegarde:pcsauvegarde {DATA}" in run
    assert any(c.startswith("useradd --system") and c.endswith("pcsauvegarde-kiosque")
               for c in run)
    assert any(f"init --data {DATA} --station {STATION}" in c for c in run)
    lpadmin = next(c for c in run if c.startswith("lpadmin -p"))
    assert f"-v {PRINTER_URI}" in lpadmin and "printer-error-policy=retry-job" in lpadmin
    assert any(c.endswith('printer = "cups:PCSAUVEGARDE" ' + DATA + "/station.toml")
               for c in run)
    assert "nft -c -f /etc/nftables.conf" in run and "nft -f /etc/nftables.conf" in run
    assert "systemctl enable pcsauvegarde.service" in run
    assert "systemctl enable pcsauvegarde-kiosque.service" in run
    # the closing steps follow the guide: the publisher key goes in keys/publisher.pub
    assert f"{DATA}/keys/publisher.pub" in done.stdout.split("Installation terminée")[1]
    # the folder the kiosk's Chromium downloads into (chromium-policy.json DownloadDirectory)
    exports = json.loads((root / "etc/chromium/policies/managed/pcsauvegarde.json")
                         .read_text(encoding="utf-8"))["DownloadDirectory"]
    assert files[exports][:2] == ("dir", 0o700)
    assert f"chown pcsauvegarde-kiosque:pcsauvegarde-kiosque {exports}" in run
    assert not (root / "opt/pcsauvegarde/releases").exists()  # building is a command too


def test_first_install_needs_the_station_id_and_changes_nothing_without_it(tmp_path):
    done = run_script("install.sh", tmp_path / "root", "--no-printer")
    assert done.returncode != 0
    assert "identifiant de la station (--station ID)" in done.stderr
    assert "rien n'a été modifié" in done.stderr
    assert commands(done.stdout) == []  # no apt-get, useradd, venv, firewall…
    assert tree(tmp_path / "root") == {}


@pytest.mark.parametrize(("args", "message"), [
    (("--printer-ppd", "/nulle/part/HL.ppd"),
     "--printer-ppd : fichier « /nulle/part/HL.ppd » introuvable"),
    (("--printer-uri", "HL-L5100DN"), "--printer-uri : adresse « HL-L5100DN » invalide"),
    (("--ntp", "ntp chu;reboot"), "--ntp : serveur « ntp chu;reboot » invalide"),
], ids=["ppd", "uri", "ntp"])
def test_bad_options_are_refused_before_anything_is_changed(tmp_path, args, message):
    done = run_script("install.sh", tmp_path / "root", "--station", STATION, *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert commands(done.stdout) == []
    assert tree(tmp_path / "root") == {}


def test_a_bad_station_id_is_refused_before_anything_is_written(tmp_path):
    done = run_script("install.sh", tmp_path / "root", "--station", "CH Nord")
    assert done.returncode != 0
    assert "identifiant de station invalide « CH Nord »" in done.stderr
    assert tree(tmp_path / "root") == {}


def test_staging_root_warns_when_the_disk_is_not_encrypted(tmp_path):
    """This machine's root is not on dm-crypt: the script says so (and goes on)."""
    done = install(tmp_path / "root", "--station", STATION)
    assert "n'est pas sur un volume chiffré (dm-crypt/LUKS)" in done.stderr


def test_second_run_changes_nothing(tmp_path):
    root = tmp_path / "root"
    install(root, "--station", STATION, "--ntp", "ntp.chu.example")
    station_ready(root)
    before = tree(root)
    again = install(root)  # the choices of the first run are read back
    assert tree(root) == before
    assert "écrit :" not in again.stdout
    run = commands(again.stdout)
    assert "systemctl start pcsauvegarde.service" in run
    assert "systemctl restart pcsauvegarde.service" not in run


def test_upgrade_switches_release_keeps_data_and_restarts(tmp_path):
    root = tmp_path / "root"
    install(root, "--station", STATION)
    data = station_ready(root)
    (data / "keys" / "station.agekey").write_text("AGE-SECRET-KEY-1TEST\n", encoding="utf-8")
    kept = {k: v for k, v in tree(root).items() if k.startswith(DATA + "/")}
    old = (root / "opt/pcsauvegarde/venv").readlink()

    new = fake_release(tmp_path / "release", "9.9.9")
    done = install(root, "--source", str(new))

    assert {k: v for k, v in tree(root).items() if k.startswith(DATA + "/")} == kept
    link = (root / "opt/pcsauvegarde/venv").readlink()
    assert str(link).startswith("releases/9.9.9-") and link != old
    run = commands(done.stdout)
    assert "systemctl restart pcsauvegarde.service" in run
    assert not any(" init " in c for c in run)  # the station exists: never initialised again
    assert f"station existante gardée : {DATA}" in done.stdout
    conf = (root / "etc/pcsauvegarde/installation.conf").read_text(encoding="utf-8")
    assert f"STATION={STATION}" in conf and "RELEASE=9.9.9-" in conf


def test_service_is_not_started_before_a_publisher_key_is_pinned(tmp_path):
    root = tmp_path / "root"
    done = install(root, "--station", STATION)
    run = commands(done.stdout)
    assert "systemctl enable pcsauvegarde.service" in run
    assert not any(c.startswith(("systemctl start pcsauvegarde", "systemctl restart pcsauv"))
                   for c in run)
    assert "service activé mais pas démarré : aucune clé publique d'émetteur" in done.stderr
    station_ready(root)
    assert "systemctl start pcsauvegarde.service" in commands(install(root).stdout)


def test_upgrade_keeps_the_printer_the_admin_chose(tmp_path):
    root = tmp_path / "root"
    install(root, "--station", STATION)
    toml = root / DATA.lstrip("/") / "station.toml"
    toml.write_text('printer = "cups:AUTRE"\nstation_id = "x"\n', encoding="utf-8")
    done = install(root)
    assert not any("sed -i" in c for c in commands(done.stdout))
    assert 'imprimante de la station : "cups:AUTRE" (réglage gardé)' in done.stdout


def test_uninstall_removes_the_install_and_leaves_the_data(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    firewall_before = "#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {}\n"
    (root / "etc/nftables.conf").write_text(firewall_before, encoding="utf-8")
    install(root, "--station", STATION)
    data = root / DATA.lstrip("/")
    (data / "state.sqlite").write_bytes(b"SQLite format 3\x00")
    (root / "var/log/pcsauvegarde").mkdir(parents=True)  # left by an earlier release
    (root / "var/log/pcsauvegarde/pcsauvegarde.log").write_text("journal\n", encoding="utf-8")

    done = run_script("uninstall.sh", root)

    assert done.returncode == 0, done.stderr
    left = tree(root)
    assert left[DATA + "/state.sqlite"][0] == "file"
    assert "/var/log/pcsauvegarde/pcsauvegarde.log" in left
    for gone in ("/opt/pcsauvegarde", "/etc/pcsauvegarde", "/usr/local/bin/pcsauvegarde",
                 "/etc/systemd/system/pcsauvegarde.service",
                 "/etc/systemd/system/pcsauvegarde-kiosque.service",
                 "/etc/logrotate.d/pcsauvegarde", "/etc/pam.d/pcsauvegarde-kiosque",
                 "/etc/chromium/policies/managed/pcsauvegarde.json",
                 "/etc/systemd/journald.conf.d/pcsauvegarde.conf",
                 "/etc/nftables.conf.avant-pcsauvegarde"):
        assert gone not in left, gone
    assert (root / "etc/nftables.conf").read_text(encoding="utf-8") == firewall_before
    run = commands(done.stdout)
    assert "systemctl stop pcsauvegarde.service" in run
    assert "systemctl disable pcsauvegarde.service" in run
    assert "lpadmin -x PCSAUVEGARDE" in run
    assert "userdel --remove pcsauvegarde-kiosque" in run
    assert "systemctl restart systemd-journald.service" in run
    assert f"Restent sur ce poste, volontairement :\n  - {DATA}" in done.stdout
    assert f"rm -rf --one-file-system {DATA} /var/log/pcsauvegarde" in done.stdout
    assert "cryptsetup luksErase" in done.stdout


def test_switching_the_kiosk_off_removes_it(tmp_path):
    root = tmp_path / "root"
    install(root, "--station", STATION)
    done = install(root, "--no-kiosk")
    assert not (root / "etc/systemd/system/pcsauvegarde-kiosque.service").exists()
    assert "systemctl disable pcsauvegarde-kiosque.service" in commands(done.stdout)
    assert "NO_KIOSK=oui" in (root / "etc/pcsauvegarde/installation.conf").read_text(
        encoding="utf-8")
    install(root)  # the choice is kept on the next run
    assert not (root / "etc/systemd/system/pcsauvegarde-kiosque.service").exists()
    back = install(root, "--kiosk")
    assert (root / "etc/systemd/system/pcsauvegarde-kiosque.service").is_file()
    assert "systemctl enable pcsauvegarde-kiosque.service" in commands(back.stdout)


def test_logs_go_to_a_bounded_journal_and_the_old_log_file_setup_is_removed(tmp_path):
    """No log file for systemd to create as root and logrotate to fail on: the journal,
    capped; an upgrade from a release with the log file drops its logrotate entry."""
    root = tmp_path / "root"
    old = root / "etc/logrotate.d/pcsauvegarde"
    old.parent.mkdir(parents=True)
    old.write_text("/var/log/pcsauvegarde/*.log {}\n", encoding="utf-8")
    (root / "var/log/pcsauvegarde").mkdir(parents=True)
    done = install(root, "--station", STATION)
    assert not old.exists()
    assert "anciens journaux gardés : /var/log/pcsauvegarde" in done.stdout
    conf = (root / "etc/systemd/journald.conf.d/pcsauvegarde.conf").read_text(encoding="utf-8")
    settings = dict(line.split("=", 1) for line in conf.splitlines()
                    if "=" in line and not line.startswith("#"))
    assert settings["SystemMaxUse"] == "1G" and settings["SystemKeepFree"] == "2G"
    assert settings["Storage"] == "persistent"
    assert "systemctl restart systemd-journald.service" in commands(done.stdout)
    assert "logrotate" not in next(c for c in commands(done.stdout) if c.startswith("apt-get"))


def test_uninstall_puts_back_the_boot_target_and_nftables_state_of_before(tmp_path):
    root = tmp_path / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/systemd/system/default.target").symlink_to(
        "/lib/systemd/system/multi-user.target")
    install(root, "--station", STATION)
    install(root)  # a second run keeps what the first one saw, not its own changes
    conf = (root / "etc/pcsauvegarde/installation.conf").read_text(encoding="utf-8")
    assert "PREVIOUS_TARGET=multi-user.target" in conf and "NFT_ENABLED_BEFORE=non" in conf
    done = run_script("uninstall.sh", root)
    assert done.returncode == 0, done.stderr
    run = commands(done.stdout)
    assert "systemctl set-default multi-user.target" in run
    assert "systemctl disable nftables.service" in run
    assert "non connus de cette installation" not in done.stdout


def test_uninstall_of_an_older_install_says_what_it_leaves(tmp_path):
    """An install by an earlier release did not record the state before: say so."""
    root = tmp_path / "root"
    install(root, "--station", STATION)
    conf = root / "etc/pcsauvegarde/installation.conf"
    conf.write_text("".join(line for line in conf.read_text(encoding="utf-8").splitlines(True)
                            if not line.startswith(("PREVIOUS_TARGET", "NFT_ENABLED"))),
                    encoding="utf-8")
    install(root)  # an upgrade cannot know either: it records « inconnu »
    assert "PREVIOUS_TARGET=inconnu" in conf.read_text(encoding="utf-8")
    done = run_script("uninstall.sh", root)
    run = commands(done.stdout)
    assert not any(c.startswith("systemctl set-default") for c in run)
    assert "systemctl disable nftables.service" not in run
    assert "systemctl set-default multi-user.target)" in done.stdout
    assert "nftables.service reste activé au démarrage" in done.stdout
