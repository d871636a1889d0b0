"""The committed test vectors (tests/vectors/package/) still open, byte for byte."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyrage
import pytest

from pcsauvegarde.core import records
from pcsauvegarde.core.package import Deletion, PackageError, age, minisign, read_package
from pcsauvegarde.core.package.manifest import Manifest

VECTORS = Path(__file__).parents[1] / "vectors" / "package"
NAMES = ["test-station.dpi.full.0000000001.age", "test-station.dpi.delta.0000000002.age"]


def keys():
    return ([minisign.load_public_key(VECTORS / "TEST-ONLY-publisher-minisign.pub")],
            age.load_identity(VECTORS / "TEST-ONLY-station-identity.txt"))


@pytest.mark.parametrize("name", NAMES)
def test_vector_opens_and_matches_plaintext(name):
    pubkeys, identity = keys()
    manifest, items = read_package(VECTORS / name, pubkeys, identity, station="test-station")
    lines = (VECTORS / name.replace(".age", ".ndjson")).read_text(encoding="utf-8").splitlines()
    assert manifest == Manifest.from_dict(json.loads(lines[0]))
    expected = [json.loads(line) for line in lines[1:]]
    # a vector written before an optional field existed reads with that field's default
    assert [i.to_dict() for i in items] == [
        e if e["type"] == "deleted" else records.record_from_dict(e).to_dict() for e in expected]
    for item, line in zip(items, expected, strict=True):
        assert {k: v for k, v in item.to_dict().items() if k in line} == line
    plain = gzip.decompress(pyrage.decrypt((VECTORS / name).read_bytes(), [identity]))
    assert plain.decode("utf-8").splitlines() == lines


def test_vector_contents():
    pubkeys, identity = keys()
    _, full = read_package(VECTORS / NAMES[0], pubkeys, identity)
    assert isinstance(full[0], records.Patient) and full[0].first_names == "Élodie Anne"
    manifest, delta = read_package(VECTORS / NAMES[1], pubkeys, identity)
    assert manifest.base_sequence == 1 and delta[-1] == Deletion("medication_order", "mo2")


def test_vector_secret_key_matches_public_key():
    secret = minisign.load_secret_key(VECTORS / "TEST-ONLY-publisher-minisign.key")
    assert secret.public_key == keys()[0][0]


def test_vector_refused_by_another_publisher_key():
    _, identity = keys()
    with pytest.raises(PackageError) as err:
        read_package(VECTORS / NAMES[0], [minisign.generate_keypair().public_key], identity)
    assert err.value.reason == "signature"
