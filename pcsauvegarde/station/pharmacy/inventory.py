"""Listes d'inventaire: the PUI's products or a unit's stock, one storage zone per sheet."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Product, Supplier, WardStock
from pcsauvegarde.station.pharmacy.dotations import line_problems, zone_key
from pcsauvegarde.station.pharmacy.model import InventoryLine, InventorySheets, InventoryZone
from pcsauvegarde.station.pharmacy.requests import unknown_unit
from pcsauvegarde.station.store import catalogue
from pcsauvegarde.station.store.db import Store

PUI = "PUI"
PUI_NAME = "Pharmacie à usage intérieur"
NO_ZONE_FIELD = "∅"   # the form's value for « sans zone » ("" means every zone)


class UnknownZoneError(LookupError):
    """A storage zone no product of the list is stored in (French message)."""


def _zones(lines: list[tuple[str, InventoryLine]], zone: str | None) -> tuple[InventoryZone, ...]:
    by_zone: dict[str, list[InventoryLine]] = {}
    for z, line in lines:
        by_zone.setdefault(z, []).append(line)
    if zone is not None:
        if zone not in by_zone:
            raise UnknownZoneError(f"zone de stockage « {zone} » : aucun produit de cette liste")
        by_zone = {zone: by_zone[zone]}
    return tuple(InventoryZone(z, tuple(sorted(ls, key=lambda x: (x.label.casefold(),
                                                                  x.product_id))))
                 for z, ls in sorted(by_zone.items(), key=lambda kv: zone_key(kv[0])))


def pui_sheets(products: list[Product], suppliers: dict[str, Supplier], zone: str | None = None,
               extracted_at: dict[str, dt.datetime] | None = None,
               name: str = PUI_NAME) -> InventorySheets:
    """Every catalogue product by storage zone (pure); no expected quantity: no stock levels."""
    lines = []
    for p in products:
        kind, problems = line_problems(p, p.id, suppliers)
        lines.append((p.storage_zone, InventoryLine(p.id, p.label, kind, p.form, p.packaging,
                                                    None, problems)))
    return InventorySheets(PUI, name, True, _zones(lines, zone),
                           extracted_at=dict(extracted_at or {}))


def unit_sheets(unit: str, unit_name: str, stock: list[WardStock],
                products: dict[str, Product], suppliers: dict[str, Supplier],
                known_units: set[str] | dict[str, str], zone: str | None = None,
                extracted_at: dict[str, dt.datetime] | None = None) -> InventorySheets:
    """A unit's dotation by storage zone (pure): the dotation is the expected quantity."""
    lines = []
    for s in stock:
        if s.unit != unit:
            continue
        p = products.get(s.product_id)
        kind, problems = line_problems(p, s.product_id, suppliers)
        lines.append((p.storage_zone if p else "", InventoryLine(
            s.product_id, p.label if p else "", kind, p.form if p else "",
            p.packaging if p else "", s.quantity, problems)))
    return InventorySheets(unit, unit_name, False, _zones(lines, zone),
                           unit_problems=unknown_unit(unit, known_units),
                           extracted_at=dict(extracted_at or {}))


def blank_sheets(code: str, name: str, pharmacy: bool,
                 extracted_at: dict[str, dt.datetime] | None = None) -> InventorySheets:
    """A sheet with no product, zone and lines written by hand."""
    return InventorySheets(code, name, pharmacy, (), blank=True,
                           extracted_at=dict(extracted_at or {}))


def pui_inventory(store: Store, zone: str | None = None, name: str = "") -> InventorySheets:
    """The PUI's inventory lists from the station's pharmacy extract."""
    return pui_sheets(catalogue.records_of(store, Product),
                      {s.id: s for s in catalogue.records_of(store, Supplier)}, zone,
                      catalogue.extracted_at(store, "pharmacy"),
                      name or PUI_NAME)


def blank_inventory(store: Store, code: str, name: str, pharmacy: bool) -> InventorySheets:
    """A blank sheet, dated by the station's pharmacy extract."""
    return blank_sheets(code, name, pharmacy, catalogue.extracted_at(store, "pharmacy"))


def unit_inventory(store: Store, unit: str, unit_names: dict[str, str],
                   zone: str | None = None) -> InventorySheets:
    """A unit's stock inventory lists from the station's pharmacy extract."""
    stock = catalogue.records_where(store, WardStock, "unit", unit)
    return unit_sheets(unit, unit_names.get(unit, ""), stock,
                       catalogue.records_by_id(store, Product, {s.product_id for s in stock}),
                       {s.id: s for s in catalogue.records_of(store, Supplier)}, unit_names,
                       zone, catalogue.extracted_at(store, "pharmacy"))
