"""Browser test helpers: the station served on a loopback port, a 1366×768 French page."""

from __future__ import annotations

import contextlib
import threading

CHROMIUM = "/usr/bin/chromium"


@contextlib.contextmanager
def serving(station, config: dict):
    """The station's app on 127.0.0.1:<free port>, in this process: yields its base URL."""
    from werkzeug.serving import make_server

    from pcsauvegarde.station.web import create_app
    server = make_server("127.0.0.1", 0, create_app(station, config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    return context, pg
