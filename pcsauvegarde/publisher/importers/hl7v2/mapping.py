"""HL7 v2 segments → canonical records: AL1, DG1, OBR/OBX, ORC/RXE/RXR/TQ1, RXA.

Identity (PID) is in identity.py, stays (PV1/ZBE) in movements.py. Refusals raised here do
not repeat the segment's name: the importer prefixes it once.
"""

from __future__ import annotations

import re
import unicodedata

import hl7

from pcsauvegarde.core.records import (
    Allergy,
    BloodTyping,
    Condition,
    LabResult,
    MedicationAdministration,
    MedicationOrder,
)
from pcsauvegarde.publisher.importers.bloodbank import Value, blood_typings
from pcsauvegarde.publisher.importers.hl7v2.timing import timing_from
from pcsauvegarde.publisher.importers.hl7v2.values import (
    Refused,
    decimal_fr,
    get,
    person,
    reps,
    text,
    timestamp,
)

SEVERITY = {"SV": "sévère", "SEVERE": "sévère", "MO": "modérée", "MODERATE": "modérée",
            "MI": "légère", "MILD": "légère", "U": "", "UNKNOWN": ""}
FLAGS = {"N": "N", "L": "L", "H": "H", "LL": "LL", "HH": "HH", "A": "A", "AA": "A",
         "<": "L", ">": "H", "": ""}
REMOVED_RESULT_STATUS = ("D", "W", "X")  # deleted, wrong patient, result cannot be obtained
RESULT_STATUS = {"F": "final", "": "final", "U": "final", "P": "preliminary",
                 "S": "preliminary", "R": "preliminary", "I": "preliminary", "C": "corrected"}
MDC_UNITS = {"MMHG": "mmHg", "PERCENT": "%", "BEAT_PER_MIN": "/min", "RESP_PER_MIN": "/min",
             "DEGC": "°C", "KILO_G": "kg", "CENTI_M": "cm", "MILLI_L": "mL", "MILLI_MOLE_PER_L":
             "mmol/L", "MILLI_G_PER_DL": "mg/dL", "X_G_PER_DL": "g/dL"}
STOPPED_CONTROLS = ("CA", "DC", "OC", "OD", "CR", "DR")
DRUG_SYSTEMS = ("UCD", "CIP", "UCD7", "UCD13", "CIP7", "CIP13")


def map_allergy(al1: hl7.Segment, ipp: str) -> Allergy:
    substance = get(al1, 3, 2) or get(al1, 3, 1)
    if not substance:
        raise Refused("AL1-3 : allergène absent")
    code = get(al1, 3, 1) or slug(substance)
    reactions = [get(al1, 5, 1, r) for r in range(1, reps(al1, 5) + 1)]
    return Allergy(id=f"{ipp}-{code}", ipp=ipp, substance=substance,
                   reaction=", ".join(r for r in reactions if r),
                   severity=SEVERITY.get(get(al1, 4).upper(), get(al1, 4)),
                   code=get(al1, 3, 1))


def map_condition(dg1: hl7.Segment, ipp: str) -> Condition:
    code = get(dg1, 3, 1)
    label = get(dg1, 3, 2) or get(dg1, 4) or code
    if not label:
        raise Refused("DG1-3 : diagnostic absent")
    return Condition(id=f"{ipp}-{code or slug(label)}", ipp=ipp, label=label, code=code)


def result_key(obx: hl7.Segment, order_id: str) -> str:
    """The id of an OBX's result: order, test code and OBX-4 sub-id."""
    sub = get(obx, 4)
    return f"{order_id}-{get(obx, 3, 1)}{'-' + sub if sub else ''}"


def map_result(obx: hl7.Segment, obr: hl7.Segment | None, order_id: str,
               ipp: str) -> LabResult | None:
    """OBX (with its OBR) → LabResult; None for empty values and uncoded narrative lines.

    Deleted / wrong results (OBX-11 D, W, X) are the importer's business (they remove).
    """
    code = get(obx, 3, 1)
    kind = get(obx, 2).upper()
    if kind in ("CWE", "CE", "CNE"):
        value = get(obx, 5, 2) or get(obx, 5, 1)
    elif kind == "SN":
        value = "".join(get(obx, 5, c) for c in (1, 2, 3, 4))
    elif kind in ("TX", "FT"):
        value = text(obx, 5)
    else:
        value = get(obx, 5)
    if not code:
        if kind in ("TX", "FT") or not value:
            return None  # narrative report line, not a result
        raise Refused("OBX-3 (code de l'analyse) absent")
    if not value:
        return None
    flag = get(obx, 8, 1).upper()
    if flag not in FLAGS:
        raise Refused(f"OBX-8 indicateur d'anomalie « {flag} » inconnu "
                      "(N, L, H, LL, HH, A, AA, <, >)")
    status = RESULT_STATUS.get(get(obx, 11).upper())
    if status is None:
        raise Refused(f"OBX-11 statut du résultat « {get(obx, 11)} » inconnu "
                      "(F, P, C, S, R, U, D, W, X)")
    collected = timestamp(get(obx, 14) or get(obr, 7), "OBX-14/OBR-7 (prélèvement)",
                          required=True)
    return LabResult(id=result_key(obx, order_id), ipp=ipp, code=code,
                     label=get(obx, 3, 2) or code, value=value, collected_at=collected,
                     unit=unit_of(obx), reference_range=reference_range(obx),
                     abnormal=FLAGS[flag], status=status,
                     validated_at=timestamp(get(obr, 22), "OBR-22 (validation)"))


def map_blood_typing(obx: hl7.Segment, obr: hl7.Segment | None, key: str,
                     ipp: str) -> list[BloodTyping]:
    """A blood-bank OBX (LOINC group or antibody screen) → BloodTyping: OBX-5 codes
    (CWE components 1 and 4) and text; NotBloodTyping when the value is not read safely."""
    code = get(obx, 3, 1)
    if get(obx, 2).upper() in ("CWE", "CE", "CNE"):
        value = Value(tuple(c for c in (get(obx, 5, 1), get(obx, 5, 4)) if c),
                      get(obx, 5, 2) or get(obx, 5, 5) or get(obx, 5, 1))
    else:
        value = Value((), get(obx, 5))
    collected = timestamp(get(obx, 14) or get(obr, 7), "OBX-14/OBR-7 (prélèvement)",
                          required=True)
    return blood_typings(key, ipp, code, [(code, value)], collected,
                         timestamp(get(obr, 22), "OBR-22 (validation)"))


def unit_of(obx: hl7.Segment) -> str:
    """OBX-6: the UCUM or textual unit, never a bare numeric code (MDC ``266016``)."""
    systems = (get(obx, 6, 3).upper(), get(obx, 6, 6).upper())
    candidates = [(get(obx, 6, 1), systems[0]), (get(obx, 6, 2), ""),
                  (get(obx, 6, 4), systems[1]), (get(obx, 6, 5), "")]
    for value, system in candidates:
        if value and not value.isdigit():
            if value.upper().startswith("MDC_DIM_"):
                return MDC_UNITS.get(value.upper()[8:], value[8:].lower())
            if system != "MDC":
                return value
    return get(obx, 6, 1)


def reference_range(obx: hl7.Segment) -> str:
    """OBX-7 in any form (``3.5-5.0``, ``<10``, ``^^10.000000`` …), trailing zeros trimmed."""
    parts = [_trim(get(obx, 7, c)) for c in range(1, 4)]
    parts = [p for p in parts if p]
    return "-".join(parts) if len(parts) == 2 else " ".join(parts)


def _trim(value: str) -> str:
    """``10.000000`` → ``10``, ``3.50`` → ``3.5`` inside a range text."""
    return re.sub(r"(\d)\.(\d*?)0+(?!\d)", lambda m: m[1] + ("." + m[2] if m[2] else ""),
                  value)


def map_order(orc: hl7.Segment | None, rxe: hl7.Segment, rxr: hl7.Segment | None,
              tq1: hl7.Segment | None, ipp: str, nda: str, order_id: str,
              fallback_start: str, notes: list[str]) -> MedicationOrder:
    """ORC + RXE (+ RXR route, TQ1 timing) → MedicationOrder; timing falls back to text."""
    drug = get(rxe, 2, 2) or get(rxe, 2, 1)
    if not drug:
        raise Refused("RXE-2 : médicament absent")
    code = get(rxe, 2, 1)
    system = get(rxe, 2, 3).upper()
    if not (system in DRUG_SYSTEMS or re.fullmatch(r"\d{7}|\d{13}", code)):
        code = ""
    low, high = decimal_fr(get(rxe, 3)), decimal_fr(get(rxe, 4))
    dose = f"{low} à {high}" if low and high and low != high else (low or high)
    tq_src, tq_field = (rxe, 1) if get(rxe, 1, 2) or get(rxe, 1, 4) else (orc, 7)
    if tq1 is not None:
        pattern = get(tq1, 3, 1)
        times = [get(tq1, 4, 1, r) for r in range(1, reps(tq1, 4) + 1)]
        prn = "PRN" in get(tq1, 9).upper() or bool(get(tq1, 10))
        words = get(tq1, 11) or get(tq1, 3, 2) or get(tq1, 10)
        start_s, end_s = get(tq1, 7), get(tq1, 8)
    else:
        # "Q24H&0600": the repeat code, then explicit times as its second subcomponent
        pattern, times = get(tq_src, tq_field, 2), [get(tq_src, tq_field, 2, 1, 2)]
        prn = get(tq_src, tq_field, 6).upper() == "PRN"
        words = get(tq_src, tq_field, 8)
        start_s, end_s = get(tq_src, tq_field, 4), get(tq_src, tq_field, 5)
    timing = timing_from(pattern, times, prn, words)
    start = timestamp(start_s or get(orc, 9) or fallback_start, "TQ1-7/ORC-9 (début)",
                      required=True)
    end = timestamp(end_s, "TQ1-8 (fin)")
    instructions = get(rxe, 7, 2) or get(rxe, 7, 1)
    return MedicationOrder(
        id=order_id, ipp=ipp, drug=drug, dose=dose, timing=timing, start=start,
        unit=get(rxe, 5, 1) or get(rxe, 5, 2), route=get(rxr, 1, 2) or get(rxr, 1, 1), end=end,
        code=code, prescriber=person(orc, 12),
        comments=" ; ".join(v for v in [instructions, *notes] if v),
        status="stopped" if get(orc, 1).upper() in STOPPED_CONTROLS else "active", nda=nda)


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated form of a label (a stable id part when no code exists)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "x"


ADMIN_STATUS = {"CP": "given", "": "given", "RE": "refused", "NA": "not_given",
                "PA": "partial"}


def map_administration(orc: hl7.Segment | None, rxa: hl7.Segment, ipp: str,
                       order_id: str) -> MedicationAdministration:
    """ORC + RXA (RAS^O17) → MedicationAdministration (what was given, when, by whom)."""
    at = timestamp(get(rxa, 3), "RXA-3 (date d'administration)", required=True)
    status = ADMIN_STATUS.get(get(rxa, 20).upper())
    if status is None:
        raise Refused(f"RXA-20 statut « {get(rxa, 20)} » inconnu (CP, RE, NA, PA)")
    amount = decimal_fr(get(rxa, 6))
    dose = " ".join(v for v in (amount, get(rxa, 7, 1) or get(rxa, 7, 2)) if v)
    counter = get(rxa, 2) or get(rxa, 3)  # RXA-2: administration sub-id counter
    return MedicationAdministration(
        id=f"{order_id}-{counter}", ipp=ipp, order_id=order_id, at=at,
        dose_given=dose if amount not in ("", "0") else "", by=person(rxa, 10), status=status)
