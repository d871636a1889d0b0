"""Care documents of a whole unit: « Imprimer le service » (bundle of the chosen kinds)."""

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
from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.issuing.bundling import BUNDLE_KINDS, PRESETS, bundle_plan, plan_text
from pcsauvegarde.station.issuing.issue import Issued, IssueError
from pcsauvegarde.station.issuing.jobs import BundleJob, BundleJobs
from pcsauvegarde.station.printing.retry import PrintQueue
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import url_id

bp = Blueprint("care", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
JOBS = "pcsauvegarde.bundle_jobs"   # the app's BundleJobs on ``app.extensions``
WAIT_SECONDS = 1.0  # a bundle ready within this shows at once; a longer one shows its progress
# (kind, label, checked by default) in the order they are printed.
PATIENT_DOCUMENTS = (("administration_plan", "Plan d'administration (72 h)"),
                     ("care_plan", "Plan de soins (24 h)"),
                     ("prescriptions", "Prescriptions en cours"))
BUNDLE_CHOICES = tuple((k, KINDS[k].title, k in ("census", "administration_plan", "care_plan"))
                       for k in BUNDLE_KINDS)


@bp.app_context_processor
def _care_globals() -> dict:
    return {"bundle_choices": BUNDLE_CHOICES, "patient_documents": PATIENT_DOCUMENTS,
            "bundle_presets": PRESETS}


def _jobs() -> BundleJobs:
    return current_app.extensions.setdefault(JOBS, BundleJobs())


@bp.route("/services/<unit>/imprimer", methods=["POST"])
@requires("soins")
def print_unit(unit: str):
    """Issue a bundle for a unit the user may see in the background; show it or its progress."""
    unit = url_id(unit)
    if not g.user.can_see_unit(unit):
        abort(403)
    if not patients.is_unit(current_station(), unit):
        abort(404)
    kinds, compact = _chosen_bundle()
    if not kinds:
        flash("Cochez au moins un document à imprimer.", "error")
        return redirect(url_for("patients.unit", unit=unit))
    station = current_station()
    if request.form.get("estimate"):
        return _estimate(station, unit, kinds, compact)
    then = (functools.partial(send_job_to_printer, station)
            if request.form.get("send") == "printer" else None)
    job = _jobs().start(station, unit, kinds, g.user.login, then, compact=compact)
    if not job.finished.wait(WAIT_SECONDS):
        return redirect(url_for("care.bundle_progress", unit=unit, job_id=job.id))
    return _follow(job)


def _chosen_bundle() -> tuple[list[str], bool]:
    """The kinds ticked (or those of the preset button pressed) and whether the MAR is compact."""
    asked = request.form.get("preset") or request.form.get("estimate")
    preset = next((p for p in PRESETS if p.key == asked), None)
    if preset is not None:
        return list(preset.kinds), preset.compact
    return [k for k in request.form.getlist("kinds") if k in BUNDLE_KINDS], False


def _estimate(station: Station, unit: str, kinds: list[str], compact: bool):
    """What the bundle would hold and how many pages, before anything is printed."""
    try:
        plan = bundle_plan(station, unit, kinds, g.user.login, compact=compact)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("patients.unit", unit=unit))
    flash(plan_text(plan), "info")
    return redirect(url_for("patients.unit", unit=unit))


@bp.route("/services/<unit>/impression/<job_id>")
@requires("soins")
def bundle_progress(unit: str, job_id: str):
    """Where a long bundle stands (the page reloads itself until the document is ready)."""
    job = _jobs().get(job_id[:32])
    unit = url_id(unit)
    if job is None or job.user != g.user.login or job.unit != unit:
        flash("Cette impression n'est plus suivie (station redémarrée ?) : relancez-la si "
              "son document n'apparaît pas dans le journal.", "error")
        return redirect(url_for("patients.unit", unit=unit))
    return _follow(job)


def _follow(job: BundleJob):
    if job.running:
        names = patients.unit_names(current_station())
        return render_template("bundle_progress.html", job=job,
                               unit_name=names.get(job.unit, job.unit))
    if job.error:
        flash(job.error, "error")
        return redirect(url_for("patients.unit", unit=job.unit))
    if job.after:
        flash(job.after, "info" if job.after_ok else "error")
    log.info("issued bundle %s (%s)", job.number, ",".join(job.kinds))
    return redirect(url_for("patients.document", number=job.number))


def send_job_to_printer(station: Station, job: BundleJob, issued: Issued) -> None:
    """In the job's thread: print the bundle; a failure stays on the retry list."""
    outcome = PrintQueue(station.state, station.printer).send(job.number, issued.pdf, job.user)
    from pcsauvegarde.station.web.printing import outcome_message
    job.after, job.after_ok = outcome_message(outcome), outcome.ok
