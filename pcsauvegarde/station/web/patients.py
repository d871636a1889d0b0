"""Care area: units, patient lists, search, patient page, patient documents."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from pcsauvegarde.station.issuing import preview
from pcsauvegarde.station.issuing.issue import (
    IssueError,
    issue_file_document,
    stored_pdf,
)
from pcsauvegarde.station.state.preferences import UNIT, Preferences
from pcsauvegarde.station.web.access import CLINICAL, current_station, requires
from pcsauvegarde.station.web.forms import clean_text, url_id
from pcsauvegarde.station.web.navigation import sections_for
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("patients", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
PREVIEW_PAGES = 3  # page images on a document's screen; the PDF link shows them all
HOME_LIST = 300  # patients listed on the home page when no unit tile leads to them


def _visible(rows):
    return [r for r in rows if g.user.can_see_unit(r.unit)]


@bp.route("/")
@requires()
def home():
    clinical = bool(set(CLINICAL) & set(g.user.roles))
    units = ([u for u in patients.units(current_station()) if g.user.can_see_unit(u.code)]
             if clinical else [])
    # Patients no unit tile leads to are listed here: all of them when no unit has inpatients
    # (no unit in the data or none assigned), else current stays outside any tile.
    tiled = {u.code for u in units if u.inpatients}
    rows = ([r for r in _visible(patients.with_stays(current_station(), HOME_LIST))
             if not tiled or (r.current and r.unit not in tiled)] if clinical else [])
    return render_template("home.html", units=units, clinical=clinical, rows=rows,
                           limit=HOME_LIST, unit_names={u.code: u.name for u in units},
                           own=_own_unit(units),
                           sections=sections_for(g.user.roles, current_app.url_map))


def _preferences() -> Preferences:
    return Preferences(current_station().state)


def _own_unit(units: list[patients.UnitSummary]) -> patients.UnitSummary | None:
    """The unit the home page offers first: the account's only unit, else the last one opened."""
    by_code = {u.code: u for u in units}
    mine = [u for u in g.user.units if u != "*"]
    if len(mine) == 1 and "*" not in g.user.units and mine[0] in by_code:
        return by_code[mine[0]]
    return by_code.get(_preferences().get(g.user.login, UNIT) or "")


@bp.route("/recherche")
@requires(*CLINICAL)
def search():
    q = clean_text(request.args.get("q"), 100)
    found = patients.search(current_station(), q) if q else []
    rows = _visible(found)
    # Outside the user's units: identity only, opened through the break-glass form.
    others = [r for r in found if not g.user.can_see_unit(r.unit)]
    if q:
        current_station().audit.record(g.user.login, "patient.search", q[:100],
                                {"found": len(found)}, durable=False)
    if len(found) == 1 and q in (found[0].patient.id, found[0].nda):
        # a scanned IPP/NDA (any shape) goes straight to the patient
        return redirect(url_for("patients.patient", ipp=found[0].patient.id))
    return render_template("search.html", q=q, rows=rows, others=others,
                           unit_names=patients.unit_names(current_station()))


@bp.route("/services/<unit>")
@requires(*CLINICAL)
def unit(unit: str):
    unit = url_id(unit)
    names = patients.unit_names(current_station())
    rows = patients.inpatients(current_station(), unit)
    if not rows and unit not in names:
        abort(404)
    _preferences().set(g.user.login, UNIT, unit)  # her home page offers this unit next time
    return render_template("unit.html", unit=unit, unit_name=names.get(unit, unit), rows=rows,
                           print_actions="soins" in g.user.roles)


@bp.route("/patients/<ipp>")
@requires(*CLINICAL)
def patient(ipp: str):
    file = patients.patient_file(current_station(), url_id(ipp))
    if file is None:
        abort(404)
    return render_template("patient.html", f=file, snaps=current_station().store.snapshots(),
                           printer=current_station().printer.status(), banner=patients.BANNER)


@bp.route("/patients/<ipp>/documents/<kind>", methods=["POST"])
@requires("soins")
def issue(ipp: str, kind: str):
    """Render and journal a patient document, then show it (browser preview / print)."""
    file = patients.patient_file(current_station(), url_id(ipp))
    if file is None:
        abort(404)
    options: dict[str, Any] = {}
    if kind == "labels" and request.form.get("count", "").strip():
        count = request.form["count"].strip()[:4]
        if not count.isdigit():
            flash("Nombre d'étiquettes invalide : un nombre entier est attendu.", "error")
            return redirect(url_for("patients.patient", ipp=ipp))
        options["count"] = int(count)
    try:
        issued = issue_file_document(current_station(), kind[:32], file, g.user.login, **options)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("patients.patient", ipp=ipp))
    log.info("issued %s (%s)", issued.document.number, kind)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


@bp.route("/documents/<number>")
@requires(*CLINICAL)
def document(number: str):
    info = preview.describe(current_station(), number)
    if info is None:
        gone = _purged_message(number)
        if gone:
            return render_template("error.html", title="Copie purgée", message=gone), 410
        abort(404)
    return render_template("document.html", number=number, doc=info,
                           preview_pages=min(info.pages, PREVIEW_PAGES),
                           printer=current_station().printer.status())


def _purged_message(number: str) -> str:
    """Why a journalled document has no PDF any more (retention), or ""."""
    import datetime as dt

    from pcsauvegarde.station.documents import fmt
    from pcsauvegarde.station.reentry import retention

    record = retention.purged(current_station(), number)
    if record is None:
        return ""
    return (f"La copie PDF du document {number} a été purgée le "
            f"{fmt.format_local(dt.datetime.fromisoformat(record['purged_at']))} "
            f"({record['reason']}, conservation échue). La ligne du journal reste.")


@bp.route("/documents/<number>/pages/<page>.png")
@requires(*CLINICAL)
def document_page(number: str, page: str):
    """One page as an image: the preview that needs no PDF viewer in the browser."""
    png = preview.page_png(current_station(), number, int(page)) if (
        page.isascii() and page.isdigit()) else None
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png")


@bp.route("/documents/<number>.pdf")
@requires(*CLINICAL)
def document_pdf(number: str):
    pdf = stored_pdf(current_station(), number)
    if pdf is None:
        abort(404)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{number}.pdf"'})


@bp.route("/documents/<number>/imprimer", methods=["POST"])
@requires(*CLINICAL)
def print_document(number: str):
    pdf = stored_pdf(current_station(), number)
    if pdf is None:
        abort(404)
    send_to_printer(number, pdf)
    return redirect(url_for("patients.document", number=number))
