"""Poisoned packages for the tests, signed with the real publisher key (bench/attacks.py)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

from bench.attacks import write_poisoned
from pcsauvegarde.core.package.age import public_key_of
from pcsauvegarde.core.package.minisign import load_secret_key
from tests.support.constants import NOW


def poisoned(world, keys, drop: Path, body: bytes, counts: dict[str, int], *,
             domain: str = "dpi", sequence: int = 10**6, recipient=None,
             signing_key=None, raw_plaintext: bytes | None = None) -> Path:
    """Write ``NAME.age`` + ``.minisig`` for this world's station: a real manifest, then
    ``body`` (a gzip member), or ``raw_plaintext`` instead of both."""
    paths, settings, _ = world
    return write_poisoned(drop, settings.station_id,
                          recipient or public_key_of(keys.identity),
                          signing_key or load_secret_key(paths.publisher / "publisher.key"),
                          body, counts, domain=domain, sequence=sequence, extracted_at=NOW,
                          raw_plaintext=raw_plaintext)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def timed(fn):
    """(result, seconds)."""
    start = time.monotonic()
    out = fn()
    return out, time.monotonic() - start
