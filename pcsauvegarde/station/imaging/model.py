"""What imaging documents are drawn from (no store access: documents import it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.core.records import ImagingExam
from pcsauvegarde.station.documents.context import ScheduledPatient

# ImagingExam.status as staff read it (FHIR/HL7 codes never reach paper).
STATUS_FR = {"planned": "prévu", "arrived": "patient arrivé", "in_progress": "en cours",
             "done": "réalisé", "cancelled": "annulé", "noshow": "patient absent",
             "on-hold": "en attente", "revoked": "annulé", "entered-in-error": "erreur de saisie"}
# DICOM modality codes as the imaging department names them.
MODALITY_FR = {"CT": "Scanner", "MR": "IRM", "US": "Échographie", "XR": "Radiographie",
               "CR": "Radiographie", "DX": "Radiographie", "MG": "Mammographie",
               "NM": "Médecine nucléaire", "PT": "TEP", "RF": "Radioscopie",
               "XA": "Angiographie", "OT": "Autre", "?": "Modalité non précisée"}


def status_text(status: str) -> str:
    """An exam status in French; an unknown code is shown quoted, never dropped."""
    return STATUS_FR.get(status, f"statut « {status} »" if status else "—")


def modality_text(code: str) -> str:
    """« Scanner (CT) »: the modality's French name with its DICOM code."""
    name = MODALITY_FR.get(code)
    return f"{name} ({code})" if name and code != "?" else name or code or "—"


@dataclass(frozen=True)
class ExamLine:
    """One exam of a schedule: the exam, its patient (None: unknown to the station) and the
    requesting unit as printed."""

    exam: ImagingExam
    who: ScheduledPatient | None
    requesting: str


@dataclass(frozen=True)
class ExamSchedule:
    """The exams of one modality, room and (local) day: the data of « imaging_schedule »."""

    day: dt.date
    modality: str
    room: str
    lines: tuple[ExamLine, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class ExamDay:
    """Every schedule of one day (each modality and room), printed as one document."""

    day: dt.date
    schedules: tuple[ExamSchedule, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class ExamReport:
    """A paper report form: a planned exam and its patient, or blank (both None)."""

    exam: ImagingExam | None = None
    who: ScheduledPatient | None = None
    requesting: str = ""
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
