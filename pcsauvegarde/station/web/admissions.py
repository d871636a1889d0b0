"""Downtime admissions: register a patient, print labels and wristband at once."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import admitting, patients
from pcsauvegarde.station.documents import fmt
from pcsauvegarde.station.state.admissions import LIMITS, AdmissionError, AdmissionInvalid, validate
from pcsauvegarde.station.state.numbering import NumberingError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("admissions", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
LOW_NUMBERS = 50   # warn on screen when a range has fewer numbers left


def _units() -> dict[str, str]:
    names = patients.unit_names(current_station())
    return {code: name for code, name in sorted(names.items(), key=lambda kv: kv[1])
            if g.user.can_see_unit(code)}


def _page(form=None, errors=None, duplicates=(), status=200):
    register = patients.admissions_of(current_station())
    return render_template("admissions.html", form=form or {}, errors=errors or {},
                           units=_units(), limits=LIMITS, duplicates=duplicates,
                           recent=register.of_units(g.user.units), remaining=register.remaining(),
                           low=LOW_NUMBERS, banner=patients.BANNER), status


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
    duplicates = admitting.possible_duplicates(station, req)
    if duplicates and request.form.get("confirm_new") != "1":
        return _page(form, duplicates=duplicates, status=409)
    try:
        done = admitting.admit(station, req, g.user.login)
    except (AdmissionError, NumberingError) as exc:
        flash(str(exc), "error")
        return _page(form, status=503)
    admission = done.admission
    log.info("downtime admission %s / %s", admission.ipp, admission.nda)
    if done.kit is None:
        flash(f"Patient admis (IPP provisoire {admission.ipp}, NDA {admission.nda}) mais "
              f"étiquettes non produites : {done.kit_error}", "error")
        return redirect(url_for("patients.patient", ipp=admission.ipp))
    flash(f"Patient admis : IPP provisoire {admission.ipp}, NDA provisoire {admission.nda}.",
          "info")
    if done.lab_numbers:
        flash(f"Étiquettes de laboratoire jointes : n° {', '.join(done.lab_numbers)}.", "info")
    elif done.lab_error:
        flash(f"Étiquettes de laboratoire non jointes : {done.lab_error}", "error")
    if request.form.get("send") == "printer":
        send_to_printer(done.kit.document.number, done.kit.pdf)
    return redirect(url_for("patients.document", number=done.kit.document.number))
