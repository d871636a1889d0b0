"""Prescriptions actives par unité: the inpatients' current orders, for the PUI's dispensing."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Product
from pcsauvegarde.station import patients
from pcsauvegarde.station.pharmacy.model import UnitPrescriptions
from pcsauvegarde.station.pharmacy.requests import unknown_unit
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.store import catalogue


def unit_prescriptions(station: Station, unit: str,
                       now: dt.datetime | None = None) -> UnitPrescriptions:
    """Every current inpatient of ``unit`` (downtime admissions too) with their patient file."""
    now = now or dt.datetime.now(dt.UTC)
    names = patients.unit_names(station)
    files = []
    for row in patients.inpatients(station, unit):
        file = patients.patient_file(station, row.patient.id, now=now)
        if file is not None:
            files.append(file)
    codes = {o.code for f in files for o in f.orders if o.code}
    ages = {**patients.extracted_at(station),
            **catalogue.extracted_at(station.store, "pharmacy")}
    return UnitPrescriptions(unit, names.get(unit, ""), tuple(files), unknown_unit(unit, names),
                             ages, catalogue.records_by_id(station.store, Product, codes))

