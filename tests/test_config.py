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
    from pcsauvegarde.station.settings import DATA_ENV, DEFAULT_DATA_DIR, default_data_dir

    monkeypatch.delenv(DATA_ENV, raising=False)
    assert default_data_dir() == DEFAULT_DATA_DIR == Path("snapshots/station")
    # `make demo` / `pcsauvegarde demo` put their station where every other command looks.
    demo_help = CliRunner().invoke(main, ["demo", "--help"]).output
    assert f"[default: {DEFAULT_DATA_DIR.parent}]" in demo_help
    assert DemoPaths(DEFAULT_DATA_DIR.parent).station == DEFAULT_DATA_DIR
    assert f"[default: {DEFAULT_DATA_DIR}]" in CliRunner().invoke(main, ["pull", "--help"]).output
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "ailleurs"))
    assert default_data_dir() == tmp_path / "ailleurs"


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
