"""The command line: help, errors as one French line, init/keys/pull."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from pcsauvegarde.cli.main import main


def test_help_lists_commands():
    out = CliRunner().invoke(main, ["--help"]).output
    for command in ("demo", "init", "keys", "publish", "pull", "serve", "users"):
        assert command in out


def test_init_and_keys_print_public_keys(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["init", "--data", str(tmp_path / "st"), "--station", "urgences-1"])
    assert r.exit_code == 0, r.output
    assert "age1" in r.output
    r = runner.invoke(main, ["keys", "--data", str(tmp_path / "st"), "--publisher-dir",
                             str(tmp_path / "pub")])
    assert r.exit_code == 0, r.output
    assert "RW" in r.output  # a minisign public key line starts with RW (base64 of "Ed")
    assert (tmp_path / "st" / "keys" / "station.agekey").stat().st_mode & 0o077 == 0


def test_pull_without_source_is_one_line_error(tmp_path):
    r = CliRunner().invoke(main, ["pull", "--data", str(tmp_path)])
    assert r.exit_code == 1
    assert "aucune source" in r.output and "Traceback" not in r.output


def test_broken_settings_file_named_in_error(tmp_path):
    (tmp_path / "station.toml").write_text("station_id = 42\n")
    r = CliRunner().invoke(main, ["pull", "--data", str(tmp_path)])
    assert r.exit_code == 1 and "station.toml" in r.output and "station_id" in r.output


def test_pull_reports_outcomes(unpulled):
    r = CliRunner().invoke(main, ["pull", "--data", str(unpulled.data_dir)])
    assert r.exit_code == 0, r.output
    assert re.search(r"\b[1-9]\d* accepté\(s\)", r.output), r.output
    assert "0 en quarantaine" in r.output


def test_serve_refuses_a_broken_print_template_in_one_line(station_dir):
    """A hospital's typo in its own print templates stops start-up: file and key named."""
    from pcsauvegarde.station.documents import templates
    from pcsauvegarde.station.settings import load_settings, write_settings
    own = station_dir / "modeles"
    own.mkdir()
    text = (templates.DEFAULT_DIR / "summary.toml").read_text(encoding="utf-8")
    (own / "summary.toml").write_text(text.replace('title = "Allergies"', 'titre = "Allergies"'),
                                      encoding="utf-8")
    write_settings(load_settings(station_dir, {"print_templates_dir": "modeles"}))
    r = CliRunner().invoke(main, ["serve", "--data", str(station_dir)])
    assert r.exit_code == 1, r.output
    assert "démarrage refusé" in r.output and str(own / "summary.toml") in r.output
    assert "« allergies.title » absente" in r.output and "Traceback" not in r.output


def test_print_reprints_a_journalled_document(station):
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document

    ipp = patients.inpatients(station, "REA")[0].patient.id
    number = issue_patient_document(station, "summary", ipp, "infirmiere").document.number
    data = str(station.settings.data_dir)
    r = CliRunner().invoke(main, ["print", "--data", data, number.lower()])
    assert r.exit_code == 0, r.output
    assert f"Document {number} envoyé à l'imprimante" in r.output
    printed = list((station.settings.data_dir / "printed").glob("*.pdf"))
    assert len(printed) == 1
    entries, _ = station.audit.search(action="document.printed", limit=5)
    assert entries and entries[0].actor.startswith("console")
    r = CliRunner().invoke(main, ["print", "--data", data, "STATION-DEMO-9999999"])
    assert r.exit_code == 1 and "introuvable sur la station" in r.output


def test_pull_shows_each_package_as_plain_lines_in_a_log(unpulled, settings):
    r = CliRunner().invoke(main, ["pull", "--data", str(settings.data_dir)])
    assert r.exit_code == 0, r.output
    starts = [line for line in r.output.splitlines() if line.startswith("source test-drop : "
                                                                        "paquet ")]
    assert starts and starts[0].startswith("source test-drop : paquet 1/")
    done = [line for line in r.output.splitlines() if "vérifié et mis en service" in line]
    assert len(done) == len(starts)
    assert "o/s)" in done[0] and "enregistrements, " in done[0] and "/s)" in done[0]
    assert "\r" not in r.output  # no terminal control in a log


def test_pull_reports_records_inside_a_long_package(unpulled, settings):
    """A full package reports its records as they are checked: a line per quarter in a log."""
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.pull import PackageRecords, pull_all

    events: list = []
    pull_all(settings, Store(settings.store_path), None, events.append)
    dpi = [e for e in events if isinstance(e, PackageRecords) and ".dpi." in e.name]
    assert dpi and dpi[-1].done == dpi[-1].total > 0
    assert [e.done for e in dpi] == sorted(e.done for e in dpi)


def test_pull_and_publish_show_a_bar_on_a_terminal(unpulled, settings, monkeypatch, tmp_path):
    import click._termui_impl

    from pcsauvegarde.cli import progress

    monkeypatch.setattr(progress, "interactive", lambda: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda _: True)  # CliRunner's stderr
    r = CliRunner().invoke(main, ["pull", "--data", str(settings.data_dir)])
    assert r.exit_code == 0, r.output
    # 6 packages: dpi, lab, imaging, directory, sterilisation and pharmacy
    assert "\rsource test-drop  [" in r.output and "0/6" in r.output  # click's bar
    assert "vérifié et mis en service" in r.output  # then the same lines as in a log
    from pcsauvegarde.publisher.publisher import write_publisher_config
    from tests.support.hospital import publisher

    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    data = Path(__file__).parent / "publish" / "data"
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), str(data / "unites.csv"),
                                  str(data / "produits.csv")])
    assert "Import" in r.output and "2/2" in r.output
    assert "unites.csv (CSV) : 2 lu(s), 0 refusé(s)" in r.output


def test_init_refuses_an_existing_station_and_changes_nothing(tmp_path):
    """Re-running init must not rewrite station.toml (station_id, comments) in silence."""
    data = tmp_path / "st"
    assert CliRunner().invoke(main, ["init", "--data", str(data), "--station", "rea-1"]
                              ).exit_code == 0
    cfg = data / "station.toml"
    cfg.write_text("# poste de la réanimation\n" + cfg.read_text(encoding="utf-8"),
                   encoding="utf-8")
    before = cfg.read_bytes()
    for args in ([], ["--station", "urgences-2"]):
        r = CliRunner().invoke(main, ["init", "--data", str(data), *args])
        assert r.exit_code == 1, r.output
        assert "existe déjà" in r.output and "station.toml" in r.output
        assert "modifier" in r.output and "--force" in r.output
        assert cfg.read_bytes() == before


def test_init_force_rewrites_and_keeps_a_backup(tmp_path):
    data = tmp_path / "st"
    CliRunner().invoke(main, ["init", "--data", str(data), "--station", "rea-1"])
    before = (data / "station.toml").read_bytes()
    r = CliRunner().invoke(main, ["init", "--data", str(data), "--station", "rea-2", "--force"])
    assert r.exit_code == 0, r.output
    backups = list(data.glob("station.toml.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert str(backups[0]) in r.output
    assert 'station_id = "rea-2"' in (data / "station.toml").read_text(encoding="utf-8")


def test_serve_refuses_a_missing_publisher_key_before_its_banner(station_dir):
    from pcsauvegarde.station.settings import load_settings
    for p in load_settings(station_dir).publisher_key_paths:
        p.unlink()
    r = CliRunner().invoke(main, ["serve", "--data", str(station_dir)])
    assert r.exit_code == 1 and "clés de la station" in r.output, r.output
    assert "Interface : http://" not in r.output
    assert "No such file" not in r.output and "fichier ou dossier absent" in r.output


def test_serve_refuses_a_port_in_use_before_its_banner(station_dir):
    import socket

    from pcsauvegarde.station.settings import load_settings, write_settings
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        write_settings(load_settings(station_dir, {"port": busy.getsockname()[1]}))
        r = CliRunner().invoke(main, ["serve", "--data", str(station_dir)])
    assert r.exit_code == 1 and "démarrage refusé" in r.output, r.output
    assert "déjà utilisée" in r.output and "Interface : http://" not in r.output
