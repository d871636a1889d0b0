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
