"""FHIR imaging requests (requesting unit, requester, indication) and consultation
Appointments (clinic unit and practitioner from the participants or the Slot's Schedule)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from pcsauvegarde.publisher.importers.fhir.systems import UNIT_SYSTEM
from tests.support.fhir import patient_resource

UTC = dt.UTC
EXAMPLES = Path("/work/shared/testdata/fhir-r4-examples")
WA = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
                  "code": "wa"}]}
RO = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
                  "code": "ro"}]}


def bundle(path: Path, *resources: dict) -> Path:
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in resources]}), "utf-8")
    return path


def patient() -> dict:
    return patient_resource(telecom=[
        {"system": "phone", "value": "01 45 67 89 01", "use": "home"},
        {"system": "phone", "value": "06 12 34 56 78", "use": "mobile"},
        {"system": "phone", "value": "03 00 00 00 00", "use": "old"},
        {"system": "email", "value": "helene@example.org"}])


def clinic() -> list[dict]:
    ward = {"resourceType": "Location", "id": "cs-cardio", "name": "Consultations de cardiologie",
            "identifier": [{"system": UNIT_SYSTEM, "value": "CS-CARDIO"}], "physicalType": WA}
    box = {"resourceType": "Location", "id": "box-3", "name": "Box 3", "physicalType": RO,
           "partOf": {"reference": "Location/cs-cardio"}}
    doctor = {"resourceType": "Practitioner", "id": "dr-m",
              "name": [{"family": "Montgolfier", "given": ["Jean-Baptiste"], "prefix": ["Dr"]}]}
    role = {"resourceType": "PractitionerRole", "id": "role-m",
            "practitioner": {"reference": "Practitioner/dr-m"}}
    schedule = {"resourceType": "Schedule", "id": "sched-cardio", "active": True,
                "specialty": [{"text": "Consultation de cardiologie"}],
                "actor": [{"reference": "Location/box-3"},
                          {"reference": "PractitionerRole/role-m"}]}
    slot = {"resourceType": "Slot", "id": "slot-1", "status": "busy",
            "schedule": {"reference": "Schedule/sched-cardio"},
            "start": "2026-12-01T14:30:00+01:00", "end": "2026-12-01T15:00:00+01:00"}
    return [ward, box, doctor, role, schedule, slot]


def appointment(**changes) -> dict:
    base = {"resourceType": "Appointment", "id": "rdv-1", "status": "booked",
            "reasonCode": [{"text": "Contrôle après pose de stimulateur"}],
            "slot": [{"reference": "Slot/slot-1"}],
            "participant": [{"actor": {"reference": "Patient/p1"}, "status": "accepted"}]}
    return {**base, **changes}


def test_appointment_takes_unit_practitioner_and_time_from_its_slot_and_schedule(tmp_path):
    result = import_fhir([bundle(tmp_path / "b.json", patient(), *clinic(), appointment())])
    assert result.rejections == []
    (a,) = result.of_type("appointment")
    assert (a.ipp, a.unit) == ("12345678", "CS-CARDIO")   # the box's ward
    assert a.clinic == "Consultation de cardiologie"
    assert a.practitioner == "Jean-Baptiste Montgolfier"   # via the PractitionerRole
    assert a.start == dt.datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    assert a.end == dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert (a.status, a.phone) == ("booked", "06 12 34 56 78")   # the mobile, not the old one
    assert a.reason == "Contrôle après pose de stimulateur"


def test_statuses_map_and_others_are_counted_as_ignored(tmp_path):
    items = [appointment(id=f"rdv-{s}", status=s, start="2026-12-02T09:00:00+01:00",
                         minutesDuration=20)
             for s in ("cancelled", "noshow", "arrived", "fulfilled", "entered-in-error",
                       "waitlist")]
    result = import_fhir([bundle(tmp_path / "b.json", patient(), *clinic(), *items)])
    got = {a.id: a.status for a in result.of_type("appointment")}
    assert got == {"rdv-cancelled": "cancelled", "rdv-noshow": "noshow",
                   "rdv-arrived": "arrived", "rdv-fulfilled": "fulfilled"}
    (a, *_) = result.of_type("appointment")
    assert a.end - a.start == dt.timedelta(minutes=20)   # Appointment.start wins over the slot
    assert sum(result.ignored.values()) == 2
    assert any("saisi par erreur" in k for k in result.ignored)


def test_appointment_without_any_clinic_location_is_refused_naming_why(tmp_path):
    lonely = appointment(slot=[], start="2026-12-02T09:00:00+01:00")
    result = import_fhir([bundle(tmp_path / "b.json", patient(), lonely)])
    assert result.of_type("appointment") == []
    (r,) = result.rejections
    assert "unité de consultation introuvable" in r.message() and "rdv-1" in r.message()


def test_official_example_appointment_is_a_consultation_not_an_imaging_exam(tmp_path):
    files = [EXAMPLES / n for n in ("appointment-example.json", "patient-example.json",
                                    "schedule-example.json")]
    result = import_fhir(files)
    assert result.of_type("imaging_exam") == []
    (a,) = result.of_type("appointment")
    assert a.practitioner == "Dr Adam Careful"
    assert a.unit == "South Wing, second floor"   # the Location's display: no resource sent
    assert "Severe burn of left ear" in a.reason


def test_imaging_request_carries_requesting_unit_requester_and_indication(tmp_path):
    ward = {"resourceType": "Location", "id": "w", "name": "Pneumologie", "physicalType": WA,
            "identifier": [{"system": UNIT_SYSTEM, "value": "PNEUMO"}]}
    enc = {"resourceType": "Encounter", "id": "e1", "status": "in-progress",
           "subject": {"reference": "Patient/p1"},
           "identifier": [{"system": "urn:oid:1.2.250.1.999.1.1.2", "value": "NDA1"}],
           "period": {"start": "2026-11-28T10:00:00+01:00"},
           "location": [{"location": {"reference": "Location/w"}, "status": "active"}]}
    doctor = {"resourceType": "Practitioner", "id": "dr-l",
              "name": [{"family": "Lefèvre", "given": ["Hélène"]}]}
    request = {"resourceType": "ServiceRequest", "id": "sr-1", "status": "active",
               "intent": "order", "code": {"text": "Scanner thoracique injecté"},
               "subject": {"reference": "Patient/p1"}, "encounter": {"reference": "Encounter/e1"},
               "requester": {"reference": "Practitioner/dr-l"},
               "reasonCode": [{"text": "Suspicion d'embolie pulmonaire"}],
               "note": [{"text": "Patient sous anticoagulant"}],
               "occurrenceDateTime": "2026-11-30T10:15:00+01:00",
               "locationCode": [{"text": "Scanner 1"}]}
    result = import_fhir([bundle(tmp_path / "b.json", patient(), ward, enc, doctor, request)])
    assert result.rejections == []
    (e,) = result.of_type("imaging_exam")
    assert (e.modality, e.room, e.requesting_unit) == ("CT", "Scanner 1", "PNEUMO")
    assert "Lefèvre" in e.requester
    assert e.indication == "Suspicion d'embolie pulmonaire ; Patient sous anticoagulant"


def test_imaging_appointment_stays_an_imaging_exam_with_its_status(tmp_path):
    mri = appointment(id="irm-1", status="arrived", slot=[],
                      serviceType=[{"coding": [{"system": "http://dicom.nema.org/resources/"
                                                "ontology/DCM", "code": "MR"}],
                                    "text": "IRM cérébrale"}],
                      start="2026-12-01T08:00:00+01:00")
    result = import_fhir([bundle(tmp_path / "b.json", patient(), mri)])
    (e,) = result.of_type("imaging_exam")
    assert (e.modality, e.status) == ("MR", "arrived")
    assert e.indication == "Contrôle après pose de stimulateur"
    assert result.of_type("appointment") == []


def test_imaging_study_carries_referrer_reason_and_its_encounters_unit(tmp_path):
    ward = {"resourceType": "Location", "id": "w", "name": "Urgences", "physicalType": WA,
            "identifier": [{"system": UNIT_SYSTEM, "value": "URG"}]}
    enc = {"resourceType": "Encounter", "id": "e1", "status": "in-progress",
           "subject": {"reference": "Patient/p1"}, "period": {"start": "2026-11-30T08:00:00Z"},
           "location": [{"location": {"reference": "Location/w"}}]}
    study = {"resourceType": "ImagingStudy", "id": "st-1", "status": "registered",
             "subject": {"reference": "Patient/p1"}, "encounter": {"reference": "Encounter/e1"},
             "started": "2026-11-30T09:00:00Z", "description": "Radiographie du poignet",
             "referrer": {"display": "Dr Anne Roux"},
             "reasonCode": [{"text": "Chute sur la main : fracture ?"}],
             "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM",
                           "code": "DX"}]}
    result = import_fhir([bundle(tmp_path / "b.json", patient(), ward, enc, study)])
    (e,) = result.of_type("imaging_exam")
    assert (e.modality, e.status, e.requesting_unit) == ("DX", "planned", "URG")
    assert (e.requester, e.indication) == ("Dr Anne Roux", "Chute sur la main : fracture ?")


def test_an_ambiguous_encounter_location_costs_the_requesting_unit_not_the_exam(tmp_path):
    twins = [{"resourceType": "Location", "id": f"w{n}", "name": "Urgences", "physicalType": WA,
              "identifier": [{"system": UNIT_SYSTEM, "value": "URG"}]} for n in (1, 2)]
    enc = {"resourceType": "Encounter", "id": "e1", "status": "in-progress",
           "subject": {"reference": "Patient/p1"}, "period": {"start": "2026-11-30T08:00:00Z"},
           "location": [{"location": {"reference": f"Location?identifier={UNIT_SYSTEM}|URG"}}]}
    study = {"resourceType": "ImagingStudy", "id": "st-1", "status": "registered",
             "subject": {"reference": "Patient/p1"}, "encounter": {"reference": "Encounter/e1"},
             "started": "2026-11-30T09:00:00Z", "description": "Radiographie du thorax",
             "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM",
                           "code": "DX"}]}
    result = import_fhir([bundle(tmp_path / "b.json", patient(), *twins, enc, study)])
    (e,) = result.of_type("imaging_exam")
    assert e.requesting_unit == ""
