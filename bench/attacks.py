"""``python -m bench.attacks``: the poisoned packages of issue 11, timed to quarantine.

Each package is signed with the real publisher key (a compromised source can sign), dropped
next to a good package of another domain, and pulled; the script prints how long the pull
took, the reason code, and whether the good package still went through. Work happens in a
temporary folder under /tmp, removed at the end (``--keep DIR`` keeps it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pyrage

from pcsauvegarde.core.package import Manifest, minisign
from pcsauvegarde.core.package.age import recipient_from_str
from pcsauvegarde.core.package.seal import dumps_line, sign_package

MiB = 1024 * 1024
RECORD = (b'{"type":"patient","id":"%d","birth_name":"X","first_names":"Y",'
          b'"birth_date":"1950-01-01","sex":"M"}\n')


def write_poisoned(drop: Path, station: str, recipient: str, secret: minisign.SecretKey,
                   body: bytes, counts: dict[str, int], *, domain: str = "dpi",
                   sequence: int = 10**6, extracted_at: dt.datetime | None = None,
                   raw_plaintext: bytes | None = None) -> Path:
    """``NAME.age`` + ``.minisig``: a real manifest then ``body`` (one gzip member)."""
    manifest = Manifest(kind="full", domain=domain, station=station, source="attaque",
                        extracted_at=extracted_at or dt.datetime.now(dt.UTC).replace(
                            microsecond=0) - dt.timedelta(minutes=1),
                        sequence=sequence, counts=counts)
    head = gzip.compress(dumps_line(manifest.to_dict()), mtime=0)
    plaintext = raw_plaintext if raw_plaintext is not None else head + body
    encrypted = pyrage.encrypt(plaintext, [recipient_from_str(recipient)])
    target = Path(drop) / manifest.file_name
    target.with_name(target.name + ".minisig").write_text(
        sign_package(encrypted, manifest, secret), encoding="utf-8")
    target.write_bytes(encrypted)
    return target


def gzip_stream(chunks: Iterator[bytes]) -> bytes:
    """One gzip member from chunks, never holding the plaintext whole."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join(z.compress(c) for c in chunks) + z.flush()


def _attacks() -> dict[str, tuple[Callable[[], bytes], dict[str, int]]]:
    """Label → (how to make the gzip body, the manifest's counts); made one at a time."""
    def newlines(mib: int) -> bytes:
        return gzip_stream(b"\n" * MiB for _ in range(mib))
    return {
        "profondeur 50 000": (lambda: gzip.compress(b"[" * 50_000 + b"]" * 50_000 + b"\n"),
                              {"patient": 1}),
        "profondeur 200 000": (lambda: gzip.compress(b"[" * 200_000 + b"]" * 200_000 + b"\n"),
                               {"patient": 1}),
        "bombe 256 Mio de sauts de ligne": (lambda: newlines(256), {"patient": 1}),
        "bombe 4 Gio": (lambda: newlines(4096), {"patient": 1}),
        "bombe 1 Gio d'espaces sans saut de ligne": (
            lambda: gzip_stream(b" " * MiB for _ in range(1024)), {"patient": 1}),
        "3 M enregistrements, comptes menteurs": (
            lambda: gzip_stream(b"".join(RECORD % (i * 10_000 + j) for j in range(10_000))
                                for i in range(300)), {"patient": 1000}),
    }


def run(root: Path, out=print) -> dict[str, dict]:
    from bench.__main__ import STATION, setup
    from pcsauvegarde.core.package.age import public_key_of
    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.sync.pull import load_station_keys, pull_all

    config, station_dir, identity = setup(root)
    secret = minisign.load_secret_key(config.signing_key)
    recipient = public_key_of(identity)
    settings = load_settings(station_dir)
    station = open_station(settings)
    keys = load_station_keys(settings)
    figures: dict[str, dict] = {}
    out(f"{'paquet empoisonné':<40}{'taille':>10}{'tirage s':>10}  code, autre domaine")
    for seq, (label, (make, counts)) in enumerate(_attacks().items(), start=1):
        bad = write_poisoned(config.drop_dir, STATION, recipient, secret, make(), counts,
                             sequence=seq)
        write_poisoned(config.drop_dir, STATION, recipient, secret,
                       gzip.compress(b'{"type":"unit","id":"U%d","name":"Service"}\n' % seq),
                       {"unit": 1}, domain="directory", sequence=seq)
        start = time.monotonic()
        [run_] = pull_all(settings, station.store, keys)
        seconds = time.monotonic() - start
        codes = [o.code for o in run_.outcomes if o.outcome == "quarantined"]
        other = station.store.snapshot("directory")
        ok = other is not None and other.sequence == seq
        figures[label] = {"seconds": seconds, "codes": codes, "other_domain": ok,
                          "bytes": bad.stat().st_size, "error": run_.error}
        out(f"{label:<40}{bad.stat().st_size / 1e6:>8.2f} Mo{seconds:>9.2f}  "
            f"{','.join(codes) or run_.error or '—'}, {'accepté' if ok else 'BLOQUÉ'}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.attacks", description=__doc__)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        figures = run(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-attacks-", dir="/tmp") as tmp:
            figures = run(Path(tmp))
    slow = [k for k, f in figures.items() if f["seconds"] > 5 or not f["other_domain"]]
    print(f"\n{len(figures) - len(slow)}/{len(figures)} refusés en ≤ 5 s sans bloquer "
          f"l'autre domaine" + (f" ; hors cible : {', '.join(slow)}" if slow else ""))
    return 1 if slow else 0


if __name__ == "__main__":
    os.nice(5)
    sys.exit(main())
