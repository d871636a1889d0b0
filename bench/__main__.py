"""``python -m bench [--small]``: publish, floor, full and delta ingest of a large hospital."""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyrage

from bench.generate import Scale, hospital, one_minute
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.package.age import generate_identity, public_key_of, save_identity
from pcsauvegarde.core.records import DOMAINS
from pcsauvegarde.publisher.publisher import PublisherConfig, StationScope, publish
from pcsauvegarde.station.settings import load_settings, write_settings

TARGETS = {"full_s": 20.0, "full_vs_floor": 3.0, "delta_s": 1.0, "rss_mb": 500.0}
STATION = "bench-1"


def setup(root: Path) -> tuple[PublisherConfig, Path, object]:
    """A publisher (signing key, state, drop) and a station data dir pulling from the drop."""
    pub = root / "publisher"
    pub.mkdir(parents=True)
    minisign.save_keypair(minisign.generate_keypair(), pub / "publisher.key",
                          pub / "publisher.pub")
    identity = generate_identity()
    station = root / "station"
    (station / "keys").mkdir(parents=True)
    save_identity(identity, station / "keys" / "station.agekey")
    shutil.copy(pub / "publisher.pub", station / "keys" / "publisher.pub")
    config = PublisherConfig(root / "drop", pub / "publisher.key", pub / "state.sqlite",
                             (StationScope(STATION, (public_key_of(identity),), ("*",)),))
    config.drop_dir.mkdir()
    write_settings(load_settings(station, {"station_id": STATION, "sources": [
        {"id": "bench", "path": str(config.drop_dir)}]}))
    return config, station, identity


def floor(paths: list[Path], pubkey, identity) -> tuple[float, float, int]:
    """Least possible work on the same bytes: verify, decrypt, gunzip, json.loads each line.

    Returns (wall seconds, CPU seconds, lines).
    """
    start, cpu = time.perf_counter(), time.process_time()
    lines = 0
    for path in paths:
        data = path.read_bytes()
        sig = path.with_name(path.name + ".minisig").read_text()
        minisign.verify(data, sig, [pubkey], path.name)
        for line in gzip.decompress(pyrage.decrypt(data, [identity])).splitlines():
            json.loads(line)
            lines += 1
    return time.perf_counter() - start, time.process_time() - cpu, lines


def ingest(station: Path) -> dict:
    """Pull once in a child process (its own peak RSS); return what it reports."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-m", "bench.ingest", str(station)], env=env,
                         capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    if report["refused"] or report["errors"]:
        raise SystemExit(f"ingest refused packages: {report}")
    return report


def run(scale: Scale, root: Path, out=print) -> dict:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=5)
    config, station, identity = setup(root)
    pubkey = minisign.load_public_key(config.signing_key.with_suffix(".pub"))
    t = time.perf_counter()
    records = hospital(scale, now)
    out(f"generated {len(records):,} records in {time.perf_counter() - t:.1f} s")
    out(f"\n{'domain':<14}{'records':>10}{'publish s':>11}{'package MB':>12}")
    full_paths = []
    for domain in DOMAINS:
        t = time.perf_counter()
        paths = publish(records, config, "full", now, domains=[domain])
        seconds = time.perf_counter() - t
        count = sum(r.DOMAIN == domain for r in records)
        size = sum(p.stat().st_size for p in paths)
        full_paths += paths
        out(f"{domain:<14}{count:>10,}{seconds:>11.2f}{size / 1e6:>12.2f}")
    total = sum(p.stat().st_size for p in full_paths)
    out(f"{'total':<14}{len(records):>10,}{'':>11}{total / 1e6:>12.2f}")

    floor_s, floor_cpu, lines = floor(full_paths, pubkey, identity)
    full = ingest(station)
    later = one_minute(records, now + dt.timedelta(minutes=1))
    t = time.perf_counter()
    delta_paths = publish(later, config, "delta", now + dt.timedelta(minutes=1))
    delta_publish = time.perf_counter() - t
    delta = ingest(station)
    # The ratio uses CPU time: on a shared 2-core machine wall time also counts waiting for a
    # core; both are printed.
    figures = {
        "floor_s": floor_s, "full_s": full["seconds"], "full_vs_floor": full["cpu"] / floor_cpu,
        "delta_s": delta["seconds"],
        "rss_mb": max(full["maxrss_kb"], delta["maxrss_kb"]) / 1024}
    out(f"\nfloor (verify + decrypt + gunzip + json.loads, {lines:,} lines): {floor_s:.2f} s "
        f"wall, {floor_cpu:.2f} s CPU")
    out(f"station full ingest ({full['accepted']} packages): {full['seconds']:.2f} s wall, "
        f"{full['cpu']:.2f} s CPU = {figures['full_vs_floor']:.2f} x floor (CPU; wall "
        f"{full['seconds'] / floor_s:.2f} x), peak RSS {full['maxrss_kb'] / 1024:.0f} MB")
    out(f"one-minute delta: publish {delta_publish:.2f} s, {len(delta_paths)} packages, "
        f"{sum(p.stat().st_size for p in delta_paths) / 1e3:.1f} kB; ingest "
        f"{delta['seconds']:.3f} s wall ({delta['cpu']:.3f} s CPU), "
        f"peak RSS {delta['maxrss_kb'] / 1024:.0f} MB")
    out("\ntargets:")
    for key, label, unit in (("full_s", "full ingest", "s"), ("full_vs_floor", "full/floor", "x"),
                             ("delta_s", "delta ingest", "s"), ("rss_mb", "peak RSS", "MB")):
        ok = figures[key] <= TARGETS[key]
        out(f"  {label:<14}{figures[key]:>9.2f} {unit:<3}<= {TARGETS[key]:g} {unit:<3}"
            f"{'ok' if ok else 'MISSED'}")
    figures["met"] = all(figures[k] <= v for k, v in TARGETS.items())
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--small", action="store_true", help="1/20 scale (smoke test)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    scale = Scale().small() if args.small else Scale()
    print(f"pcsauvegarde bench ({'small, 1/20' if args.small else 'full'} scale, "
          f"{os.cpu_count()} CPU)")
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        figures = run(scale, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-bench-") as tmp:
            figures = run(scale, Path(tmp))
    return 0 if figures["met"] or args.small else 1


if __name__ == "__main__":
    sys.exit(main())
