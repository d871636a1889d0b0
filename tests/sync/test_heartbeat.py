"""Signed heartbeats written back to the drop point, and the fleet view on the source side."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.fleet import fleet_status
from pcsauvegarde.publisher.fleet_pins import FleetPins, PinnedStation
from pcsauvegarde.station.keys import ensure_signing_key
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.sync.pull import pull_all


def test_heartbeat_written_signed_and_listed_by_fleet(unpulled, keys, drop, tmp_path):
    settings = unpulled
    s = load_settings(settings.data_dir, {"sources": [
        {"id": "test-drop", "path": str(drop), "heartbeat": True}]})
    pub = ensure_signing_key(s)
    from pcsauvegarde.station.station import open_station
    store = open_station(s).store
    run = pull_all(s, store, keys)[0]
    assert run.accepted >= 3
    beat = drop / "heartbeat-station-demo.json"
    status = json.loads(beat.read_text())
    assert status["station"] == "station-demo" and "dpi" in status["domains"]
    assert status["last_run"]["accepted"] == run.accepted
    assert "patient" not in beat.read_text()  # counts and sequences only, no patient data
    assert (drop / (beat.name + ".minisig")).exists()

    rows = fleet_status(drop, FleetPins((PinnedStation("station-demo", pub),)),
                        dt.timedelta(minutes=120))
    assert status["readiness"]["failing"] == [], status["readiness"]
    assert [(r.station, r.state) for r in rows] == [("station-demo", "ok")]
    assert status["stale_after_minutes"] == 120  # the station's banner threshold
    # the demo data is 10 minutes old: stale for a station whose banner says 5 minutes, and
    # the fleet follows the station's own threshold over its default
    s5 = load_settings(s.data_dir, {"stale_after_minutes": 5, "sources": [
        {"id": "test-drop", "path": str(drop), "heartbeat": True}]})
    pull_all(s5, store, keys)
    assert fleet_status(drop, FleetPins((PinnedStation("station-demo", pub),)),
                        dt.timedelta(minutes=120))[0].state == "périmée"
    pull_all(s, store, keys)

    keys_dir = tmp_path / "station-keys"
    keys_dir.mkdir()
    (keys_dir / "station-demo.pub").write_text(pub.to_file_text())
    r = CliRunner().invoke(main, ["fleet", "--drop", str(drop), "--keys", str(keys_dir)])
    assert r.exit_code == 0, r.output
    assert "Station" in r.output and "Âge des données" in r.output and "station-demo" in r.output

    beat.write_text(beat.read_text().replace('"accepted": ', '"accepted": 1'))
    r = CliRunner().invoke(main, ["fleet", "--drop", str(drop), "--keys", str(keys_dir)])
    assert r.exit_code == 1 and "INVALIDE" in r.output and "signature" in r.output


def test_heartbeat_without_key_does_not_fail_the_run(settings, keys, drop):
    s = load_settings(settings.data_dir, {"sources": [
        {"id": "test-drop", "path": str(drop), "heartbeat": True}],
        "signing_key_file": "keys/absent.key"})
    from pcsauvegarde.station.station import open_station
    run = pull_all(s, open_station(s).store, keys)[0]
    assert run.error == "" and not (drop / "heartbeat-station-demo.json").exists()


def test_fleet_flags_two_stations_with_overlapping_ranges(settings, drop):
    """Each heartbeat carries the station's ranges: the same lab block twice is shouted."""
    from pcsauvegarde.station.sync.heartbeat import build_status, signed_heartbeat

    class Run:
        source, ended, seen, accepted, quarantined, error = "d", None, 0, 0, 0, ""

    from pcsauvegarde.station.station import open_station
    pubs = []
    for station_id, lab in (("poste-a", "9500001-9599999"), ("poste-b", "9590000-9699999"),
                            ("poste-c", "9700000-9799999")):
        s = load_settings(settings.data_dir, {"station_id": station_id, "lab_range": lab,
                                              "signing_key_file": f"keys/{station_id}.key"})
        pubs.append(PinnedStation(station_id, ensure_signing_key(s)))
        status = build_status(s, open_station(s).store, Run())
        assert status["ranges"]["labo"] == {"range": lab, "next": None}
        data, sig = signed_heartbeat(s, status)
        (drop / f"heartbeat-{station_id}.json").write_bytes(data)
        (drop / f"heartbeat-{station_id}.json.minisig").write_text(sig)
    rows = {r.station: r
            for r in fleet_status(drop, FleetPins(tuple(pubs)), dt.timedelta(days=3650))}
    assert rows["poste-a"].state == rows["poste-b"].state == "chevauchement"
    assert "plage labo chevauche poste-b/labo" in rows["poste-a"].detail
    # the same provisional IPP/NDA defaults on every station overlap as well
    assert "ipp-provisoire chevauche poste-c/ipp-provisoire" in rows["poste-a"].detail


def test_fleet_flags_silent_stations_and_skips_foreign_keys(unpulled, keys, drop, tmp_path):
    from pcsauvegarde.core.package.minisign import generate_keypair
    from pcsauvegarde.station.station import open_station

    s = load_settings(unpulled.data_dir, {"sources": [
        {"id": "test-drop", "path": str(drop), "heartbeat": True}]})
    pub = ensure_signing_key(s)
    pull_all(s, open_station(s).store, keys)
    keys_dir = tmp_path / "station-keys"
    keys_dir.mkdir()
    (keys_dir / "station-demo.pub").write_text(pub.to_file_text())
    silent = generate_keypair().public_key
    (keys_dir / "rea-2.pub").write_text(silent.to_file_text())
    (keys_dir / "collegue.pub").write_text("ssh-ed25519 AAAAC3Nza… pas une clé minisign\n")
    r = CliRunner().invoke(main, ["fleet", "--drop", str(drop), "--keys", str(keys_dir)])
    assert r.exit_code == 1, r.output  # a silent station needs checking
    assert "Attention : clé ignorée : « " in r.output and "collegue.pub" in r.output
    row = next(line for line in r.output.splitlines() if line.startswith("rea-2"))
    assert "SILENCIEUSE" in row and silent.identification in row
    ok = next(line for line in r.output.splitlines() if line.startswith("station-demo"))
    assert " ok " in ok and pub.identification in ok
    assert "2 station(s), 1 à vérifier dont 1 silencieuse(s)" in r.output


def test_one_identification_for_a_key_everywhere(unpulled, tmp_path):
    """keys, the admin page (station/keys.fingerprints) and fleet print the same text."""
    from pcsauvegarde.station.keys import fingerprints

    pub = ensure_signing_key(unpulled)
    text = pub.identification
    assert text.startswith("empreinte ") and f"ID minisign {pub.key_id_hex}" in text
    assert len(pub.fingerprint.replace(" ", "")) == 32
    out = CliRunner().invoke(main, ["keys", "--data", str(unpulled.data_dir)]).output
    assert f"  {text}" in out
    assert dict(fingerprints(unpulled))["Station, signature des signaux de vie"] == text
