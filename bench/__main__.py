"""``python -m bench [--small]``: publish (full, delta, fleet), floor, full and delta ingest."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyrage

from bench.generate import Scale
from bench.parse import compare as compare_parsers
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.package.age import generate_identity, public_key_of, save_identity
from pcsauvegarde.publisher.publisher import (
    PublisherConfig,
    StationScope,
    load_publisher_config,
    write_publisher_config,
)
from pcsauvegarde.station.settings import load_settings, write_settings

# (key, label, unit, target): every figure the issue sets a target for. Times have a wall
# figure (key) and a CPU one (key + "_cpu"); the verdict is on CPU time, which a shared
# machine does not inflate (wall time counts waiting for a core: see the load average).
TARGETS = (("full_s", "station full ingest", "s", 6.0),
           ("full_vs_floor", "full ingest / floor", "x", 1.5),
           ("delta_s", "station delta ingest", "s", 1.0),
           ("rss_mb", "station peak RSS", "MB", 300.0),
           ("publish_delta_s", "one-minute delta publish", "s", 1.0),
           ("publish_full_s", "full publish, all domains", "s", 8.0),
           ("publish_lab_s", "full publish, lab", "s", 4.0),
           ("publish_rss_mb", "publisher peak RSS", "MB", 300.0),
           ("fleet_delta_s", "one minute, 200 stations", "s", 5.0))
STATION = "bench-1"


def setup(root: Path) -> tuple[PublisherConfig, Path, object]:
    """A publisher (signing key, state, drop, publisher.toml) and a station pulling the drop."""
    pub = root / "publisher"
    pub.mkdir(parents=True)
    minisign.save_keypair(minisign.generate_keypair(), pub / "publisher.key",
                          pub / "publisher.pub")
    identity = generate_identity()
    station = root / "station"
    (station / "keys").mkdir(parents=True)
    save_identity(identity, station / "keys" / "station.agekey")
    shutil.copy(pub / "publisher.pub", station / "keys" / "publisher.pub")
    scope = StationScope(STATION, (public_key_of(identity),), ("*",))
    write_publisher_config(pub / "publisher.toml", "../drop", "publisher.key", [scope])
    config = load_publisher_config(pub / "publisher.toml")
    config.drop_dir.mkdir()
    write_settings(load_settings(station, {"station_id": STATION, "sources": [
        {"id": "bench", "path": str(config.drop_dir)}]}))
    return config, station, identity


FLOOR_SCHEMA = ("CREATE TABLE record (type TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, "
                "PRIMARY KEY (type, id)) WITHOUT ROWID")


def floor(paths: list[Path], pubkey, identity, db_path: Path,
          keep: list[bytes] | None = None) -> tuple[float, float, int]:
    """Least possible work on the same bytes: verify, decrypt, gunzip, json.loads each line,
    and one bulk insert of (type, id, line) into a fresh SQLite table (WAL, one transaction).

    Returns (wall seconds, CPU seconds, lines).
    """
    start, cpu = time.perf_counter(), time.process_time()
    lines = 0
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(FLOOR_SCHEMA)
    db.execute("BEGIN")
    for path in paths:
        data = path.read_bytes()
        sig = path.with_name(path.name + ".minisig").read_text()
        minisign.verify(data, sig, [pubkey], path.name)
        rows = []
        plain = gzip.decompress(pyrage.decrypt(data, [identity])).splitlines()[1:]
        if keep is not None:
            keep += plain
        for line in plain:
            item = json.loads(line)
            rows.append((item["type"], item["id"], line))
            lines += 1
        db.executemany("INSERT OR REPLACE INTO record VALUES (?,?,?)", rows)
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - start, time.process_time() - cpu, lines


def _child(module: str, *args: str) -> dict:
    """Run a bench child process (its own peak RSS); return the JSON it prints last."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-m", module, *args], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ingest(station: Path) -> dict:
    """Pull once in a child process; return what it reports."""
    report = _child("bench.ingest", str(station))
    if report["refused"] or report["errors"]:
        raise SystemExit(f"ingest refused packages: {report}")
    return report


def run(scale: Scale, root: Path, out=print) -> dict:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=5)
    config, station, identity = setup(root)
    pubkey = minisign.load_public_key(config.signing_key.with_suffix(".pub"))
    out(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU "
        "(a shared machine: wall times count waiting for a core; CPU times do not)")
    pub = _child("bench.publishing", str(root), json.dumps(dataclasses.asdict(scale)),
                 now.isoformat())
    out(f"publisher: {pub['records']:,} records loaded into the mirror in {pub['load_s']:.1f} s "
        f"({pub['load_cpu']:.1f} s CPU, peak RSS {pub['load_rss_kb'] / 1024:.0f} MB)")
    out(f"\n{'domain':<14}{'records':>10}{'publish s':>11}{'CPU s':>8}{'package MB':>12}")
    for domain, d in pub["domains"].items():
        out(f"{domain:<14}{d['records']:>10,}{d['s']:>11.2f}{d['cpu']:>8.2f}"
            f"{d['bytes'] / 1e6:>12.2f}")
    full_s = sum(d["s"] for d in pub["domains"].values())
    full_cpu = sum(d["cpu"] for d in pub["domains"].values())
    out(f"{'total':<14}{pub['records']:>10,}{full_s:>11.2f}{full_cpu:>8.2f}"
        f"{sum(d['bytes'] for d in pub['domains'].values()) / 1e6:>12.2f}")
    delta, fleet = pub["delta"], pub["fleet"]
    out(f"one-minute delta publish: {delta['changed']} records changed, {delta['packages']} "
        f"packages, {delta['bytes'] / 1e3:.1f} kB, {delta['s']:.3f} s ({delta['cpu']:.3f} s CPU)")
    out(f"fleet: {fleet['stations']} stations in {fleet['groups']} scope groups: first full "
        f"{fleet['full_packages']} packages in {fleet['full_s']:.1f} s ({fleet['full_cpu']:.1f} s "
        f"CPU); one minute of changes {fleet['delta_packages']} packages in "
        f"{fleet['delta_s']:.2f} s ({fleet['delta_cpu']:.2f} s CPU)")
    out(f"publisher peak RSS while publishing: {pub['publish_rss_kb'] / 1024:.0f} MB")

    full_paths = sorted(config.drop_dir.glob("*.age"))
    package_lines: list[bytes] = []
    floor_s, floor_cpu, lines = floor(full_paths, pubkey, identity, root / "floor.sqlite",
                                      package_lines)
    full = ingest(station)
    for path in (root / "publisher" / "later").iterdir():
        shutil.move(path, config.drop_dir / path.name)
    delta_in = ingest(station)
    figures = {
        "floor_s": floor_s, "full_s": full["seconds"], "full_s_cpu": full["cpu"],
        "full_vs_floor": full["seconds"] / floor_s, "full_vs_floor_cpu": full["cpu"] / floor_cpu,
        "delta_s": delta_in["seconds"], "delta_s_cpu": delta_in["cpu"],
        "rss_mb": max(full["maxrss_kb"], delta_in["maxrss_kb"]) / 1024,
        "publish_delta_s": delta["s"], "publish_delta_s_cpu": delta["cpu"],
        "publish_full_s": full_s, "publish_full_s_cpu": full_cpu,
        "publish_lab_s": pub["domains"]["lab"]["s"],
        "publish_lab_s_cpu": pub["domains"]["lab"]["cpu"],
        "publish_rss_mb": pub["publish_rss_kb"] / 1024,
        "fleet_delta_s": fleet["delta_s"], "fleet_delta_s_cpu": fleet["delta_cpu"]}
    out(f"\nfloor (verify + decrypt + gunzip + json.loads + SQLite bulk insert, {lines:,} "
        f"lines): {floor_s:.2f} s wall, {floor_cpu:.2f} s CPU")
    out(f"station full ingest ({full['accepted']} packages): {full['seconds']:.2f} s wall, "
        f"{full['cpu']:.2f} s CPU = {figures['full_vs_floor_cpu']:.2f} x floor (CPU; wall "
        f"{full['seconds'] / floor_s:.2f} x), peak RSS {full['maxrss_kb'] / 1024:.0f} MB")
    out(f"one-minute delta ingest: {delta_in['seconds']:.3f} s wall ({delta_in['cpu']:.3f} s "
        f"CPU), peak RSS {delta_in['maxrss_kb'] / 1024:.0f} MB")
    compare_parsers(package_lines, full["cpu"], out)
    del package_lines
    out(f"\ntargets (figure / target = ratio; verdict on CPU time, load average "
        f"{os.getloadavg()[0]:.1f}):")
    out(f"  {'':<28}{'wall':>9}{'ratio':>7}{'CPU':>9}{'ratio':>7}  target")
    for key, label, unit, target in TARGETS:
        wall, cpu = figures[key], figures.get(key + "_cpu")
        shown = f"{cpu:>9.2f}{cpu / target:>7.2f}" if cpu is not None else f"{'':>16}"
        out(f"  {label:<28}{wall:>9.2f}{wall / target:>7.2f}{shown}  <= {target:g} {unit:<3}"
            f"{'ok' if _judged(figures, key) <= target else 'MISSED'}")
    figures["met"] = all(_judged(figures, k) <= t for k, _, _, t in TARGETS)
    return figures


def _judged(figures: dict, key: str) -> float:
    """The figure a target is judged on: CPU time where there is one (see TARGETS)."""
    return figures.get(key + "_cpu", figures[key])


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
