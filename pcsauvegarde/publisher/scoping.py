"""Which scopes (station groups) receive each patient's records, and why a patient goes nowhere.

A patient goes to the scopes with ``units = ["*"]`` and to every scope that names the unit of
one of their stays (current or past: the last encounter included). A patient no scope names
that way (no stay at all, e.g. the lab result of an outpatient, or stays only in units no
scope names) also goes to the scopes marked ``patients_without_stay`` (« consultations/
urgences »).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pcsauvegarde.core.records import Record, Stay

PATIENT_DOMAINS = ("dpi", "lab", "imaging")


class Scope(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def units(self) -> tuple[str, ...]: ...
    @property
    def patients_without_stay(self) -> bool: ...

    def serves(self, unit: str) -> bool: ...


@dataclass
class Routing:
    """Scope ids per IPP, and the French reason for every IPP no scope receives."""

    by_ipp: dict[str, frozenset[str]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def receives(self, scope_id: str, ipp: str) -> bool:
        return scope_id in self.by_ipp.get(ipp, ())


def record_ipp(record: Record) -> str | None:
    """The IPP a patient-domain record belongs to (None for catalogue records)."""
    if record.DOMAIN not in PATIENT_DOMAINS:
        return None
    return record.id if record.TYPE == "patient" else getattr(record, "ipp", None)


def route_patients(records: Iterable[Record], scopes: Sequence[Scope]) -> Routing:
    """Decide, once for every scope, who receives each patient (see the module docstring)."""
    units: dict[str, set[str]] = {}
    for r in records:
        ipp = record_ipp(r)
        if ipp is not None:
            bucket = units.setdefault(ipp, set())
            if isinstance(r, Stay):
                bucket.add(r.unit)
    star = frozenset(s.id for s in scopes if "*" in s.units)
    fallback = frozenset(s.id for s in scopes if s.patients_without_stay)
    routing = Routing()
    for ipp, stay_units in units.items():
        named = frozenset(s.id for s in scopes if stay_units & set(s.units))
        targets = star | (named or fallback)
        routing.by_ipp[ipp] = targets
        if not targets:
            routing.reasons[ipp] = (
                "patient sans séjour et aucune station « patients_without_stay »"
                if not stay_units else
                f"séjours en unité non desservie ({', '.join(sorted(stay_units))}) et "
                "aucune station « patients_without_stay »")
    return routing
