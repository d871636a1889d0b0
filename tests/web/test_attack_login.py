"""Attack run (issue 11, web 4–7): lockout race, rate limit, login timing, redirect, idle."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import time

import pytest

from pcsauvegarde.station.ratelimit import RateLimit
from pcsauvegarde.station.state import accounts as accounts_module
from tests.support.constants import PASSWORD


def _parallel(n: int, fn) -> list:
    """Run ``fn`` in ``n`` threads released together."""
    barrier, out = threading.Barrier(n), []

    def run():
        barrier.wait()
        out.append(fn())
    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.parametrize("parallel", [4, 6, 8])
def test_parallel_wrong_passwords_lock_after_five(station, parallel):
    login = f"cible{parallel}"
    station.accounts.add(login, "Cible", PASSWORD, ("soins",), ("*",))
    _parallel(parallel, lambda: station.accounts.authenticate(login, "mauvais mot"))
    with station.state.connect() as db:
        failures = db.execute("SELECT failed_logins FROM user WHERE login=?",
                              (login,)).fetchone()[0]
    if parallel < 5:  # every guess counted; the fifth locks
        assert failures == parallel and not station.accounts.is_locked(login)
        for _ in range(5 - parallel):
            station.accounts.authenticate(login, "mauvais mot")
    # locked after five guesses whatever the parallelism, even for the right password now
    assert station.accounts.is_locked(login)
    assert station.accounts.authenticate(login, PASSWORD) is None


def test_login_rate_limit_per_client_then_global(app, station):
    client = app.test_client()
    limits = station.settings
    for _ in range(limits.login_attempts_per_minute):
        r = client.post("/connexion", data={"login": "personne", "password": "x"})
        assert r.status_code == 401
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 429 and "Trop de tentatives" in r.get_data(as_text=True)
    assert station.audit.search(action="login.throttled")[1] == 1
    sent = limits.login_attempts_per_minute + 1
    for i in range(limits.login_attempts_total_per_minute - sent + 1):
        other = {"REMOTE_ADDR": f"127.0.0.{i + 2}"}
        client.post("/connexion", data={"login": "personne", "password": "x"},
                    environ_base=other)
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "127.0.1.1"})
    assert r.status_code == 429  # a fresh client, but the station-wide limit is reached


def test_rate_limit_window_slides():
    now = [0.0]
    limit = RateLimit(per_client=2, overall=3, window=60, clock=lambda: now[0])
    assert limit.allow("a") and limit.allow("a") and not limit.allow("a")
    assert limit.allow("b") and not limit.allow("c")  # overall reached
    now[0] = 61
    assert limit.allow("a") and limit.allow("c")


@pytest.fixture
def real_cost_hasher(monkeypatch):
    """A hasher costing tens of ms, so that a skipped verification shows in the timing."""
    from argon2 import PasswordHasher
    monkeypatch.setattr(accounts_module, "_hasher",
                        PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1))


def test_every_login_failure_costs_the_same(station, real_cost_hasher):
    accounts = station.accounts
    for login in ("normal", "verrou", "inactif"):
        accounts.add(login, login, PASSWORD, ("soins",), ("*",))
    for _ in range(5):
        accounts.authenticate("verrou", "mauvais mot")
    accounts.set_active("inactif", False)
    assert accounts.is_locked("verrou")

    def cost(login: str, password: str) -> float:
        times = []
        for _ in range(9):
            start = time.perf_counter()
            assert accounts.authenticate(login, password) is None
            times.append(time.perf_counter() - start)
            with station.state.connect() as db:  # keep "normal" below the lockout
                db.execute("UPDATE user SET failed_logins=0 WHERE login='normal'")
        return min(times)  # the least disturbed run: load on the machine only adds time

    wrong = cost("normal", "mauvais mot")
    for login, password in (("inconnu", "mauvais mot"), ("verrou", PASSWORD),
                            ("verrou", "mauvais mot"), ("inactif", PASSWORD)):
        ratio = cost(login, password) / wrong
        assert 0.4 < ratio < 2.5, (login, ratio)  # a skipped hash was 0.03 (4 ms vs 156 ms)


def test_every_login_failure_gives_the_same_answer(app, station):
    station.accounts.add("verrou", "Verrou", PASSWORD, ("soins",), ("*",))
    for _ in range(5):
        station.accounts.authenticate("verrou", "mauvais mot")
    bodies = set()
    for login, password in (("inconnu", "x" * 9), ("verrou", PASSWORD),
                            ("infirmiere", "mauvais mot")):
        r = app.test_client().post("/connexion", data={"login": login, "password": password})
        assert r.status_code == 401
        body = re.sub(r'name="csrf_token" value="[^"]*"', "", r.get_data(as_text=True))
        bodies.add(body.replace(f'value="{login}"', 'value=""'))  # the form echoes the login
    assert len(bodies) == 1


@pytest.mark.parametrize("target", [
    "/%09/evil.example/phish", "/%0a/evil.example/", "/%0d%0a/evil.example/",
    "%09//evil.example/", "/%5Cevil.example/", "/%5C%09evil.example", "//evil.example/",
    "https://evil.example/", "/%00/evil.example", "javascript:alert(1)", "/nulle-part",
    "%20//evil.example/"])
def test_login_next_accepts_only_the_apps_own_pages(client, target):
    r = client.post(f"/connexion?next={target}",
                    data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/", target


def test_login_next_keeps_a_real_page(client, station):
    r = client.post("/connexion?next=/services/CHD",
                    data={"login": "infirmiere", "password": PASSWORD})
    assert r.headers["Location"] == "/services/CHD"


class Clock:
    """Wall time for the session table and the cookie signer, moved by hand."""

    def __init__(self):
        self.t = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.t

    def time(self) -> float:
        return self.t.timestamp()

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture
def one_minute_app(station, monkeypatch):
    """The reported set-up: a 1-minute idle timeout, with a clock the test moves."""
    import itsdangerous.timed

    from pcsauvegarde.station.web import create_app
    clock = Clock()
    monkeypatch.setattr(itsdangerous.timed, "time", clock)  # the cookie's signing time
    station.sessions.clock = clock.now
    station.settings = dataclasses.replace(station.settings, idle_timeout_minutes=1)
    app = create_app(station, {"TESTING": True, "WTF_CSRF_ENABLED": False})
    return app, clock


def _login(app):
    client = app.test_client()
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 302
    return client


def test_active_user_stays_logged_in_past_three_idle_periods(one_minute_app):
    app, clock = one_minute_app
    client = _login(app)
    for _ in range(3 * 60 // 30 + 1):  # a request every 30 s for 3 min 30 s
        clock.advance(30)
        r = client.get("/")
        assert r.status_code == 200, clock.t


def test_idle_user_is_logged_out_on_time(one_minute_app):
    app, clock = one_minute_app
    client = _login(app)
    clock.advance(59)
    assert client.get("/").status_code == 200
    clock.advance(61)
    r = client.get("/")
    assert r.status_code == 401 and "inactivité" in r.get_data(as_text=True)


def test_session_closes_at_its_absolute_limit_however_active(station):
    clock = Clock()
    station.sessions.clock = clock.now
    token = station.sessions.open("infirmiere")
    idle, limit = dt.timedelta(minutes=10), dt.timedelta(hours=12)
    for _ in range(12 * 6):
        clock.advance(600 - 1)
        assert station.sessions.check(token, idle, limit).status == "ok"
    clock.advance(600)
    assert station.sessions.check(token, idle, limit).status == "expired"
    with station.state.connect() as db:
        reason = db.execute("SELECT closed_reason FROM web_session").fetchone()[0]
    assert reason == "durée maximale"


def test_cookie_lifetime_is_the_absolute_limit_not_the_idle_timeout(app, station):
    s = station.settings
    assert app.permanent_session_lifetime == dt.timedelta(hours=s.session_max_hours)
    assert app.permanent_session_lifetime > dt.timedelta(minutes=s.idle_timeout_minutes)
