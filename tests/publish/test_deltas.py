"""Publisher deltas end to end: full → deltas → the station equals a fresh full of the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from pcsauvegarde.core.package import read_package
from pcsauvegarde.core.package.minisign import load_public_key
from pcsauvegarde.core.records import Allergy
from pcsauvegarde.publisher.publisher import PublishError, publish
from pcsauvegarde.station.store import Store
from tests.support.hospital import T0, hospital, patient, publisher, pull, replace, station

MIN = dt.timedelta(minutes=1)


def dump(store: Store) -> tuple[list, list]:
    with sqlite3.connect(store.path) as db:
        return (db.execute("SELECT type, id, data FROM record ORDER BY type, id").fetchall(),
                db.execute("SELECT * FROM patient_index ORDER BY ipp").fetchall())


def test_full_then_three_deltas_equal_a_fresh_full(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    settings, store = station(tmp_path, config, ids["urg-1"], "urg-1")
    records = hospital()
    assert len(publish(records, config, "full", now=T0)) == 4  # dpi lab pharmacy directory
    assert {o.outcome for o in pull(settings, store)} == {"accepted"}

    # minute 1: an admission (patient, stay, first result)
    records += patient(7, "USIC")
    written = publish(records, config, "delta", now=T0 + MIN)
    assert sorted(p.name for p in written) == ["urg-1.dpi.delta.0000000002.age",
                                               "urg-1.lab.delta.0000000002.age"]
    # minute 2: a discharge and a new lab result
    records = replace(records, "stay", "NDA02", discharge=T0 + 2 * MIN)
    records += [dataclasses.replace(records[-1], id="K07b", value="5.9", abnormal="H")]
    written = publish(records, config, "delta", now=T0 + 2 * MIN)
    manifest, items = read_package(written[0], [load_public_key(config.signing_key.with_suffix(
        ".pub"))], ids["urg-1"])
    assert manifest.base_sequence == 2 and [i.id for i in items] == ["NDA02"]
    # minute 3: an allergy deleted at the source
    records = [r for r in records if not isinstance(r, Allergy)]
    (written,) = publish(records, config, "delta", now=T0 + 3 * MIN)
    assert written.name == "urg-1.dpi.delta.0000000004.age"
    assert publish(records, config, "delta", now=T0 + 4 * MIN) == []  # nothing changed

    assert {o.outcome for o in pull(settings, store)} == {"accepted"}
    assert store.snapshot("dpi").sequence == 4 and store.snapshot("lab").sequence == 3

    fresh_config, fresh_ids = publisher(tmp_path / "pub2", [("urg-1", "", ("*",))])
    fresh_settings, fresh_store = station(tmp_path / "fresh", fresh_config, fresh_ids["urg-1"],
                                          "urg-1")
    publish(records, fresh_config, "full", now=T0 + 3 * MIN)
    pull(fresh_settings, fresh_store)
    assert dump(store) == dump(fresh_store)
    rows, index = dump(store)
    assert ("allergy", "A00") not in {(t, i) for t, i, _ in rows}
    assert any(r[0] == "900007" and r[7] == 1 for r in index)  # the admitted patient, current


def test_auto_is_full_when_old_or_interrupted_and_delta_otherwise(tmp_path, monkeypatch):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    config = dataclasses.replace(config, full_every_minutes=30)
    records = hospital()

    def kinds(paths):
        return {p.name.split(".")[2] for p in paths}

    assert kinds(publish(records, config, "auto", now=T0, domains=["dpi"])) == {"full"}
    records = replace(records, "stay", "NDA01", room="999")
    assert kinds(publish(records, config, "auto", now=T0 + MIN, domains=["dpi"])) == {"delta"}
    records = replace(records, "stay", "NDA01", room="998")
    assert kinds(publish(records, config, "auto", now=T0 + 31 * MIN, domains=["dpi"])) == {"full"}

    # a crash between writing a package and recording it: the next one is full, new sequence
    import pcsauvegarde.publisher.publisher as publisher_module

    def crash(*args, **kwargs):
        raise OSError("disque plein")
    monkeypatch.setattr(publisher_module.PublishState, "commit", crash)
    records = replace(records, "stay", "NDA01", room="997")
    with pytest.raises(OSError):
        publish(records, config, "delta", now=T0 + 32 * MIN, domains=["dpi"])
    monkeypatch.undo()
    (path,) = publish(records, config, "delta", now=T0 + 33 * MIN, domains=["dpi"])
    assert path.name == "urg-1.dpi.full.0000000005.age"


def test_unknown_kind_refused(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    with pytest.raises(PublishError, match="inconnu"):
        publish(hospital(), config, "souvent")
