"""Imaging screens: the week's exam schedules, one schedule, report forms; printed, journalled."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station.access_rules import covers_all_units
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.imaging import schedule
from pcsauvegarde.station.imaging.model import modality_text, status_text
from pcsauvegarde.station.issuing.issue import IssueError, issue_scoped_document
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, parse_day
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("imaging", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
ROLE = "imagerie"
ALL_UNITS = ("Les plannings d'imagerie listent les patients de tous les services : ils sont "
             "réservés aux comptes couvrant toutes les unités (*). Demandez-le à "
             "l'administrateur de la station.")


def all_units_only(view):
    """Refuse, saying why, accounts that do not cover every unit (see access_rules)."""
    @functools.wraps(view)
    def wrapped(**kwargs):
        if not covers_all_units(g.user):
            return render_template("error.html", title="Accès refusé", message=ALL_UNITS), 403
        return view(**kwargs)
    return wrapped


def _today() -> dt.date:
    return to_local(dt.datetime.now(dt.UTC)).date()


@bp.route("/imagerie")
@requires(ROLE)
@all_units_only
def index():
    """The schedules of today and the next days, by day, modality and room."""
    today = _today()
    found = schedule.summaries(current_station(), today)
    days = [today + dt.timedelta(days=k) for k in range(schedule.DAYS_SHOWN)]
    by_day = {d: [s for s in found if s.day == d] for d in days}
    return render_template("imaging.html", days=days, by_day=by_day, today=today,
                           modality_text=modality_text)


def _chosen(values) -> tuple[dt.date, str, str] | None:
    """(day, modality, room) of a form or query; None (flashed) when day or modality lack."""
    day = parse_day(values.get("jour"))
    modality = clean_text(values.get("modalite"), 64)
    if day is None or not modality:
        flash("Choisissez un jour et une modalité dans la liste des plannings.", "error")
        return None
    return day, modality, clean_text(values.get("salle"), 200)


@bp.route("/imagerie/planning")
@requires(ROLE)
@all_units_only
def day_schedule():
    """One modality, room and day: the exams, to print or to open a report form from."""
    chosen = _chosen(request.args)
    if chosen is None:
        return redirect(url_for("imaging.index"))
    day, modality, room = chosen
    found = schedule.exam_schedule(current_station(), day, modality, room)
    return render_template("imaging_schedule.html", schedule=found, today=_today(),
                           modality_text=modality_text, status_text=status_text)


@bp.route("/imagerie/planning/imprimer", methods=["POST"])
@requires(ROLE)
@all_units_only
def print_schedule():
    """Journal and render one schedule (no patient, no unit: all-unit accounts reread it)."""
    chosen = _chosen(request.form)
    if chosen is None:
        return redirect(url_for("imaging.index"))
    day, modality, room = chosen
    found = schedule.exam_schedule(current_station(), day, modality, room)
    return _issue("imaging_schedule", found, None, None,
                  url_for("imaging.day_schedule", jour=day.isoformat(), modalite=modality,
                          salle=room))


@bp.route("/imagerie/journee/imprimer", methods=["POST"])
@requires(ROLE)
@all_units_only
def print_day():
    """Every schedule of a day (each modality and room from a new page) in one document."""
    day = parse_day(request.form.get("jour"))
    if day is None:
        flash("Choisissez un jour dans la liste des plannings.", "error")
        return redirect(url_for("imaging.index"))
    return _issue("imaging_schedule", schedule.exam_day(current_station(), day), None, None,
                  url_for("imaging.index"))


@bp.route("/imagerie/compte-rendu", methods=["POST"])
@requires(ROLE)
@all_units_only
def print_report():
    """A report form for one exam (journalled with its patient), or a blank one."""
    exam_id = clean_text(request.form.get("examen"), 128) or None
    station = current_station()
    report = schedule.exam_report(station, exam_id)
    if report is None:
        abort(404)
    who = report.who
    unit = who.stay.unit if who is not None and who.stay is not None else None
    return _issue("imaging_report", report, report.exam.ipp if report.exam else None, unit,
                  request.referrer or url_for("imaging.index"))


def _issue(kind: str, data, ipp: str | None, unit: str | None, back: str):
    try:
        issued = issue_scoped_document(current_station(), kind, "imaging", data, g.user.login,
                                       ipp=ipp, unit=unit)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(back)
    log.info("issued %s (%s)", issued.document.number, kind)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))
