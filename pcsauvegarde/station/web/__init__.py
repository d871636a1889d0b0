"""The station UI: Flask app factory (starts nothing), blueprints per area."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from pcsauvegarde.station import exercise
from pcsauvegarde.station.documents import fmt
from pcsauvegarde.station.freshness import freshness
from pcsauvegarde.station.ratelimit import RateLimit
from pcsauvegarde.station.readiness import assess
from pcsauvegarde.station.settings import Settings, default_data_dir, load_settings
from pcsauvegarde.station.station import Station, open_station
from pcsauvegarde.station.sync.freeze import is_frozen
from pcsauvegarde.station.web.access import EXTENSION, LOGIN_LIMIT


def create_app(station: Station | Settings | Path | None = None,
               test_config: dict[str, Any] | None = None) -> Flask:
    """Build the UI for a station (object, settings or data dir). Starts no thread."""
    if station is None:
        station = default_data_dir()
    if isinstance(station, (str, Path)):
        station = load_settings(Path(station))
    if isinstance(station, Settings):
        station = open_station(station)

    from pcsauvegarde.station.documents import check_templates
    # A broken print template stops start-up, naming the file and key.
    check_templates(station.settings.print_templates_path)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(station.settings.web_secret_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="pcsauvegarde_session",
        # The cookie only carries the session id: the server-side session enforces the idle
        # timeout (web/auth.py). Flask refuses a cookie older than this lifetime and does not
        # re-sign it on each request, so it MUST be the absolute limit, not the idle one.
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=station.settings.session_max_hours),
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the (idle-limited) session
    )
    if test_config:
        app.config.update(test_config)
    app.extensions[EXTENSION] = station
    s = station.settings
    app.extensions[LOGIN_LIMIT] = RateLimit(s.login_attempts_per_minute,
                                            s.login_attempts_total_per_minute)
    CSRFProtect(app)

    from pcsauvegarde.station.web import auth, scope
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    app.before_request(auth.load_user)
    app.before_request(scope.enforce_scope)  # unit scoping of every <ipp>/<unit>/<number> view
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    for code in ERRORS:
        app.register_error_handler(code, _error_page)
    app.add_template_filter(_format_iso, "format_iso")
    for name in ("format_local", "format_date", "format_time", "format_age", "format_timing",
                 "allergy_text"):
        if hasattr(fmt, name):
            app.add_template_filter(getattr(fmt, name), name)
    from pcsauvegarde.station.web.labels import FILTERS, GLOBALS, TESTS
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.tests.update(TESTS)
    app.jinja_env.globals.update(GLOBALS)
    return app


def blueprints() -> list:
    """Every blueprint of the UI, in registration order (create_app, the roles table)."""
    from pcsauvegarde.station.web import (
        admin,
        admin_journal,
        admin_sync,
        admissions,
        auth,
        care,
        consultations,
        imaging,
        kits,
        lab,
        patients,
        pharmacy,
        printing,
        reentry,
        scope,
        sterilisation,
        sterilisation_cycles,
        sterilisation_docs,
        theatre,
        transcribe,
        transcribe_exports,
    )
    return [m.bp for m in (auth, patients, scope, care, kits, admissions, printing, admin,
                           admin_journal, admin_sync, lab, sterilisation,
                           sterilisation_docs, sterilisation_cycles, pharmacy, reentry,
                           transcribe, transcribe_exports, imaging, consultations, theatre)]


def station_of(app: Flask) -> Station:
    return app.extensions[EXTENSION]


def _secret_key(path: Path) -> bytes:
    """A per-station random key kept in the data dir (sessions survive a restart)."""
    if not path.exists():
        from pcsauvegarde.core.fsutil import atomic_write
        atomic_write(path, secrets.token_bytes(32), mode=0o600)
    return path.read_bytes()


def _format_iso(value: str | None) -> str:
    """A stored ISO timestamp, in local time (DD/MM/YYYY HH:MM)."""
    try:
        return fmt.format_local(dt.datetime.fromisoformat(value)) if value else ""
    except (TypeError, ValueError):
        return str(value)


def _security_headers(response):
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _template_globals() -> dict[str, Any]:
    from flask import current_app

    from pcsauvegarde.station.web.access import CLINICAL
    from pcsauvegarde.station.web.auth import idle_timeout as auth_idle

    station = station_of(current_app)
    now = dt.datetime.now(dt.UTC)
    user = g.get("user")
    return {"can_search": bool(user and set(CLINICAL) & set(user.roles)),
            "fresh": freshness(station.store, station.settings.stale_after_minutes, now),
            "now": now, "user": g.get("user"), "settings": station.settings,
            "idle_seconds": int(auth_idle().total_seconds()),
            "frozen": is_frozen(station.settings),
            "exercise": exercise.current(station),
            # The caller is the service itself: no need to probe it.
            "readiness": assess(station, now, service=None),
            "age_of": lambda birth: fmt.format_person_age(birth, fmt.to_local(now).date())}


ERRORS = {400: ("Requête refusée", ("La demande est invalide ou le formulaire a expiré : "
                                     "rechargez la page et recommencez.")),
          401: ("Connexion requise", "Connectez-vous pour continuer."),
          403: ("Accès refusé", "Votre compte n'a pas accès à cette page ou à ce patient."),
          404: ("Introuvable", "Cette page ou ce patient n'existe pas dans les données."),
          405: ("Méthode refusée", "Cette action n'est pas permise ainsi."),
          413: ("Trop volumineux", "Les données envoyées dépassent la taille permise."),
          414: ("Adresse trop longue", "L'adresse demandée est trop longue."),
          429: ("Trop de tentatives", ("Trop de tentatives de connexion en peu de temps : "
                                       "patientez une minute avant de réessayer.")),
          500: ("Erreur interne", ("La station n'a pas pu traiter la demande ; elle a été "
                                   "consignée. Réessayez ou utilisez les procédures papier."))}


def _error_page(exc):
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    title, message = ERRORS.get(exc.code, ("Erreur", "La demande n'a pas pu aboutir."))
    if isinstance(exc, CSRFError):
        message = ("Le jeton de sécurité du formulaire est absent, invalide ou expiré : "
                   "rechargez la page et recommencez.")
    return render_template("error.html", title=title, message=message), exc.code
