"""Consultation screens: each clinic's appointments for the week, printed as call lists."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station.consultations import calls
from pcsauvegarde.station.consultations.model import status_text
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.issuing.issue import IssueError, issue_unit_document
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import parse_day, url_id
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("consultations", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
ROLES = ("soins",)   # the clinics' nurses and secretaries call the patients back


def _today() -> dt.date:
    return to_local(dt.datetime.now(dt.UTC)).date()


@bp.route("/consultations")
@requires(*ROLES)
def index():
    """The clinics of the user's units with appointments this week, day by day."""
    today = _today()
    found = [c for c in calls.summaries(current_station(), today)
             if g.user.can_see_unit(c.unit)]
    clinics: dict[tuple[str, str], list[calls.ClinicDay]] = {}
    for c in found:
        clinics.setdefault((c.unit, c.name), []).append(c)
    days = [today + dt.timedelta(days=k) for k in range(calls.DAYS)]
    return render_template("consultations.html", clinics=clinics, days=days, today=today)


def _day(value: str | None) -> dt.date:
    day = parse_day(value) if value else _today()
    if day is None:
        abort(404)
    return day


@bp.route("/consultations/<unit>")
@requires(*ROLES)
def clinic_day(unit: str):
    """One clinic's appointments of one day, to print as a call list."""
    found = calls.call_list(current_station(), url_id(unit), _day(request.args.get("jour")))
    return render_template("consultation_calls.html", calls=found, status_text=status_text)


@bp.route("/consultations/<unit>/imprimer", methods=["POST"])
@requires(*ROLES)
def print_calls(unit: str):
    """Journal (under the clinic's unit) and render one day's call list, or the next 7 days'
    (``semaine``) in one document, then show it."""
    found: calls.CallList | calls.CallWeek
    if request.form.get("semaine"):
        found = calls.call_week(current_station(), url_id(unit), _today())
        back = url_for("consultations.index")
    else:
        day = _day(request.form.get("jour"))
        found = calls.call_list(current_station(), url_id(unit), day)
        back = url_for("consultations.clinic_day", unit=found.code, jour=day.isoformat())
    try:
        issued = issue_unit_document(current_station(), "consultation_calls", found,
                                     g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(back)
    log.info("issued %s (call list %s)", issued.document.number, found.code)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))
