"""Heartbeats over the HTTPS transport: the station PUTs, the drop server verifies and stores
(only what the station's pinned key signed), fleet reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import logging
import ssl
import threading

import pytest

from pcsauvegarde.core.package import minisign
from pcsauvegarde.publisher.drop_server import make_drop_server
from pcsauvegarde.publisher.fleet import fleet_status
from pcsauvegarde.publisher.fleet_pins import FleetPins, PinnedStation
from pcsauvegarde.station.keys import ensure_signing_key
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.peers import HttpsDrop, self_signed


@pytest.fixture
def drop_server(unpulled, drop, tmp_path):
    """pcsauvegarde's own drop server (serve-drop) over the test drop, on 127.0.0.1."""
    (tmp_path / "tls").mkdir()
    cert, key, der = self_signed(tmp_path / "tls")
    lines = [f"{p.name} {p.stat().st_size}" for p in sorted(drop.glob("*.age"))]
    (drop / "index.txt").write_text("\n".join(lines) + "\n")
    pinned: list[PinnedStation] = []  # the test pins keys as it makes them (read per PUT)
    server = make_drop_server(drop, cert, key, lambda: FleetPins(tuple(pinned)), "127.0.0.1", 0)
    server.pinned = pinned
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, hashlib.sha256(der).hexdigest()
    server.shutdown()
    server.server_close()


def _settings(settings, port: int, pin: str):
    return load_settings(settings.data_dir, {"sources": [
        {"id": "https-drop", "kind": "https", "url": f"https://127.0.0.1:{port}/",
         "pin_sha256": pin, "timeout_seconds": 5, "heartbeat": True}]})


def test_heartbeat_put_over_https_and_read_by_fleet(settings, drop_server, drop, keys):
    server, pin = drop_server
    s = _settings(settings, server.server_address[1], pin)
    pub = ensure_signing_key(s)
    server.pinned.append(PinnedStation("station-demo", pub))
    run = pull_all(s, open_station(s).store, keys)[0]
    assert run.error == "" and run.accepted >= 3
    beat = drop / "heartbeat-station-demo.json"
    assert beat.exists() and (drop / (beat.name + ".minisig")).exists()
    rows = fleet_status(drop, FleetPins((PinnedStation("station-demo", pub),)),
                        dt.timedelta(days=3650))
    assert [(r.station, r.flags) for r in rows] == [("station-demo", ())]
    assert rows[0].readiness in ("ok", "warning") and rows[0].last_pull is not None


def _request(port: int, method: str, path: str, body: bytes | None = None, headers=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_drop_server_accepts_heartbeats_only(drop_server, drop):
    server, _ = drop_server
    port = server.server_address[1]
    before = sorted(p.name for p in drop.iterdir())
    for path in ("/index.txt", "/evil.age", "/../station.toml", "/heartbeat-x.json.tmp",
                 "/heartbeat-A%2F..%2Fx.json", "/heartbeat-.json"):
        status, _ = _request(port, "PUT", path, b"{}")
        assert status == 403, path
    status, _ = _request(port, "PUT", "/heartbeat-rea-1.json", b"x" * (64 * 1024 + 1))
    assert status == 413
    assert sorted(p.name for p in drop.iterdir()) == before  # nothing written
    assert _request(port, "GET", "/")[0] == 403  # no folder listing
    status, body = _request(port, "GET", "/index.txt")
    assert status == 200 and body == (drop / "index.txt").read_bytes()
    # held until its signature comes and checks out: an unsigned heartbeat is never stored
    assert _request(port, "PUT", "/heartbeat-rea-1.json", b'{"a": 1}')[0] == 202
    assert not (drop / "heartbeat-rea-1.json").exists()


def _beat(station: str, written_at: str, secret: minisign.SecretKey,
          says: str | None = None) -> tuple[bytes, bytes]:
    data = json.dumps({"station": says or station, "written_at": written_at}).encode()
    return data, minisign.sign(data, secret, f"heartbeat station:{station}").encode()


def _put_pair(port: int, station: str, pair: tuple[bytes, bytes]) -> tuple[int, bytes]:
    assert _request(port, "PUT", f"/heartbeat-{station}.json", pair[0])[0] == 202
    return _request(port, "PUT", f"/heartbeat-{station}.json.minisig", pair[1])


def test_drop_server_stores_only_heartbeats_signed_by_the_station_pinned_key(drop_server,
                                                                              drop, caplog):
    """Anyone on the network reaches serve-drop: a forged, misbound or replayed heartbeat
    must not overwrite the station's own (it would blind the fleet view)."""
    server, _ = drop_server
    port = server.server_address[1]
    rea1, rea2, intruder = (minisign.generate_keypair() for _ in range(3))
    server.pinned.extend([PinnedStation("rea-1", rea1.public_key),
                          PinnedStation("rea-2", rea2.public_key)])
    genuine = _beat("rea-1", "2026-11-30T10:00:00Z", rea1)
    assert _put_pair(port, "rea-1", genuine)[0] == 204
    beat = drop / "heartbeat-rea-1.json"
    assert beat.read_bytes() == genuine[0]
    assert (drop / "heartbeat-rea-1.json.minisig").read_bytes() == genuine[1]

    attempts = {
        "clé inconnue": (_beat("rea-1", "2026-11-30T11:00:00Z", intruder), 403,
                         "signé par une clé inconnue"),
        "clé d'une autre station": (_beat("rea-1", "2026-11-30T11:00:00Z", rea2), 403,
                                    "signé par la clé de la station « rea-2 »"),
        "se dit d'une autre station": (_beat("rea-1", "2026-11-30T11:00:00Z", rea1, "rea-2"),
                                       403, "se dit de la station « rea-2 »"),
        "rejeu d'un ancien": (_beat("rea-1", "2026-11-30T09:00:00Z", rea1), 409,
                              "plus ancien que celui du dépôt"),
    }
    for what, (pair, status, reason) in attempts.items():
        with caplog.at_level(logging.WARNING, logger="pcsauvegarde.publisher.drop_server"):
            got, body = _put_pair(port, "rea-1", pair)
        assert got == status, what
        assert reason in body.decode() and reason in caplog.text, what
        assert beat.read_bytes() == genuine[0], what  # the station's own is kept

    # a signature alone (no heartbeat before it from this address) stores nothing
    assert _request(port, "PUT", "/heartbeat-rea-1.json.minisig", genuine[1])[0] == 409
    # unpinned station: refused, nothing written
    pair = _beat("rea-9", "2026-11-30T11:00:00Z", intruder)
    assert _put_pair(port, "rea-9", pair)[0] == 403
    assert "aucune clé épinglée pour la station « rea-9 »" in caplog.text
    assert not (drop / "heartbeat-rea-9.json").exists()
    # and a newer genuine heartbeat replaces the stored one
    newer = _beat("rea-1", "2026-11-30T12:00:00Z", rea1)
    assert _put_pair(port, "rea-1", newer)[0] == 204 and beat.read_bytes() == newer[0]


def test_read_only_https_drop_refusing_put_does_not_fail_the_pull(settings, unpulled, drop,
                                                                  keys, tmp_path, caplog):
    plain = HttpsDrop(tmp_path / "https", drop)  # a static server: PUT answers 501
    plain.index()
    try:
        s = _settings(settings, plain.port, hashlib.sha256(plain.der).hexdigest())
        ensure_signing_key(s)
        with caplog.at_level("WARNING"):
            run = pull_all(s, open_station(s).store, keys)[0]
    finally:
        plain.stop()
    assert run.error == "" and run.accepted >= 3
    assert not (drop / "heartbeat-station-demo.json").exists()
    assert "heartbeat of station-demo not written" in caplog.text
    # the static server answers 501 before reading the body: the station reads that answer,
    # unless the server's close beats it (then the cut connection is what is logged)
    assert ("refusé par le dépôt HTTPS (HTTP 501)" in caplog.text
            or "connexion HTTPS à 127.0.0.1" in caplog.text), caplog.text
