"""``python -m bench.bigpackage [--mb 300]``: peak RSS of the station ingesting one big package.

Generates in /tmp (never in the repository) one signed dpi package of about ``--mb`` MB made
of medication orders with long, barely compressible comments, then pulls it in a child
process (``bench/ingest.py``) and prints its wall time and peak RSS (VmHWM).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.attacks import gzip_stream, write_poisoned


def _orders(count: int, now: dt.datetime):
    """NDJSON lines of ``count`` medication orders, 10 000 per chunk."""
    start = (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    patient = (b'{"type":"patient","id":"10000001","birth_name":"GROS","first_names":"Paquet",'
               b'"birth_date":"1950-01-01","sex":"F"}\n')
    yield patient
    for first in range(0, count, 10_000):
        lines = []
        for i in range(first, min(count, first + 10_000)):
            comment = os.urandom(1950).hex()  # 3 900 characters, about 2 bytes once gzipped
            lines.append(json.dumps(
                {"type": "medication_order", "id": f"o{i}", "ipp": "10000001",
                 "drug": "PARACÉTAMOL 1 g", "dose": "1", "unit": "g",
                 "timing": {"kind": "fixed_times", "times": ["08:00", "20:00"]},
                 "start": start, "comments": comment},
                ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        yield b"".join(lines)


def run(root: Path, megabytes: int, out=print) -> dict:
    from bench.__main__ import STATION, ingest, setup
    from pcsauvegarde.core.package import minisign
    from pcsauvegarde.core.package.age import public_key_of

    config, station, identity = setup(root)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=5)
    count = megabytes * 1_000_000 // 2_100
    t = time.perf_counter()
    body = gzip_stream(_orders(count, now))
    path = write_poisoned(config.drop_dir, STATION, public_key_of(identity),
                          minisign.load_secret_key(config.signing_key), body,
                          {"patient": 1, "medication_order": count}, sequence=1,
                          extracted_at=now)
    del body
    size = path.stat().st_size
    out(f"package: {count:,} records, {size / 1e6:.0f} MB encrypted, made in "
        f"{time.perf_counter() - t:.0f} s")
    report = ingest(station)
    out(f"ingest: {report['seconds']:.1f} s wall, {report['cpu']:.1f} s CPU, "
        f"peak RSS {report['maxrss_kb'] / 1024:.0f} MB ({report['maxrss_kb'] * 1024 / size:.2f}"
        f" x the package)")
    return {"bytes": size, **report}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bigpackage", description=__doc__)
    parser.add_argument("--mb", type=int, default=300, help="package size to aim at (MB)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        run(args.keep, args.mb)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-big-", dir="/tmp") as tmp:
            run(Path(tmp), args.mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
