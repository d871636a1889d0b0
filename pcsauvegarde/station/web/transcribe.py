"""Transcription screens of re-entry: one form per paper item, reached from its number."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.administration_plan import KIND as PLAN_KIND
from pcsauvegarde.station.lab.register import register_of
from pcsauvegarde.station.reentry import outage, status, transcribing, transcription, worklist
from pcsauvegarde.station.reentry.transcription import NeedsConfirmation, TranscriptionError
from pcsauvegarde.station.reentry.transcription_checks import TranscriptionInvalid
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import url_id

bp = Blueprint("transcribe", __name__)
ANY = ("admin", "soins", "laboratoire", "pharmacie", "stérilisation")
# Screen → (worklist domain: whose roles re-enter it, transcription domain, item kind).
SCREENS = {"plan": ("soins", "administration", "document"),
           "etiquette": ("biologie", "lab", "lab_label"),
           "plateau": ("stérilisation", "sterilisation", "tray"),
           "admission": ("admissions", "admission", "admission"),
           "pharmacie": ("pharmacie", "pharmacy", ""),
           "cycle": ("stérilisation", "sterilisation", "document")}
MAX_ROWS = 400


def _allowed(screen: str, unit: str | None = None) -> None:
    """The user's roles re-enter this domain (worklist.ROLE_DOMAINS) and cover the unit."""
    if SCREENS[screen][0] not in worklist.domains_of(g.user):
        abort(403)
    if unit is not None and not (g.user.can_see_unit(unit) if unit else "*" in g.user.units):
        abort(403)


def _nothing(message: str):
    """A number with nothing to re-enter here (a scan of the wrong paper): say so, go back."""
    flash(message, "error")
    return redirect(url_for("reentry.worklist"))


def _outage(when: dt.datetime) -> transcribing.checks.Window | None:
    """The declared outage holding ``when`` (else the latest), as (start, end)."""
    found = [w for w in outage.outages(current_station()) if not w.is_exercise]
    w = next((w for w in found if w.contains(when)), found[0] if found else None)
    return (w.start, w.end) if w else None


@bp.route("/ressaisie/saisir/<item_kind>/<number>")
@requires(*ANY)
def open_item(item_kind: str, number: str):
    """From a worklist item or a scan: the transcription screen of that paper item."""
    number = url_id(number)
    if item_kind == "document":
        doc = current_station().journal.get(number)
        if doc and doc["kind"] == PLAN_KIND:
            return redirect(url_for("transcribe.plan", number=number))
        if doc and doc["kind"] in transcribing.PHARMACY_KINDS:
            return redirect(url_for("transcribe.pharmacy", number=number))
        if doc and doc["kind"] in transcribing.CYCLE_FORMS:
            return redirect(url_for("transcribe.cycle", number=number))
        return _nothing(f"{number} : pas d'écran de ressaisie pour ce document (le marquer "
                        "ressaisi dans la liste de ressaisie)")
    target = {"lab_label": "transcribe.lab", "tray": "transcribe.tray",
              "dotation": "transcribe.pharmacy", "supplier_order": "transcribe.pharmacy"}
    if item_kind == "admission":
        return redirect(url_for("transcribe.admission", ipp=number))
    if item_kind not in target:
        return _nothing(f"type d'élément « {item_kind[:40]} » inconnu")
    return redirect(url_for(target[item_kind], number=number))


def _keep(screen: str, number: str, enter, **page):
    """Run ``enter(confirmed)``; on warnings or errors show the form again with them."""
    confirmed = request.form.get("confirm") == "1"
    try:
        kept = enter(confirmed)
    except NeedsConfirmation as exc:
        return _page(screen, number, warnings=exc.warnings, status_code=409, **page)
    except TranscriptionInvalid as exc:
        return _page(screen, number, errors=list(exc.errors.values()), status_code=422, **page)
    except TranscriptionError as exc:
        return _page(screen, number, errors=[str(exc)], status_code=422, **page)
    flash(f"{number} : {len(kept)} ligne(s) ressaisie(s)." if kept else
          f"{number} : rien de changé.", "info")
    return redirect(request.path)


def _page(screen: str, number: str, *, warnings=(), errors=(), status_code: int = 200,
          **page):
    station = current_station()
    _, domain, kind = SCREENS[screen]
    kind = page.pop("item_kind", kind)
    return render_template(
        "transcribe.html", screen=screen, number=number, item_kind=kind, domain=domain,
        domain_label=transcription.DOMAINS[domain], warnings=warnings, errors=errors,
        lines=transcription.current(station, kind, number),
        history=transcription.history(station, kind, number),
        state=status.current(station, kind, number),
        double=transcription.double_entry(station, domain), form=request.form,
        **page), status_code


def _rows(prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Indexed form fields « prefix-i-field » as a list of dicts."""
    rows = []
    for i in range(MAX_ROWS):
        if f"{prefix}-{i}-{fields[0]}" not in request.form:
            break
        rows.append({f: request.form.get(f"{prefix}-{i}-{f}", "")[:200] for f in fields})
    return rows


@bp.route("/ressaisie/plan/<number>", methods=["GET", "POST"])
@requires("soins", "admin")
def plan(number: str):
    """The boxes of a printed 72-h plan, pre-listed: tick given / not given."""
    station = current_station()
    try:
        p = transcribing.plan(station, url_id(number))
    except transcribing.NotFound as exc:
        return _nothing(str(exc))
    if request.method == "GET":
        return _page("plan", p.number, plan=p)
    rows = _rows("box", ("order_id", "slot", "given", "dose", "at", "initials", "reason"))
    return _keep("plan", p.number, lambda ok: transcribing.enter_plan(
        station, p.number, rows, g.user.login, outage=_outage(p.printed_at), confirmed=ok,
        reason=request.form.get("reason", "")), plan=p)


@bp.route("/ressaisie/etiquette/<number>", methods=["GET", "POST"])
@requires("laboratoire", "admin")
def lab(number: str):
    """A lab label: the patient it went on, the collection time."""
    station = current_station()
    number = url_id(number)
    found = [e for e in register_of(station).search(number) if e.number == number] \
        if station.settings.lab_range else []
    if not found:
        return _nothing(f"étiquette {number} : numéro jamais émis par ce poste")
    entry = found[0]
    _allowed("etiquette", entry.batch.unit or "")
    if request.method == "GET":
        return _page("etiquette", number, entry=entry)
    row = {k: request.form.get(k, "")[:80] for k in ("ipp", "collected_at")}
    return _keep("etiquette", number, lambda ok: transcribing.enter_lab(
        station, number, row, g.user.login, outage=_outage(entry.batch.issued_at),
        confirmed=ok, reason=request.form.get("reason", "")), entry=entry)


@bp.route("/ressaisie/plateau/<number>", methods=["GET", "POST"])
@requires("stérilisation", "admin")
def tray(number: str):
    """A tray circulation number: its sterilisation cycle and the patient it was used on."""
    station = current_station()
    c = transcribing.circulation_of(station).find(url_id(number))
    if c is None:
        return _nothing(f"plateau {number} : numéro de circulation jamais émis par ce poste")
    _allowed("plateau", c.unit)
    if request.method == "GET":
        return _page("plateau", c.number, circulation=c)
    row = {k: request.form.get(k, "")[:80] for k in ("cycle", "ipp", "used_at")}
    return _keep("plateau", c.number, lambda ok: transcribing.enter_tray(
        station, c.number, row, g.user.login, outage=_outage(dt.datetime.now(dt.UTC)),
        confirmed=ok, reason=request.form.get("reason", "")), circulation=c)


@bp.route("/ressaisie/admission/<ipp>", methods=["GET", "POST"])
@requires("soins", "admin")
def admission(ipp: str):
    """A downtime admission: the real IPP of the patient index it merges into."""
    station = current_station()
    a = patients.admissions_of(station).get(url_id(ipp))
    if a is None:
        return _nothing(f"{ipp} : pas une identité provisoire de ce poste")
    if request.method == "GET":
        # The verifier compares both identities side by side (identitovigilance).
        merged = transcription.current(station, "admission", a.ipp)
        file = patients.patient_file(station, merged[0].data["real_ipp"]) if merged else None
        real = file.patient if file and not file.provisional else None
        return _page("admission", a.ipp, admission=a, real=real)
    return _keep("admission", a.ipp, lambda ok: transcribing.enter_merge(
        station, a.ipp, request.form.get("real_ipp", "")[:80], g.user.login, confirmed=ok,
        reason=request.form.get("reason", "")), admission=a)


@bp.route("/ressaisie/pharmacie/<number>", methods=["GET", "POST"])
@requires("pharmacie", "admin")
def pharmacy(number: str):
    """A dotation or order form: quantities delivered or ordered per product."""
    station = current_station()
    number = url_id(number)
    try:
        kind, expected = transcribing.pharmacy_expected(station, number)
    except transcribing.NotFound as exc:
        return _nothing(str(exc))
    labels = transcribing.product_labels(station)
    page: dict[str, Any] = {"item_kind": kind, "expected": expected, "labels": labels}
    if request.method == "GET":
        return _page("pharmacie", number, **page)
    rows = _rows("product", ("product_id", "quantity", "note"))
    return _keep("pharmacie", number, lambda ok: transcribing.enter_pharmacy(
        station, number, rows, g.user.login, confirmed=ok,
        reason=request.form.get("reason", "")), **page)


@bp.route("/ressaisie/cycle/<number>", methods=["GET", "POST"])
@requires("stérilisation", "admin")
def cycle(number: str):
    """A washer or autoclave load form: the cycle typed from it (sterilisation screen)."""
    station = current_station()
    number = url_id(number)
    try:
        kind, typed = transcribing.cycle_form(station, number)
    except transcribing.NotFound as exc:
        return _nothing(str(exc))
    page: dict[str, Any] = {"cycle_kind": kind, "typed": typed}
    if request.method == "GET":
        return _page("cycle", number, **page)
    raw = request.form.get("entry_id", "")
    return _keep("cycle", number, lambda ok: transcribing.enter_cycle(
        station, number, int(raw) if raw.isdigit() else 0, g.user.login), **page)


@bp.route("/ressaisie/verifier/<item_kind>/<number>", methods=["POST"])
@requires(*ANY)
def verify(item_kind: str, number: str):
    """A second person confirms the transcription of one paper item (double entry)."""
    number = url_id(number)
    station = current_station()
    lines = transcription.current(station, item_kind, number)
    if not lines:
        return _nothing(f"{number} : rien n'a encore été ressaisi, rien à vérifier")
    screen = next(s for s, (_, d, _k) in SCREENS.items() if d == lines[0].domain)
    _allowed(screen)
    try:
        count = transcription.verify(station, lines[0].domain, item_kind, number, g.user.login)
        flash(f"{number} : {count} ligne(s) vérifiée(s).", "info")
    except (TranscriptionError, status.StatusError) as exc:
        flash(str(exc), "error")
    return redirect(url_for("transcribe.open_item", item_kind=item_kind, number=number))
