"""Sterilisation screen: find trays, print lists, labels, load forms, notes, OR sheets."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.issuing.issue import Issued
from pcsauvegarde.station.state.numbering import NumberingError
from pcsauvegarde.station.sterilisation import service
from pcsauvegarde.station.sterilisation.issuing import KINDS
from pcsauvegarde.station.sterilisation.papers import AUTOCLAVE, DELIVERY, RECEPTION, WASHER
from pcsauvegarde.station.sterilisation.service import SterilisationError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, parse_day

bp = Blueprint("sterilisation", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
ROLE = "stérilisation"
MAX_CODES_TEXT = 20_000
ACTIONS = ("list", "unit_lists", "or_lists", "labels", WASHER, AUTOCLAVE, RECEPTION, DELIVERY,
           "or_sheet")


def visible(unit: str) -> bool:
    """Trays of the user's units only (a tray of no unit: every sterilisation user)."""
    return not unit or g.user.can_see_unit(unit)


@bp.route("/sterilisation")
@requires(ROLE)
def index():
    """Search trays (code, name, unit), choose, print; the day's OR schedule; recent papers."""
    station = current_station()
    now = dt.datetime.now(dt.UTC)
    c = service.catalogue(station)
    q = clean_text(request.args.get("q"), 100)
    unit = clean_text(request.args.get("unit"), 128)
    trays = [t for t in c.search(q, unit) if visible(t.owner_unit)]
    today = to_local(now).date()
    day = parse_day(request.args.get("day")) or today
    cards = [c.card(t.id, day) for t in trays]
    units = sorted({t.owner_unit for t in c.trays.values() if visible(t.owner_unit)})
    cases = [k for k in service.or_day(station, now)
             if all(visible(c.trays[t].owner_unit) for t in k.tray_ids if t in c.trays)]
    recent = [d for d in station.journal.recent(300) if d["kind"] in KINDS][:15]
    return render_template(
        "sterilisation.html", cards=cards, q=q, unit=unit, units=units, unit_names=c.units,
        day=day, cases=cases, recent=recent, titles={k: v[1] for k, v in KINDS.items()},
        washers=c.washers(), autoclaves=c.autoclaves(), total=len(c.trays),
        remaining=service.register(station).remaining(), or_day=service.or_heading(now))


@bp.route("/sterilisation/imprimer", methods=["POST"])
@requires(ROLE)
def issue():
    """Issue the chosen paper for the chosen trays; show it (and send it if asked)."""
    station = current_station()
    form = request.form
    action = form.get("action", "")
    if action not in ACTIONS:
        flash("Choisissez le document à imprimer.", "error")
        return redirect(url_for("sterilisation.index"))
    codes = form.getlist("trays") + clean_text(form.get("codes"), MAX_CODES_TEXT,
                                               multiline=True).replace(",", "\n").split()
    codes = [clean_text(code, 128) for code in codes]
    c = service.catalogue(station)
    if any(code in c.trays and not visible(c.trays[code].owner_unit) for code in codes):
        abort(403)
    day = parse_day(form.get("day")) or to_local(dt.datetime.now(dt.UTC)).date()
    operator = clean_text(form.get("operator"), 80)
    user = g.user.login
    try:
        issued = _issue(station, action, codes, day, operator, user)
    except (SterilisationError, NumberingError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("sterilisation.index"))
    log.info("issued %s (%s)", issued.document.number, action)
    if form.get("send") == "printer":
        from pcsauvegarde.station.web.printing import send_to_printer
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("sterilisation_docs.document", number=issued.document.number))


def _issue(station, action: str, codes: list[str], day: dt.date, operator: str,
           user: str) -> Issued:
    form = request.form
    now = dt.datetime.now(dt.UTC)
    if action in ("list", "labels") and not codes:
        raise SterilisationError("Cochez au moins un plateau (ou tapez ou scannez son code).")
    if action == "list":
        return service.issue_tray_lists(station, codes, user, recomposed_on=day,
                                        operator=operator)
    if action == "unit_lists":
        unit = clean_text(form.get("list_unit"), 128)
        if unit and not visible(unit):
            abort(403)
        c = service.catalogue(station)
        planned = [t.id for t in c.search("", unit)] if unit else []
        if not planned:
            raise SterilisationError("Choisissez une unité qui a des plateaux.")
        return service.issue_tray_lists(station, planned, user, recomposed_on=day,
                                        operator=operator,
                                        heading=f"Plateaux de l'unité {c.units.get(unit, unit)}")
    if action == "or_lists":
        cases = service.or_day(station, now)
        if not cases:
            raise SterilisationError("Aucun programme opératoire pour aujourd'hui dans les "
                                     "données de la station.")
        planned = [t for k in cases for t in k.tray_ids]
        if not planned:
            raise SterilisationError("Le programme opératoire du jour ne prévoit aucun plateau.")
        return service.issue_tray_lists(station, planned, user, recomposed_on=day,
                                        operator=operator, heading=service.or_heading(now))
    if action == "labels":
        return service.issue_tray_labels(station, codes, user, recomposed_on=day,
                                         operator=operator, stock=form.get("stock", "sheet"))
    if action in (WASHER, AUTOCLAVE):
        equipment = clean_text(form.get(f"{action}_equipment"), 128)
        load = service.load_form(station, action, codes, equipment=equipment, operator=operator)
        return service.issue_load_form(station, load, user)
    if action in (RECEPTION, DELIVERY):
        unit = clean_text(form.get("transfer_unit"), 128)
        if unit and not visible(unit):
            abort(403)
        return service.issue_transfer(station, action, unit, codes, user)
    return service.issue_or_sheet(station, clean_text(form.get("case"), 128), codes, user)
