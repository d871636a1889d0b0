"""Formulaire de demande des unités: a unit's usual products (dotation, past requests), to fill."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Product, Supplier, WardRequestLine, WardStock
from pcsauvegarde.station.pharmacy.dotations import line_problems, zone_key
from pcsauvegarde.station.pharmacy.model import RequestLine, UnitRequestForm
from pcsauvegarde.station.store import catalogue
from pcsauvegarde.station.store.db import Store


def unknown_unit(code: str, known: set[str] | dict[str, str]) -> tuple[str, ...]:
    """The problem of a unit code missing from the directory (the page still prints)."""
    if code in known:
        return ()
    return (f"service « {code} » absent de l'annuaire des unités de l'extrait : "
            "vérifier le code avant de servir",)


def build(unit: str, unit_name: str, stock: list[WardStock], history: list[WardRequestLine],
          products: dict[str, Product], suppliers: dict[str, Supplier],
          known_units: set[str] | dict[str, str],
          extracted_at: dict[str, dt.datetime] | None = None) -> UnitRequestForm:
    """The unit's form (pure): its dotation, then what it asked for before; faults named."""
    dotation = {s.product_id: s.quantity for s in stock if s.unit == unit}
    past: dict[str, list[WardRequestLine]] = {}
    for h in history:
        if h.unit == unit:
            past.setdefault(h.product_id, []).append(h)
    lines = []
    for code in dotation.keys() | past.keys():
        product = products.get(code)
        kind, problems = line_problems(product, code, suppliers)
        asked = sorted(past.get(code, []), key=lambda h: h.requested_at)
        lines.append(RequestLine(
            code, product.label if product else "", kind, product.form if product else "",
            product.packaging if product else "", product.storage_zone if product else "",
            dotation.get(code), len(asked), asked[-1].quantity if asked else None, problems))
    # The PUI serves the form in its own walking order, like the dotation.
    lines.sort(key=lambda x: (zone_key(x.storage_zone), x.label.casefold(), x.product_id))
    requests = {h.request_number or f"{h.requested_at:%Y%m%d%H%M}" for h in history
                if h.unit == unit}
    return UnitRequestForm(unit, unit_name, tuple(lines), unknown_unit(unit, known_units),
                           len(requests), dict(extracted_at or {}))


def request_units(store: Store) -> set[str]:
    """Units with a dotation or past requests in the pharmacy extract."""
    return ({s.unit for s in catalogue.records_of(store, WardStock)}
            | {h.unit for h in catalogue.records_of(store, WardRequestLine)})


def request_form(store: Store, unit: str, unit_names: dict[str, str]) -> UnitRequestForm:
    """The request form of ``unit`` from the station's pharmacy extract (its rows only)."""
    stock = catalogue.records_where(store, WardStock, "unit", unit)
    history = catalogue.records_where(store, WardRequestLine, "unit", unit)
    wanted = {s.product_id for s in stock} | {h.product_id for h in history}
    products = catalogue.records_by_id(store, Product, wanted)
    return build(unit, unit_names.get(unit, ""), stock, history, products,
                 {s.id: s for s in catalogue.records_of(store, Supplier)}, unit_names,
                 catalogue.extracted_at(store, "pharmacy"))
