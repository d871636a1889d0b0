"""Source settings: every field documented; each transport's required keys checked in French."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pcsauvegarde.station.settings import ConfigError, Source, field_docs, load_settings

DOCS = Path(__file__).parents[2] / "docs"


def test_every_source_setting_has_help_and_is_documented():
    docs = field_docs(Source)
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(Source):
        if f.name != "id":
            assert docs.get(f.name), f"Source.{f.name} has no docstring"
        assert f"`{f.name}`" in text, f"Source.{f.name} missing from docs/configuration.md"
    assert "index.txt" in (DOCS / "transports.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("source, words", [
    ({"kind": "sftp", "host": "h"}, ["user", "key_file", "host_key", "à renseigner"]),
    ({"kind": "https", "url": "https://x"}, ["pin_sha256 ou ca_file"]),
    ({"kind": "https", "url": "http://x", "ca_file": "ca.pem"}, ["https://"]),
    ({"kind": "https", "url": "https://x", "pin_sha256": "zz"}, ["pin_sha256", "SHA-256"]),
    ({"kind": "https", "url": "https://x", "pin_sha256": ["ab" * 32, "zz"]},
     ["pin_sha256", "SHA-256"]),
    ({"kind": "https", "url": "https://x", "pin_sha256": ["ab" * 32, 3]},
     ["sources[0].pin_sha256", "str"]),
    ({"kind": "https", "url": "https://x", "pin_sha256": []}, ["pin_sha256 ou ca_file"]),
    ({"kind": "sftp", "host": "h", "user": "u", "key_file": "k", "host_key": "x",
      "port": "22"}, ["sources[0].port", "int"]),
    ({"kind": "folder", "path": "/x", "timeout_seconds": 0}, ["timeout_seconds"]),
])
def test_bad_source_settings_are_refused_in_french(tmp_path, source, words):
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path, {"sources": [{"id": "s", **source}]})
    for w in words:
        assert w in str(exc.value)


def test_sftp_and_https_sources_round_trip(tmp_path):
    from pcsauvegarde.station.settings import write_settings
    s = load_settings(tmp_path, {"sources": [
        {"id": "a", "kind": "sftp", "host": "depot", "user": "u", "key_file": "k",
         "host_key": "SHA256:abc", "heartbeat": True},
        {"id": "b", "kind": "https", "url": "https://depot/x", "pin_sha256": "ab" * 32}],
        "min_free_mb": 100, "clock_skew_minutes": 2})
    write_settings(s)
    assert load_settings(tmp_path) == s
    assert s.sources[0] == Source(id="a", kind="sftp", host="depot", user="u", key_file="k",
                                  host_key="SHA256:abc", heartbeat=True)


@pytest.mark.parametrize("first, second", [
    ({"id": "a", "path": "depot"}, {"id": "b", "path": "./depot/"}),
    ({"id": "a", "kind": "sftp", "host": "Depot", "user": "u", "key_file": "k",
      "host_key": "SHA256:x", "remote_path": "/drop"},
     {"id": "b", "kind": "sftp", "host": "depot", "user": "v", "key_file": "k",
      "host_key": "SHA256:x", "remote_path": "/drop/"}),
    ({"id": "a", "kind": "https", "url": "https://depot/x", "pin_sha256": "a" * 64},
     {"id": "b", "kind": "https", "url": "https://depot/x/", "pin_sha256": "a" * 64}),
])
def test_two_sources_on_one_drop_are_refused_at_load(tmp_path, first, second):
    with pytest.raises(ConfigError, match="« a » et « b » désignent le même point de dépôt"):
        load_settings(tmp_path, {"sources": [first, second]})


def test_two_sources_with_one_id_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="deux sources portent l'id « a »"):
        load_settings(tmp_path, {"sources": [{"id": "a", "path": "x"}, {"id": "a", "path": "y"}]})
