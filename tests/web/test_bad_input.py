"""Odd input everywhere: every GET route's arguments and query, every form field of every page.

Forms are found by reading the pages themselves, so a new form is fuzzed without editing this
file. Nothing may crash (the test client re-raises exceptions); refusals are French pages.
"""

from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser

import pytest

from pcsauvegarde.station.web import station_of
from tests.support.web import client_as, route_rules, sample_url

NASTY = ("", "A" * 10_000, "é\x00\x07\x1b[31m\u202e\ufeff<script>alert(1)</script>",
         "../../../../etc/passwd", "=cmd|' /C calc'!A0",
         "\U0001f489 Zoé 💊 \r\n\t", "99999999999999999999")
PATH_NASTY = ("..", "../../etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "A" * 3000,
              "é\x00\u202e", "'; DROP TABLE user; --", "summary/../../x", "STATION-DEMO-0000001")


class _Forms(HTMLParser):
    """Collects each form's method, action and fields (name → default value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").upper(),
                               "action": a.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1]["fields"].setdefault(a["name"], "")
            else:
                self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def _check(r, what: str, failures: list) -> None:
    if r.status_code >= 500:
        failures.append(f"{what}: {r.status_code}")
    elif r.status_code >= 400 and 'lang="fr"' not in r.get_data(as_text=True):
        failures.append(f"{what}: {r.status_code} without a French page")


def test_odd_values_in_every_url_argument_and_query(app, people, samples):
    failures: list[str] = []
    client = client_as(app, "chef")
    for rule, method in route_rules(app):
        if method != "GET":
            continue
        for arg in rule.arguments:
            for value in PATH_NASTY:
                url = sample_url(rule, {**samples["in"], arg: value})
                _check(client.get(url), f"GET {url[:80]}", failures)
        base = sample_url(rule, samples["in"])
        for value in NASTY:
            query = urllib.parse.urlencode({k: value for k in ("q", "page", "du", "au",
                                                                "utilisateur", "action",
                                                                "next")})
            _check(client.get(f"{base}?{query}"), f"GET {base}?…{value[:20]!r}", failures)
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_odd_values_in_every_form_field(app, people, samples):
    failures: list[str] = []
    forms: dict[tuple, dict] = {}
    reader = client_as(app, "chef")
    for rule, method in route_rules(app):
        if method == "GET" and rule.endpoint != "auth.login":
            page = reader.get(sample_url(rule, samples["in"]))
            if page.mimetype != "text/html":
                continue
            parser = _Forms()
            parser.feed(page.get_data(as_text=True))
            for form in parser.forms:
                forms.setdefault((form["method"], form["action"]), form)
    parser = _Forms()
    parser.feed(app.test_client().get("/connexion").get_data(as_text=True))
    forms[("POST", "/connexion")] = parser.forms[0]
    assert len(forms) >= 10, sorted(forms)  # search, logout, print, accounts, journal…
    for (method, action), form in sorted(forms.items()):
        if action.endswith("/deconnexion"):
            continue  # logging out is harmless; it would end this client's session
        for field in form["fields"]:
            if field == "csrf_token":
                continue
            for value in NASTY:
                data = {**form["fields"], field: value}
                client = client_as(app, "chef")
                if method == "GET":
                    r = client.get(action or "/", query_string=data)
                else:
                    r = client.post(action, data=data)
                _check(r, f"{method} {action} {field}={value[:20]!r}", failures)
    assert not failures, "\n".join(failures)
    assert station_of(app).audit.verify().ok


def test_oversized_body_is_refused_cleanly(app, people):
    client = client_as(app, "chef")
    r = client.post("/admin/comptes", data={"login": "x" * 100_000})
    assert r.status_code == 413 and 'lang="fr"' in r.get_data(as_text=True)


def test_document_paths_never_reach_the_filesystem(app, people, station):
    (station.settings.data_dir / "secret.pdf").write_bytes(b"%PDF secret")
    client = client_as(app, "chef")
    for number in ("../secret", "..%2Fsecret", "%2e%2e%2fsecret", "/etc/passwd", "secret\x00"):
        r = client.get(f"/documents/{number}.pdf")
        assert r.status_code in (404, 400) and b"secret" not in r.data, number
