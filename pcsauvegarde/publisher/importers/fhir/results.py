"""Map laboratory Observations to lab results (imaging: see imaging.py)."""

from __future__ import annotations

from pcsauvegarde.core.records import BloodTyping, LabResult, Record
from pcsauvegarde.publisher.importers.bloodbank import (
    BLOOD_BANK_CODES,
    NotBloodTyping,
    Value,
    blood_typings,
)
from pcsauvegarde.publisher.importers.fhir.anaesthesia import asa_class, map_asa
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.systems import LOINC_SYSTEM
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    effective_time,
    first_code,
    fmt_number,
    lst,
    number,
    objs,
    optional_datetime,
    quantity_text,
    text,
)

_FLAGS = {"N": "N", "L": "L", "H": "H", "LL": "LL", "HH": "HH", "A": "A", "AA": "A",
          "LU": "LL", "HU": "HH", "<": "L", ">": "H", "POS": "A", "DET": "A", "ABN": "A"}
_RESULT_STATUSES = ("final", "amended", "corrected", "preliminary")


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


__all__ = [
    "map_observation",
    "number",
]
