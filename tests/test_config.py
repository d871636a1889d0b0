"""Settings: documented once, validated with messages naming the file and key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pcsauvegarde.station.settings import ConfigError, Settings, field_docs, load_settings

DOC = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_every_setting_has_help_and_is_documented():
    docs = field_docs()
    text = DOC.read_text(encoding="utf-8")
    for f in dataclasses.fields(Settings):
        assert docs.get(f.name), f"{f.name} has no docstring"
        if f.name != "data_dir":
            assert f"`{f.name}`" in text, f"{f.name} missing from docs/configuration.md"


@pytest.mark.parametrize("content, words", [
    ("port = 70000\n", ["port"]),
    ("unknown_key = 1\n", ["unknown_key", "inconnue"]),
    ("stale_after_minutes = 'deux heures'\n", ["stale_after_minutes", "int"]),
    ("station_id = 'Pas Valide'\n", ["station_id"]),
    ("[[sources]]\nid = 'x'\nkind = 'ftp'\n", ["sources[0]", "ftp"]),
    ("not toml at all [\n", ["illisible"]),
])
def test_bad_settings_are_refused_with_file_and_key(tmp_path, content, words):
    (tmp_path / "station.toml").write_text(content)
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert "station.toml" in str(exc.value)
    for w in words:
        assert w in str(exc.value)


def test_write_then_load_round_trip(tmp_path):
    from pcsauvegarde.station.settings import write_settings
    s = load_settings(tmp_path, {"station_id": "urgences-1", "stale_after_minutes": 30,
                                 "sources": [{"id": "a", "path": "/mnt/x"}]})
    write_settings(s)
    assert load_settings(tmp_path) == s


def test_one_default_data_dir(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.demo.station import DemoPaths
    from pcsauvegarde.station import settings as settings_module
    from pcsauvegarde.station.settings import DATA_ENV, DEFAULT_DATA_DIR, default_data_dir

    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setattr(settings_module, "SYSTEM_DATA_DIR", tmp_path / "pas-installe")
    assert default_data_dir() == DEFAULT_DATA_DIR == Path("snapshots/station")
    # `make demo` / `pcsauvegarde demo` put their station where every other command looks.
    demo_help = CliRunner().invoke(main, ["demo", "--help"]).output
    assert f"[default: {DEFAULT_DATA_DIR.parent}]" in demo_help
    assert DemoPaths(DEFAULT_DATA_DIR.parent).station == DEFAULT_DATA_DIR
    assert "/var/lib/pcsauvegarde" in CliRunner().invoke(main, ["pull", "--help"]).output
    (tmp_path / "installe").mkdir()
    monkeypatch.setattr(settings_module, "SYSTEM_DATA_DIR", tmp_path / "installe")
    assert default_data_dir() == tmp_path / "installe"
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "ailleurs"))
    assert default_data_dir() == tmp_path / "ailleurs"


def test_no_command_but_init_creates_a_data_dir(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.station.settings import DATA_ENV

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(DATA_ENV, raising=False)
    for args in (["pull"], ["keys"], ["users", "list"], ["freeze", "status"],
                 ["quarantine", "list"], ["serve"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1 and "aucune station dans" in r.output, (args, r.output)
        assert "pcsauvegarde init --data" in r.output
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "st"))
    assert CliRunner().invoke(main, ["init", "--station", "rea-1"]).exit_code == 0
    assert (tmp_path / "st" / "station.toml").is_file()
    assert CliRunner().invoke(main, ["freeze", "status"]).exit_code == 0


def test_serve_says_where_it_listens_and_what_it_pulls(tmp_path):
    from pcsauvegarde.cli.main import startup_lines

    s = load_settings(tmp_path, {"station_id": "rea-1", "port": 8181,
                                 "printer": "cups:REA_A4",
                                 "sources": [{"id": "depot", "path": "/mnt/depot"}]})
    text = "\n".join(startup_lines(s))
    assert "Interface : http://127.0.0.1:8181/" in text
    assert "Station : rea-1" in text
    assert "Source « depot » : folder /mnt/depot, toutes les 60 s" in text
    assert "Imprimante : file CUPS « REA_A4 »" in text


def test_settings_own_every_path(tmp_path):
    """No module joins names onto data_dir itself: Settings says where each file lives."""
    import re

    import pcsauvegarde

    root = Path(pcsauvegarde.__file__).parent
    joins = re.compile(r"data_dir\s*/")
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "settings.py" and joins.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    s = load_settings(tmp_path, {"identity_file": "/etc/pcsauvegarde/station.agekey"})
    assert s.identity_path == Path("/etc/pcsauvegarde/station.agekey")
    assert s.signing_key_path == tmp_path / "keys" / "station-sign.key"
    assert s.publisher_key_paths == (tmp_path / "keys" / "publisher.pub",)
    paths = [s.store_path, s.state_path, s.packages_dir, s.quarantine_dir, s.incoming_dir,
             s.documents_dir, s.printed_dir, s.exports_dir, s.freeze_flag, s.web_secret_path]
    assert len(set(paths)) == len(paths) and all(p.parent == tmp_path for p in paths)
