"""``python -m bench.soak``: a day of a unit's use, sped up, against the real server on loopback.

The station serves its UI with waitress on 127.0.0.1 (a free port) in this process, as
``pcsauvegarde serve`` does; the publisher writes a delta every simulated minute (a full
every simulated hour) and the station pulls each; four nurses browse their unit, open
patients, search and print. Every simulated quarter of an hour the script samples this
process's RSS and the data dir's size. It stops by itself (``--hours`` of simulated time at
``--speed`` times real time) and prints its figures; exit code 1 when RSS after warm-up moves
by more than 10 %, when kept packages exceed retention, or on any server error.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.cookiejar
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.generate import Scale, hospital
from pcsauvegarde.core.records import LabResult, Patient, Stay

KEEP = 5          # packages kept per domain (retention) during the soak
FULL_EVERY = 60   # simulated minutes between full packages (deltas in between)
USERS = 4
PASSWORD = "soak password 1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


class Nurse(threading.Thread):
    """One user: log in, then browse, search and print at a steady pace until told to stop."""

    def __init__(self, base: str, login: str, unit: str, ipps: list[str], pause: float,
                 stop: threading.Event, errors: list[str], counts: dict[str, int]):
        super().__init__(daemon=True)
        self.base, self.login, self.unit, self.ipps = base, login, unit, ipps
        self.pause, self.stop, self.errors, self.counts = pause, stop, errors, counts
        jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(self, path: str, form: dict | None = None) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.http.open(self.base + path, data=data, timeout=60) as resp:
                self.counts["requests"] += 1
                return resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            self.counts["requests"] += 1
            if exc.code >= 500:
                self.errors.append(f"{exc.code} {path}")
            return ""

    def token(self, page: str) -> str:
        m = _CSRF.search(page)
        return m.group(1) if m else ""

    def run(self) -> None:
        page = self.call("/connexion")
        self.call("/connexion", {"login": self.login, "password": PASSWORD,
                                 "csrf_token": self.token(page)})
        step = 0
        while not self.stop.wait(self.pause):
            ipp = self.ipps[step % len(self.ipps)]
            if step % 5 == 4:  # one document printed out of five actions
                page = self.call(f"/patients/{ipp}")
                self.call(f"/patients/{ipp}/documents/summary", {"csrf_token": self.token(page)})
                self.counts["prints"] += 1
            else:
                path = (f"/services/{self.unit}", f"/patients/{ipp}",
                        "/recherche?q=MARTIN", "/")[step % 4]
                self.call(path)
            step += 1


def _churn(records: dict, minute: int, now: dt.datetime, unit: str) -> None:
    """One simulated minute at the source: results every minute, an admission every 20."""
    for n in range(5):
        key = f"SOAK{minute:06d}-{n}"
        ipp = next(iter(r.ipp for r in records.values() if r.TYPE == "stay"))
        records[("lab_result", key)] = LabResult(key, ipp, "2823-3", "Potassium",
                                                 f"{3 + (minute + n) % 30 / 10:.1f}", now,
                                                 unit="mmol/L")
    if minute % 20 == 0:
        ipp = f"7{minute:08d}"
        records[("patient", ipp)] = Patient(ipp, "ADMIS", "Soak", dt.date(1960, 1, 1), "F")
        records[("stay", f"N{ipp}")] = Stay(f"N{ipp}", ipp, unit, now)


def run(hours: float, speed: float, root: Path, out=print) -> dict:
    import waitress

    from bench.__main__ import setup
    from pcsauvegarde.publisher.publisher import publish
    from pcsauvegarde.station.issuing.issue import start_render_pool
    from pcsauvegarde.station.settings import load_settings, write_settings
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.store import queries
    from pcsauvegarde.station.sync.pull import load_station_keys, pull_all
    from pcsauvegarde.station.web import create_app

    config, station_dir, _ = setup(root)
    config = dataclasses.replace(config, full_every_minutes=FULL_EVERY)
    settings = load_settings(station_dir, {"keep_packages": KEEP})
    write_settings(settings)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    scale = dataclasses.replace(Scale().small(), lab_results=5000, units=4)
    records = {(r.TYPE, r.id): r for r in hospital(scale, now)}
    publish(list(records.values()), config, "full", now)
    station = open_station(settings)
    keys = load_station_keys(settings)
    pull_all(settings, station.store, keys)
    unit = queries.units(station.store)[0].code
    ipps = [r.patient.id for r in queries.inpatients(station.store, unit)][:12]
    for n in range(USERS):
        station.accounts.add(f"soak{n}", f"Infirmière {n}", PASSWORD, ("soins",), (unit,))
    start_render_pool(station, 1)  # as ``pcsauvegarde serve`` does
    app = create_app(station)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    if server.effective_host != "127.0.0.1":  # loopback only
        raise SystemExit(f"soak: server bound to {server.effective_host}, not loopback")
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    stop, errors = threading.Event(), []
    counts = {"requests": 0, "prints": 0}
    nurses = [Nurse(base, f"soak{n}", unit, ipps, 30 / speed, stop, errors, counts)
              for n in range(USERS)]
    for nurse in nurses:
        nurse.start()
    minutes = int(hours * 60)
    samples: list[tuple[int, float, float, float]] = []
    started = time.monotonic()
    out(f"soak: {hours:g} h simulated at {speed:g}x ({minutes * 60 / speed:.0f} s), {USERS} users, "
        f"server {base}, retention {KEEP} packages per domain")
    out(f"{'sim. time':>9}{'RSS MB':>9}{'data MB':>9}{'packages MB':>13}")
    try:
        for minute in range(1, minutes + 1):
            sim = now + dt.timedelta(minutes=minute)
            _churn(records, minute, sim, unit)
            kind = "full" if minute % FULL_EVERY == 0 else "delta"
            publish(list(records.values()), config, kind, dt.datetime.now(dt.UTC))
            for run_ in pull_all(settings, station.store, keys):
                if run_.error:
                    errors.append(f"pull: {run_.error}")
            if minute % 15 == 0:
                sample = (minute, rss_mb(), dir_mb(station_dir),
                          dir_mb(settings.packages_dir))
                samples.append(sample)
                out(f"{minute // 60:>5}h{minute % 60:02d}{sample[1]:>9.0f}{sample[2]:>9.1f}"
                    f"{sample[3]:>13.2f}")
            delay = started + minute * 60 / speed - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    finally:
        stop.set()
        for nurse in nurses:
            nurse.join(10)
        server.close()
        if station.render_pool is not None:
            station.render_pool.shutdown(wait=False, cancel_futures=True)
    after = samples[len(samples) // 4:] or samples
    rss = [s[1] for s in after]
    drift = (max(rss) - min(rss)) / min(rss) if rss else 0.0
    kept = {d.name: len(list(d.glob("*.age"))) for d in settings.packages_dir.iterdir()}
    figures = {"rss_start_mb": rss[0] if rss else 0, "rss_end_mb": rss[-1] if rss else 0,
               "rss_drift": drift, "kept": kept, "errors": errors, **counts,
               "audit_entries": station.audit.search(limit=1)[1],
               "data_mb": samples[-1][2] if samples else 0}
    out(f"\nRSS after warm-up: {min(rss):.0f}–{max(rss):.0f} MB ({drift:.1%} spread, target "
        f"≤ 10 %); kept packages per domain: {kept} (retention {KEEP} + the current chain, "
        f"≤ {KEEP + FULL_EVERY + 1}); "
        f"{counts['requests']} requests, {counts['prints']} prints, "
        f"{figures['audit_entries']} audit entries, {len(errors)} server errors")
    # Retention keeps KEEP packages, plus the full and deltas the current snapshot rests on.
    bound = KEEP + FULL_EVERY + 1
    figures["ok"] = drift <= 0.10 and not errors and all(n <= bound for n in kept.values())
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--hours", type=float, default=24, help="simulated hours (24)")
    parser.add_argument("--speed", type=float, default=10, help="times real time (10)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        figures = run(args.hours, args.speed, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-soak-", dir="/tmp") as tmp:
            figures = run(args.hours, args.speed, Path(tmp))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
