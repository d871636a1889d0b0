"""Results on paper: the entry sheet of a lab number and a patient's cumulative results."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import lab_results
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.issue import context, render, snapshot_label
from pcsauvegarde.station.lab.register import Entry, LabError, register_of
from pcsauvegarde.station.station import Station


def find_number(station: Station, text: str) -> Entry:
    """The register entry of a typed or scanned number (with or without tube suffix)."""
    register = register_of(station)
    typed = "".join(text.split()).upper()[:80]
    matches = [e for e in register.search(typed) if typed.startswith(e.number)]
    if not typed or not matches:
        raise LabError(f"numéro de laboratoire « {typed} » absent du registre de ce poste")
    return matches[0]


def issue_entry_sheet(station: Station, number: str, user: str,
                      now: dt.datetime | None = None) -> tuple[str, bytes]:
    """Journal, render and keep the results-entry sheet of one lab number."""
    now = now or dt.datetime.now(dt.UTC)
    entry = find_number(station, number)
    file = patients.patient_file(station, entry.ipp, now=now) if entry.ipp else None
    b = entry.batch
    data = lab_results.ResultsEntry(entry.number, b.tubes,
                                    f"{format_local(b.issued_at)} par {b.issued_by}", file)
    extracted = file.extracted_at if file else patients.extracted_at(station)
    return _keep(station, lab_results.ENTRY_KIND, user, now, entry.ipp, extracted,
                 data)


def issue_cumulative(station: Station, ipp: str, user: str,
                     now: dt.datetime | None = None) -> tuple[str, bytes]:
    """Journal, render and keep a patient's cumulative results from the lab extract."""
    now = now or dt.datetime.now(dt.UTC)
    file = patients.patient_file(station, ipp, now=now)
    if file is None:
        raise LabError(f"patient IPP {ipp} introuvable dans les données de la station")
    return _keep(station, lab_results.CUMULATIVE_KIND, user, now, ipp, file.extracted_at,
                 file)


def _keep(station: Station, kind: str, user: str, now: dt.datetime, ipp: str | None,
          extracted: dict, data: object) -> tuple[str, bytes]:
    unit = patients.patient_unit(station, ipp)[1] if ipp else None
    doc = station.journal.issue(kind, user, ipp=ipp, unit=unit,
                                snapshot=snapshot_label(station), now=now)
    try:
        pdf = render(station, kind, data, context(station, doc.number, user, now, extracted))
    except TemplateError as exc:
        raise LabError(str(exc)) from None
    atomic_write(station.settings.documents_dir / f"{doc.number}.pdf", pdf, mode=0o600)
    return doc.number, pdf
