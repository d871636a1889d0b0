"""OR screen (« Bloc opératoire »): the day's schedule per room, its print, pre-op sheets;
and a patient's discharge / transfer pack (« Documents de sortie et de transfert »)."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import or_schedule, preop
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.issuing.issue import (
    IssueError,
    issue_file_document,
    issue_theatre_document,
)
from pcsauvegarde.station.issuing.transfer import issue_transfer_pack
from pcsauvegarde.station.theatre import schedule
from pcsauvegarde.station.theatre.schedule import ScheduleError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, url_id
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("theatre", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
# OR nurses and anaesthetists hold « imagerie » (« imagerie et bloc »); ward nurses and
# surgeons (« soins ») see the cases of their units' patients.
ROLES = ("imagerie", "soins")


def _visible(unit: str | None) -> bool:
    """A case is listed when its patient's unit is the user's (a patient of no known unit:
    only all-unit accounts), as every patient list."""
    return "*" in g.user.units or (unit is not None and g.user.can_see_unit(unit))


def _day_and_room(values) -> tuple[dt.date, str]:
    now = dt.datetime.now(dt.UTC)
    return (schedule.parse_day(values.get("jour"), now), clean_text(values.get("salle"), 80))


@bp.route("/bloc")
@requires(*ROLES)
def index():
    """The schedule of a day (today by default), every room or one."""
    station = current_station()
    now = dt.datetime.now(dt.UTC)
    try:
        day, room = _day_and_room(request.args)
    except ScheduleError as exc:
        flash(str(exc), "error")
        return redirect(url_for("theatre.index"))
    plan = schedule.build(station, day, room, visible=_visible, now=now)
    today = to_local(now).date()
    days = [today + dt.timedelta(days=n) for n in range(-1, schedule.MAX_DAYS_AHEAD + 1)]
    return render_template("theatre.html", plan=plan, day=day, room=room, days=days,
                           rooms=schedule.rooms_of(station, day), today=today)


@bp.route("/bloc/imprimer", methods=["POST"])
@requires(*ROLES)
def print_schedule():
    """Journal and print the shown schedule (the lines the user may see)."""
    station = current_station()
    try:
        day, room = _day_and_room(request.form)
    except ScheduleError as exc:
        flash(str(exc), "error")
        return redirect(url_for("theatre.index"))
    plan = schedule.build(station, day, room, visible=_visible)
    try:
        issued = issue_theatre_document(station, or_schedule.KIND, plan, g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("theatre.index", jour=day.isoformat(), salle=room))
    log.info("issued %s (%s)", issued.document.number, or_schedule.KIND)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


@bp.route("/bloc/patients/<ipp>/fiche-preoperatoire", methods=["POST"])
@requires(*ROLES)
def print_preop(ipp: str):
    """The patient's pre-operative and transfusion sheet (unit scoping by the <ipp>)."""
    station = current_station()
    file = patients.patient_file(station, url_id(ipp))
    if file is None:
        abort(404)
    try:
        issued = issue_file_document(station, preop.KIND, file, g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("theatre.index"))
    log.info("issued %s (%s)", issued.document.number, preop.KIND)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


@bp.route("/patients/<ipp>/sortie", methods=["POST"])
@requires("soins")
def print_transfer_pack(ipp: str):
    """The pack for a patient leaving (``motif`` sortie) or transferred (transfert)."""
    purpose = {"sortie": "discharge", "transfert": "transfer"}.get(
        request.form.get("motif", ""), "")
    if not purpose:
        flash("Motif invalide : « sortie » ou « transfert » attendu.", "error")
        return redirect(url_for("patients.patient", ipp=ipp))
    destination = clean_text(request.form.get("destination"), 200)
    try:
        issued = issue_transfer_pack(current_station(), url_id(ipp), g.user.login, purpose,
                                     destination)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("patients.patient", ipp=ipp))
    log.info("issued %s (transfer pack)", issued.document.number)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))
