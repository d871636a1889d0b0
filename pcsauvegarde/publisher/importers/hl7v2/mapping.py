"""HL7 v2 segments → canonical records: PID, PV1, AL1, DG1, OBR/OBX, ORC/RXE/RXR/TQ1."""

from __future__ import annotations

import re
import unicodedata

import hl7

from pcsauvegarde.core.records import Allergy, Condition, LabResult, MedicationOrder, Patient, Stay
from pcsauvegarde.publisher.importers.hl7v2.timing import timing_from
from pcsauvegarde.publisher.importers.hl7v2.values import (
    Refused,
    date,
    get,
    person,
    reps,
    timestamp,
)

# French INS (NIR / NIA) assigning authorities, and PAM FR identity reliability codes (PID-32).
INS_OIDS = ("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10",
            "1.2.250.1.213.1.4.11")
INS_STATUS = {"PROV": "provisoire", "RECUP": "récupérée", "VALI": "validée", "QUAL": "qualifiée"}
SEX = {"M": "M", "F": "F", "U": "I", "O": "I", "A": "I", "N": "I", "I": "I"}
SEVERITY = {"SV": "sévère", "MO": "modérée", "MI": "légère"}
FLAGS = {"N": "N", "L": "L", "H": "H", "LL": "LL", "HH": "HH", "A": "A", "AA": "A",
         "<": "L", ">": "H", "": ""}
SKIPPED_RESULT_STATUS = ("D", "W", "X")  # deleted, wrong patient, result cannot be obtained
STOPPED_CONTROLS = ("CA", "DC", "OC", "OD", "CR", "DR")
DRUG_SYSTEMS = ("UCD", "CIP", "UCD7", "UCD13", "CIP7", "CIP13")


def ipp_of(pid: hl7.Segment | None) -> str:
    """PID-3: the first identifier that is not an INS (IPP); refuse when there is none."""
    for rep in range(1, reps(pid, 3) + 1):
        value, authority, kind = get(pid, 3, 1, rep), get(pid, 3, 4, rep, 2), get(pid, 3, 5, rep)
        if value and not _is_ins(authority, kind):
            return value
    raise Refused("PID-3 : identifiant du patient (IPP) absent")


def _is_ins(authority: str, kind: str) -> bool:
    return authority in INS_OIDS or kind.upper().startswith("INS")


def map_patient(pid: hl7.Segment) -> Patient:
    """PID → Patient; birth name from the L (legal) name, used name from D (display)."""
    ipp = ipp_of(pid)
    ins = ""
    for rep in range(1, reps(pid, 3) + 1):
        if _is_ins(get(pid, 3, 4, rep, 2), get(pid, 3, 5, rep)) and get(pid, 3, 1, rep):
            ins = get(pid, 3, 1, rep)
    names = {get(pid, 5, 7, rep).upper() or "L": rep for rep in range(reps(pid, 5), 0, -1)}
    legal = names.get("L", 1)
    birth_name = get(pid, 5, 1, legal)
    first_names = " ".join(v for v in (get(pid, 5, 2, legal), get(pid, 5, 3, legal)) if v)
    used = names.get("D")
    if not birth_name or not first_names:
        raise Refused("PID-5 : nom de naissance ou prénom absent")
    sex = SEX.get(get(pid, 8).upper())
    if sex is None:
        raise Refused(f"PID-8 : sexe « {get(pid, 8)} » absent ou inconnu (M, F, U, O, A, N)")
    birth_place = ""
    for rep in range(1, reps(pid, 11) + 1):
        if get(pid, 11, 7, rep).upper() == "BDL":
            birth_place = get(pid, 11, 9, rep)
    return Patient(
        id=ipp, birth_name=birth_name.upper(), first_names=first_names,
        birth_date=date(get(pid, 7), "PID-7 (date de naissance)"), sex=sex,
        used_name=get(pid, 5, 1, used).upper() if used else "",
        used_first_name=get(pid, 5, 2, used) if used else "",
        birth_place_code=birth_place, ins=ins,
        ins_status=INS_STATUS.get(get(pid, 32).upper(), "") if ins else "",
        deceased=get(pid, 30).upper() == "Y")


def map_stay(pv1: hl7.Segment | None, ipp: str, event: str, event_at: str,
             previous: Stay | None) -> Stay:
    """PV1 → Stay (NDA = PV1-19); an A03 without PV1-45 is discharged at the event time.

    Fields a message leaves empty keep the value of the same stay from an earlier message.
    """
    nda = get(pv1, 19)
    if not nda:
        raise Refused("PV1-19 : numéro de séjour (NDA) absent")
    unit = get(pv1, 3) or get(pv1, 10) or (previous.unit if previous else "")
    if not unit:
        raise Refused("PV1-3 : unité de soins absente (ni PV1-3 ni PV1-10)")
    admission = timestamp(get(pv1, 44), "PV1-44 (admission)") or (
        previous.admission if previous else None)
    if admission is None:
        raise Refused("PV1-44 : date d'admission absente")
    discharge = timestamp(get(pv1, 45), "PV1-45 (sortie)")
    if event == "A03" and discharge is None:
        discharge = timestamp(event_at, "EVN-2 (date de l'événement)", required=True)
    if event != "A03" and discharge is None and previous is not None:
        discharge = previous.discharge
    keep = previous if previous is not None and not get(pv1, 3) else None
    return Stay(id=nda, ipp=ipp, unit=unit, admission=admission,
                room=get(pv1, 3, 2) or (keep.room if keep else ""),
                bed=get(pv1, 3, 3) or (keep.bed if keep else ""),
                attending=person(pv1, 7) or (previous.attending if previous else ""),
                discharge=discharge, reason=previous.reason if previous else "")


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


def map_result(obx: hl7.Segment, obr: hl7.Segment | None, order_id: str,
               ipp: str) -> LabResult | None:
    """OBX (with its OBR) → LabResult; None for deleted/wrong results and empty text lines."""
    where = f"OBX {get(obx, 1) or '?'}"
    if get(obx, 11).upper() in SKIPPED_RESULT_STATUS:
        return None
    code = get(obx, 3, 1)
    kind = get(obx, 2).upper()
    value = get(obx, 5, 2) or get(obx, 5, 1) if kind in ("CWE", "CE", "CNE") else get(obx, 5)
    if kind == "SN":
        value = "".join(get(obx, 5, c) for c in (1, 2, 3, 4))
    if not code:
        if kind in ("TX", "FT") or not value:
            return None  # narrative report line, not a result
        raise Refused(f"{where} : OBX-3 (code de l'analyse) absent")
    if not value:
        return None
    flag = get(obx, 8, 1).upper()
    if flag not in FLAGS:
        raise Refused(f"{where} : OBX-8 indicateur d'anomalie « {flag} » inconnu "
                      "(N, L, H, LL, HH, A, AA, <, >)")
    collected = timestamp(get(obx, 14) or get(obr, 7), f"{where} : OBX-14/OBR-7 (prélèvement)",
                          required=True)
    sub = get(obx, 4)
    return LabResult(id=f"{order_id}-{code}{'-' + sub if sub else ''}", ipp=ipp, code=code,
                     label=get(obx, 3, 2) or code, value=value, collected_at=collected,
                     unit=get(obx, 6, 1) or get(obx, 6, 2), reference_range=get(obx, 7),
                     abnormal=FLAGS[flag],
                     validated_at=timestamp(get(obr, 22), f"{where} : OBR-22 (validation)"))


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
    low, high = get(rxe, 3), get(rxe, 4)
    dose = "-".join(v for v in (low, high) if v)
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
