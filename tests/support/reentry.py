"""Re-entry helpers: an outage during which a bundle, lab labels, trays and an admission
are issued (the end-to-end set of issue 19)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station import admitting, patients
from pcsauvegarde.station.issuing.bundling import issue_unit_bundle
from pcsauvegarde.station.lab.issuing import LabelRequest, issue_labels
from pcsauvegarde.station.reentry import outage
from pcsauvegarde.station.state.admissions import AdmissionRequest
from pcsauvegarde.station.sterilisation import service

AUG31 = dt.date(2026, 8, 31)


@dataclass(frozen=True)
class OutageSet:
    """What was issued during the outage, by item kind."""

    window: outage.Window
    documents: tuple[str, ...]     # the bundle's inner documents
    bundle: str
    lab_labels: tuple[str, ...]
    trays: tuple[str, ...]
    admission: str                 # provisional IPP
    admission_labels: tuple[str, ...]
    unit: str


def issue_during_outage(station, before=None) -> OutageSet:
    """Declare an outage (back-dated 1 h), issue the set, end it; ``before()`` runs first."""
    now = dt.datetime.now(dt.UTC)
    outage.declare_start(station, "chef", now - dt.timedelta(hours=1), "Panne DPI")
    unit = next(u for u in patients.units(station) if u.inpatients).code
    bundle = issue_unit_bundle(station, unit, ["summary", "administration_plan"], "infirmiere")
    with station.state.connect() as conn:
        inner = tuple(r[0] for r in conn.execute(
            "SELECT number FROM document_pages WHERE container=? ORDER BY first_page",
            (bundle.document.number,)))
    ipp = patients.inpatients(station, unit)[0].patient.id
    lab = issue_labels(station, LabelRequest(sets=2, tubes=3, ipp=ipp), "preleveur")
    trays = service.issue_tray_labels(station, ["APPEND-01", "COELIO-01"], "agent",
                                      recomposed_on=AUG31)
    given = service.register(station).latest(["APPEND-01", "COELIO-01"])
    admitted = admitting.admit(station, AdmissionRequest(
        birth_name="D'ARTAGNAN-ÉPÉE", first_names="Zoé", sex="F", unit=unit,
        birth_date=dt.date(1990, 1, 2)), "infirmiere")
    assert trays.document.number
    window = outage.declare_end(station, "chef")
    return OutageSet(window, inner, bundle.document.number, lab.batch.numbers,
                     tuple(c.number for c in given.values()), admitted.admission.ipp,
                     admitted.lab_numbers, unit)
