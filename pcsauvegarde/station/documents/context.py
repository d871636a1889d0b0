"""What every document needs to know besides its records (the data contract of renderers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.records import (
    Allergy,
    AnaesthesiaAssessment,
    BloodTyping,
    CareTask,
    Condition,
    ImagingExam,
    LabResult,
    MedicationAdministration,
    MedicationOrder,
    Patient,
    Stay,
    SurgeryCase,
    TransfusionFact,
)


@dataclass(frozen=True)
class DocumentContext:
    """Who prints what, when, from which data: printed on every page's footer."""

    establishment: str
    station: str
    printed_by: str
    printed_at: dt.datetime            # aware, UTC
    extracted_at: dt.datetime | None  # aware, UTC: age of the oldest data the page shows
    document_number: str               # unique; the key of re-entry; printed as a barcode
    exercise: bool = False             # True: every page watermarked EXERCICE
    templates_dir: Path | None = None  # the hospital's own print templates (settings), if any


@dataclass(frozen=True)
class PatientFile:
    """Everything the station knows about one patient, as documents need it."""

    patient: Patient
    stay: Stay | None = None
    unit_name: str = ""
    allergies: tuple[Allergy, ...] = ()   # active ones only (Allergy.active), kept so below
    conditions: tuple[Condition, ...] = ()
    orders: tuple[MedicationOrder, ...] = ()
    administrations: tuple[MedicationAdministration, ...] = ()
    lab_results: tuple[LabResult, ...] = ()
    imaging_exams: tuple[ImagingExam, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)  # per domain
    care_tasks: tuple[CareTask, ...] = ()
    provisional: bool = False  # identity from a downtime admission (provisional IPP/NDA)
    surgery_cases: tuple[SurgeryCase, ...] = ()   # planned OR cases (care plan)
    blood_typings: tuple[BloodTyping, ...] = ()   # all of them: read by station/lab/bloodbank
    transfusions: tuple[TransfusionFact, ...] = ()
    anaesthesia: tuple[AnaesthesiaAssessment, ...] = ()   # consultations, oldest first

    def __post_init__(self) -> None:
        # Whoever builds a file, screens and papers only ever see active allergies.
        object.__setattr__(self, "allergies", tuple(a for a in self.allergies if a.active))


@dataclass(frozen=True)
class CensusRow:
    """One inpatient on the unit census."""

    patient: Patient
    stay: Stay
    allergies: tuple[Allergy, ...] = ()   # active ones, for the allergy column

    def __post_init__(self) -> None:
        object.__setattr__(self, "allergies", tuple(a for a in self.allergies if a.active))


@dataclass(frozen=True)
class UnitFile:
    """A unit's current inpatients, in room/bed order, as unit documents need them."""

    code: str
    name: str
    rows: tuple[CensusRow, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)  # per domain


@dataclass(frozen=True)
class ScheduledPatient:
    """A patient on a schedule (imaging, consultations): identity, current stay if any, and
    active allergies (kept so below), as schedule lines and report forms print them."""

    patient: Patient
    stay: Stay | None = None
    unit_name: str = ""
    allergies: tuple[Allergy, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "allergies", tuple(a for a in self.allergies if a.active))
