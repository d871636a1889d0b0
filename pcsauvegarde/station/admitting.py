"""Admit a patient during the outage: provisional IPP/NDA, then labels and wristband at once.

Written once for the admission page (and any other caller); the view only parses the form and
shows the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import admission_kit, fmt
from pcsauvegarde.station.issuing.issue import Issued, IssueError, issue_patient_document
from pcsauvegarde.station.state.admissions import Admission, AdmissionRequest
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.store import fold


@dataclass(frozen=True)
class Admitted:
    """A stored admission, with its labels-and-wristband document or why it is missing."""

    admission: Admission
    kit: Issued | None = None
    kit_error: str = ""


def possible_duplicates(station: Station, req: AdmissionRequest) -> list[patients.PatientRow]:
    """Patients already known (hospital data or earlier admissions): same birth date and
    birth name, accents, case and hyphens aside."""
    return [r for r in patients.search(station, fmt.format_date(req.birth_date))
            if _same_name(r.patient.birth_name, req.birth_name)]


def admit(station: Station, req: AdmissionRequest, user: str,
          now: dt.datetime | None = None) -> Admitted:
    """Store the admission with fresh provisional numbers, then issue its admission kit.

    Raises AdmissionError or NumberingError (French) when no admission could be stored; a kit
    that cannot be printed leaves the admission stored and says why (``kit_error``).
    """
    register = patients.admissions_of(station)
    admission = register.admit(req, user, now=now,
                               is_known=lambda n: patients.is_known_number(station, n))
    try:
        kit = issue_patient_document(station, admission_kit.KIND, admission.ipp, user, now)
    except IssueError as exc:
        return Admitted(admission, kit_error=str(exc))
    register.set_document(admission.ipp, kit.document.number)
    return Admitted(admission, kit)


def _same_name(a: str, b: str) -> bool:
    return fold(a).replace("-", " ").split() == fold(b).replace("-", " ").split()
