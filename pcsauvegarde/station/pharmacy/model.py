"""What pharmacy documents are drawn from (no store access: documents import it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pcsauvegarde.core.pharmacy_codes import product_code_problem
from pcsauvegarde.core.records import Product, StaffEntry, Supplier, Unit

if TYPE_CHECKING:   # documents import this module: no import of theirs at run time
    from pcsauvegarde.station.documents.context import PatientFile


@dataclass(frozen=True)
class DotationLine:
    """One product of a unit's dotation, with what is wrong with its catalogue entry."""

    product_id: str
    label: str
    code_kind: str            # « CIP13 », « UCD13 »… or « code invalide »
    form: str
    packaging: str
    storage_zone: str
    quantity: int
    problems: tuple[str, ...] = ()   # French, shown on the page and on the screen


@dataclass(frozen=True)
class WardStockList:
    """A unit's dotation, sorted by storage zone (the data of the « dotation » document)."""

    code: str
    name: str
    lines: tuple[DotationLine, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(product code, problem) for every line with one, in list order."""
        return [(line.product_id, p) for line in self.lines for p in line.problems]


@dataclass(frozen=True)
class OrderLine:
    """One product of a supplier order form, with its past orders when the extract has them."""

    product_id: str
    label: str
    code_kind: str
    supplier_ref: str
    packaging: str
    average: float | None = None   # mean quantity of the past orders holding it
    orders: int = 0                # how many past orders hold it
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderForm:
    """A « bon de commande » for one supplier (the data of the « supplier_order » document)."""

    code: str                      # the supplier's code
    name: str
    phone: str = ""
    email: str = ""
    order_contact: str = ""
    delivery_address: tuple[str, ...] = ()
    lines: tuple[OrderLine, ...] = ()
    problems: tuple[str, ...] = ()   # about the supplier itself (no contact…)
    history_orders: int = 0          # past orders to this supplier in the extract
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestLine:
    """One usual product of a unit on its request form: in its dotation, or asked for before."""

    product_id: str
    label: str
    code_kind: str
    form: str
    packaging: str
    storage_zone: str
    dotation: int | None = None      # None: not in the dotation, asked for before
    requests: int = 0                # past requests of the unit holding it (extract)
    last_quantity: int | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRequestForm:
    """A unit's « formulaire de demande » (the data of the « unit_request » document)."""

    code: str
    name: str
    lines: tuple[RequestLine, ...] = ()
    unit_problems: tuple[str, ...] = ()   # the unit itself (absent from the directory)
    history_requests: int = 0             # past requests of the unit in the extract
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(unit or product code, problem), the unit's first, then in list order."""
        return ([(self.code, p) for p in self.unit_problems]
                + [(line.product_id, p) for line in self.lines for p in line.problems])


@dataclass(frozen=True)
class InventoryLine:
    """One product to count, with the quantity expected when the extract gives one."""

    product_id: str
    label: str
    code_kind: str
    form: str
    packaging: str
    expected: int | None = None      # a unit's dotation; None at the PUI (no stock levels)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class InventoryZone:
    """The products of one storage zone, in label order (one zone, one sheet)."""

    zone: str                        # "" : products with no zone
    lines: tuple[InventoryLine, ...] = ()


@dataclass(frozen=True)
class InventorySheets:
    """« Listes d'inventaire » of the PUI or of a unit's stock, zone by zone, or blank."""

    code: str                        # the unit's code, or PUI for the pharmacy's own stock
    name: str
    pharmacy: bool                   # True: the PUI's stock (no unit in the journal)
    zones: tuple[InventoryZone, ...] = ()
    blank: bool = False              # True: sheets with no product, to fill by hand
    unit_problems: tuple[str, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def problems(self) -> list[tuple[str, str]]:
        return ([(self.code, p) for p in self.unit_problems]
                + [(line.product_id, p) for z in self.zones for line in z.lines
                   for p in line.problems])


@dataclass(frozen=True)
class UnitPrescriptions:
    """The active orders of a unit's inpatients, for dispensing (« unit_prescriptions »)."""

    code: str
    name: str
    files: tuple[PatientFile, ...] = ()   # one per inpatient, room/bed order (station.patients)
    unit_problems: tuple[str, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)   # the orders' codes, PUI side


@dataclass(frozen=True)
class DirectoryBook:
    """« Annuaire »: suppliers, units and staff of the extracts, with what is missing."""

    suppliers: tuple[tuple[Supplier, tuple[str, ...]], ...] = ()   # (supplier, its problems)
    units: tuple[Unit, ...] = ()
    staff: tuple[StaffEntry, ...] = ()
    unknown_units: tuple[str, ...] = ()   # unit codes used by staff or dotations, not listed
    code: str = "ANNUAIRE"
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(code, problem): contactless suppliers, units missing, unit with no phone."""
        out = [(s.id, p) for s, problems in self.suppliers for p in problems]
        out += [(u.id, "aucun téléphone pour ce service") for u in self.units if not u.phone]
        out += [(code, "service absent de l'annuaire des unités") for code in self.unknown_units]
        return out


def pick_note(code: str, products: dict[str, Product]) -> str:
    """Where the PUI picks an order's product, or why it cannot say (French, for the page)."""
    if not code:
        return ""
    problem = product_code_problem(code)
    if problem:
        return f"⚠ {problem}"
    product = products.get(code)
    if product is None:
        return "⚠ code absent du catalogue de la pharmacie"
    return f"PUI zone {product.storage_zone}" if product.storage_zone else ""
