"""Source change detection (files by digest, FHIR by lastUpdated, HL7 as events) and --watch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pcsauvegarde.core.records import DOMAINS
from pcsauvegarde.publisher import inputs as inputs_module
from pcsauvegarde.publisher.inputs import SourceInputs
from pcsauvegarde.publisher.mirror import Mirror
from pcsauvegarde.publisher.publisher import write_publisher_config
from pcsauvegarde.publisher.report import UNCHANGED
from pcsauvegarde.publisher.watch import Watcher
from tests.support.fhir import IPP
from tests.support.fhir import patient_resource as _patient
from tests.support.hl7 import PID
from tests.support.hl7 import message as _msg
from tests.support.hl7 import visit as _pv1
from tests.support.hospital import publisher, pull, station

DATA = Path(__file__).parent / "data"


def _land(path: Path, text: str, age: float = 5.0) -> Path:
    """Write a file as an exporter would, settled ``age`` seconds ago."""
    path.write_text(text, "utf-8")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def _obs(oid: str, value: float, updated: str) -> dict:
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "meta": {"lastUpdated": updated}, "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "laboratory"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "2823-3",
                                 "display": "Potassium"}]},
            "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2026-11-27T08:00:00Z",
            "valueQuantity": {"value": value, "unit": "mmol/L"}}


def _entry(mirror: Mirror, rtype: str, rid: str) -> dict:
    entry = mirror.entry((rtype, rid))
    assert entry is not None
    return json.loads(entry.line)


def test_hl7_messages_are_events_on_the_state_earlier_ones_left(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mirror = Mirror()
    sources = SourceInputs(mirror)
    _land(inbox / "0001.hl7", _msg("ADT^A01^ADT_A01", "1", "EVN|A01|202611250830", PID, _pv1()),
          age=20)
    assert sources.refresh([inbox]).changed == 2  # patient, stay
    _land(inbox / "0002.hl7", _msg("ADT^A03", "2", "EVN|A03|202611271015", PID,
                                   _pv1(admit="")), age=10)
    report = sources.refresh([inbox])
    assert (report.files, report.changed) == (1, 1)  # only the new message was read
    stay = _entry(mirror, "stay", "NDA77")
    assert stay["admission"] == "2026-11-25T07:30:00Z"  # kept from the A01 an earlier file gave
    assert stay["discharge"] == "2026-11-27T09:15:00Z"


def test_unchanged_files_are_not_parsed_and_changed_catalogues_delete(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text = (DATA / "produits.csv").read_bytes()
    (inbox / "produits.csv").write_bytes(text)
    os.utime(inbox / "produits.csv", (time.time() - 10,) * 2)
    mirror = Mirror()
    sources = SourceInputs(mirror)
    assert sources.refresh([inbox]).changed > 1
    products = mirror.keys("pharmacy")
    mirror.take(DOMAINS)  # as a publish would
    parsed = []
    real = inputs_module.import_catalogues
    monkeypatch.setattr(inputs_module, "import_catalogues", lambda p: parsed.append(p) or real(p))
    os.utime(inbox / "produits.csv", (time.time() - 5,) * 2)  # touched, same bytes
    report = sources.refresh([inbox])
    assert (report.unchanged_files, report.files, parsed) == (1, 0, [])
    assert not mirror.pending
    # the exporter drops the last product line: that product is deleted, nothing else moves
    lines = text.rstrip(b"\n").split(b"\n")
    (inbox / "produits.csv").write_bytes(b"\n".join(lines[:-1]) + b"\n")
    os.utime(inbox / "produits.csv", (time.time() - 2,) * 2)
    report = sources.refresh([inbox])
    assert len(parsed) == 1 and report.removed == 1 and report.changed == 0
    assert len(mirror.keys("pharmacy")) == len(products) - 1


def test_fhir_since_exports_map_newer_versions_in_the_earlier_context(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mirror = Mirror()
    sources = SourceInputs(mirror)
    first = [_patient(), _obs("o1", 4.1, "2026-11-27T08:05:00Z")]
    _land(inbox / "export1.ndjson", "".join(json.dumps(x) + "\n" for x in first), age=30)
    assert sources.refresh([inbox]).rejections == []
    # a _since export: o1 updated (08:30 UTC), a new result o2 for the patient of export1
    since = [_obs("o1", 5.9, "2026-11-27T09:30:00+01:00"), _obs("o2", 3.2, "2026-11-27T08:30Z")]
    _land(inbox / "export2.ndjson", "".join(json.dumps(x) + "\n" for x in since), age=20)
    report = sources.refresh([inbox])
    assert report.rejections == [] and report.changed == 2
    assert _entry(mirror, "lab_result", "o1")["value"] == "5.9"
    assert _entry(mirror, "lab_result", "o2")["ipp"] == "12345678"  # patient from export1
    # an older version (09:00+01:00 is 08:00 UTC) arriving late is not taken
    stale = [_obs("o1", 1.0, "2026-11-27T09:00:00+01:00")]
    _land(inbox / "export3.ndjson", json.dumps(stale[0]) + "\n", age=10)
    assert sources.refresh([inbox]).changed == 0
    assert _entry(mirror, "lab_result", "o1")["value"] == "5.9"
    assert IPP  # the patient was found by this identifier system


def test_files_still_being_written_wait(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sources = SourceInputs(Mirror(), settle=60)
    _land(inbox / "0001.hl7", _msg("ADT^A01^ADT_A01", "1", PID, _pv1()), age=0)
    (inbox / "0002.hl7.part").write_text("MSH|", "utf-8")
    assert sources.refresh([inbox]).files == 0


def test_watcher_publishes_new_messages_and_a_station_sees_them(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    settings, store = station(tmp_path, config, ids["urg-1"], "urg-1")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _land(inbox / "0001.hl7", _msg("ADT^A01^ADT_A01", "1", "EVN|A01|202611250830", PID, _pv1()))
    ticks = iter(range(0, 10_000, 5))
    watcher = Watcher(config, (inbox,), interval=15, clock=lambda: next(ticks))
    first = watcher.turn()
    assert first.published and [p.name for p in first.written] == ["urg-1.dpi.full.0000000001.age"]
    _land(inbox / "0002.hl7", _msg("ADT^A02", "2", "EVN|A02|202611260900", PID,
                                   _pv1(unit="USIC", admit="")))
    assert watcher.turn().written == []  # 5 s after: at most one publish per interval
    assert watcher.turn().written == []
    turn = watcher.turn()  # 15 s after the first
    (delta,) = turn.written
    assert delta.name == "urg-1.dpi.delta.0000000002.age"
    # an HTTPS drop serves index.txt: it lists every package, the new delta included
    index = (config.drop_dir / "index.txt").read_text()
    assert f"{delta.name} {delta.stat().st_size}" in index and ".full.0000000001" in index
    # the cycle's report: the A02 read a patient (unchanged) and a stay (moved to USIC); the
    # patient's records are looked at again, the stations already have the patient's line
    assert turn.report is not None
    patient, stay = turn.report.types["patient"], turn.report.types["stay"]
    assert (patient.imported, patient.in_scope, patient.sent) == (1, 1, 0)
    assert patient.not_sent == {UNCHANGED: 1}
    assert (stay.imported, stay.in_scope, stay.sent) == (1, 1, 1)
    pull(settings, store)
    assert store.snapshot("dpi").sequence == 2


def test_watcher_stops_on_its_event_within_a_turn(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    stop = threading.Event()
    turns = []
    watcher = Watcher(config, (tmp_path,), interval=1, scan_seconds=0.05)
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    watcher.run(stop, turns.append, max_turns=1000)
    assert time.monotonic() - started < 5 and 1 <= len(turns) < 1000


def test_cli_watch_publishes_then_stops_cleanly_on_sigterm(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _land(inbox / "0001.hl7", _msg("ADT^A01^ADT_A01", "1", PID, _pv1()))
    proc = subprocess.Popen([sys.executable, "-m", "pcsauvegarde.cli", "publish", "--config",
                             str(toml), "--watch", "--interval", "1", str(inbox)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        drop = tmp_path / "pub" / "drop"
        while not list(drop.glob("*.age")) and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "publié :" in out and "Publication continue arrêtée." in out
    assert "Bilan par type" in out and "séjours : 1 → 1 → 1" in out
    assert "Traceback" not in err


def test_drop_keeps_the_last_two_fulls_and_their_deltas(tmp_path):
    from pcsauvegarde.publisher.drop import prune_drop

    names = ["s.dpi.full.0000000001.age", "s.dpi.delta.0000000002.age",
             "s.dpi.full.0000000003.age", "s.dpi.delta.0000000004.age",
             "s.dpi.full.0000000005.age", "s.dpi.delta.0000000006.age",
             "s.lab.full.0000000001.age", "heartbeat-s.json", "autre.age"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / (name + ".minisig")).write_bytes(b"x")
    removed = prune_drop(tmp_path)
    assert [p.name for p in removed] == ["s.dpi.delta.0000000002.age",
                                         "s.dpi.full.0000000001.age"]
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".minisig"))
    assert left == sorted(set(names) - {p.name for p in removed})
    assert not (tmp_path / "s.dpi.full.0000000001.age.minisig").exists()
