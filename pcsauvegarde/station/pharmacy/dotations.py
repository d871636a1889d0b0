"""Dotations de service: a unit's ward stock list, in the order a picker walks the PUI."""

from __future__ import annotations

import datetime as dt
import re

from pcsauvegarde.core.pharmacy_codes import ProductCodeError, check_product_code
from pcsauvegarde.core.records import Product, Supplier, WardStock
from pcsauvegarde.station.pharmacy.model import DotationLine, WardStockList
from pcsauvegarde.station.store import catalogue
from pcsauvegarde.station.store.db import Store

# Past the last zone: products with no storage zone are picked last, not mixed in.
_NO_ZONE = (1, ())


def zone_key(zone: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """Natural order of zones (A2 before A10, case ignored); no zone sorts last."""
    if not zone.strip():
        return _NO_ZONE
    parts = re.findall(r"\d+|\D+", zone.strip().casefold())
    return (0, tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts))


def line_problems(product: Product | None, product_id: str,
                  suppliers: dict[str, Supplier]) -> tuple[str, tuple[str, ...]]:
    """(code kind, problems) of a catalogue entry; the caller keeps the line whatever."""
    problems = []
    try:
        kind = check_product_code(product_id)
    except ProductCodeError as exc:
        kind = "code invalide"
        problems.append(str(exc))
    if product is None:
        problems.append("produit absent du catalogue de la pharmacie")
    elif not product.supplier_id:
        problems.append("aucun fournisseur")
    elif product.supplier_id not in suppliers:
        problems.append(f"fournisseur « {product.supplier_id} » absent de l'annuaire")
    return kind, tuple(problems)


def build(unit: str, unit_name: str, stock: list[WardStock], products: dict[str, Product],
          suppliers: dict[str, Supplier],
          extracted_at: dict[str, dt.datetime] | None = None) -> WardStockList:
    """A unit's list from catalogue records (pure): every dotation kept, problems named."""
    lines = []
    for s in stock:
        if s.unit != unit:
            continue
        product = products.get(s.product_id)
        kind, problems = line_problems(product, s.product_id, suppliers)
        lines.append(DotationLine(
            s.product_id, product.label if product else "", kind,
            product.form if product else "", product.packaging if product else "",
            product.storage_zone if product else "", s.quantity, problems))
    lines.sort(key=lambda x: (zone_key(x.storage_zone), x.label.casefold(), x.product_id))
    return WardStockList(unit, unit_name, tuple(lines), dict(extracted_at or {}))


def dotation_units(store: Store) -> dict[str, int]:
    """Unit code → number of products in its dotation (units with a dotation only)."""
    counts: dict[str, int] = {}
    for s in catalogue.records_of(store, WardStock):
        counts[s.unit] = counts.get(s.unit, 0) + 1
    return dict(sorted(counts.items()))


def ward_stock_list(store: Store, unit: str, unit_name: str = "") -> WardStockList:
    """The dotation of ``unit`` from the station's pharmacy extract (its rows only: a PUI
    printing every unit's list reads each unit's products, not the whole catalogue)."""
    stock = catalogue.records_where(store, WardStock, "unit", unit)
    products = catalogue.records_by_id(store, Product, {s.product_id for s in stock})
    suppliers = {s.id: s for s in catalogue.records_of(store, Supplier)}
    return build(unit, unit_name, stock, products, suppliers,
                 catalogue.extracted_at(store, "pharmacy"))
