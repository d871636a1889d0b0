"""Orders, administrations, lab results and imaging requests of one demo inpatient."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pcsauvegarde.demo.people import new_id
from pcsauvegarde.demo.tables import DRUGS, IMAGING, LAB_TESTS, NOT_DONE_REASONS, NURSES
from pcsauvegarde.publisher.importers.fhir.systems import (
    EDQM_SYSTEM,
    LOINC_SYSTEM,
    ORDER_SYSTEM,
    UCD_SYSTEM,
    UCUM_SYSTEM,
)

if TYPE_CHECKING:
    from pcsauvegarde.demo.hospital import Case, Hospital

HOUR = dt.timedelta(hours=1)
STANDARD_HOURS = {1: ("08:00",), 2: ("08:00", "20:00"), 3: ("08:00", "12:00", "18:00"),
                  4: ("06:00", "12:00", "18:00", "22:00")}


def add_orders(h: Hospital, case: Case, keys: list[str], active: bool = True) -> None:
    """Prescribe the given drugs (status active, or completed for a discharged patient)."""
    for key in keys:
        label, ucd, dose, unit, route, spec, _ = DRUGS[key]
        start = case.admission + h.rng.randint(0, 6) * HOUR
        start = max(case.admission, min(start, h.now - HOUR).replace(minute=0, second=0))
        dosage: dict = {"sequence": 1, "route": {"coding": [{"system": EDQM_SYSTEM,
                        "code": route[0], "display": route[1]}], "text": route[1]}}
        if dose:
            dosage["doseAndRate"] = [{"doseQuantity": {"value": dose, "unit": unit,
                                                       "system": UCUM_SYSTEM, "code": unit}}]
        bounds = {"start": h.iso(start)}
        if key in ("amoxicilline", "piperacilline", "ceftriaxone", "metronidazole"):
            bounds["end"] = h.iso(max(start + dt.timedelta(days=7), h.now + 24 * HOUR))
        kind = spec[0]
        if kind == "fixed":
            dosage["timing"] = {"repeat": {"boundsPeriod": bounds, "frequency": len(spec[1]),
                                           "period": 1, "periodUnit": "d",
                                           "timeOfDay": [f"{t}:00" for t in spec[1]]}}
        elif kind == "every":
            dosage["timing"] = {"repeat": {"boundsPeriod": bounds, "frequency": 1,
                                           "period": spec[1], "periodUnit": "h"}}
        elif kind == "per_day":
            dosage["timing"] = {"repeat": {"boundsPeriod": bounds, "frequency": spec[1],
                                           "period": 1, "periodUnit": "d"}}
        elif kind == "prn":
            dosage["asNeededBoolean"] = True
            dosage["timing"] = {"repeat": {"boundsPeriod": bounds, "frequency": 1,
                                           "period": spec[2], "periodUnit": "h"}}
            dosage["maxDosePerPeriod"] = {"numerator": {"value": spec[1] * dose, "unit": unit},
                                          "denominator": {"value": 24, "unit": "h"}}
            dosage["text"] = f"Si douleur ou besoin, {spec[1]} fois par 24 h au maximum"
        elif kind == "once":
            start = (h.now + spec[1] * HOUR).replace(minute=0, second=0)
            dosage["timing"] = {"event": [h.iso(start)], "repeat": {"count": 1}}
            dosage["text"] = "Dose unique"
        else:
            dosage["text"] = spec[1]
        order = {"resourceType": "MedicationRequest", "id": new_id(h.rng),
                 "identifier": [{"system": ORDER_SYSTEM, "value": str(h.next_number("order"))}],
                 "status": "active" if active else "completed", "intent": "order",
                 "medicationCodeableConcept": {"coding": [{"system": UCD_SYSTEM, "code": ucd,
                                                           "display": label.upper()}],
                                               "text": label},
                 "subject": {"reference": f"Patient/{case.patient['id']}"},
                 "encounter": {"reference": f"Encounter/{case.encounter['id']}"},
                 "authoredOn": h.iso(start), "requester": h.requester(case.unit),
                 "dosageInstruction": [dosage]}
        case.orders.append(order)
        h.emit(order)
        if active and kind != "text":
            _administrations(h, case, order, spec, start, dose, unit)


RECORD_HOURS = 30   # the MAR shows 24 h back, in whole periods: up to 6 h more


def _due_times(h: Hospital, spec: tuple, start: dt.datetime) -> list[dt.datetime]:
    """Scheduled times of an order in the last RECORD_HOURS (PRN: a few random doses)."""
    since = max(start, h.now - RECORD_HOURS * HOUR)
    kind = spec[0]
    if kind in ("fixed", "per_day"):
        times = spec[1] if kind == "fixed" else STANDARD_HOURS[spec[1]]
        found = []
        days = {since.astimezone(h.tz).date() + dt.timedelta(days=k) for k in range(3)}
        for day in sorted(d for d in days if d <= h.now.astimezone(h.tz).date()):
            for hhmm in times:
                local = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), h.tz)
                if since <= local < h.now and local not in found:
                    found.append(local)
        return sorted(found)
    if kind == "every":
        steps = int((since - start) / (spec[1] * HOUR)) if since > start else 0
        due = start + steps * spec[1] * HOUR
        found = []
        while due < h.now:
            if due >= since:
                found.append(due)
            due += spec[1] * HOUR
        return found
    if kind == "prn":
        return _prn_times(h, spec, since)
    return []


def _prn_times(h: Hospital, spec: tuple, since: dt.datetime) -> list[dt.datetime]:
    """0 to 2 doses at least the minimum interval apart; ONE deliberate breach per hospital.

    The demo's first PRN order with a minimum interval given twice (and room for it) gets its
    second dose 3 h after the first: the MAR must flag it, and only it.
    """
    span = int((h.now - since).total_seconds() // 60)
    gap = int(spec[2] * 60)
    count = h.rng.randint(0, 2)
    if count == 0 or span <= 0:
        return []
    if count == 2 and not h.prn_breach_made and span > 4 * 60:
        h.prn_breach_made = True
        first = h.rng.randrange(span - 3 * 60)
        return [since + dt.timedelta(minutes=m) for m in (first, first + 3 * 60 + 8)]
    margin = gap + 30     # the recorded time may run up to 25 min late (_administrations)
    if count == 1 or span <= margin:
        return [since + dt.timedelta(minutes=h.rng.randrange(span))]
    first = h.rng.randrange(span - margin)
    second = h.rng.randrange(first + margin, span)
    return [since + dt.timedelta(minutes=m) for m in (first, second)]


def _administrations(h: Hospital, case: Case, order: dict, spec: tuple, start: dt.datetime,
                     dose: float, unit: str) -> None:
    for due in _due_times(h, spec, start):
        done = h.rng.random() > 0.06
        at = min(due + dt.timedelta(minutes=h.rng.randint(0, 25)) if done else due, h.now)
        admin = {"resourceType": "MedicationAdministration", "id": new_id(h.rng),
                 "status": "completed" if done else "not-done",
                 "medicationCodeableConcept": order["medicationCodeableConcept"],
                 "subject": order["subject"], "context": order["encounter"],
                 "effectiveDateTime": h.iso(at),
                 "performer": [{"actor": {"display": f"{h.rng.choice(NURSES)} (IDE)"}}],
                 "request": {"reference": f"MedicationRequest/{order['id']}"}}
        if done and dose:
            admin["dosage"] = {"dose": {"value": dose, "unit": unit, "system": UCUM_SYSTEM,
                                        "code": unit}}
        if not done:
            admin["statusReason"] = [{"text": h.rng.choice(NOT_DONE_REASONS)}]
        h.emit(admin)


def lab_value(h: Hospital, code: str) -> tuple[float, str]:
    """A value and its flag: about three results in four normal."""
    _, _, low, high, decimals, crit_low, crit_high = LAB_TESTS[code]
    draw = h.rng.random()
    if draw < 0.74 or (draw >= 0.88 and low == 0):
        value, flag = h.rng.uniform(low, high), "N"
    elif draw < 0.88:
        value, flag = h.rng.uniform(high, crit_high), "H"
    elif draw < 0.96:
        value, flag = h.rng.uniform(crit_low, low), "L"
    elif draw < 0.98:
        value, flag = h.rng.uniform(crit_high, crit_high * 1.3), "HH"
    else:
        value, flag = h.rng.uniform(crit_low * 0.7, crit_low), "LL"
    value = round(value, decimals)
    if flag != "N" and low <= value <= high:
        flag = "N"
    return (int(value) if decimals == 0 else value), flag


def add_lab(h: Hospital, case: Case, code: str, collected: dt.datetime) -> None:
    """One validated laboratory Observation."""
    label, unit, low, high = LAB_TESTS[code][:4]
    value, flag = lab_value(h, code)
    ref: dict = {"high": {"value": high, "unit": unit}}
    if low:
        ref["low"] = {"value": low, "unit": unit}
    h.emit({"resourceType": "Observation", "id": new_id(h.rng), "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                      "observation-category", "code": "laboratory"}]}],
            "code": {"coding": [{"system": LOINC_SYSTEM, "code": code}], "text": label},
            "subject": {"reference": f"Patient/{case.patient['id']}"},
            "encounter": {"reference": f"Encounter/{case.encounter['id']}"},
            "effectiveDateTime": h.iso(collected),
            "issued": h.iso(min(collected + dt.timedelta(minutes=h.rng.randint(40, 120)), h.now)),
            "valueQuantity": {"value": value, "unit": unit, "system": UCUM_SYSTEM, "code": unit},
            "interpretation": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                "code": flag}]}],
            "referenceRange": [ref]})


def add_labs(h: Hospital, case: Case, panel: tuple[str, ...], per_day: int) -> None:
    """Morning (and evening in intensive care) panels over the last 72 h of the stay."""
    today = h.now.astimezone(h.tz).date()
    for back in range(3, -1, -1):
        for clock in ((6, 30), (18, 0))[:per_day]:
            drawn = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(*clock), h.tz)
            if case.admission < drawn < h.now - HOUR and drawn > h.now - 72 * HOUR:
                for code in panel:
                    add_lab(h, case, code, drawn)


def add_imaging(h: Hospital, case: Case) -> None:
    """An imaging request planned in the next 48 h (patient as a conditional reference)."""
    label, room = h.rng.choice(IMAGING)
    when = (h.now + h.rng.randint(2, 47) * HOUR).replace(minute=h.rng.choice((0, 15, 30, 45)),
                                                          second=0)
    h.emit({"resourceType": "ServiceRequest", "id": new_id(h.rng), "status": "active",
            "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "363679005",
                                      "display": "Imagerie"}]}],
            "code": {"text": label}, "subject": {"reference": case.conditional_patient},
            "encounter": {"reference": f"Encounter/{case.encounter['id']}"},
            "occurrenceDateTime": h.iso(when), "authoredOn": h.iso(h.now - 3 * HOUR),
            "requester": h.requester(case.unit), "locationCode": [{"text": room}]})
