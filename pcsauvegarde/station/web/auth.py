"""Login, logout, server-side sessions and idle timeout (access rules: web/access.py)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.routing import RequestRedirect

from pcsauvegarde.station.state.audit import ACTOR
from pcsauvegarde.station.web.access import LOGIN_LIMIT, current_station, public

bp = Blueprint("auth", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
PUBLIC_ENDPOINTS = {"auth.login", "static"}
SESSION_KEY = "sid"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # what browsers strip or choke on in a URL


def idle_timeout() -> dt.timedelta:
    """The settings' idle timeout; tests may shorten it with ``IDLE_TIMEOUT_SECONDS``."""
    seconds = current_app.config.get("IDLE_TIMEOUT_SECONDS")
    if seconds:
        return dt.timedelta(seconds=seconds)
    return dt.timedelta(minutes=current_station().settings.idle_timeout_minutes)


def load_user() -> None:
    """Attach the logged-in user to ``g`` if the server still holds the session open."""
    g.user = None
    ACTOR.set("anonyme")
    token = session.get(SESSION_KEY)
    if not token or request.endpoint == "static":
        return
    station = current_station()
    check = station.sessions.check(str(token)[:128], idle_timeout(),
                                   dt.timedelta(hours=station.settings.session_max_hours))
    if check.status != "ok":
        session.clear()
        if request.endpoint in ("auth.login", "auth.logout"):
            return None  # let the user log in again at once
        if check.status == "expired":
            station.audit.record(check.login, "session.expired")
            message = "Session fermée après inactivité : reconnectez-vous."
        else:
            station.audit.record("anonyme", "session.refused", check.login or "",
                                 {"path": request.path[:200]})
            message = ("Cette session a été fermée (déconnexion, inactivité ou compte "
                       "désactivé) : reconnectez-vous.")
        return _session_ended(message)
    user = station.accounts.get(check.login)
    if user is None or not user.active:
        station.sessions.close(token, "compte désactivé")
        session.clear()
        return _session_ended("Votre compte est désactivé : adressez-vous à l'administrateur.")
    g.user = user
    g.session_token = token
    ACTOR.set(user.login)


def _session_ended(message: str):
    """A clean 401 with the login form, whatever page the stale cookie asked for."""
    flash(message, "info")
    return render_template("login.html", next=_safe_next(request.full_path)), 401


def _safe_next(target: str | None) -> str:
    """``target`` if it is one of this app's own pages, else "" (no open redirect).

    Browsers drop tabs and newlines from URLs and read ``\\`` as ``/``: ``/\t/evil`` and
    ``/\\evil`` both become ``//evil``, another host. So normalise first, then accept only a
    path without host or scheme that routes to one of our GET views.
    """
    target = _CONTROL.sub("", target or "").strip().replace("\\", "/").rstrip("?")[:300]
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or parts.scheme
            or parts.netloc):
        return ""
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except (HTTPException, RequestRedirect):
        return ""
    return target


@bp.route("/connexion", methods=["GET", "POST"])
@public
def login():
    target = _safe_next(request.values.get("next"))
    if request.method == "POST":
        station = current_station()
        if not current_app.extensions[LOGIN_LIMIT].allow(request.remote_addr or "?"):
            station.audit.record("anonyme", "login.throttled", "", durable=False)
            raise TooManyRequests()
        login_name = request.form.get("login", "").strip().lower()[:64]
        password = request.form.get("password", "")[:256]
        user = station.accounts.authenticate(login_name, password)
        if user is None:
            locked = station.accounts.is_locked(login_name)
            log.warning("failed login")
            station.audit.record("anonyme", "login.failed", login_name[:64],
                                 {"locked": locked})
            flash("Identifiant ou mot de passe incorrect, ou compte verrouillé "
                  "quelques minutes après plusieurs échecs.", "error")
            return render_template("login.html", next=target), 401
        old = session.get(SESSION_KEY)
        if old:
            station.sessions.close(str(old)[:128], "nouvelle connexion")
        session.clear()
        session[SESSION_KEY] = station.sessions.open(user.login)
        station.audit.record(user.login, "login", user.login)
        return redirect(target or url_for("patients.home"))
    return render_template("login.html", next=target)


@bp.route("/deconnexion", methods=["POST"])
@public
def logout():
    token = session.get(SESSION_KEY)
    if token:
        current_station().sessions.close(str(token)[:128], "déconnexion")
        current_station().audit.record(g.user.login if g.get("user") else None, "logout")
    session.clear()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))
