"""Pharmacy (PUI) screens: dotations, request forms, inventories, active prescriptions per unit,
supplier order forms, directory; every paper printed and journalled."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import document_kind
from pcsauvegarde.station.issuing.issue import (
    IssueError,
    issue_supplier_document,
    issue_unit_document,
)
from pcsauvegarde.station.pharmacy import (
    directory,
    dispensing,
    dotations,
    inventory,
    orders,
    requests,
)
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import url_id
from pcsauvegarde.station.web.printing import send_to_printer

bp = Blueprint("pharmacy", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
PHARMACY = ("pharmacie",)


@bp.route("/pharmacie/dotations")
@requires(*PHARMACY)
def dotation_units():
    """Every unit with a dotation in the pharmacy extract (those the user may see)."""
    station = current_station()
    names = patients.unit_names(station)
    units = [(code, names.get(code, code), count, code in names)
             for code, count in dotations.dotation_units(station.store).items()
             if g.user.can_see_unit(code)]
    return render_template("pharmacy_units.html", units=units)


@bp.route("/pharmacie/dotations/<unit>")
@requires(*PHARMACY)
def dotation(unit: str):
    stock = _stock(url_id(unit))
    zones = sorted({line.storage_zone for line in stock.lines}, key=dotations.zone_key)
    return render_template("pharmacy_dotation.html", stock=stock, zones=zones,
                           no_zone=inventory.NO_ZONE_FIELD,
                           unknown_unit=stock.code not in patients.unit_names(current_station()))


@bp.route("/pharmacie/dotations/<unit>/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_dotation(unit: str):
    """Journal and render the unit's dotation, then show it (preview / print)."""
    stock = _stock(url_id(unit))
    return _issue("dotation", stock, url_for("pharmacy.dotation", unit=stock.code))


@bp.route("/pharmacie/dotations/<unit>/demande")
@requires(*PHARMACY)
def request_form(unit: str):
    """The unit's usual products (dotation, past requests) and their faults, before printing."""
    code = _unit(url_id(unit))
    station = current_station()
    form = requests.request_form(station.store, code, patients.unit_names(station))
    return render_template("pharmacy_request.html", form=form)


@bp.route("/pharmacie/dotations/<unit>/demande/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_request(unit: str):
    """The unit's request form: its dotation, what it asked for before, blank lines."""
    code = _unit(url_id(unit))
    station = current_station()
    form = requests.request_form(station.store, code, patients.unit_names(station))
    return _issue("unit_request", form, url_for("pharmacy.request_form", unit=code))


@bp.route("/pharmacie/dotations/<unit>/inventaire/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_unit_inventory(unit: str):
    """The unit's stock inventory lists (one zone, every zone, or a blank sheet)."""
    code = _unit(url_id(unit))
    station = current_station()
    names = patients.unit_names(station)
    back = url_for("pharmacy.dotation", unit=code)
    if request.form.get("blank"):
        sheets = inventory.blank_inventory(station.store, code, names.get(code, ""), False)
    else:
        try:
            sheets = inventory.unit_inventory(station.store, code, names, _zone())
        except inventory.UnknownZoneError as exc:
            flash(str(exc), "error")
            return redirect(back)
    return _issue("inventory", sheets, back)


@bp.route("/pharmacie/dotations/<unit>/prescriptions/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_unit_prescriptions(unit: str):
    """The active orders of the unit's inpatients, one page each, for dispensing."""
    code = _unit(url_id(unit))
    data = dispensing.unit_prescriptions(current_station(), code)
    return _issue("unit_prescriptions", data, url_for("pharmacy.dotation", unit=code))


def _issue(kind: str, data, back: str):
    """Journal and render a unit or PUI document, then show it (or send it to the printer)."""
    station = current_station()
    try:
        if document_kind(kind, "unit") is not None:
            issued = issue_unit_document(station, kind, data, g.user.login)
        else:
            issued = issue_supplier_document(station, kind, data, g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(back)
    log.info("issued %s (%s %s)", issued.document.number, kind, data.code)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


def _zone() -> str | None:
    """The zone asked for: None for every zone, "" for products with no zone."""
    zone = request.form.get("zone", "").strip()
    if zone == inventory.NO_ZONE_FIELD:
        return ""
    return zone or None


def _unit(unit: str) -> str:
    """``unit`` when the station knows it (directory, inpatients, dotation, requests), else 404."""
    station = current_station()
    if not (patients.is_unit(station, unit) or unit in requests.request_units(station.store)):
        abort(404)
    return unit


def _stock(unit: str) -> dotations.WardStockList:
    station = current_station()
    names = patients.unit_names(station)
    if unit not in names and unit not in dotations.dotation_units(station.store):
        abort(404)
    return dotations.ward_stock_list(station.store, unit, names.get(unit, ""))


@bp.route("/pharmacie/fournisseurs")
@requires(*PHARMACY)
def suppliers():
    """Every supplier of the extract; products with no known supplier listed, not dropped."""
    found, orphans = orders.suppliers(current_station().store)
    return render_template("pharmacy_suppliers.html", suppliers=found, orphans=orphans)


@bp.route("/pharmacie/fournisseurs/<supplier>")
@requires(*PHARMACY)
def supplier_order(supplier: str):
    return render_template("pharmacy_order.html", form=_form(url_id(supplier)))


@bp.route("/pharmacie/fournisseurs/<supplier>/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_supplier_order(supplier: str):
    """Journal and render the supplier's order form (its number is the order number)."""
    form = _form(url_id(supplier))
    return _issue("supplier_order", form, url_for("pharmacy.supplier_order", supplier=form.code))


def _form(supplier: str):
    station = current_station()
    form = orders.order_form(station.store, supplier, station.settings.delivery_address)
    if form is None:
        abort(404)
    return form


@bp.route("/pharmacie/inventaires")
@requires(*PHARMACY)
def inventories():
    """The PUI's storage zones (products in each) and the inventory sheets to print."""
    sheets = inventory.pui_inventory(current_station().store)
    return render_template("pharmacy_inventories.html", sheets=sheets,
                           no_zone=inventory.NO_ZONE_FIELD)


@bp.route("/pharmacie/inventaires/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_inventory():
    """The PUI's inventory lists (one zone, every zone, or a blank sheet)."""
    station = current_station()
    back = url_for("pharmacy.inventories")
    if request.form.get("blank"):
        sheets = inventory.blank_inventory(station.store, inventory.PUI,
                                           inventory.PUI_NAME, True)
    else:
        try:
            sheets = inventory.pui_inventory(station.store, _zone())
        except inventory.UnknownZoneError as exc:
            flash(str(exc), "error")
            return redirect(back)
    return _issue("inventory_pui", sheets, back)


@bp.route("/pharmacie/annuaire")
@requires(*PHARMACY)
def directory_screen():
    """Suppliers, units' phones and staff; gaps listed, nothing left out."""
    return render_template("pharmacy_directory.html",
                           book=directory.directory_book(current_station().store))


@bp.route("/pharmacie/annuaire/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_directory():
    book = directory.directory_book(current_station().store)
    return _issue("directory", book, url_for("pharmacy.directory_screen"))
