"""Annuaire: suppliers (order contacts), units' phone numbers and the staff directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pcsauvegarde.core.records import StaffEntry, Supplier, Unit, WardStock
from pcsauvegarde.station.pharmacy.model import DirectoryBook
from pcsauvegarde.station.pharmacy.orders import supplier_problems
from pcsauvegarde.station.store import catalogue
from pcsauvegarde.station.store.db import Store


def build(suppliers: list[Supplier], units: list[Unit], staff: list[StaffEntry],
          used_units: Iterable[str] = (),
          extracted_at: dict[str, dt.datetime] | None = None) -> DirectoryBook:
    """The directory (pure): by name; unit codes used but not listed are named, not dropped."""
    listed = {u.id for u in units}
    unknown = ({s.unit for s in staff if s.unit} | set(used_units)) - listed
    return DirectoryBook(
        tuple((s, supplier_problems(s)) for s in sorted(suppliers,
                                                        key=lambda s: (s.name.casefold(), s.id))),
        tuple(sorted(units, key=lambda u: (u.name.casefold(), u.id))),
        tuple(sorted(staff, key=lambda s: (s.unit, s.name.casefold(), s.id))),
        tuple(sorted(unknown)), extracted_at=dict(extracted_at or {}))


def directory_book(store: Store) -> DirectoryBook:
    """The station's directory from its pharmacy and directory extracts."""
    ages = {**catalogue.extracted_at(store, "pharmacy"),
            **catalogue.extracted_at(store, "directory")}
    return build(catalogue.records_of(store, Supplier), catalogue.records_of(store, Unit),
                 catalogue.records_of(store, StaffEntry),
                 {s.unit for s in catalogue.records_of(store, WardStock)}, ages)
