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
