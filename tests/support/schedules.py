"""Imaging exams and consultation appointments with hard patients (36-character IPP, long
names, allergies), for document and screen tests of schedules."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import Appointment, ImagingExam
from pcsauvegarde.station.documents.context import ScheduledPatient
from tests.support.sample import (
    EXTRACTED,
    UUID_IPP,
    make_long_patient_file,
    make_patient_file,
)

UTC = dt.UTC
DAY = dt.date(2026, 11, 27)   # PRINTED's day (Europe/Paris)


def long_patient() -> ScheduledPatient:
    """36-character IPP, 40-character compound birth name, three first names, allergies."""
    f = make_long_patient_file(ipp=UUID_IPP)
    allergies = tuple(dataclasses.replace(a, id=f"{a.id}-long") for a in f.allergies)
    return ScheduledPatient(f.patient, f.stay, "Médecine interne et maladies infectieuses",
                            allergies)


def plain_patient() -> ScheduledPatient:
    f = make_patient_file()
    return ScheduledPatient(f.patient, f.stay, f.unit_name, f.allergies)


def exams() -> list[ImagingExam]:
    """Three CT exams in « Scanner 1 » on DAY (one of an unknown patient), one in another room,
    one MR: what a schedule MUST and MUST NOT hold."""
    at = dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)   # 08:30 in Paris
    plain = plain_patient().patient.id
    return [
        ImagingExam("ct-1", UUID_IPP, "CT", "Scanner thoraco-abdomino-pelvien injecté", at,
                    room="Scanner 1", requesting_unit="MED-INT",
                    indication="Recherche d'une embolie pulmonaire ; dyspnée brutale",
                    requester="Dr Hélène Lefèvre-Beauchamp"),
        ImagingExam("ct-2", plain, "CT", "Scanner cérébral sans injection",
                    at + dt.timedelta(minutes=45), room="Scanner 1", status="arrived"),
        ImagingExam("ct-3", "INCONNU-404", "CT", "Angioscanner des membres inférieurs",
                    at + dt.timedelta(hours=2), room="Scanner 1", status="cancelled"),
        ImagingExam("ct-other-room", plain, "CT", "Scanner du rachis", at, room="Scanner 2"),
        ImagingExam("mr-1", plain, "MR", "IRM cérébrale", at, room="IRM"),
        ImagingExam("ct-tomorrow", plain, "CT", "Scanner de contrôle",
                    at + dt.timedelta(days=1), room="Scanner 1"),
    ]


def appointments() -> list[Appointment]:
    """Consultations of the cardiology clinic (unit CARDIO-CS) on DAY and the day after."""
    at = dt.datetime(2026, 11, 27, 8, 0, tzinfo=UTC)   # 09:00 in Paris
    plain = plain_patient().patient.id
    base = Appointment("rdv-1", UUID_IPP, "CARDIO-CS", at, at + dt.timedelta(minutes=30),
                       clinic="Consultation de cardiologie",
                       practitioner="Dr Jean-Baptiste Montgolfier-Delacroix",
                       reason="Contrôle après pose de stimulateur cardiaque",
                       phone="+33 6 12 34 56 78")
    return [base,
            dataclasses.replace(base, id="rdv-2", ipp=plain, start=at + dt.timedelta(hours=1),
                                end=None, status="cancelled", phone=""),
            dataclasses.replace(base, id="rdv-3", ipp=plain, start=at + dt.timedelta(days=1),
                                end=None, status="booked"),
            dataclasses.replace(base, id="rdv-other", ipp=plain, unit="PNEUMO-CS",
                                clinic="Consultation de pneumologie")]


EXTRACTED_AT = {"dpi": EXTRACTED, "imaging": EXTRACTED}
