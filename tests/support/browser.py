"""Debian's Chromium through Playwright (no browser download), and the app served to it."""

from __future__ import annotations

import contextlib
import os
import threading

import pytest

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                    reason=f"{CHROMIUM} absent (apt-get install chromium)")


@contextlib.contextmanager
def chromium():
    """A headless Chromium for one module (skips when Playwright is not installed)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def serving(station, config: dict):
    """The app of ``station`` on a loopback port, in this process: yields (base URL, station)."""
    from werkzeug.serving import make_server

    from pcsauvegarde.station.web import create_app
    app = create_app(station, config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", station
    finally:
        server.shutdown()


def new_page(browser):
    """(context, page) at 1366×768 in French, 10 s default timeout."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    return context, pg


def log_in(page, base: str, login: str, password: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")
