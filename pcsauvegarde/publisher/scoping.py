"""Which scopes (station groups) receive each record: patients by their stays, unit records by
their unit, shared catalogues everywhere (data minimisation).

Patients: a patient goes to the scopes with ``units = ["*"]`` and to every scope that names the
unit of one of their stays (current or past: the last encounter included) or of one of their
consultation appointments (the clinic's unit: its staff call the patient and need the record).
A patient no scope names that way (no stay at all, e.g. the lab result of an outpatient, or
stays only in units no scope names) also goes to the scopes marked ``patients_without_stay``
(« consultations/urgences »). Their whole record follows them.

Every record type MUST have a rule in ``RULES`` (a test checks it), so a new type cannot go
out unscoped by default:

- ``patient``: follows its patient (``ipp``, or the id of a ``patient``), as above;
- ``unit``: belongs to the unit named in one of its fields (empty field: shared, e.g. a tray
  without owner, a transversal staff member); a sterilisation cycle goes where one of its
  trays goes;
- ``shared``: a catalogue every unit uses (products, suppliers, the unit directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pcsauvegarde.core.records import RECORD_TYPES, Appointment, Record, Stay, Tray

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
    booked: set[str] = set()   # IPPs with a consultation appointment (said in the reason)
    for r in records:
        ipp = record_ipp(r)
        if ipp is not None:
            bucket = units.setdefault(ipp, set())
            if isinstance(r, (Stay, Appointment)):
                bucket.add(r.unit)
            if isinstance(r, Appointment):
                booked.add(ipp)
    star = frozenset(s.id for s in scopes if "*" in s.units)
    fallback = frozenset(s.id for s in scopes if s.patients_without_stay)
    routing = Routing()
    for ipp, stay_units in units.items():
        named = frozenset(s.id for s in scopes if stay_units & set(s.units))
        targets = star | (named or fallback)
        routing.by_ipp[ipp] = targets
        if not targets:
            routing.reasons[ipp] = unrouted_reason(stay_units, ipp in booked)
    return routing


def unrouted_reason(stay_units: Iterable[str], booked: bool = False) -> str:
    """Why no scope receives a patient with stays (or, ``booked``, also consultation
    appointments) in these units (French, for the report)."""
    units = sorted(set(stay_units))
    if not units:
        return "patient sans séjour et aucune station « patients_without_stay »"
    what = "séjours ou rendez-vous" if booked else "séjours"
    return (f"{what} en unité non desservie ({', '.join(units)}) et aucune station "
            "« patients_without_stay »")


PATIENT, UNIT, SHARED = "patient", "unit", "shared"

# type → (rule, field): the field naming the patient or the owning unit
RULES: dict[str, tuple[str, str]] = {
    "patient": (PATIENT, "id"),
    "stay": (PATIENT, "ipp"),
    "allergy": (PATIENT, "ipp"),
    "condition": (PATIENT, "ipp"),
    "medication_order": (PATIENT, "ipp"),
    "medication_administration": (PATIENT, "ipp"),
    "care_task": (PATIENT, "ipp"),
    "lab_result": (PATIENT, "ipp"),
    "blood_typing": (PATIENT, "ipp"),
    "transfusion": (PATIENT, "ipp"),
    "imaging_exam": (PATIENT, "ipp"),
    "appointment": (PATIENT, "ipp"),   # its unit also routes the patient (route_patients)
    "surgery_case": (PATIENT, "ipp"),
    "anaesthesia_assessment": (PATIENT, "ipp"),
    "ward_stock": (UNIT, "unit"),
    "ward_request_line": (UNIT, "unit"),
    "tray": (UNIT, "owner_unit"),
    "sterilisation_cycle": (UNIT, "tray_ids"),  # served when one of its trays is
    "staff": (UNIT, "unit"),                    # staff phone numbers are personal data too
    "product": (SHARED, ""),
    "supplier": (SHARED, ""),
    "supplier_order_line": (SHARED, ""),
    "unit": (SHARED, ""),
    "packaging_type": (SHARED, ""),
    "sterilisation_equipment": (SHARED, ""),
}
WHY_SHARED = {
    "product": "catalogue des produits de la pharmacie, commun à toutes les unités",
    "supplier": "annuaire des fournisseurs, commun",
    "supplier_order_line": "commandes passées par la PUI (quantités moyennes des bons de "
                           "commande), commun",
    "unit": "annuaire des unités (téléphones) : chaque unité doit pouvoir appeler les autres",
    "packaging_type": "types d'emballage stérile et leurs durées de validité, communs",
    "sterilisation_equipment": "laveurs et autoclaves de la stérilisation centrale, communs",
}


def unscoped_types() -> set[str]:
    """Record types with no rule (MUST be empty)."""
    return set(RECORD_TYPES) - set(RULES)


def unit_filter(records: Iterable[Record], serves: Callable[[str], bool]
                ) -> Callable[[Record], bool]:
    """Whether a non-patient record goes to a scope whose units ``serves`` accepts."""
    served_trays = {r.id for r in records if isinstance(r, Tray)
                    and (not r.owner_unit or serves(r.owner_unit))}

    def keep(record: Record) -> bool:
        rule, field_name = RULES[record.TYPE]
        if rule != UNIT:
            return True
        value = getattr(record, field_name, "")
        if record.TYPE == "sterilisation_cycle":
            return not value or any(t in served_trays for t in value)
        return not value or serves(value)

    return keep
