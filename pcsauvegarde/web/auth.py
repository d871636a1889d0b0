"""Login, logout, idle timeout (access rules of other views: web/access.py)."""

from __future__ import annotations

import datetime as dt
import logging

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

from pcsauvegarde.web.access import public

bp = Blueprint("auth", __name__)
log = logging.getLogger("pcsauvegarde.web")
PUBLIC_ENDPOINTS = {"auth.login", "static"}


def _station():
    from pcsauvegarde.web import station_of
    return station_of(current_app)


def load_user() -> None:
    """Attach the logged-in user to ``g``; end sessions idle for too long."""
    g.user = None
    login = session.get("login")
    if not login:
        return
    now = dt.datetime.now(dt.UTC)
    last = session.get("last_seen")
    idle = dt.timedelta(minutes=_station().settings.idle_timeout_minutes)
    if last is None or now - dt.datetime.fromisoformat(last) > idle:
        session.clear()
        flash("Session fermée après inactivité : reconnectez-vous.", "info")
        return
    user = _station().accounts.get(login)
    if user is None or not user.active:
        session.clear()
        return
    g.user = user
    session["last_seen"] = now.isoformat()


@bp.route("/connexion", methods=["GET", "POST"])
@public
def login():
    if request.method == "POST":
        login_name = request.form.get("login", "").strip().lower()[:64]
        password = request.form.get("password", "")[:256]
        user = _station().accounts.authenticate(login_name, password)
        if user is None:
            log.warning("failed login")
            flash("Identifiant ou mot de passe incorrect, ou compte verrouillé "
                  "quelques minutes après plusieurs échecs.", "error")
            return render_template("login.html"), 401
        session.clear()
        session["login"] = user.login
        session["last_seen"] = dt.datetime.now(dt.UTC).isoformat()
        target = request.args.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("patients.home")
        return redirect(target)
    return render_template("login.html")


@bp.route("/deconnexion", methods=["POST"])
@public
def logout():
    session.clear()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))
