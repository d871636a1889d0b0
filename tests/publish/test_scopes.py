"""Station scoping: only the patients of a station's units; one package per shared scope."""

from __future__ import annotations

import dataclasses

import pytest

from pcsauvegarde.core.package import PackageError, read_package
from pcsauvegarde.core.package.minisign import load_public_key
from pcsauvegarde.publisher.publisher import PublishError, load_publisher_config, publish
from pcsauvegarde.publisher.publisher import write_publisher_config as write_config
from tests.support.hospital import T0, hospital, publisher, pull, station

STATIONS = [("cardio-1", "cardio", ("CARDIO",)), ("cardio-2", "cardio", ("CARDIO",)),
            ("usic-1", "", ("USIC",))]


def test_each_scope_gets_its_patients_and_every_catalogue(tmp_path):
    config, ids = publisher(tmp_path / "pub", STATIONS)
    written = publish(hospital(), config, "full", now=T0)
    assert sorted(p.name.rsplit(".", 3)[0] for p in written) == [
        "cardio.directory", "cardio.dpi", "cardio.lab", "cardio.pharmacy",
        "usic-1.directory", "usic-1.dpi", "usic-1.lab", "usic-1.pharmacy"]
    pub = [load_public_key(config.signing_key.with_suffix(".pub"))]
    dpi = config.drop_dir / "cardio.dpi.full.0000000001.age"
    for sid in ("cardio-1", "cardio-2"):  # one extract, encrypted to both stations
        _, items = read_package(dpi, pub, ids[sid])
        assert {i.unit for i in items if i.TYPE == "stay"} == {"CARDIO"}
        assert {i.id for i in items if i.TYPE == "patient"} == {"900000", "900002", "900004"}
    with pytest.raises(PackageError, match="autre station"):
        read_package(dpi, pub, ids["usic-1"])
    _, items = read_package(config.drop_dir / "usic-1.lab.full.0000000001.age", pub,
                            ids["usic-1"])
    assert {i.ipp for i in items} == {"900001", "900003", "900005"}
    _, items = read_package(config.drop_dir / "usic-1.pharmacy.full.0000000001.age", pub,
                            ids["usic-1"])
    assert [i.id for i in items] == ["9213718"]


def test_station_accepts_its_group_packages(tmp_path):
    config, ids = publisher(tmp_path / "pub", STATIONS)
    publish(hospital(), config, "full", now=T0)
    settings, store = station(tmp_path, config, ids["cardio-2"], "cardio-2", scopes=["cardio"])
    outcomes = pull(settings, store)
    assert len(outcomes) == 4 and {o.outcome for o in outcomes} == {"accepted"}
    assert store.snapshot("dpi").counts["patient"] == 3
    other, other_store = station(tmp_path, config, ids["cardio-1"], "cardio-1")
    assert pull(other, other_store) == []  # not told about the group: ignores its packages


def test_group_config_round_trip_and_inconsistent_units(tmp_path):
    config, _ = publisher(tmp_path / "pub", STATIONS)
    path = tmp_path / "pub" / "publisher.toml"
    write_config(path, "drop", "publisher.key", config.stations)
    assert load_publisher_config(path).stations == config.stations
    bad = [dataclasses.replace(config.stations[1], units=("CARDIO", "USIC")),
           *config.stations[::2]]
    write_config(path, "drop", "publisher.key", bad)
    with pytest.raises(PublishError, match="mêmes unités"):
        load_publisher_config(path)
