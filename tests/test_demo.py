"""The demo hospital generator: deterministic, French, complete, every timing kind present."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from pcsauvegarde.demo import FILES, generate_fhir
from pcsauvegarde.publisher.importers.fhir.systems import INS_NIR_SYSTEM, IPP_SYSTEM, NDA_SYSTEM

NOW = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)


def _read(folder: Path, rtype: str) -> list[dict]:
    lines = (folder / f"{rtype}.ndjson").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate_fhir(folder, seed=1, now=NOW)
    return folder


def test_same_seed_same_files(demo: Path, tmp_path: Path) -> None:
    counts = generate_fhir(tmp_path, seed=1, now=NOW)
    for rtype in FILES:
        name = f"{rtype}.ndjson"
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes()
    assert counts["Patient"] == len(_read(demo, "Patient"))


def test_other_seed_other_hospital(demo: Path, tmp_path: Path) -> None:
    generate_fhir(tmp_path, seed=2, now=NOW)
    assert (tmp_path / "Patient.ndjson").read_bytes() != (demo / "Patient.ndjson").read_bytes()


def test_units_census_and_discharged(demo: Path) -> None:
    units = {loc["id"]: loc["identifier"][0]["value"] for loc in _read(demo, "Location")
             if loc["physicalType"]["coding"][0]["code"] == "wa"}
    parent = {loc["id"]: loc.get("partOf", {}).get("reference", "").split("/")[-1]
              for loc in _read(demo, "Location")}
    census: Counter[str] = Counter()
    encounters = _read(demo, "Encounter")
    for enc in encounters:
        if enc["status"] == "in-progress":
            bed = enc["location"][0]["location"]["reference"].split("/")[-1]
            census[units[parent[parent[bed]]]] += 1
    assert set(census) >= {"REA", "MED", "CHD"}
    assert all(15 <= n <= 25 for n in census.values())
    finished = [e for e in encounters if e["status"] == "finished"]
    assert len(finished) == 10
    assert all(dt.datetime.fromisoformat(e["period"]["end"]) > NOW - dt.timedelta(days=30)
               for e in finished)


def test_identities_are_french_and_consistent(demo: Path) -> None:
    patients = _read(demo, "Patient")
    names = " ".join(n["family"] + " " + " ".join(n["given"]) for p in patients for n in p["name"])
    assert any(ch in names for ch in "éèëïÉü'")
    assert any(len(p["name"]) == 2 for p in patients)  # used names of married women
    with_ins = 0
    for patient in patients:
        systems = {i["system"]: i["value"] for i in patient["identifier"]}
        assert len(systems[IPP_SYSTEM]) == 8
        if INS_NIR_SYSTEM in systems:
            with_ins += 1
            ins, birth = systems[INS_NIR_SYSTEM], patient["birthDate"]
            assert ins[0] == ("1" if patient["gender"] == "male" else "2")
            assert ins[1:5] == birth[2:4] + birth[5:7]
            assert int(ins[13:]) == 97 - int(ins[:13]) % 97
            place = patient["extension"][0]["valueAddress"]["extension"][0]["valueCode"]
            assert ins[5:10] == place
    assert 0.3 < with_ins / len(patients) < 0.7
    assert all(len(e["identifier"][0]["value"]) == 9 and e["identifier"][0]["system"] == NDA_SYSTEM
               for e in _read(demo, "Encounter"))


def test_every_patient_has_stay_and_orders(demo: Path) -> None:
    """Inpatients, that is: outpatients come with a consultation appointment instead."""
    outpatients = {part["actor"]["reference"].split("/")[1]
                   for a in _read(demo, "Appointment") for part in a["participant"]
                   if part["actor"]["reference"].startswith("Patient/")}
    patients = {p["id"] for p in _read(demo, "Patient")} - outpatients
    stays = Counter(e["subject"]["reference"].split("/")[1] for e in _read(demo, "Encounter"))
    orders = Counter(o["subject"]["reference"].split("/")[1]
                     for o in _read(demo, "MedicationRequest"))
    assert set(stays) == patients and set(orders) == patients
    active = Counter(o["subject"]["reference"].split("/")[1]
                     for o in _read(demo, "MedicationRequest") if o["status"] == "active")
    assert all(3 <= n <= 8 for n in active.values())


def test_timings_cover_each_kind(demo: Path) -> None:
    kinds = set()
    for order in _read(demo, "MedicationRequest"):
        dosage = order["dosageInstruction"][0]
        repeat = dosage.get("timing", {}).get("repeat", {})
        if dosage.get("asNeededBoolean"):
            kinds.add("prn")
        elif "timeOfDay" in repeat:
            kinds.add("fixed")
        elif repeat.get("periodUnit") == "h":
            kinds.add("every")
        elif repeat.get("periodUnit") == "d":
            kinds.add("per_day")
        elif repeat.get("count") == 1:
            kinds.add("once")
        elif "timing" not in dosage:
            kinds.add("text")
        assert order["medicationCodeableConcept"]["coding"][0]["code"].isdigit()
    assert kinds == {"prn", "fixed", "every", "per_day", "once", "text"}
    orders = _read(demo, "MedicationRequest")
    assert any("?identifier=" in o["requester"]["reference"] for o in orders)


def test_administrations_labs_and_imaging(demo: Path) -> None:
    admins = _read(demo, "MedicationAdministration")
    statuses = Counter(a["status"] for a in admins)
    assert statuses["completed"] > 10 * statuses["not-done"] > 0
    # 30 h of record: the MAR shows 24 h back in whole periods (up to 6 h more)
    assert all(NOW - dt.timedelta(hours=30) <= dt.datetime.fromisoformat(a["effectiveDateTime"])
               <= NOW for a in admins)
    labs = _read(demo, "Observation")
    flags = Counter(o["interpretation"][0]["coding"][0]["code"] for o in labs)
    assert 0.1 < 1 - flags["N"] / len(labs) < 0.45
    exams = _read(demo, "ServiceRequest")
    planned = [e for e in exams if e["status"] == "active"]
    assert planned and all(NOW - dt.timedelta(minutes=30) <= dt.datetime.fromisoformat(
        e["occurrenceDateTime"]) < NOW + dt.timedelta(hours=48) for e in planned)
    done = [e for e in exams if e["status"] == "completed"]   # this morning's schedule
    assert done and all(dt.datetime.fromisoformat(e["occurrenceDateTime"]) < NOW for e in done)


def test_imaging_schedules_today_and_tomorrow_and_a_week_of_consultations(demo: Path) -> None:
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    today = NOW.astimezone(paris).date()
    exams = [e for e in _read(demo, "ServiceRequest") if "coding" in e["code"]]   # DICOM
    days = Counter(dt.datetime.fromisoformat(e["occurrenceDateTime"]).astimezone(paris).date()
                   for e in exams)
    assert days[today] > 40 and days[today + dt.timedelta(days=1)] > 40
    rooms = {e["locationCode"][0]["text"] for e in exams}
    assert {"Scanner 1", "IRM 1", "Échographie 1"} <= rooms
    assert all(e["reasonCode"][0]["text"] and e["requester"] for e in exams)
    appointments = _read(demo, "Appointment")
    slots = {s["id"]: s for s in _read(demo, "Slot")}
    starts = [dt.datetime.fromisoformat(a.get("start") or slots[a["slot"][0]["reference"][5:]]
                                        ["start"]).astimezone(paris).date()
              for a in appointments]
    assert min(starts) >= today and max(starts) < today + dt.timedelta(days=7)
    assert len(set(starts)) >= 4   # weekdays of the coming week
    statuses = Counter(a["status"] for a in appointments)
    assert statuses["booked"] > statuses["cancelled"] > 0
    assert any("slot" in a for a in appointments) and any("start" in a for a in appointments)
    phones = [p.get("telecom") for p in _read(demo, "Patient") if "telecom" in p]
    assert phones and any(not t for t in phones)   # some outpatients have no number


def test_later_minute_changes_the_extract(tmp_path: Path) -> None:
    first = generate_fhir(tmp_path / "a", seed=1, now=NOW, minute=0)
    later = generate_fhir(tmp_path / "b", seed=1, now=NOW + dt.timedelta(minutes=2), minute=2)
    assert later["Patient"] == first["Patient"] + 2
    assert later["Observation"] == first["Observation"] + 2
    old = {p["id"] for p in _read(tmp_path / "a", "Patient")}
    assert old < {p["id"] for p in _read(tmp_path / "b", "Patient")}


def test_one_prn_dose_too_soon_on_purpose(demo: Path) -> None:
    """PRN doses respect their minimum interval, except ONE deliberate case the MAR flags."""
    interval = {}
    for o in _read(demo, "MedicationRequest"):
        for d in o["dosageInstruction"]:
            if d.get("asNeededBoolean"):
                interval[o["id"]] = dt.timedelta(hours=d["timing"]["repeat"]["period"])
    given: dict[str, list[dt.datetime]] = {}
    for a in _read(demo, "MedicationAdministration"):
        rid = a["request"]["reference"].split("/")[1]
        if rid in interval and a["status"] == "completed":
            given.setdefault(rid, []).append(dt.datetime.fromisoformat(a["effectiveDateTime"]))
    breaches = [rid for rid, times in given.items() for x, y in zip(sorted(times),
                                                                    sorted(times)[1:], strict=False)
                if y - x < interval[rid]]
    assert len(breaches) == 1


def _people(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in _read(folder, "Patient"):
        ipp = next(i["value"] for i in p["identifier"] if i["system"] == IPP_SYSTEM)
        official = next(n for n in p["name"] if n["use"] == "official")
        out[ipp] = (official["family"], tuple(official["given"]), p["birthDate"], p["gender"])
    return out


def test_ipps_stay_with_their_person_across_republishes(tmp_path: Path) -> None:
    """Each republish (one more minute) keeps every IPP on the same person: inpatients, the
    minute's new admissions and the outpatients of the consultations alike."""
    runs = [_people_after(tmp_path, minute) for minute in (0, 1, 2, 3)]
    for before, after in itertools.pairwise(runs):
        common = before.keys() & after.keys()
        assert len(common) > 300
        moved = {ipp: (before[ipp], after[ipp]) for ipp in common if before[ipp] != after[ipp]}
        assert not moved
        assert len(set(after.values())) == len(after)   # one IPP per person


def _people_after(tmp_path: Path, minute: int) -> dict[str, tuple]:
    generate_fhir(tmp_path / str(minute), seed=1, now=NOW + minute * dt.timedelta(seconds=61),
                  minute=minute)
    return _people(tmp_path / str(minute))
