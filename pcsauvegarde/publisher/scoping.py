"""Which records a station's units may receive: one rule per record type (data minimisation).

Every record type MUST be declared here (a test checks it), so a new type cannot go out
unscoped by default. Three kinds of rule:

- ``patient``: follows its patient (``ipp``, or the id of a ``patient``); a patient is served
  when one of their stays is in a served unit, and then their whole record goes (history too).
- ``unit``: the record belongs to the unit named in one of its fields (empty field: shared,
  e.g. a tray without owner, a transversal staff member).
- ``shared``: a catalogue every unit uses (products, suppliers, the unit directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pcsauvegarde.core.records import RECORD_TYPES, Record, Stay, Tray

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
    "imaging_exam": (PATIENT, "ipp"),
    "surgery_case": (PATIENT, "ipp"),
    "ward_stock": (UNIT, "unit"),
    "tray": (UNIT, "owner_unit"),
    "sterilisation_cycle": (UNIT, "tray_ids"),  # served when one of its trays is
    "staff": (UNIT, "unit"),                    # staff phone numbers are personal data too
    "product": (SHARED, ""),
    "supplier": (SHARED, ""),
    "unit": (SHARED, ""),
}
WHY_SHARED = {
    "product": "catalogue des produits de la pharmacie, commun à toutes les unités",
    "supplier": "annuaire des fournisseurs, commun",
    "unit": "annuaire des unités (téléphones) : chaque unité doit pouvoir appeler les autres",
}


def unscoped_types() -> set[str]:
    """Record types with no rule (MUST be empty)."""
    return set(RECORD_TYPES) - set(RULES)


def scope_filter(records: Iterable[Record], serves: Callable[[str], bool]
                 ) -> Callable[[Record], bool]:
    """A predicate saying whether a record goes to a scope whose units ``serves`` accepts."""
    records = list(records)
    served_ipps = {r.ipp for r in records if isinstance(r, Stay) and serves(r.unit)}
    served_trays = {r.id for r in records if isinstance(r, Tray)
                    and (not r.owner_unit or serves(r.owner_unit))}

    def keep(record: Record) -> bool:
        rule, field = RULES[record.TYPE]
        value = getattr(record, field, "")
        if rule == PATIENT:
            return value in served_ipps
        if rule == UNIT:
            if record.TYPE == "sterilisation_cycle":
                return not value or any(t in served_trays for t in value)
            return not value or serves(value)
        return True

    return keep
