"""The publisher writes the drop's index.txt, which is all an HTTPS drop needs to be pulled."""

from __future__ import annotations

import hashlib

from pcsauvegarde.publisher.publisher import publish
from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.hospital import T0, hospital, publisher, station
from tests.support.peers import HttpsDrop


def test_index_lists_every_signed_package_with_its_size(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    written = publish(hospital(), config, "full", now=T0)
    (config.drop_dir / ".urg-1.dpi.full.0000000009.age.tmp").write_bytes(b"half")
    (config.drop_dir / "urg-1.lab.full.0000000009.age").write_bytes(b"no signature yet")
    index = config.drop_dir / "index.txt"
    publish(hospital(), config, "delta", now=T0)  # nothing new: the index is rewritten anyway
    lines = index.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# pcsauvegarde drop index")
    assert lines[1:] == sorted(f"{p.name} {p.stat().st_size}" for p in written)
    assert not list(config.drop_dir.glob(".*index*"))  # no temporary file left behind


def test_https_drop_served_from_the_publisher_index(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    publish(hospital(), config, "full", now=T0)
    server = HttpsDrop(tmp_path / "https", config.drop_dir)  # a plain static TLS file server
    try:
        settings, store = station(tmp_path, config, ids["urg-1"], "urg-1")
        settings = load_settings(settings.data_dir, {"sources": [
            {"id": "https", "kind": "https", "url": server.url, "timeout_seconds": 5,
             "pin_sha256": hashlib.sha256(server.der).hexdigest()}]})
        (run,) = pull_all(settings, store, load_station_keys(settings))
    finally:
        server.stop()
    assert run.error == "" and run.accepted == 4 and run.quarantined == 0
