"""Pharmacy (PUI) screens: ward dotations per unit, supplier order forms; printed, journalled."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station import patients
from pcsauvegarde.station.issuing.issue import (
    IssueError,
    issue_supplier_document,
    issue_unit_document,
)
from pcsauvegarde.station.pharmacy import dotations, orders
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
    return render_template("pharmacy_dotation.html", stock=stock,
                           unknown_unit=stock.code not in patients.unit_names(current_station()))


@bp.route("/pharmacie/dotations/<unit>/imprimer", methods=["POST"])
@requires(*PHARMACY)
def print_dotation(unit: str):
    """Journal and render the unit's dotation, then show it (preview / print)."""
    stock = _stock(url_id(unit))
    try:
        issued = issue_unit_document(current_station(), "dotation", stock, g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("pharmacy.dotation", unit=stock.code))
    log.info("issued %s (dotation %s)", issued.document.number, stock.code)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


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
    try:
        issued = issue_supplier_document(current_station(), "supplier_order", form,
                                         g.user.login)
    except IssueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("pharmacy.supplier_order", supplier=form.code))
    log.info("issued %s (order form %s)", issued.document.number, form.code)
    if request.form.get("send") == "printer":
        send_to_printer(issued.document.number, issued.pdf)
    return redirect(url_for("patients.document", number=issued.document.number))


def _form(supplier: str):
    station = current_station()
    form = orders.order_form(station.store, supplier, station.settings.delivery_address)
    if form is None:
        abort(404)
    return form
