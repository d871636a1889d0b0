"""The demo hospital: units, beds, practitioners and patients, as FHIR resources."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pcsauvegarde.demo import care, nursing
from pcsauvegarde.demo.people import make_patient, make_practitioner, new_id
from pcsauvegarde.demo.tables import ALLERGIES, BASE_DRUGS, CONDITIONS, DRUGS, UNITS, UnitSpec
from pcsauvegarde.publisher.importers.fhir.systems import (
    CIM10_SYSTEM,
    FINESS_SYSTEM,
    NDA_SYSTEM,
    UNIT_SYSTEM,
)

LOC_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"


@dataclass
class Case:
    """One patient and stay being built."""

    patient: dict
    encounter: dict
    unit: str
    admission: dt.datetime
    bed: dict | None = None
    orders: list[dict] = field(default_factory=list)

    @property
    def conditional_patient(self) -> str:
        ident = self.patient["identifier"][0]
        return f"Patient?identifier={ident['system']}|{ident['value']}"


class Hospital:
    """Deterministic builder: same seed and now give the same resources in the same order."""

    def __init__(self, seed: int, now: dt.datetime, per_unit: tuple[int, int] = (15, 25)) -> None:
        self.rng = random.Random(seed)
        self.care_rng = nursing.care_rng(seed)
        self.seed = seed
        self.now = now
        self.tz = ZoneInfo("Europe/Paris")
        self.per_unit = per_unit
        self.out: dict[str, list[dict]] = {}
        self.numbers: dict[str, int] = {}
        self.ipps: set[str] = set()   # given out so far (see people.stable_ipp)
        self.doctors: dict[str, list[dict]] = {}
        self.free_beds: dict[str, list[dict]] = {}
        self.inpatients: dict[str, list[Case]] = {}
        self.prn_breach_made = False   # the one PRN dose given too soon, on purpose

    def iso(self, when: dt.datetime) -> str:
        """Local time with offset, as a French DPI exports it."""
        return when.astimezone(self.tz).isoformat(timespec="seconds")

    def emit(self, resource: dict) -> None:
        self.out.setdefault(resource["resourceType"], []).append(resource)

    def next_number(self, kind: str) -> int:
        start = {"nda": 261_000_000, "order": 5_000_000}[kind]
        self.numbers[kind] = self.numbers.get(kind, start) + 1
        return self.numbers[kind]

    def requester(self, unit: str) -> dict:
        """A unit doctor, half as Practitioner/id, half as a conditional reference."""
        doctor = self.rng.choice(self.doctors[unit])
        if self.rng.random() < 0.5:
            return {"reference": f"Practitioner/{doctor['id']}"}
        ident = doctor["identifier"][0]
        return {"reference": f"Practitioner?identifier={ident['system']}|{ident['value']}"}

    def build(self, discharged: int = 10) -> None:
        """Units, their inpatients, and recently discharged patients."""
        hospital = {"resourceType": "Organization", "id": new_id(self.rng),
                    "identifier": [{"system": FINESS_SYSTEM, "value": "990000001"}],
                    "name": "Centre hospitalier de démonstration"}
        self.emit(hospital)
        for spec in UNITS:
            self._unit(spec, hospital)
        for spec in UNITS:
            for _ in range(self.rng.randint(*self.per_unit)):
                self.admit(spec, self.now - dt.timedelta(hours=self.rng.randint(2, 24 * 12)))
        for _ in range(discharged):
            self._discharged(self.rng.choice(UNITS))

    def _unit(self, spec: UnitSpec, hospital: dict) -> None:
        org = {"resourceType": "Organization", "id": new_id(self.rng),
               "identifier": [{"system": UNIT_SYSTEM, "value": spec.code}],
               "type": [{"text": "Unité de soins"}], "name": spec.name,
               "partOf": {"reference": f"Organization/{hospital['id']}"}}
        ward = {"resourceType": "Location", "id": new_id(self.rng), "status": "active",
                "identifier": [{"system": UNIT_SYSTEM, "value": spec.code}], "name": spec.name,
                "telecom": [{"system": "phone", "value": spec.phone}],
                "physicalType": {"coding": [{"system": LOC_TYPE, "code": "wa"}]},
                "managingOrganization": {"reference": f"Organization/{org['id']}"}}
        self.emit(org)
        self.emit(ward)
        self.free_beds[spec.code] = []
        self.inpatients[spec.code] = []
        for room_name, beds in spec.rooms:
            room = {"resourceType": "Location", "id": new_id(self.rng), "status": "active",
                    "name": room_name, "partOf": {"reference": f"Location/{ward['id']}"},
                    "physicalType": {"coding": [{"system": LOC_TYPE, "code": "ro"}]}}
            self.emit(room)
            for bed_name in beds:
                bed = {"resourceType": "Location", "id": new_id(self.rng), "status": "active",
                       "name": bed_name, "partOf": {"reference": f"Location/{room['id']}"},
                       "physicalType": {"coding": [{"system": LOC_TYPE, "code": "bd"}]}}
                self.emit(bed)
                self.free_beds[spec.code].append(bed)
        for _ in range(3):
            doctor = make_practitioner(self.rng, len(self.doctors.get("_all", [])) + 1)
            self.doctors.setdefault("_all", []).append(doctor)
            self.doctors.setdefault(spec.code, []).append(doctor)
            self.emit(doctor)

    def _case(self, spec: UnitSpec, admission: dt.datetime) -> Case:
        patient = make_patient(self.rng, self.ipps, self.now.date())
        self.emit(patient)
        doctor = self.rng.choice(self.doctors[spec.code])
        encounter = {"resourceType": "Encounter", "id": new_id(self.rng),
                     "identifier": [{"system": NDA_SYSTEM, "value": str(self.next_number("nda"))}],
                     "status": "in-progress",
                     "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                               "code": "IMP", "display": "hospitalisation complète"},
                     "subject": {"reference": f"Patient/{patient['id']}"},
                     "participant": [{"type": [{"coding": [{"code": "ATND"}]}],
                                      "individual": {"reference": f"Practitioner/{doctor['id']}"}}],
                     "period": {"start": self.iso(admission)},
                     "reasonCode": [{"text": self.rng.choice(spec.reasons)}],
                     "serviceProvider": {"reference": "Organization?identifier="
                                         f"{UNIT_SYSTEM}|{spec.code}"}}
        case = Case(patient, encounter, spec.code, admission)
        self._history(case)
        return case

    def _history(self, case: Case) -> None:
        """Allergies (about 40 %) and antecedents."""
        subject = {"reference": f"Patient/{case.patient['id']}"}
        if self.rng.random() < 0.4:
            for substance in self.rng.sample(sorted(ALLERGIES), self.rng.choice((1, 1, 2))):
                self.emit({"resourceType": "AllergyIntolerance", "id": new_id(self.rng),
                           "clinicalStatus": {"coding": [{"code": "active"}]},
                           "verificationStatus": {"coding": [{"code": "confirmed"}]},
                           "code": {"text": substance}, "patient": subject,
                           "criticality": self.rng.choice(("low", "high")),
                           "reaction": [{"manifestation": [
                               {"text": self.rng.choice(ALLERGIES[substance][1])}]}]})
        for code, label in self.rng.sample(CONDITIONS, self.rng.randint(0, 4)):
            self.emit({"resourceType": "Condition", "id": new_id(self.rng),
                       "clinicalStatus": {"coding": [{"code": "active"}]},
                       "category": [{"coding": [{"code": "problem-list-item"}]}],
                       "code": {"coding": [{"system": CIM10_SYSTEM, "code": code}], "text": label},
                       "subject": subject,
                       "onsetDateTime": str(self.now.year - self.rng.randint(1, 25))
                       + f"-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"})

    def _drugs(self, spec: UnitSpec, case: Case) -> list[str]:
        allergic = {ALLERGIES[a["code"]["text"]][0] for a in self.out.get("AllergyIntolerance", [])
                    if a["patient"]["reference"].endswith(case.patient["id"])}
        pool = [k for k in spec.drugs + BASE_DRUGS if not allergic & set(DRUGS[k][6])]
        return self.rng.sample(pool, min(len(pool), self.rng.randint(3, 8)))

    def admit(self, spec: UnitSpec, admission: dt.datetime) -> Case | None:
        """A current inpatient in a free bed, with orders, administrations, labs, imaging."""
        if not self.free_beds[spec.code]:
            return None
        bed = self.free_beds[spec.code].pop(self.rng.randrange(len(self.free_beds[spec.code])))
        case = self._case(spec, admission)
        case.bed = bed
        case.encounter["location"] = [{"location": {"reference": f"Location/{bed['id']}"},
                                       "status": "active"}]
        self.emit(case.encounter)
        care.add_orders(self, case, self._drugs(spec, case))
        care.add_labs(self, case, spec.panel, spec.draws_per_day)
        if self.rng.random() < 0.15:
            care.add_imaging(self, case)
        nursing.add_care_plan(self, case)
        self.inpatients[spec.code].append(case)
        return case

    def _discharged(self, spec: UnitSpec) -> None:
        out = self.now - dt.timedelta(hours=self.rng.randint(12, 29 * 24))
        case = self._case(spec, out - dt.timedelta(hours=self.rng.randint(24, 10 * 24)))
        case.encounter.update(status="finished")
        case.encounter["period"]["end"] = self.iso(out)
        self.emit(case.encounter)
        care.add_orders(self, case, self._drugs(spec, case)[:3], active=False)

    def discharge(self, case: Case, when: dt.datetime) -> None:
        """End a stay: the bed is freed, the orders are completed."""
        case.encounter["status"] = "finished"
        case.encounter["period"]["end"] = self.iso(when)
        case.encounter["location"][0]["status"] = "completed"
        for order in case.orders:
            order["status"] = "completed"
        for plan in self.out.get("CarePlan", []):
            if plan["subject"]["reference"] == f"Patient/{case.patient['id']}":
                plan["status"] = "completed"
        self.inpatients[case.unit].remove(case)
        if case.bed is not None:
            self.free_beds[case.unit].append(case.bed)
