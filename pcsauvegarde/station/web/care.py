"""Care documents of a whole unit: « Imprimer le service » (bundle of the chosen kinds)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, request, url_for

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import TITLES
from pcsauvegarde.station.issuing.bundling import BUNDLE_KINDS, issue_unit_bundle
from pcsauvegarde.station.issuing.issue import IssueError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("care", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
# (kind, label, checked by default) in the order they are printed.
PATIENT_DOCUMENTS = (("administration_plan", "Plan d'administration (72 h)"),
                     ("care_plan", "Plan de soins (24 h)"),
                     ("prescriptions", "Prescriptions en cours"))
BUNDLE_CHOICES = tuple((k, TITLES[k], k in ("census", "administration_plan", "care_plan"))
                       for k in BUNDLE_KINDS)


@bp.app_context_processor
def _care_globals() -> dict:
    return {"bundle_choices": BUNDLE_CHOICES, "patient_documents": PATIENT_DOCUMENTS}


@bp.route("/services/<unit>/imprimer", methods=["POST"])
@requires("soins")
def print_unit(unit: str):
    """Issue a bundle for a unit the user may see, then show it (preview / print)."""
    unit = unit[:32]
    if not g.user.can_see_unit(unit):
        abort(403)
    if not patients.is_unit(current_station(), unit):
        abort(404)
    kinds = [k for k in request.form.getlist("kinds") if k in BUNDLE_KINDS]
    if not kinds:
        flash("Cochez au moins un document à imprimer.", "error")
        return redirect(url_for("patients.unit", unit=unit))
    try:
        issued = issue_unit_bundle(current_station(), unit, kinds, g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("patients.unit", unit=unit))
    log.info("issued bundle %s (%s)", issued.document.number, ",".join(kinds))
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))
