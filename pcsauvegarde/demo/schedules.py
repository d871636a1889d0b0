"""The demo hospital's imaging schedules (today and tomorrow) and consultations (7 days).

Imaging: imaging ServiceRequests of current inpatients, per room, every 20–30 minutes from
08:00 to 17:00 local time, with the requester, the encounter (requesting unit) and the
clinical question; those of the past hours of today are completed. Consultations: three
clinics (a ward Location each, a Schedule per practitioner, Slots), outpatients with phone
numbers, Appointments booking a Slot or naming their Location and practitioner directly,
some cancelled, some already arrived. Its own random stream: the rest of the hospital is
unchanged by it.
"""

from __future__ import annotations

import datetime as dt
import random

from pcsauvegarde.demo.hospital import LOC_TYPE, Case, Hospital
from pcsauvegarde.demo.people import make_patient, make_practitioner, new_id
from pcsauvegarde.publisher.importers.fhir.systems import DICOM_MODALITY_SYSTEM, UNIT_SYSTEM

IMAGING_ROOMS = (("Scanner 1", "CT", 20), ("Scanner 2", "CT", 30), ("IRM 1", "MR", 30),
                 ("Échographie 1", "US", 20), ("Radiologie 1", "XR", 15))
EXAMS = {"CT": ("Scanner thoracique injecté", "Scanner abdomino-pelvien injecté",
                "Scanner cérébral sans injection", "Angioscanner thoracique"),
         "MR": ("IRM cérébrale", "IRM du rachis lombaire", "IRM hépatique"),
         "US": ("Échographie abdominale", "Écho-doppler veineux des membres inférieurs",
                "Échographie rénale"),
         "XR": ("Radiographie thoracique", "Radiographie du bassin", "Radiographie du genou")}
INDICATIONS = ("Recherche d'embolie pulmonaire", "Bilan d'extension", "Douleur abdominale "
               "fébrile", "Suspicion d'AVC ischémique", "Contrôle après drainage",
               "Suspicion de thrombose veineuse profonde", "Dyspnée d'aggravation récente",
               "Insuffisance rénale aiguë : obstacle ?", "Chute : recherche de fracture")
CLINICS = (("CS-CARDIO", "Consultations de cardiologie", "01 45 00 51 10",
            ("Contrôle après pose de stimulateur", "Suivi d'insuffisance cardiaque",
             "Résultats du Holter", "Douleur thoracique d'effort")),
           ("CS-PNEUMO", "Consultations de pneumologie", "01 45 00 52 20",
            ("Suivi de BPCO", "Résultats d'EFR", "Nodule pulmonaire : scanner de contrôle")),
           ("CS-CHIR", "Consultations de chirurgie digestive", "01 45 00 53 30",
            ("Consultation pré-opératoire", "Contrôle post-opératoire à J30",
             "Hernie inguinale")))
DAY_START, DAY_END = dt.time(8, 0), dt.time(17, 0)
CONSULT_DAYS = 7


def schedules_rng(seed: int) -> random.Random:
    return random.Random(f"schedules-{seed}")


def add_schedules(h: Hospital) -> None:
    """Imaging of today and tomorrow, consultations of the next 7 days (see module doc)."""
    rng = schedules_rng(h.seed)
    today = h.now.astimezone(h.tz).date()
    for day in (today, today + dt.timedelta(days=1)):
        for room, modality, minutes in IMAGING_ROOMS:
            _imaging_day(h, rng, day, room, modality, minutes)
    for code, name, phone, reasons in CLINICS:
        _clinic(h, rng, today, code, name, phone, reasons)


def _local(h: Hospital, day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, h.tz)


def _imaging_day(h: Hospital, rng: random.Random, day: dt.date, room: str, modality: str,
                 minutes: int) -> None:
    cases = [c for code in sorted(h.inpatients) for c in h.inpatients[code]]
    when, end = _local(h, day, DAY_START), _local(h, day, DAY_END)
    while when < end:
        if rng.random() < 0.65 and cases:
            _exam(h, rng, rng.choice(cases), room, modality, when)
        when += dt.timedelta(minutes=minutes)


def _exam(h: Hospital, rng: random.Random, case: Case, room: str, modality: str,
          when: dt.datetime) -> None:
    doctor = rng.choice(h.doctors[case.unit])
    h.emit({"resourceType": "ServiceRequest", "id": new_id(rng),
            "status": "completed" if when < h.now - dt.timedelta(minutes=30) else "active",
            "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "363679005",
                                      "display": "Imagerie"}]}],
            "code": {"coding": [{"system": DICOM_MODALITY_SYSTEM, "code": modality}],
                     "text": rng.choice(EXAMS[modality])},
            "subject": {"reference": f"Patient/{case.patient['id']}"},
            "encounter": {"reference": f"Encounter/{case.encounter['id']}"},
            "requester": {"reference": f"Practitioner/{doctor['id']}"},
            "reasonCode": [{"text": rng.choice(INDICATIONS)}],
            "occurrenceDateTime": h.iso(when), "authoredOn": h.iso(h.now - dt.timedelta(days=1)),
            "locationCode": [{"text": room}]})


def _clinic(h: Hospital, rng: random.Random, today: dt.date, code: str, name: str, phone: str,
            reasons: tuple[str, ...]) -> None:
    ward = {"resourceType": "Location", "id": new_id(rng), "status": "active",
            "identifier": [{"system": UNIT_SYSTEM, "value": code}], "name": name,
            "telecom": [{"system": "phone", "value": phone}],
            "physicalType": {"coding": [{"system": LOC_TYPE, "code": "wa"}]}}
    h.emit(ward)
    doctors: list[tuple[dict, dict]] = []
    for _ in range(2):
        doctor = make_practitioner(rng, 900 + len(h.doctors.get("_all", [])) + len(doctors))
        h.emit(doctor)
        schedule = {"resourceType": "Schedule", "id": new_id(rng), "active": True,
                    "specialty": [{"text": name}],
                    "actor": [{"reference": f"Location/{ward['id']}"},
                              {"reference": f"Practitioner/{doctor['id']}"}]}
        h.emit(schedule)
        doctors.append((doctor, schedule))
    for k in range(CONSULT_DAYS):
        day = today + dt.timedelta(days=k)
        if day.weekday() >= 5:
            continue   # clinics are closed at weekends
        for doctor, schedule in doctors:
            when = _local(h, day, dt.time(9, 0))
            while when < _local(h, day, dt.time(16, 30)):
                if rng.random() < 0.6:
                    _appointment(h, rng, ward, doctor, schedule, when, reasons)
                when += dt.timedelta(minutes=30)


def _appointment(h: Hospital, rng: random.Random, ward: dict, doctor: dict, schedule: dict,
                 when: dt.datetime, reasons: tuple[str, ...]) -> None:
    patient = make_patient(rng, h.ipps, h.now.date())
    phones = [{"system": "phone", "use": "mobile",
               "value": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}"}]
    if rng.random() < 0.4:
        phones.append({"system": "phone", "use": "home", "value": f"01 {rng.randint(40, 49)} "
                       f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"})
    if rng.random() < 0.08:
        phones = []   # no number on file: the call list says so
    patient["telecom"] = phones
    h.emit(patient)
    end = when + dt.timedelta(minutes=30)
    status = "booked"
    if when < h.now:
        status = rng.choice(("arrived", "fulfilled", "noshow"))
    elif rng.random() < 0.1:
        status = "cancelled"
    resource: dict = {"resourceType": "Appointment", "id": new_id(rng), "status": status,
                "reasonCode": [{"text": rng.choice(reasons)}],
                "participant": [{"actor": {"reference": f"Patient/{patient['id']}"},
                                 "status": "accepted"}]}
    if rng.random() < 0.5:   # booked on a slot of the practitioner's schedule
        slot = {"resourceType": "Slot", "id": new_id(rng), "status": "busy",
                "schedule": {"reference": f"Schedule/{schedule['id']}"},
                "start": h.iso(when), "end": h.iso(end)}
        h.emit(slot)
        resource["slot"] = [{"reference": f"Slot/{slot['id']}"}]
    else:                     # the DPI names time, place and practitioner itself
        resource.update(start=h.iso(when), end=h.iso(end))
        resource["participant"] += [
            {"actor": {"reference": f"Location/{ward['id']}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{doctor['id']}"}, "status": "accepted"}]
    h.emit(resource)
