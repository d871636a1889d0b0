"""UI load test: N users on loopback search patients and print summaries, for a bounded time.

    .venv/bin/python -m bench.load_ui [--users 20] [--seconds 60] [--patients 5000]

Serves the real app (waitress, as ``pcsauvegarde serve`` does, CSRF on) over a synthetic
station; each user logs in once, then loops: search by name, scan an IPP (search + redirect),
open the patient, and every few rounds print the summary (issue + fetch the PDF). Reports p50,
p95 and max per action; exit 1 if a target is missed or any request failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

TARGETS_MS = {"search": 100.0, "summary_pdf": 500.0}
PASSWORD = "charge-mot-de-passe"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class User:
    """One browser: keep-alive connection, session cookie, timings per action."""

    def __init__(self, port: int, login: str, timings: dict, failures: list):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.login, self.cookie = login, ""
        self.timings, self.failures = timings, failures

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", data

    def timed(self, action: str, method: str, path: str, form: dict | None = None,
              expect: tuple[int, ...] = (200,)):
        start = time.perf_counter()
        try:
            status, location, data = self.request(method, path, form)
        except (OSError, http.client.HTTPException) as exc:
            self.failures.append(f"{action} {path}: {exc}")
            self.conn.close()
            return None
        self.timings.setdefault(action, []).append((time.perf_counter() - start) * 1000)
        if status not in expect:
            self.failures.append(f"{action} {path}: HTTP {status}")
            return None
        return status, location, data

    def log_in(self) -> None:
        _, _, page = self.request("GET", "/connexion")
        token = _CSRF.search(page.decode()).group(1)
        status, _, _ = self.request("POST", "/connexion", {"csrf_token": token,
                                                           "login": self.login,
                                                           "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"login of {self.login} failed: HTTP {status}")


def user_loop(user: User, names: list[str], ipps: list[str], deadline: float, think: float,
              print_every: int, rng: random.Random) -> None:
    round_no = 0
    while time.perf_counter() < deadline:
        round_no += 1
        q = urllib.parse.quote(rng.choice(names))
        user.timed("search", "GET", f"/recherche?q={q}")
        ipp = rng.choice(ipps)
        r = user.timed("search", "GET", f"/recherche?q={ipp}", expect=(302,))
        _pause(think, rng)
        r = user.timed("patient_page", "GET", f"/patients/{ipp}")
        if r and round_no % print_every == 0:
            token = _CSRF.search(r[2].decode()).group(1)
            start = time.perf_counter()
            issued = user.timed("issue", "POST", f"/patients/{ipp}/documents/summary",
                                {"csrf_token": token}, expect=(302,))
            if issued:
                number = issued[1].rsplit("/", 1)[-1]
                pdf = user.timed("pdf_fetch", "GET", f"/documents/{number}.pdf")
                if pdf and pdf[2].startswith(b"%PDF"):
                    user.timings.setdefault("summary_pdf", []).append(
                        (time.perf_counter() - start) * 1000)
                elif pdf:
                    user.failures.append(f"summary {number}: not a PDF")
        _pause(think, rng)


def _pause(think: float, rng: random.Random) -> None:
    if think > 0:
        time.sleep(rng.uniform(0.5, 1.5) * think)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 \
        else (values[0] if values else 0.0)


def run(users: int, seconds: float, patients: int, think: float, print_every: int,
        data_dir: Path, workers: int = 2) -> int:
    import waitress
    from argon2 import PasswordHasher

    from bench.ui_station import build_station
    from pcsauvegarde.station import patients as read_path
    from pcsauvegarde.station.issuing.issue import start_render_pool
    from pcsauvegarde.station.state import accounts
    from pcsauvegarde.station.web import create_app

    t0 = time.perf_counter()
    station = build_station(data_dir, patients)
    # Logging in is not what is measured: light hashes keep 20 logins out of the way.
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    logins = [f"charge{i:02d}" for i in range(1, users + 1)]
    for login in logins:
        station.accounts.add(login, f"Utilisateur {login}", PASSWORD, ("soins",), ("*",))
    # All simulated users share one loopback address: the per-client login limit (a guard
    # against guessing) must let them all in within the same minute.
    station.settings = dataclasses.replace(station.settings, login_attempts_per_minute=users + 5,
                                           login_attempts_total_per_minute=users + 5)
    with station.store.connect() as db:
        ipps = [r[0] for r in db.execute("SELECT ipp FROM patient_index")]
    names = sorted({r.patient.birth_name for u in read_path.units(station)
                    for r in read_path.inpatients(station, u.code)})
    print(f"station: {len(ipps)} patients in {len(read_path.units(station))} units, "
          f"built in {time.perf_counter() - t0:.1f} s")

    if workers:
        start_render_pool(station, workers)
    server = waitress.create_server(create_app(station), host="127.0.0.1", port=0, threads=8,
                                    ident="pcsauvegarde")
    threading.Thread(target=server.run, daemon=True).start()
    port = server.effective_port
    timings: dict[str, list[float]] = {}
    failures: list[str] = []
    people = [User(port, login, timings, failures) for login in logins]
    for p in people:
        p.log_in()
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=user_loop, args=(p, names, ipps, deadline, think,
                                                        print_every, random.Random(i)))
               for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.close()
    if station.render_pool is not None:
        station.render_pool.shutdown()
    print(f"PDF worker processes: {workers or 'none (in-thread)'}")
    return report(timings, failures, users, seconds, patients, think)


def report(timings: dict, failures: list, users: int, seconds: float, patients: int,
           think: float) -> int:
    print(f"{users} users, {seconds:.0f} s, {patients} patients, think time ~{think:.1f} s")
    print(f"{'action':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  target p95")
    missed = []
    for action in ("search", "patient_page", "issue", "pdf_fetch", "summary_pdf"):
        values = timings.get(action, [])
        if not values:
            continue
        p95 = _p95(values)
        target = TARGETS_MS.get(action)
        verdict = "" if target is None else (f"≤ {target:.0f} ms " +
                                             ("OK" if p95 <= target else "MISSED"))
        if target is not None and p95 > target:
            missed.append(action)
        print(f"{action:<14}{len(values):>7}{statistics.median(values):>9.1f}{p95:>9.1f}"
              f"{max(values):>9.1f}  {verdict}")
    print(f"failures: {len(failures)}")
    for f in failures[:10]:
        print(f"  {f}")
    return 1 if failures or missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_ui", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a user's actions, in seconds (0: none)")
    parser.add_argument("--print-every", type=int, default=3,
                        help="a user prints a summary every N rounds")
    parser.add_argument("--workers", type=int, default=2,
                        help="PDF worker processes, as `serve` starts them (0: in-thread)")
    parser.add_argument("--data", type=Path, default=None,
                        help="station folder (default: a temporary one, removed afterwards)")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 3600:
        parser.error("--users 1..200, --seconds 1..3600")
    if args.data is not None:
        return run(args.users, args.seconds, args.patients, args.think, args.print_every,
                   args.data, args.workers)
    with tempfile.TemporaryDirectory(prefix="pcsauvegarde-charge-") as tmp:
        return run(args.users, args.seconds, args.patients, args.think, args.print_every,
                   Path(tmp), args.workers)


if __name__ == "__main__":
    sys.exit(main())
