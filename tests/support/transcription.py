"""Re-entry transcription helpers: a demo patient whose plan has boxes, a unit's dotation."""

from __future__ import annotations

from pcsauvegarde.core.records import WardStock
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.administration_plan import paper_slots
from pcsauvegarde.station.store import catalogue


def plan_patient(station, unit: str = "CHD") -> tuple[str, str]:
    """(IPP, drug) of an inpatient of ``unit`` whose plan, printed at the extract, has an
    order with at least three boxes (the demo hospital differs from one day to the next)."""
    at = patients.extracted_at(station)["dpi"]
    for row in patients.inpatients(station, unit):
        file = patients.patient_file(station, row.patient.id, now=at)
        for order, slots in paper_slots(file, at)[1]:
            if len(slots) >= 3 and order.unit:
                return row.patient.id, order.drug
    raise AssertionError(f"no patient of {unit} with a plan of three boxes")


def dotation_line(station, unit: str = "CHD") -> WardStock:
    """One product of ``unit``'s dotation."""
    return next(s for s in catalogue.records_of(station.store, WardStock) if s.unit == unit)
