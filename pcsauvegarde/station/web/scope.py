"""Unit scoping for every view, decided once from the URL, and break-glass access.

Convention (MUST): a view about a patient names it ``<ipp>``, a unit ``<unit>``, an issued
document ``<number>``. Before any such view runs, the user must cover that unit, or hold a
break-glass grant for that patient in this session; patient pages seen are journalled.
"""

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

from pcsauvegarde.station import patients
from pcsauvegarde.station.access_rules import may_open_document, may_open_patient
from pcsauvegarde.station.web.access import CLINICAL, current_station, requires
from pcsauvegarde.station.web.forms import clean_text, url_id

bp = Blueprint("scope", __name__)
MIN_REASON = 15
MAX_REASON = 500


def scope_exempt(view):
    """Mark a view that checks the patient's unit itself (the break-glass form)."""
    view.scope_exempt = True
    return view


def enforce_scope():
    """before_request: refuse what lies outside the user's units; journal patient views."""
    user = g.get("user")
    args = request.view_args or {}
    if user is None or not args or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    roles = getattr(view, "access_roles", None)
    if getattr(view, "scope_exempt", False) or roles is None:
        return None
    if roles and not set(roles) & set(user.roles):
        return None  # ``requires`` answers 403 itself
    if "unit" in args and not user.can_see_unit(str(args["unit"])):
        abort(403)
    station = current_station()
    if "number" in args:
        # The journal entry decides, never today's extract: enumerating numbers gives a plain
        # refusal (no identity, no break-glass form) for every document outside one's units.
        doc = station.journal.get(str(args["number"]))
        if doc is None:
            return None  # the view answers 404
        if not may_open_document(user, doc, _has_grant):
            abort(403)
        return None
    ipp = args.get("ipp")
    if ipp is not None:
        known, unit = patients.patient_unit(station, str(ipp))
        if not known:
            return None
        if not may_open_patient(user, str(ipp), unit, _has_grant):
            if request.method == "GET":
                return _breakglass_page(str(ipp), 403)
            abort(403)
        if request.method == "GET" and "ipp" in args:
            station.audit.record(user.login, "patient.view", str(ipp),
                                 {"page": request.endpoint, "unit": unit}, durable=False)
    return None


def _has_grant(ipp: str) -> bool:
    """A break-glass grant for this patient in the current session."""
    token = g.get("session_token")
    return bool(token) and current_station().sessions.has_grant(token, ipp)


def may_open(ipp: str, unit: str | None) -> bool:
    """The current user may open this patient (their units, or break-glass)."""
    return may_open_patient(g.user, ipp, unit, _has_grant)


def may_open_number(number: str) -> bool:
    """The current user may open this issued document (the unit its journal entry holds)."""
    return may_open_document(g.user, current_station().journal.get(number), _has_grant)


def _breakglass_page(ipp: str, status: int, reason: str = ""):
    rows = [r for r in patients.search(current_station(), ipp) if r.patient.id == ipp]
    return render_template("breakglass.html", ipp=ipp, row=rows[0] if rows else None,
                           reason=reason, min_reason=MIN_REASON, max_reason=MAX_REASON,
                           next=request.path if status == 403 else ""), status


@bp.route("/patients/<ipp>/acces-exceptionnel", methods=["GET", "POST"])
@requires(*CLINICAL)
@scope_exempt
def breakglass(ipp: str):
    """Open a patient outside one's units after typing a reason (journalled, this session)."""
    ipp = url_id(ipp)
    known, unit = patients.patient_unit(current_station(), ipp)
    if not known:
        abort(404)
    if may_open(ipp, unit):
        return redirect(url_for("patients.patient", ipp=ipp))
    if request.method == "GET":
        return _breakglass_page(ipp, 200)
    reason = clean_text(request.form.get("reason", ""), MAX_REASON, multiline=True)
    if len(reason) < MIN_REASON:
        flash(f"Indiquez le motif de l'accès en au moins {MIN_REASON} caractères.", "error")
        return _breakglass_page(ipp, 400, reason)
    station = current_station()
    station.sessions.grant(g.session_token, g.user.login, ipp, reason)
    station.audit.record(g.user.login, "patient.breakglass", ipp,
                         {"unit": unit, "reason": reason})
    flash("Accès exceptionnel enregistré et signalé à l'administrateur pour ce patient, "
          "jusqu'à la fin de votre session.", "info")
    return redirect(url_for("patients.patient", ipp=ipp))
