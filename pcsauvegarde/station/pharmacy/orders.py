"""Bons de commande fournisseurs: one form per supplier, with the average of past orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.pharmacy_codes import ProductCodeError, check_product_code
from pcsauvegarde.core.records import Product, Supplier, SupplierOrderLine
from pcsauvegarde.station.pharmacy.model import OrderForm, OrderLine
from pcsauvegarde.station.store import catalogue
from pcsauvegarde.station.store.db import Store


@dataclass(frozen=True)
class SupplierSummary:
    """A supplier on the pharmacy's list: products it supplies, what is missing."""

    code: str
    name: str
    products: int
    problems: tuple[str, ...]


def supplier_problems(supplier: Supplier) -> tuple[str, ...]:
    """What keeps a form from being sent: no way to reach the supplier."""
    if not (supplier.phone or supplier.email or supplier.order_contact):
        return ("aucun contact (téléphone, courriel ou interlocuteur) pour ce fournisseur",)
    if not (supplier.phone or supplier.email):
        return ("ni téléphone ni courriel : le bon ne peut être ni faxé ni envoyé",)
    return ()


def address_lines(setting: str) -> tuple[str, ...]:
    """The delivery address setting, « | » between lines."""
    return tuple(x.strip() for x in setting.split("|") if x.strip())


def build(supplier: Supplier, products: list[Product], history: list[SupplierOrderLine],
          address: tuple[str, ...] = (),
          extracted_at: dict[str, dt.datetime] | None = None) -> OrderForm:
    """The form of ``supplier`` (pure): its products by label, averages of past orders."""
    mine = [p for p in products if p.supplier_id == supplier.id]
    supplier_of = {p.id: p.supplier_id for p in products}
    past = [h for h in history if (h.supplier_id or supplier_of.get(h.product_id)) == supplier.id]
    per_order: dict[str, dict[str, int]] = {}
    for h in past:   # a product twice in one order counts once, with both quantities
        order = per_order.setdefault(h.product_id, {})
        order[h.order_number] = order.get(h.order_number, 0) + h.quantity
    lines = []
    for p in sorted(mine, key=lambda x: (x.label.casefold(), x.id)):
        problems: tuple[str, ...] = ()
        try:
            kind = check_product_code(p.id)
        except ProductCodeError as exc:
            kind, problems = "code invalide", (str(exc),)
        orders = per_order.get(p.id, {})
        average = sum(orders.values()) / len(orders) if orders else None
        lines.append(OrderLine(p.id, p.label, kind, p.supplier_ref, p.packaging, average,
                               len(orders), problems))
    return OrderForm(supplier.id, supplier.name, supplier.phone, supplier.email,
                     supplier.order_contact, address, tuple(lines), supplier_problems(supplier),
                     len({h.order_number for h in past}), dict(extracted_at or {}))


def suppliers(store: Store) -> tuple[list[SupplierSummary], list[Product]]:
    """Every supplier of the extract, and the products no known supplier supplies."""
    known = catalogue.records_of(store, Supplier)
    products = catalogue.records_of(store, Product)
    counts: dict[str, int] = {}
    for p in products:
        counts[p.supplier_id] = counts.get(p.supplier_id, 0) + 1
    ids = {s.id for s in known}
    orphans = [p for p in products if p.supplier_id not in ids]
    return ([SupplierSummary(s.id, s.name, counts.get(s.id, 0), supplier_problems(s))
             for s in sorted(known, key=lambda s: s.name.casefold())], orphans)


def order_form(store: Store, supplier_id: str, address_setting: str) -> OrderForm | None:
    """The form of one supplier from the station's pharmacy extract, or None if unknown."""
    found = [s for s in catalogue.records_of(store, Supplier) if s.id == supplier_id]
    if not found:
        return None
    return build(found[0], catalogue.records_of(store, Product),
                 catalogue.records_of(store, SupplierOrderLine), address_lines(address_setting),
                 catalogue.extracted_at(store, "pharmacy"))
