"""Map laboratory Observations and imaging ServiceRequest/ImagingStudy/Appointment."""

from __future__ import annotations

import re

from pcsauvegarde.core.records import BloodTyping, ImagingExam, LabResult, Record
from pcsauvegarde.publisher.importers.bloodbank import (
    BLOOD_BANK_CODES,
    NotBloodTyping,
    Value,
    blood_typings,
)
from pcsauvegarde.publisher.importers.fhir.anaesthesia import asa_class, map_asa
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.systems import DICOM_MODALITY_SYSTEM, LOINC_SYSTEM
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    effective_time,
    fhir_datetime,
    first_code,
    fmt_number,
    lst,
    number,
    obj,
    objs,
    optional_datetime,
    quantity_text,
    text,
)

_FLAGS = {"N": "N", "L": "L", "H": "H", "LL": "LL", "HH": "HH", "A": "A", "AA": "A",
          "LU": "LL", "HU": "HH", "<": "L", ">": "H", "POS": "A", "DET": "A", "ABN": "A"}
_RESULT_STATUSES = ("final", "amended", "corrected", "preliminary")
_IMAGING_CATEGORY = ("363679005", "imaging", "radiology", "RAD")
# Modality guessed from the exam label when no DICOM code is given (French and English words).
_MODALITY_WORDS = (("MR", r"\bIRM\b|\bMRI\b|résonance"),
                   ("CT", r"scanner|\bTDM\b|\bCT\b|tomodensito"),
                   ("US", r"écho|echo|ultrason|doppler"), ("NM", r"scintigraph|\bTEP\b|\bPET\b"),
                   ("MG", r"mammograph"), ("XR", r"radio|\bRX\b|x-ray|\bXR\b"))


def map_observation(res: dict, ctx: Context) -> list[Record]:
    """A laboratory Observation with a result -> LabResult (no category: taken when LOINC),
    plus its BloodTyping when it is a blood-bank test (group, RAI; see bloodbank.py); an ASA
    physical status (SNOMED CT value) -> AnaesthesiaAssessment.

    Other Observations are Ignored with their true reason (vital signs, survey…).
    """
    if (asa := asa_class(res)) and text(res, "status") in _RESULT_STATUSES:
        return [map_asa(res, ctx, asa)]
    cats = [c for concept in lst(res, "category") for c in codings(concept, "category")]
    cat_codes = {text(c, "code") for c in cats}
    loinc = first_code(res.get("code"), "code", (LOINC_SYSTEM,))
    if cats and "laboratory" not in cat_codes:
        raise Ignored(_category_reason(cats))
    coded = any(text(c, "system") == LOINC_SYSTEM for c in codings(res.get("code"), "code"))
    if not cats and not coded:
        raise Ignored("ni catégorie ni code LOINC : pas reconnue comme résultat de laboratoire")
    status = text(res, "status")
    if status not in _RESULT_STATUSES:
        raise Ignored(_STATUS_REASONS.get(status, f"statut « {status} » : résultat non rendu"))
    ipp = ctx.ipp(res)
    collected = effective_time(res) or optional_datetime(res, "issued")
    if collected is None:
        raise Refused("effective[x] : date de prélèvement absente")
    blood = _blood(res, ctx, ipp, loinc, collected)
    try:
        value, unit = _value(res)
    except Refused:
        if blood:   # a blood-group panel may carry its values in components only
            return list(blood)
        raise
    return [LabResult(id=text(res, "id"), ipp=ipp, code=loinc,
                      label=concept_text(res.get("code"), "code"), value=value,
                      collected_at=collected, unit=unit, reference_range=_range(res),
                      abnormal=_flag(res), validated_at=optional_datetime(res, "issued")),
            *blood]


def _blood(res: dict, ctx: Context, ipp: str, loinc: str, collected) -> list[BloodTyping]:
    """The blood group / RAI this Observation states in codes (itself and its components);
    a blood-bank test whose value cannot be read safely is counted, never guessed."""
    parts = [(loinc, res), *((first_code(c.get("code"), "component.code", (LOINC_SYSTEM,)), c)
                             for c in objs(res, "component"))]
    values = [(code, v) for code, part in parts
              if code in BLOOD_BANK_CODES and (v := _coded_value(part)) is not None]
    if not values or text(res, "status") == "preliminary":
        return []
    try:
        return blood_typings(text(res, "id"), ipp, loinc, values, collected,
                             optional_datetime(res, "issued"))
    except NotBloodTyping as exc:
        ctx.ignored[f"Observation : groupage / RAI non lu (résultat gardé) : {exc}"] += 1
        return []


def _coded_value(part: dict) -> Value | None:
    """The value of an Observation or component as codes and text (None: no value)."""
    concept = part.get("valueCodeableConcept")
    if concept is not None:
        codes = tuple(text(c, "code") for c in codings(concept, "valueCodeableConcept"))
        return Value(codes, concept_text(concept, "valueCodeableConcept"))
    if isinstance(part.get("valueString"), str):
        return Value((), part["valueString"])
    return None


_LAB_ONLY = "seuls les résultats de laboratoire sont importés"
_CATEGORY_REASONS = {
    "vital-signs": f"signes vitaux (constantes) : {_LAB_ONLY}",
    "survey": f"questionnaire ou score (survey) : {_LAB_ONLY}",
    "social-history": f"mode de vie (social-history) : {_LAB_ONLY}",
    "exam": f"examen clinique : {_LAB_ONLY}",
    "activity": f"activité physique : {_LAB_ONLY}",
    "imaging": f"résultat d'imagerie : {_LAB_ONLY}",
    "procedure": f"mesure pendant un acte : {_LAB_ONLY}",
    "therapy": f"suivi de traitement : {_LAB_ONLY}",
}
_STATUS_REASONS = {
    "registered": "statut « registered » : résultat attendu, pas encore rendu",
    "cancelled": "statut « cancelled » : examen annulé",
    "entered-in-error": "statut « entered-in-error » : saisi par erreur",
}


def _category_reason(cats: list[dict]) -> str:
    for coding in cats:
        if text(coding, "code") in _CATEGORY_REASONS:
            return _CATEGORY_REASONS[text(coding, "code")]
    shown = text(cats[0], "display") or text(cats[0], "code")
    return f"catégorie « {shown} » : {_LAB_ONLY}"


def _value(res: dict) -> tuple[str, str]:
    if res.get("valueQuantity") is not None:
        return quantity_text(res["valueQuantity"], "valueQuantity")
    for name in ("valueString", "valueInteger", "valueBoolean", "valueDateTime", "valueTime"):
        if res.get(name) is not None:
            value = res[name]
            if isinstance(value, bool):
                return ("oui" if value else "non"), ""
            if isinstance(value, float):
                return fmt_number(value), ""
            return str(value), ""
    if res.get("valueCodeableConcept") is not None:
        return concept_text(res["valueCodeableConcept"], "valueCodeableConcept"), ""
    if res.get("dataAbsentReason") is not None:
        return concept_text(res["dataAbsentReason"], "dataAbsentReason") or "non rendu", ""
    raise Refused("value[x] : résultat absent")


def _range(res: dict) -> str:
    for item in objs(res, "referenceRange"):
        if text(item, "text"):
            return text(item, "text")
        low, unit = quantity_text(item.get("low"), "referenceRange.low")
        high, high_unit = quantity_text(item.get("high"), "referenceRange.high")
        unit = unit or high_unit
        if low and high:
            return f"{low}-{high} {unit}".strip()
        if high:
            return f"< {high} {unit}".strip()
        if low:
            return f"> {low} {unit}".strip()
    return ""


def _flag(res: dict) -> str:
    for concept in lst(res, "interpretation"):
        for coding in codings(concept, "interpretation"):
            code = text(coding, "code").upper()
            if code in _FLAGS:
                return _FLAGS[code]
    return ""


def modality_of(label: str, concepts: list) -> str:
    """DICOM modality code from codings, else guessed from the label ('' when not imaging)."""
    for concept in concepts:
        for coding in codings(concept, "modality"):
            if text(coding, "system") == DICOM_MODALITY_SYSTEM and text(coding, "code"):
                return text(coding, "code")
    for code, pattern in _MODALITY_WORDS:
        if re.search(pattern, label, re.IGNORECASE):
            return code
    return ""


def is_imaging_request(res: dict) -> bool:
    """A ServiceRequest for imaging: a DICOM modality, an imaging word or category."""
    label = concept_text(res.get("code"), "code")
    cats = {text(c, "code") for concept in lst(res, "category")
            for c in codings(concept, "category")}
    return bool(modality_of(label, [*lst(res, "modality"), res.get("code")])
                or cats & set(_IMAGING_CATEGORY))


def map_imaging_request(res: dict, ctx: Context) -> ImagingExam | None:
    """An imaging ServiceRequest with a date -> planned ImagingExam (None: not planned)."""
    if text(res, "status") not in ("active", "draft", "on-hold", "completed"):
        return None
    label = concept_text(res.get("code"), "code")
    modality = modality_of(label, [*lst(res, "modality"), res.get("code")])
    when = effective_time(res, "occurrence")
    if when is None:
        raise Ignored("demande d'imagerie sans date prévue (occurrence[x])")
    ipp = ctx.ipp(res)
    room = " ".join(concept_text(c, "locationCode") for c in lst(res, "locationCode")).strip()
    status = {"active": "planned", "draft": "planned", "completed": "done"}.get(
        text(res, "status"), text(res, "status"))
    return ImagingExam(id=text(res, "id"), ipp=ipp, modality=modality or "?",
                       label=label or "examen d'imagerie", scheduled_at=when, room=room,
                       status=status)


def map_imaging_study(res: dict, ctx: Context) -> ImagingExam | None:
    """ImagingStudy with a start time -> ImagingExam (registered: planned, available: done)."""
    if text(res, "status") not in ("registered", "available") or not res.get("started"):
        return None
    ipp = ctx.ipp(res)
    series = objs(res, "series")
    label = (text(res, "description")
             or " ".join(concept_text(c, "procedureCode") for c in lst(res, "procedureCode"))
             or _series_label(series))
    # Many exports (Synthea among them) give the modality only per series (a Coding there).
    modality = modality_of(label, lst(res, "modality") + [s.get("modality") for s in series])
    return ImagingExam(id=text(res, "id"), ipp=ipp, modality=modality or "?",
                       label=label.strip() or "examen d'imagerie",
                       scheduled_at=fhir_datetime(res["started"], "started"),
                       status="planned" if text(res, "status") == "registered" else "done")


def _series_label(series: list[dict]) -> str:
    """What the series say was imaged: their descriptions, else their body sites."""
    words = [text(s, "description") for s in series]
    if not any(words):
        # R4 bodySite is a Coding; some exports send a CodeableConcept
        words = [text(obj(s, "bodySite"), "display")
                 or concept_text(s.get("bodySite"), "series.bodySite") for s in series]
    return " ; ".join(dict.fromkeys(w for w in words if w))


def map_appointment(res: dict, ctx: Context) -> ImagingExam | None:
    """A booked Appointment whose service is imaging -> ImagingExam; others ignored."""
    if text(res, "status") not in ("booked", "pending", "arrived", "proposed"):
        return None
    concepts = (lst(res, "serviceCategory") + lst(res, "serviceType") + lst(res, "specialty")
                + [res.get("appointmentType")])
    label = " ".join(concept_text(c, "serviceType") for c in concepts if c).strip()
    modality = modality_of(label, concepts)
    if not modality or not res.get("start"):
        return None
    patient = next((p for p in objs(res, "participant")
                    if "Patient" in text(obj(p, "actor"), "reference")), None)
    if patient is None:
        raise Refused("participant : aucun patient")
    room = next((text(obj(p, "actor"), "display") for p in objs(res, "participant")
                 if "Location" in text(obj(p, "actor"), "reference")), "")
    return ImagingExam(id=text(res, "id"), ipp=ctx.ipp(patient, "actor"), modality=modality,
                       label=text(res, "description") or label,
                       scheduled_at=fhir_datetime(res["start"], "start"), room=room)


__all__ = [
    "is_imaging_request",
    "map_appointment",
    "map_imaging_request",
    "map_imaging_study",
    "map_observation",
    "number",
]
