"""Login protection: lockout, server-side sessions (replay, idle, disable), CSRF, headers."""

from __future__ import annotations

import re

import pytest

from tests.support.constants import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client, url="/connexion") -> str:
    return _CSRF.search(client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def csrf_app(station):
    from pcsauvegarde.station.web import create_app
    return create_app(station, {"TESTING": True})  # CSRF left ENABLED


def test_cookie_replayed_after_logout_is_refused(logged_in, station):
    cookie = logged_in.get_cookie("pcsauvegarde_session").value
    assert logged_in.get("/").status_code == 200
    logged_in.post("/deconnexion")
    logged_in.set_cookie("pcsauvegarde_session", cookie)  # the attacker's copy
    r = logged_in.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 401 and 'lang="fr"' in html and "session a été fermée" in html
    logged_in.set_cookie("pcsauvegarde_session", cookie)
    _, row = _first(station)
    assert logged_in.post(f"/patients/{row}/documents/summary").status_code == 401
    actions = [e.action for e in station.audit.search(limit=5)[0]]
    assert "session.refused" in actions and "logout" in actions


def test_idle_session_is_closed_server_side(logged_in, station):
    with station.state.connect() as db:
        db.execute("UPDATE web_session SET last_seen='2000-01-01T00:00:00+00:00'")
    r = logged_in.get("/")
    assert r.status_code == 401 and "inactivité" in r.get_data(as_text=True)
    assert logged_in.get("/").status_code == 302  # cookie cleared: plain login redirect
    assert station.audit.search(action="session.expired")[1] == 1


def test_disabling_an_account_ends_its_sessions(app, station, logged_in):
    from tests.support.web import client_as
    station.accounts.add("chef", "Admin", PASSWORD, ("admin",), ("*",))
    admin = client_as(app, "chef")
    r = admin.post("/admin/comptes/infirmiere/activation", data={"active": "0"})
    assert r.status_code == 302
    assert logged_in.get("/").status_code == 401
    assert station.sessions.open_count("infirmiere") == 0
    r = app.test_client().post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 401


def test_lockout_after_five_failures_then_back_after_delay(station):
    import datetime as dt
    accounts = station.accounts
    t0 = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
    for _ in range(5):
        assert accounts.authenticate("infirmiere", "mauvais", now=t0) is None
    assert accounts.is_locked("infirmiere", now=t0)
    assert accounts.authenticate("infirmiere", PASSWORD, now=t0 + dt.timedelta(minutes=4)) is None
    assert accounts.authenticate("infirmiere", PASSWORD, now=t0 + dt.timedelta(minutes=6))


def test_lockout_through_the_login_form_is_journalled(client, station):
    for _ in range(5):
        client.post("/connexion", data={"login": "infirmiere", "password": "mauvais"})
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    assert r.status_code == 401 and "verrouillé" in r.get_data(as_text=True)
    entries, total = station.audit.search(action="login.failed")
    assert total == 6 and entries[0].details_dict == {"locked": True}


def test_csrf_missing_or_wrong_token_is_refused_in_french(csrf_app):
    client = csrf_app.test_client()
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'lang="fr"' in html and "jeton de sécurité" in html
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD,
                                        "csrf_token": "faux"})
    assert r.status_code == 400
    token = _token(client)
    r = client.post("/connexion", data={"login": "infirmiere", "password": PASSWORD,
                                        "csrf_token": token})
    assert r.status_code == 302
    assert client.post("/deconnexion", data={"csrf_token": "x" + token}).status_code == 400
    assert client.get("/").status_code == 200  # still logged in: the forged logout failed


def test_csrf_token_of_another_session_is_refused(csrf_app, station):
    mallory, victim = csrf_app.test_client(), csrf_app.test_client()
    stolen = _token(mallory)
    token = _token(victim)
    victim.post("/connexion", data={"login": "infirmiere", "password": PASSWORD,
                                    "csrf_token": token})
    _, ipp = _first(station)
    r = victim.post(f"/patients/{ipp}/documents/summary", data={"csrf_token": stolen})
    assert r.status_code == 400 and station.journal.recent(1) == []


def test_security_headers_everywhere(client, logged_in):
    for c, url in ((client, "/connexion"), (logged_in, "/"), (logged_in, "/nulle-part")):
        r = c.get(url)
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Cache-Control"] == "no-store"
    cookie = logged_in.get_cookie("pcsauvegarde_session")
    assert cookie.http_only and cookie.same_site == "Strict"


def test_login_next_never_leaves_the_station(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = client.post("/connexion", query_string={"next": target},
                        data={"login": "infirmiere", "password": PASSWORD})
        assert r.headers["Location"] == "/", target
        client.post("/deconnexion")


def test_session_id_is_not_stored_in_clear(logged_in, station):
    from flask.sessions import SecureCookieSessionInterface
    app = logged_in.application
    value = logged_in.get_cookie("pcsauvegarde_session").value
    sid = SecureCookieSessionInterface().get_signing_serializer(app).loads(value)["sid"]
    with station.state.connect() as db:
        stored = [r[0] for r in db.execute("SELECT id_hash FROM web_session")]
    assert sid not in stored and len(stored) == 1


def _first(station):
    from pcsauvegarde.station import patients
    unit = patients.units(station)[0]
    return unit, patients.inpatients(station, unit.code)[0].patient.id
