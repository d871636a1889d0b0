"""Poisoned packages, signed with the real publisher key (a compromised source can sign)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pyrage

from pcsauvegarde.core.package import Manifest
from pcsauvegarde.core.package.age import public_key_of, recipient_from_str
from pcsauvegarde.core.package.minisign import load_secret_key
from pcsauvegarde.core.package.seal import dumps_line, sign_package
from tests.conftest import NOW


def poisoned(world, keys, drop: Path, body: bytes, counts: dict[str, int], *,
             domain: str = "dpi", sequence: int = 10**6, recipient=None,
             signing_key=None, raw_plaintext: bytes | None = None) -> Path:
    """Write ``NAME.age`` + ``.minisig``: a real manifest, then ``body`` (a gzip member)."""
    paths, settings, _ = world
    manifest = Manifest(kind="full", domain=domain, station=settings.station_id,
                        source="attaque", extracted_at=NOW, sequence=sequence, counts=counts)
    head = gzip.compress(dumps_line(manifest.to_dict()), mtime=0)
    plaintext = raw_plaintext if raw_plaintext is not None else head + body
    encrypted = pyrage.encrypt(plaintext, [recipient_from_str(recipient or public_key_of(keys.identity))])
    secret = signing_key or load_secret_key(paths.publisher / "publisher.key")
    target = Path(drop) / manifest.file_name
    target.with_name(target.name + ".minisig").write_text(
        sign_package(encrypted, manifest, secret), encoding="utf-8")
    target.write_bytes(encrypted)
    return target


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def timed(fn):
    """(result, seconds)."""
    start = time.monotonic()
    out = fn()
    return out, time.monotonic() - start
