"""Downtime admissions: register a patient, print labels and wristband at once."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import patients as provisional
from pcsauvegarde.station.documents import admission_kit, fmt
from pcsauvegarde.station.issuing.issue import IssueError, issue_patient_document
from pcsauvegarde.station.state.admissions import LIMITS, AdmissionError, AdmissionInvalid, validate
from pcsauvegarde.station.state.numbering import NumberingError
from pcsauvegarde.station.store import queries
from pcsauvegarde.station.web.access import current_station, requires

bp = Blueprint("admissions", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
LOW_NUMBERS = 50   # warn on screen when a range has fewer numbers left


def _units() -> dict[str, str]:
    names = queries.unit_names(current_station().store)
    return {code: name for code, name in sorted(names.items(), key=lambda kv: kv[1])
            if g.user.can_see_unit(code)}


def _page(form=None, errors=None, duplicates=(), status=200):
    register = provisional.admissions_of(current_station())
    return render_template("admissions.html", form=form or {}, errors=errors or {},
                           units=_units(), limits=LIMITS, duplicates=duplicates,
                           recent=register.of_units(g.user.units), remaining=register.remaining(),
                           low=LOW_NUMBERS, banner=provisional.BANNER), status


@bp.route("/admissions", methods=["GET", "POST"])
@requires("soins")
def admit():
    if request.method == "GET":
        return _page()
    station = current_station()
    form = {k: request.form.get(k, "")[:400] for k in LIMITS}
    today = fmt.to_local(dt.datetime.now(dt.UTC)).date()
    try:
        req = validate(form, _units(), today)
    except AdmissionInvalid as exc:
        return _page(form, exc.errors, status=422)
    duplicates = [r for r in provisional.search(station, fmt.format_date(req.birth_date))
                  if _same_name(r.patient.birth_name, req.birth_name)]
    if duplicates and request.form.get("confirm_new") != "1":
        return _page(form, duplicates=duplicates, status=409)
    register = provisional.admissions_of(station)
    try:
        admission = register.admit(req, g.user.login,
                                   is_known=lambda n: provisional.is_known_number(station, n))
    except (AdmissionError, NumberingError) as exc:
        flash(str(exc), "error")
        return _page(form, status=503)
    log.info("downtime admission %s / %s", admission.ipp, admission.nda)
    try:
        issued = issue_patient_document(station, admission_kit.KIND, admission.ipp,
                                        g.user.login)
    except IssueError as exc:
        flash(f"Patient admis (IPP provisoire {admission.ipp}, NDA {admission.nda}) mais "
              f"étiquettes non produites : {exc}", "error")
        return redirect(url_for("patients.patient", ipp=admission.ipp))
    register.set_document(admission.ipp, issued.document.number)
    flash(f"Patient admis : IPP provisoire {admission.ipp}, NDA provisoire {admission.nda}.",
          "info")
    if request.form.get("send") == "printer":
        from pcsauvegarde.station.web.printing import send_to_printer
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


def _same_name(a: str, b: str) -> bool:
    from pcsauvegarde.station.store import fold
    return fold(a).replace("-", " ").split() == fold(b).replace("-", " ").split()
