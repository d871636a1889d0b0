"""Administration: home (links to accounts, journal, synchronisation) and local accounts."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from pcsauvegarde.station import administration, exercise, patients
from pcsauvegarde.station.state.accounts import ROLES, AccountError, User
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text
from pcsauvegarde.station.web.navigation import sections_for

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLE_LABELS = {"soins": "Soins", "laboratoire": "Laboratoire", "pharmacie": "Pharmacie",
               "stérilisation": "Stérilisation", "imagerie": "Imagerie", "admin": "Administration"}


@bp.route("")
@requires("admin")
def home():
    recent, _ = current_station().audit.search(action="patient.breakglass", limit=20)
    sections = [s for s in sections_for(("admin",), current_app.url_map)]
    from pcsauvegarde.station.reentry import outage, retention
    station = current_station()
    return render_template("admin_home.html", sections=sections, breakglass=recent,
                           exercise=exercise.current(station), kept=retention.kept(station),
                           retention_days=station.settings.pdf_retention_days,
                           outage=outage.running(station))


@bp.route("/exercice", methods=["POST"])
@requires("admin")
def exercise_switch():
    """Start (action=start) or end the crisis exercise; ending shows its report."""
    station = current_station()
    try:
        if request.form.get("action") == "start":
            exercise.start(station, g.user.login, clean_text(request.form.get("label"), 120))
            flash("Exercice commencé : tous les documents portent la mention EXERCICE.", "info")
            return redirect(url_for("admin.home"))
        report = exercise.end(station, g.user.login)
    except exercise.ExerciseError as exc:
        flash(f"Impossible : {exc}.", "error")
        return redirect(url_for("admin.home"))
    from pcsauvegarde.station.documents.exercise_report import delay_text
    printed = exercise.print_report(station, report, g.user.login)
    if printed.ok:
        flash(f"Bilan imprimé (document {printed.number}).", "info")
    else:
        flash(f"Bilan non imprimé : {printed.error} ; il reste dans les impressions en échec.",
              "error")
    return render_template("admin_exercise_report.html", report=report,
                           delay=delay_text(report))


@bp.route("/procedure", methods=["POST"])
@requires("admin")
def print_procedure():
    """Print the one-page « procédure synthétique » to tape next to the station."""
    from pcsauvegarde.station.issuing.send import send_document
    from pcsauvegarde.station.procedure import issue_procedure

    station = current_station()
    issued = issue_procedure(station, g.user.login)
    printed = send_document(station, issued.document.number, issued.pdf, g.user.login)
    if printed.ok:
        flash(f"Procédure synthétique imprimée (document {printed.number}) : l'afficher à "
              "côté du poste.", "info")
    else:
        flash(f"Procédure non imprimée : {printed.error} ; elle reste dans les impressions en "
              "échec.", "error")
    return redirect(url_for("admin.home"))


@bp.route("/comptes", methods=["GET", "POST"])
@requires("admin")
def accounts():
    station = current_station()
    form: dict = {}
    status = 200
    if request.method == "POST":
        form = _account_form()
        login = clean_text(request.form.get("login"), 64).lower()
        password = request.form.get("password", "")[:300]
        try:
            user = administration.create_account(station, g.user.login, login, form["name"],
                                                 password, form["roles"], form["units"])
        except AccountError as exc:
            flash(f"Compte non créé : {exc}.", "error")
            status = 400
            form["login"] = login
        else:
            flash(f"Compte « {user.login} » créé.", "info")
            return redirect(url_for("admin.accounts"))
    return render_template("admin_accounts.html", users=station.accounts.list(),
                           roles=ROLES, role_labels=ROLE_LABELS, units=_units(), form=form,
                           open_sessions=station.sessions.open_count), status


@bp.route("/comptes/<login>", methods=["GET", "POST"])
@requires("admin")
def account(login: str):
    station = current_station()
    user = _user_or_404(login)
    status = 200
    if request.method == "POST":
        form = _account_form()
        try:
            administration.update_account(station, g.user.login, user.login, form["name"],
                                          form["roles"], form["units"])
        except AccountError as exc:
            flash(f"Compte non modifié : {exc}.", "error")
            status = 400
        else:
            flash(f"Compte « {user.login} » modifié.", "info")
            return redirect(url_for("admin.account", login=user.login))
    return render_template("admin_account.html", u=user, roles=ROLES, role_labels=ROLE_LABELS,
                           units=_units(user), open_sessions=station.sessions.open_count(
                               user.login)), status


@bp.route("/comptes/<login>/activation", methods=["POST"])
@requires("admin")
def activation(login: str):
    user = _user_or_404(login)
    active = request.form.get("active") == "1"
    try:
        administration.set_account_active(current_station(), g.user.login, user.login, active)
    except AccountError as exc:
        flash(f"Impossible : {exc}.", "error")
        return redirect(url_for("admin.account", login=user.login))
    if not active:
        flash(f"Compte « {user.login} » désactivé ; ses sessions sont fermées.", "info")
    else:
        flash(f"Compte « {user.login} » réactivé.", "info")
    return redirect(url_for("admin.account", login=user.login))


@bp.route("/comptes/<login>/mot-de-passe", methods=["POST"])
@requires("admin")
def password(login: str):
    user = _user_or_404(login)
    new, confirm = request.form.get("password", "")[:300], request.form.get("confirm", "")[:300]
    if new != confirm:
        flash("Les deux mots de passe saisis diffèrent.", "error")
        return redirect(url_for("admin.account", login=user.login))
    try:
        administration.reset_password(current_station(), g.user.login, user.login, new)
    except AccountError as exc:
        flash(f"Mot de passe non changé : {exc}.", "error")
        return redirect(url_for("admin.account", login=user.login))
    flash(f"Mot de passe de « {user.login} » réinitialisé ; communiquez-le en main propre.",
          "info")
    return redirect(url_for("admin.account", login=user.login))


def _user_or_404(login: str) -> User:
    user = current_station().accounts.get(login[:64])
    if user is None:
        abort(404)
    return user


def _account_form() -> dict:
    return {"name": clean_text(request.form.get("name"), 80),
            "roles": tuple(clean_text(r, 32) for r in request.form.getlist("role")[:10]),
            "units": tuple(clean_text(u, 32) for u in request.form.getlist("unit")[:200])}


def _units(user: User | None = None) -> list[tuple[str, str]]:
    """(code, name) choices: every unit, plus codes a user holds that the data lacks."""
    known = [(u.code, u.name) for u in patients.units(current_station())]
    codes = {c for c, _ in known}
    extra = [(c, c) for c in (user.units if user else ()) if c != "*" and c not in codes]
    return [("*", "Tous les services"), *known, *extra]
