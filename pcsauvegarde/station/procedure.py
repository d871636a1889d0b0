"""The station's « procédure synthétique »: built from its own settings and directory, issued
(journalled, kept) and sent to its printer from the admin page."""

from __future__ import annotations

import datetime as dt
import sqlite3

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.procedure import KIND, ProcedureSheet
from pcsauvegarde.station.station import Station


def printer_label(spec: str) -> str:
    """The printer as a nurse reads it (never the raw setting)."""
    if spec == "file":
        return "aucune imprimante : documents enregistrés dans un dossier (démonstration)"
    return f"imprimante « {spec.removeprefix('cups:')} » branchée sur ce poste"


def procedure_sheet(station: Station) -> ProcedureSheet:
    """What this station's page says: its URL, printer, units (with their phones from the
    directory), contacts (settings) and stale threshold."""
    s = station.settings
    try:
        phones = patients.unit_phones(station)
        listed = patients.served_units(station)
    except sqlite3.OperationalError:  # never pulled yet: no directory, the page still prints
        phones, listed = {}, []
    units = tuple((u.code, u.name, phones.get(u.code, "")) for u in listed)
    return ProcedureSheet(station=s.station_id, url=f"http://{s.host}:{s.port}",
                          printer=printer_label(s.printer), units=units,
                          contacts=tuple(s.procedure_contacts),
                          stale_after_minutes=s.stale_after_minutes,
                          lab_labels=bool(s.lab_range),
                          tray_labels="sterilisation" in station.store.snapshots(),
                          idle_minutes=s.idle_timeout_minutes)


def issue_procedure(station: Station, user: str, now: dt.datetime | None = None):
    """Journal, render and keep the page; the caller sends it to the printer."""
    from pcsauvegarde.station.issuing.issue import issue_station_document

    return issue_station_document(station, KIND, procedure_sheet(station), user, now)
