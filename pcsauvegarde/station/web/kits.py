"""Pre-identified forms: one form for one patient, and a unit's « kit de démarrage »."""

from __future__ import annotations

import functools
import logging

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
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.issuing.issue import IssueError, issue_file_document
from pcsauvegarde.station.issuing.jobs import BundleJob, BundleJobs
from pcsauvegarde.station.issuing.kit import issue_unit_kit, offered_forms, plan_kit
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.care import JOBS, WAIT_SECONDS, send_job_to_printer
from pcsauvegarde.station.web.forms import url_id
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("kits", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
KIT_ROLES = ("soins", "admin")   # the unit's nurses, or the admin


@bp.app_context_processor
def _forms_globals() -> dict:
    def forms_for(file: PatientFile) -> list:
        """The forms this user may print for this patient (their unit's)."""
        user = g.get("user")
        if user is None or "soins" not in user.roles:
            return []
        return offered_forms(file.stay.unit if file.stay else None, user.roles,
                             current_station().settings.print_templates_path)
    return {"forms_for": forms_for}


def _jobs() -> BundleJobs:
    return current_app.extensions.setdefault(JOBS, BundleJobs())


def _unit_or_404(unit: str) -> str:
    unit = url_id(unit)
    if not g.user.can_see_unit(unit):
        abort(403)
    if not patients.is_unit(current_station(), unit):
        abort(404)
    return unit


@bp.route("/services/<unit>/kit")
@requires(*KIT_ROLES)
def choose(unit: str):
    """Pick the forms; the page count of the kit is shown before anything is printed."""
    unit = _unit_or_404(unit)
    offered = offered_forms(unit, g.user.roles, current_station().settings.print_templates_path)
    asked = [f for f in request.args.getlist("forms") if f]
    chosen = asked or [f.id for f in offered if f.kit]
    plan = None
    if chosen:
        try:
            plan = plan_kit(current_station(), unit, chosen, g.user.roles)
        except IssueError as exc:
            flash(str(exc), "error")
    names = patients.unit_names(current_station())
    return render_template("kit.html", unit=unit, unit_name=names.get(unit, unit),
                           offered=offered, chosen=set(chosen), plan=plan)


@bp.route("/services/<unit>/kit", methods=["POST"])
@requires(*KIT_ROLES)
def print_kit(unit: str):
    """Issue the kit in the background; show it, or where it stands."""
    unit = _unit_or_404(unit)
    chosen = [f for f in request.form.getlist("forms") if f]
    if not chosen:
        flash("Cochez au moins un formulaire.", "error")
        return redirect(url_for("kits.choose", unit=unit))
    try:
        plan_kit(current_station(), unit, chosen, g.user.roles)   # refused before any number
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("kits.choose", unit=unit))
    station = current_station()
    then = (functools.partial(send_job_to_printer, station)
            if request.form.get("send") == "printer" else None)
    issue = functools.partial(issue_unit_kit, roles=tuple(g.user.roles))
    job = _jobs().start(station, unit, chosen, g.user.login, then, what="kit", issue=issue)
    if not job.finished.wait(WAIT_SECONDS):
        return redirect(url_for("kits.progress", unit=unit, job_id=job.id))
    return _follow(job)


@bp.route("/services/<unit>/kit/<job_id>")
@requires(*KIT_ROLES)
def progress(unit: str, job_id: str):
    """Where a kit being issued stands (the page reloads itself until it is ready)."""
    job = _jobs().get(job_id[:32])
    unit = url_id(unit)
    if job is None or job.user != g.user.login or job.unit != unit or job.what != "kit":
        flash("Ce kit n'est plus suivi (station redémarrée ?) : relancez-le si son document "
              "n'apparaît pas dans le journal.", "error")
        return redirect(url_for("kits.choose", unit=unit))
    return _follow(job)


def _follow(job: BundleJob):
    if job.running:
        names = patients.unit_names(current_station())
        return render_template("bundle_progress.html", job=job,
                               unit_name=names.get(job.unit, job.unit))
    if job.error:
        flash(job.error, "error")
        return redirect(url_for("kits.choose", unit=job.unit))
    if job.after:
        flash(job.after, "info" if job.after_ok else "error")
    log.info("issued kit %s (%d forms)", job.number, len(job.kinds))
    return redirect(url_for("patients.document", number=job.number))


@bp.route("/patients/<ipp>/formulaires/<form_id>", methods=["POST"])
@requires("soins")
def print_form(ipp: str, form_id: str):
    """One pre-identified form for one patient, journalled, then shown."""
    station = current_station()
    file = patients.patient_file(station, url_id(ipp))
    if file is None:
        abort(404)
    offered = {f.id for f in offered_forms(file.stay.unit if file.stay else None,
                                            g.user.roles, station.settings.print_templates_path)}
    if form_id[:48] not in offered:
        flash("Ce formulaire n'est pas proposé pour ce patient.", "error")
        return redirect(url_for("patients.patient", ipp=ipp))
    try:
        issued = issue_file_document(station, "form", file, g.user.login, form=form_id[:48])
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("patients.patient", ipp=ipp))
    log.info("issued %s (form %s)", issued.document.number, form_id[:48])
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))
