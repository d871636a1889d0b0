"""``python -m bench.freshness [--short] [--minutes N]``: data age a nurse gets, end to end.

A publisher (``publish --watch``'s Watcher, in its own process, seeded with the generated
hospital as the importers would hand it over) reads an export folder; a station (its real
APScheduler jobs, folder transport, in its own process) pulls the drop. A change stream writes
HL7 v2 messages (admissions A01, transfers A02, discharges A03, results ORU^R01 at 2,000 an
hour, orders RDE^O11) and FHIR NDJSON (MedicationAdministration) into the export folder. For
every change the time it was written and the time it became visible through the station's
query layer (``queries.patient_file``) are recorded. Printed: data age p50/p95/max per domain
and per kind, publisher and station CPU share, peak RSS of both, and whether every change
arrived exactly once. ``--short``: a small hospital, 45 s of changes (the test runs it).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import Scale
from bench.stream import Change, ChangeStream

TARGETS = {"p95_s": 60.0, "p50_s": 30.0, "station_cpu": 0.10}
CLK = os.sysconf("SC_CLK_TCK")


@dataclass
class Proc:
    """A child process and how to read its CPU time and peak RSS from /proc."""

    popen: subprocess.Popen

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()


def _spawn(*args: str, log: Path) -> Proc:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
    with open(log, "wb") as out:
        return Proc(subprocess.Popen([sys.executable, "-m", "bench.freshness_roles", *args],
                                     env=env, stdout=out, stderr=subprocess.STDOUT))


def _wait(predicate, timeout: float, what: str, procs: list[Proc]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        for p in procs:
            if p.popen.poll() is not None:
                raise SystemExit(f"{what}: a child process ended ({p.popen.args})")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.2)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(scale: Scale, root: Path, seconds: float, drain: float, out=print) -> dict:
    """Run publisher + station + change stream; return the figures (and print them)."""
    from bench.freshness_roles import setup
    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.store import Store

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    paths = setup(root)
    publisher = _spawn("publisher", str(root), json.dumps(dataclasses.asdict(scale)),
                       now.isoformat(), log=root / "publisher.log")
    procs = [publisher]
    try:
        _wait(lambda: (root / "publisher-ready").exists(), 600, "first publish", procs)
        station = _spawn("station", str(paths["station"]), log=root / "station.log")
        procs.append(station)
        store = Store(load_settings(paths["station"]).store_path)
        _wait(lambda: {"dpi", "lab"} <= set(store.snapshots()), 600, "first ingest", procs)
        seed = json.loads((root / "publisher-ready").read_text())
        stream = ChangeStream(paths["inbox"], seed, random.Random(7))
        cpu0 = {id(p): p.cpu() for p in procs}
        start = time.monotonic()
        pending: list[Change] = []
        done: list[Change] = []
        while time.monotonic() - start < seconds + drain:
            if time.monotonic() - start < seconds:
                pending += stream.step(time.time())
            still = []
            for change in pending:
                if change.visible(store):
                    change.seen_at = time.time()
                    done.append(change)
                else:
                    still.append(change)
            pending = still
            if time.monotonic() - start >= seconds and not pending:
                break
            time.sleep(0.5)
        window = time.monotonic() - start
        cpu = {id(p): (p.cpu() - cpu0[id(p)]) / window for p in procs}
        rss = {id(p): p.peak_rss_mb() for p in procs}
    finally:
        for p in reversed(procs):
            p.stop()
    return report(done, pending, stream, store, cpu[id(publisher)], cpu[id(station)],
                  rss[id(publisher)], rss[id(station)], window, out)


def report(done, lost, stream, store, pub_cpu, st_cpu, pub_rss, st_rss, window, out) -> dict:
    """Print data ages and shares; check every change arrived exactly once."""
    out(f"{len(done) + len(lost)} changes written over {window:.0f} s; "
        f"{len(done)} visible at the station, {len(lost)} not")
    figures: dict = {"changes": len(done) + len(lost), "lost": [c.describe() for c in lost],
                     "domains": {}, "kinds": {}}
    out(f"\n{'data age (s)':<22}{'n':>6}{'p50':>8}{'p95':>8}{'max':>8}")
    for label, attr in (("domains", "domain"), ("kinds", "kind")):
        groups: dict[str, list[float]] = {}
        for c in done:
            groups.setdefault(getattr(c, attr), []).append(c.seen_at - c.written_at)
        for name, ages in sorted(groups.items()):
            row = {"n": len(ages), "p50": percentile(ages, 0.5), "p95": percentile(ages, 0.95),
                   "max": max(ages)}
            figures[label][name] = row
            out(f"{name:<22}{row['n']:>6}{row['p50']:>8.1f}{row['p95']:>8.1f}{row['max']:>8.1f}")
    figures["duplicates"] = stream.duplicates(store)
    figures.update(publisher_cpu=pub_cpu, station_cpu=st_cpu, publisher_rss_mb=pub_rss,
                   station_rss_mb=st_rss)
    out(f"\nCPU share of one core: publisher {pub_cpu:.1%}, station {st_cpu:.1%} "
        f"(CPU time / wall time over the run); peak RSS publisher {pub_rss:.0f} MB, station "
        f"{st_rss:.0f} MB")
    out(f"duplicated records at the station: {len(figures['duplicates'])}")
    out("\ntargets (figure / target = ratio):")
    met = not lost and not figures["duplicates"]
    for name, row in figures["domains"].items():
        for key, target in (("p95", TARGETS["p95_s"]), ("p50", TARGETS["p50_s"])):
            ok = row[key] <= target
            met &= ok
            out(f"  {name} {key:<12}{row[key]:>9.1f} s  <= {target:g} s {row[key] / target:>6.2f}"
                f"  {'ok' if ok else 'MISSED'}")
    ok = st_cpu <= TARGETS["station_cpu"]
    met &= ok
    out(f"  station CPU     {st_cpu:>9.1%}    <= 10 %  {st_cpu / TARGETS['station_cpu']:>6.2f}  "
        f"{'ok' if ok else 'MISSED'}")
    figures["met"] = met
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.freshness", description=__doc__)
    parser.add_argument("--short", action="store_true",
                        help="small hospital, 45 s of changes (for the tests)")
    parser.add_argument("--minutes", type=float, default=10.0, help="changes for N minutes")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    scale = Scale().small() if args.short else Scale()
    seconds = 45.0 if args.short else args.minutes * 60
    drain = 40.0 if args.short else 120.0
    size = "short, small hospital" if args.short else "large hospital"
    print(f"pcsauvegarde freshness bench ({size}, {seconds:.0f} s of changes, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU: a shared machine makes these "
          "figures pessimistic)")
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        figures = run(scale, args.keep, seconds, drain)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-fresh-") as tmp:
            figures = run(scale, Path(tmp), seconds, drain)
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
