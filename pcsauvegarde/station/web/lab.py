"""Laboratory screens: pre-numbered label batches, a patient's labels, the register, exports."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from pcsauvegarde.core.text import CSV_BOM
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import fmt, lab_labels
from pcsauvegarde.station.lab import exports
from pcsauvegarde.station.lab.daybook import day_bounds, issue_register_day
from pcsauvegarde.station.lab.issuing import (
    LabelRequest,
    issue_labels,
    issue_request_form,
    reprint,
)
from pcsauvegarde.station.lab.register import LabError, register_of
from pcsauvegarde.station.lab.results import find_number, issue_cumulative, issue_entry_sheet
from pcsauvegarde.station.state.highwater import HighWaterError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, parse_day
from pcsauvegarde.station.web.printing import flash_outcome as flash_print
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("lab", __name__, url_prefix="/labo")
log = logging.getLogger("pcsauvegarde.station.web")
LAB = ("laboratoire",)
LOW_NUMBERS = 200


def _int(name: str, default: int, low: int, high: int) -> int | None:
    text = (request.form.get(name) or "").strip()[:6]
    if not text:
        return default
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def _register():
    try:
        return register_of(current_station()), ""
    except LabError as exc:
        return None, str(exc)


def _layout():
    return lab_labels.load(current_station().settings.print_templates_path)


@bp.route("")
@requires(*LAB)
def home():
    register, problem = _register()
    lay = _layout()
    gaps = register.numbering.gaps(register.range.serial) if register else []
    return render_template("lab.html", register=register, problem=problem,
                           remaining=register.remaining() if register else 0, low=LOW_NUMBERS,
                           batches=register.batches(30) if register else [],
                           failed=register.failed() if register else [], gaps=gaps,
                           formats=lab_labels.FORMATS, default_tubes=lay["content.tubes"],
                           max_labels=lay["content.max_labels"])


def _issue(req: LabelRequest, back: str):
    try:
        issued = issue_labels(current_station(), req, g.user.login,
                              send=request.form.get("send") == "printer")
    except (LabError, HighWaterError) as exc:
        flash(str(exc), "error")
        return redirect(back)
    b = issued.batch
    flash(f"Lot n° {b.id} : {len(b.numbers)} numéro(s) de laboratoire, de {b.numbers[0]} "
          f"à {b.numbers[-1]}, {b.tubes} tube(s) chacun.", "info")
    if issued.outcome is not None:
        flash_print(issued.outcome)
    log.info("lab batch %s (%s numbers) as %s", b.id, len(b.numbers), b.document_number)
    return redirect(url_for("patients.document", number=b.document_number))


def _request(ipp: str | None = None) -> LabelRequest | None:
    max_labels = _layout()["content.max_labels"]
    sets = _int("sets", 1, 1, max_labels)
    tubes = _int("tubes", _layout()["content.tubes"], 1, 99)
    fmt_ = request.form.get("format", "a4")
    if sets is None or tubes is None or fmt_ not in lab_labels.FORMATS:
        flash("Nombre de patients, de demandes ou de tubes invalide (nombre entier positif), "
              "ou format inconnu.", "error")
        return None
    types = tuple(clean_text(request.form.get(f"tube_type_{i}"), 40) for i in range(1, tubes + 1))
    return LabelRequest(sets=sets, tubes=tubes, ipp=ipp, tube_types=types,
                        urgent=request.form.get("urgent") == "1", format=fmt_)


@bp.route("/lots", methods=["POST"])
@requires(*LAB)
def batch():
    """A batch of blank pre-numbered labels for the downtime box (N patients × K tubes)."""
    req = _request()
    if req is None:
        return redirect(url_for("lab.home"))
    return _issue(req, url_for("lab.home"))


@bp.route("/lots/<int:batch_id>/reimprimer", methods=["POST"])
@requires(*LAB)
def reprint_batch(batch_id: int):
    register, problem = _register()
    if register is None:
        flash(problem, "error")
        return redirect(url_for("lab.home"))
    b = register.batch(batch_id)
    if b is None:
        abort(404)
    if b.unit and not g.user.can_see_unit(b.unit):
        abort(403)
    try:
        issued = reprint(current_station(), batch_id, g.user.login)
    except LabError as exc:
        flash(str(exc), "error")
        return redirect(url_for("lab.home"))
    if issued.outcome is not None:
        flash_print(issued.outcome)
    return redirect(url_for("lab.home"))


@bp.route("/patients/<ipp>", methods=["GET", "POST"])
@requires(*LAB)
def patient(ipp: str):
    """A known or provisional patient's labels (and, from there, the request form)."""
    station = current_station()
    file = patients.patient_file(station, ipp[:64])
    if file is None:
        abort(404)
    if request.method == "POST":
        req = _request(file.patient.id)
        if req is None:
            return redirect(url_for("lab.patient", ipp=file.patient.id))
        return _issue(req, url_for("lab.patient", ipp=file.patient.id))
    register, problem = _register()
    lay = _layout()
    entries = register.search(file.patient.id) if register else []
    return render_template("lab_patient.html", file=file, problem=problem,
                           entries=entries, formats=lab_labels.FORMATS,
                           default_tubes=lay["content.tubes"],
                           tube_types=lab_labels.tube_types(lay))


def _entries(register):
    day = parse_day(request.args.get("jour"))
    q = clean_text(request.args.get("q"), 80)
    if register is None:
        return [], day, q
    if q:
        return register.search(q), day, q
    if day is not None:
        return register.on_day(*day_bounds(day)), day, q
    return register.all()[-500:], day, q


@bp.route("/registre")
@requires(*LAB)
def registry():
    """The register of issued numbers: search by number, patient or document; per day."""
    register, problem = _register()
    entries, day, q = _entries(register)
    return render_template("lab_register.html", entries=entries, problem=problem, day=day,
                           q=q, today=fmt.to_local(dt.datetime.now(dt.UTC)).date(),
                           gaps=register.numbering.gaps(register.range.serial)
                           if register else [])


@bp.route("/registre/imprimer", methods=["POST"])
@requires(*LAB)
def registry_print():
    """The day's register for the paper binder."""
    day = parse_day(request.form.get("jour")) or fmt.to_local(dt.datetime.now(dt.UTC)).date()
    try:
        number, pdf = issue_register_day(current_station(), day, g.user.login)
    except LabError as exc:
        flash(str(exc), "error")
        return redirect(url_for("lab.registry"))
    return _show(number, pdf)


def _show(number: str, pdf: bytes):
    if request.form.get("send") == "printer":
        send_to_printer(number, pdf)
    return redirect(url_for("patients.document", number=number))


@bp.route("/registre.csv")
@requires(*LAB)
def registry_csv():
    register, _ = _register()
    if register is None:
        abort(404)
    out = io.StringIO()
    count = exports.export_csv(register.all(), out)
    current_station().audit.record(g.user.login, "lab.export", "registre.csv",
                                   {"rows": count})
    return Response(CSV_BOM + out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             "attachment; filename=registre-labo.csv"})


@bp.route("/registre.fhir.json")
@requires(*LAB)
def registry_fhir():
    register, _ = _register()
    if register is None:
        abort(404)
    bundle = exports.export_fhir(register.all())
    current_station().audit.record(g.user.login, "lab.export", "registre.fhir.json",
                                   {"resources": len(bundle["entry"])})
    return Response(json.dumps(bundle, ensure_ascii=False, indent=1),
                    mimetype="application/fhir+json",
                    headers={"Content-Disposition":
                             "attachment; filename=registre-labo.fhir.json"})


@bp.route("/patients/<ipp>/bon", methods=["POST"])
@requires(*LAB)
def request_form(ipp: str):
    """A new lab number for the patient: pre-filled request form and its tube labels."""
    req = _request(ipp[:64])
    back = url_for("lab.patient", ipp=ipp[:64])
    if req is None:
        return redirect(back)
    try:
        issued = issue_request_form(current_station(), req, g.user.login,
                                    send=request.form.get("send") == "printer")
    except (LabError, HighWaterError) as exc:
        flash(str(exc), "error")
        return redirect(back)
    flash(f"Bon de demande n° de laboratoire {issued.batch.numbers[0]} "
          f"({issued.batch.tubes} tube(s)).", "info")
    if issued.outcome is not None:
        flash_print(issued.outcome)
    return redirect(url_for("patients.document", number=issued.batch.document_number))


@bp.route("/patients/<ipp>/resultats", methods=["POST"])
@requires(*LAB)
def cumulative(ipp: str):
    """The patient's last known results (lab extract), cumulated, for the paper file."""
    try:
        number, pdf = issue_cumulative(current_station(), ipp[:64], g.user.login)
    except LabError as exc:
        flash(str(exc), "error")
        return redirect(url_for("lab.patient", ipp=ipp[:64]))
    return _show(number, pdf)


@bp.route("/saisie", methods=["POST"])
@requires(*LAB)
def entry_sheet():
    """The results-entry sheet of a typed or scanned lab number."""
    station = current_station()
    try:
        entry = find_number(station, request.form.get("numero", ""))
        if entry.batch.unit and not g.user.can_see_unit(entry.batch.unit):
            abort(403)
        number, pdf = issue_entry_sheet(station, entry.number, g.user.login)
    except LabError as exc:
        flash(str(exc), "error")
        return redirect(url_for("lab.home"))
    return _show(number, pdf)
