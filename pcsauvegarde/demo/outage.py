"""A simulated outage on the demo station: a back-dated window, paper issued inside, a few
items already re-entered, so that « Ressaisie » shows a real worklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station import admitting, patients
from pcsauvegarde.station.issuing.bundling import issue_unit_bundle
from pcsauvegarde.station.lab.issuing import LabelRequest, issue_labels
from pcsauvegarde.station.reentry import outage, status, worklist
from pcsauvegarde.station.state.admissions import AdmissionRequest
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.sterilisation import service

LABEL = "Panne simulée (démonstration)"
NURSE, CHIEF = "demo-ide", "demo-cadre"


@dataclass(frozen=True)
class SimulatedOutage:
    window: outage.Window
    items: int
    marked: int


def simulate(station: Station, now: dt.datetime | None = None) -> SimulatedOutage | None:
    """Declare a 3-hour outage that ended now, issue paper in it, mark some of it.

    Does nothing (None) when the station already has an outage declared: the demo keeps the
    one it made on its first run, with whatever was marked since.
    """
    if outage.outages(station):
        return None
    now = now or dt.datetime.now(dt.UTC)
    outage.declare_start(station, CHIEF, now - dt.timedelta(hours=3), LABEL, now=now)
    unit = min((u for u in patients.units(station) if u.inpatients),
               key=lambda u: u.inpatients).code
    issue_unit_bundle(station, unit, ["summary"], NURSE)
    ipp = patients.inpatients(station, unit)[0].patient.id
    issue_labels(station, LabelRequest(sets=1, tubes=3, ipp=ipp), NURSE)
    trays = sorted(service.catalogue(station).trays)[:2]
    if trays:
        service.issue_tray_labels(station, trays, "demo-sterilisation",
                                  recomposed_on=now.date())
    admitting.admit(station, AdmissionRequest(
        birth_name="INCONNU", first_names="Patient", sex="M", unit=unit,
        birth_date=dt.date(1970, 1, 1), reason="Admis pendant la panne (démonstration)"),
        NURSE)
    window = outage.declare_end(station, CHIEF)
    items = worklist.items(station, window)
    marked = 0
    for item in items[: len(items) // 3]:   # a third already re-entered, half of it verified
        status.mark(station, item.item_kind, item.number, status.REENTERED, NURSE)
        marked += 1
        if marked % 2:
            status.mark(station, item.item_kind, item.number, status.VERIFIED, CHIEF)
    return SimulatedOutage(window, len(items), marked)
