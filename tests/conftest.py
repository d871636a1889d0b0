"""Shared fixtures: the demo hospital published and pulled once per session; copies per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcsauvegarde.demo import station as demostation
from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.settings import load_settings, write_settings
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import NOW, PASSWORD
from tests.support.stations import unpull


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    """argon2id at the library defaults costs ~0.7 s a hash here: tests use a light one."""
    from argon2 import PasswordHasher

    from pcsauvegarde.station.state import accounts
    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = saved


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """Demo publisher, station keys and a drop folder holding one full package per domain."""
    root = tmp_path_factory.mktemp("world")
    paths, _, config = demostation.setup(root)
    written = demostation.publish_demo(paths, config, now=NOW)
    assert written, "the demo published nothing"
    return paths, load_settings(paths.station), config


@pytest.fixture(scope="session")
def pulled_template(world, tmp_path_factory) -> Path:
    """The demo station after its first pull (and with the nurse account), built once."""
    paths, _, _ = world
    root = tmp_path_factory.mktemp("pulled")
    data, drop = root / "station", root / "drop"
    shutil.copytree(paths.station, data, ignore=shutil.ignore_patterns(
        "*.sqlite*", "packages", "quarantine", "incoming"))
    shutil.copytree(paths.drop, drop)
    s = load_settings(data, {"sources": [{"id": "test-drop", "path": str(drop)}]})
    write_settings(s)
    st = open_station(s)
    runs = pull_all(s, st.store, load_station_keys(s))
    assert all(r.quarantined == 0 and not r.error for r in runs), runs
    st.accounts.add("infirmiere", "Inès Infirmière", PASSWORD, ("soins",), ("*",))
    return root


@pytest.fixture
def station_dir(pulled_template, tmp_path) -> Path:
    """A fresh copy of the pulled demo station (its own drop copy): pulling it costs a copy."""
    data, drop = tmp_path / "station", tmp_path / "drop"
    shutil.copytree(pulled_template / "station", data)
    shutil.copytree(pulled_template / "drop", drop)
    write_settings(load_settings(data, {"sources": [{"id": "test-drop", "path": str(drop)}]}))
    return data


@pytest.fixture
def settings(station_dir):
    return load_settings(station_dir)


@pytest.fixture
def drop(settings) -> Path:
    return Path(settings.sources[0].path)


@pytest.fixture
def keys(settings):
    return load_station_keys(settings)


@pytest.fixture
def station(settings):
    """A station that has pulled the demo hospital, with a nurse account."""
    return open_station(settings)


@pytest.fixture
def unpulled(settings):
    """The same station before its first pull: no read model, no kept package."""
    return unpull(settings)


@pytest.fixture
def app(station):
    from pcsauvegarde.station.web import create_app
    return create_app(station, {"TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def logged_in(client):
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 302, r.data
    return client


@pytest.fixture(scope="session")
def demo_records(world):
    """The canonical records of the demo hospital, as the publisher imported them."""
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
    paths, _, _ = world
    return list(import_fhir(sorted(paths.fhir.glob("*.ndjson"))).records)


@pytest.fixture
def make_package(world, keys):
    """Write a signed package for this station into a folder; manifest fields overridable."""
    from pcsauvegarde.core.package import Manifest, write_package
    from pcsauvegarde.core.package.age import public_key_of
    from pcsauvegarde.core.package.minisign import load_secret_key

    paths, settings, _ = world
    secret = load_secret_key(paths.publisher / "publisher.key")

    def make(folder: Path, records, *, domain="dpi", sequence=100, kind="full",
             station=None, extracted_at=NOW, base_sequence=None, signing_key=None,
             recipient=None, validate=True) -> Path:
        manifest = Manifest(kind=kind, domain=domain, station=station or settings.station_id,
                            source="tests", extracted_at=extracted_at, sequence=sequence,
                            base_sequence=base_sequence)
        return write_package(folder, manifest, records,
                             [recipient or public_key_of(keys.identity)],
                             signing_key or secret, validate=validate)
    return make
