"""Admit a patient during the outage: provisional IPP/NDA, then labels and wristband at once.

Written once for the admission page (and any other caller); the view only parses the form and
shows the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import admission_kit, fmt, lab_labels
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.issue import Issued, IssueError, issue_patient_document
from pcsauvegarde.station.lab.issuing import label_set
from pcsauvegarde.station.lab.register import LabError
from pcsauvegarde.station.lab.register import register_of as lab_register_of
from pcsauvegarde.station.state.admissions import Admission, AdmissionRequest
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.store import fold


@dataclass(frozen=True)
class Admitted:
    """A stored admission, with its labels-and-wristband document or why it is missing."""

    admission: Admission
    kit: Issued | None = None
    kit_error: str = ""
    lab_numbers: tuple[str, ...] = ()
    lab_error: str = ""  # why the kit has no lab labels (no range, range exhausted…)


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
    lab, lab_error = admission_lab_set(station, admission, user, now)
    try:
        kit = issue_patient_document(station, admission_kit.KIND, admission.ipp, user, now,
                                     lab=lab[1] if lab else None)
    except IssueError as exc:
        return Admitted(admission, kit_error=str(exc), lab_error=lab_error)
    register.set_document(admission.ipp, kit.document.number)
    if lab is None:
        return Admitted(admission, kit, lab_error=lab_error)
    lab_register_of(station).set_document(lab[0].id, kit.document.number)
    return Admitted(admission, kit, lab_numbers=lab[0].numbers)


def admission_lab_set(station: Station, admission: Admission, user: str,
                      now: dt.datetime | None):
    """((batch, labels), "") for the admission kit, or (None, why) when the station cannot
    give lab numbers: the admission and its identity labels go ahead without them."""
    try:
        register = lab_register_of(station)
        layout = lab_labels.load(station.settings.print_templates_path)
        sets, tubes = layout["content.admission_sets"], layout["content.tubes"]
        if sets == 0:
            return None, ""
        batch = register.allocate("admission", sets, min(tubes, register.range.max_tubes),
                                  user, ipp=admission.ipp, unit=admission.request.unit,
                                  now=now)
    except (LabError, TemplateError) as exc:
        return None, str(exc)
    file = patients.patient_file(station, admission.ipp, now=now)
    return (batch, label_set(register.range, batch, file, (), "a4")), ""


def _same_name(a: str, b: str) -> bool:
    return fold(a).replace("-", " ").split() == fold(b).replace("-", " ").split()
