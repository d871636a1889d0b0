"""Keys and a package writer shared by the package-format tests."""

from __future__ import annotations

import pytest

from pcsauvegarde.core.package import write_package
from pcsauvegarde.core.package.age import generate_identity, public_key_of
from pcsauvegarde.core.package.minisign import generate_keypair
from tests.support.records import manifest, sample_records


@pytest.fixture(scope="session")
def signing_key():
    return generate_keypair()


@pytest.fixture(scope="session")
def identity():
    return generate_identity()


@pytest.fixture
def make_package(tmp_path, signing_key, identity):
    """Write a package to tmp_path; returns the .age path."""
    def make(items=None, recipients=None, key=None, **overrides):
        return write_package(tmp_path, manifest(**overrides),
                             sample_records() if items is None else items,
                             recipients or [public_key_of(identity)], key or signing_key)
    return make
