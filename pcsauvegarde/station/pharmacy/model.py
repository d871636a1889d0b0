"""What pharmacy documents are drawn from (no store access: documents import it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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
