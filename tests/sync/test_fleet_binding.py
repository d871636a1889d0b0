"""A heartbeat key speaks for its own station only; the heartbeat carries the doctor verdict."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.fleet import fleet_status
from pcsauvegarde.publisher.fleet_pins import (
    FleetConfigError,
    FleetPins,
    PinnedStation,
    pins_from_config,
)
from pcsauvegarde.station.station import open_station
from tests.support.heartbeats import station_settings, write_beat

LONG = dt.timedelta(days=3650)


def _pins(*stations) -> FleetPins:
    return FleetPins(tuple(PinnedStation(s.station_id, pub) for s, pub in stations))


def test_a_station_key_cannot_speak_for_another_station(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a, b = station_settings(settings, "poste-a"), station_settings(settings, "poste-b")
    write_beat(drop, a[0])
    # poste-b's real key signs a heartbeat written in poste-c's place
    write_beat(drop, a[0], name="poste-c", edit=lambda s: s.update(station="poste-c"),
               signer=b[0])
    write_beat(drop, b[0], edit=lambda s: s.update(station="poste-a"), signer=b[0])
    c = station_settings(settings, "poste-c")
    rows = {r.station: r for r in fleet_status(drop, _pins(a, b, c), LONG)}
    assert rows["poste-a"].state != "invalide"
    assert rows["poste-c"].state == "invalide"
    assert ("signal de vie de « poste-c » signé par la clé de la station « poste-b » : refusé"
            in rows["poste-c"].detail)
    # signed by its own key but claiming another station inside: refused too
    assert rows["poste-b"].state == "invalide"
    assert "se dit de la station « poste-a »" in rows["poste-b"].detail

    # the same forged file, poste-a's name, signed by poste-b: refused, not read as poste-a
    write_beat(drop, a[0], signer=b[0])
    row = next(r for r in fleet_status(drop, _pins(a, b), LONG) if r.station == "poste-a")
    assert row.state == "invalide" and "clé de la station « poste-b »" in row.detail


def test_a_heartbeat_of_an_unpinned_station_is_refused(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a, stray = station_settings(settings, "poste-a"), station_settings(settings, "intrus")
    write_beat(drop, stray[0])
    rows = {r.station: r for r in fleet_status(drop, _pins(a), LONG)}
    assert rows["intrus"].state == "invalide"
    assert "aucune clé épinglée pour la station « intrus »" in rows["intrus"].detail
    assert rows["poste-a"].state == "silencieuse"


def test_heartbeat_carries_doctor_verdict_version_and_audit_head(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    ready = station_settings(settings, "poste-pret")   # the conftest station, with sources
    bare = station_settings(settings, "poste-nu", sources=[])  # no source: doctor says critical
    older = station_settings(settings, "poste-ancien")
    open_station(ready[0]).audit.record("admin", "user.login", "admin", {})
    beat = write_beat(drop, ready[0])
    write_beat(drop, bare[0])
    write_beat(drop, older[0], edit=lambda s: s.update(version="0.0.1"))
    assert beat["readiness"]["level"] in ("ok", "warning")
    assert isinstance(beat["audit_head"]["seq"], int)
    rows = {r.station: r for r in fleet_status(drop, _pins(ready, bare, older), LONG)}
    assert "non prête" in rows["poste-nu"].flags
    assert rows["poste-nu"].failing == ("Sources",)
    assert rows["poste-nu"].readiness == "critical"
    assert "non prête" not in rows["poste-pret"].flags
    assert rows["poste-pret"].version == beat["version"]
    assert rows["poste-pret"].audit_head == beat["audit_head"]["seq"]
    # units from the heartbeat when no publisher.toml names them (codes only)
    assert rows["poste-pret"].units == tuple(beat["units"]) and "REA" in beat["units"]
    assert "version" in rows["poste-ancien"].flags  # (default ranges overlap too)
    assert "version" not in rows["poste-pret"].flags
    assert f"version 0.0.1, le parc est en {beat['version']}" in rows["poste-ancien"].detail


def test_a_broken_check_does_not_silence_the_heartbeat(settings, tmp_path, monkeypatch):
    from pcsauvegarde.station import readiness

    def broken(*args, **kwargs):
        raise RuntimeError("contrôle cassé")

    monkeypatch.setattr(readiness, "assess", broken)
    drop = tmp_path / "depot"
    drop.mkdir()
    a = station_settings(settings, "poste-a")
    beat = write_beat(drop, a[0])
    assert beat["readiness"] == {"level": "unknown", "failing": [],
                                 "error": "RuntimeError : contrôle cassé"}
    row = fleet_status(drop, _pins(a), LONG)[0]
    assert row.readiness_label == "non vérifiée" and "non prête" not in row.flags
    # « non vérifiée » is not « prête »: flagged, with the station's error in the detail
    assert row.state == "non vérifiée" and row.flags == ("non vérifiée",)
    assert "contrôle cassé" in row.detail


def test_a_heartbeat_without_its_signature_is_refused_in_french(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a = station_settings(settings, "poste-a")
    write_beat(drop, a[0])
    (drop / "heartbeat-poste-a.json.minisig").unlink()
    row = fleet_status(drop, _pins(a), LONG)[0]
    assert row.state == "invalide"
    assert "signature « heartbeat-poste-a.json.minisig » absente" in row.detail


def test_silent_station_that_stopped_writing(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a = station_settings(settings, "poste-a")
    write_beat(drop, a[0], edit=lambda s: s.update(written_at="2026-01-01T00:00:00Z",
                                                    data_age_seconds=60))
    row = fleet_status(drop, _pins(a), dt.timedelta(minutes=30),
                       now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))[0]
    assert row.flags[:2] == ("silencieuse", "périmée") and "sans signal" in row.detail


def _toml(tmp_path, stations: str) -> str:
    path = tmp_path / "publisher.toml"
    path.write_text(f'drop_dir = "depot"\nsigning_key = "p.key"\n{stations}', encoding="utf-8")
    return str(path)


def test_fleet_pins_from_publisher_toml(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a, b = station_settings(settings, "poste-a"), station_settings(settings, "poste-b")
    write_beat(drop, a[0])
    write_beat(drop, a[0], name="poste-b", edit=lambda s: s.update(station="poste-b"))
    config = _toml(tmp_path, f"""
[[stations]]
id = "poste-a"
recipients = ["age1x"]
units = ["REA", "USC"]
location = "Bâtiment B, 2e étage"
heartbeat_key = "{a[1].to_line()}"

[[stations]]
id = "poste-b"
recipients = ["age1y"]
units = ["*"]
heartbeat_key = "{b[1].to_line()}"
""")
    pins = pins_from_config(tmp_path / "publisher.toml")
    assert pins.drop == drop.resolve()
    assert pins.for_station("poste-a").units == ("REA", "USC")
    r = CliRunner().invoke(main, ["fleet", "--config", config])
    assert r.exit_code == 1, r.output
    line_a = next(x for x in r.output.splitlines() if x.startswith("poste-a"))
    line_b = next(x for x in r.output.splitlines() if x.startswith("poste-b"))
    assert "INVALIDE" not in line_a
    assert "INVALIDE" in line_b and "clé de la station « poste-a »" in line_b


def test_fleet_config_errors_are_french_and_precise(settings, tmp_path):
    (tmp_path / "depot").mkdir()
    a = station_settings(settings, "poste-a")
    bad = _toml(tmp_path, """
[[stations]]
id = "poste-a"
recipients = ["age1x"]
units = ["*"]
heartbeat_key = "pas une clé"
""")
    r = CliRunner().invoke(main, ["fleet", "--config", bad])
    assert r.exit_code == 1 and "station « poste-a » : heartbeat_key n'est pas" in r.output
    try:
        pins_from_config(tmp_path / "publisher.toml")
        raise AssertionError("a bad key must be refused")
    except FleetConfigError:
        pass
    shared = _toml(tmp_path, f"""
[[stations]]
id = "poste-a"
recipients = ["age1x"]
units = ["*"]
heartbeat_key = "{a[1].to_line()}"

[[stations]]
id = "poste-b"
recipients = ["age1x"]
units = ["*"]
heartbeat_key = "{a[1].to_line()}"

[[stations]]
id = "poste-c"
recipients = ["age1x"]
units = ["*"]
""")
    r = CliRunner().invoke(main, ["fleet", "--config", shared])
    assert "une même clé est épinglée pour plusieurs stations (« poste-a », « poste-b »)" in (
        r.output)
    assert "station « poste-c » sans heartbeat_key" in r.output
    r = CliRunner().invoke(main, ["fleet"])
    assert r.exit_code == 2 and "--config publisher.toml ou --keys" in r.output


def test_fleet_remembers_audit_heads_and_flags_a_rewritten_journal(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a = station_settings(settings, "poste-a")
    station = open_station(a[0])
    keys = tmp_path / "cles"
    keys.mkdir()
    (keys / "poste-a.pub").write_text(a[1].to_file_text())
    heads = tmp_path / "fleet-heads.json"
    args = ["fleet", "--drop", str(drop), "--keys", str(keys), "--heads", str(heads)]

    station.audit.record("admin", "user.login", "admin", {})
    first = write_beat(drop, a[0])["audit_head"]
    r = CliRunner().invoke(main, args)
    assert "RÉÉCRIT" not in r.output and "AUDIT" not in r.output, r.output
    station.audit.record("admin", "user.login", "admin", {})
    write_beat(drop, a[0])
    assert "AUDIT" not in CliRunner().invoke(main, args).output  # the journal grew: fine

    # the station's journal cut back to an older head (root, or a restored backup)
    write_beat(drop, a[0], edit=lambda s: s.update(audit_head=first))
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "AUDIT" in r.output
    assert f"journal d'audit en recul : tête n° {first['seq']}" in r.output
    # the same entry number with another hash: rewritten
    write_beat(drop, a[0], edit=lambda s: s.update(audit_head={**first, "hash": "0" * 64}))
    r = CliRunner().invoke(main, args)
    assert f"l'entrée n° {first['seq']} n'a plus la même empreinte" in r.output

    heads.write_text("pas du json", encoding="utf-8")
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "mémoire des têtes du journal d'audit illisible" in r.output
