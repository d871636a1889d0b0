"""Web test helpers: a client already logged in, every route of the app with a sample URL."""

from __future__ import annotations

IN_UNIT, OUT_UNIT = "CHD", "REA"  # units of the demo hospital


def client_as(app, login: str):
    """A test client holding an open server-side session for ``login``."""
    from pcsauvegarde.station.web import station_of
    from pcsauvegarde.station.web.auth import SESSION_KEY

    client = app.test_client()
    token = station_of(app).sessions.open(login)
    with client.session_transaction() as sess:
        sess[SESSION_KEY] = token
    return client


def route_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def sample_url(rule, values: dict) -> str:
    missing = rule.arguments - set(values)
    assert not missing, f"{rule.rule}: add a sample value for {missing} in tests/web/conftest.py"
    return rule.build({a: values[a] for a in rule.arguments})[1]


def print_unit(client, unit: str, kinds, **form):
    """POST « Imprimer le service » and follow its progress page to the document's redirect."""
    import time
    r = client.post(f"/services/{unit}/imprimer", data={"kinds": list(kinds), **form})
    deadline = time.monotonic() + 120
    while r.status_code in (200, 302) and "/impression/" in r.headers.get("Location", ""):
        progress = r.headers["Location"]
        r = client.get(progress)
        while r.status_code == 200 and time.monotonic() < deadline:
            assert 'id="bundle-progress"' in r.get_data(as_text=True)
            time.sleep(0.2)
            r = client.get(progress)
    return r
