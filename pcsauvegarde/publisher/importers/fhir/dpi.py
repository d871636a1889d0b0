"""Map Patient, Encounter, Location, AllergyIntolerance and Condition to canonical records."""

from __future__ import annotations

import re

from pcsauvegarde.core.records import (
    ALLERGY_NOT_ACTIVE,
    Allergy,
    Condition,
    Patient,
    Stay,
    Unit,
    allergy_standing,
)
from pcsauvegarde.publisher.importers.fhir.context import Context, pick_identifier
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.systems import (
    BIRTH_PLACE_EXTENSION,
    CIM10_SYSTEM,
    IDENTITY_STATUS_CODES,
    IDENTITY_STATUS_SYSTEM,
    INS_SYSTEMS,
    SNOMED_SYSTEM,
)
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    fhir_date,
    fhir_datetime,
    first_code,
    human_name,
    lst,
    obj,
    objs,
    status_code,
    text,
)

_SEX = {"male": "M", "female": "F", "other": "I", "unknown": "I"}
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_CURRENT = ("in-progress", "arrived", "onleave", "triaged")
_STATUS_WORDS = {v: v for v in IDENTITY_STATUS_CODES.values()} | {
    "recuperee": "récupérée", "validee": "validée", "qualifiee": "qualifiée"}


def map_patient(res: dict, ctx: Context) -> Patient:
    """Patient: IPP, birth name (maiden, else official), used name (usual), INS traits."""
    names = objs(res, "name")
    by_use = {text(n, "use") or "": n for n in reversed(names)}
    birth = by_use.get("maiden") or by_use.get("official") or (names[0] if names else {})
    usual = by_use.get("usual", {})
    birth_name = text(birth, "family")
    first_names = " ".join(g.strip() for g in lst(birth, "given") if isinstance(g, str))
    if not birth_name or not first_names:
        raise Refused("name : nom de naissance (family) et prénoms (given) obligatoires")
    if res.get("birthDate") is None:
        raise Refused("birthDate : date de naissance absente")
    used_name = text(usual, "family")
    if not used_name and birth is by_use.get("maiden") and "official" in by_use:
        used_name = text(by_use["official"], "family")
    given = [g for g in lst(usual, "given") if isinstance(g, str)] if usual is not birth else []
    ins, status = _ins(res, ctx)
    return Patient(
        id=pick_identifier(res, ctx.systems.ipp, ("PI", "MR")),
        birth_name=birth_name, first_names=first_names,
        birth_date=fhir_date(res["birthDate"], "birthDate"),
        sex=_sex(res), used_name=used_name if used_name != birth_name else "",
        used_first_name=given[0].strip() if given else "",
        birth_place_code=_birth_place(res) if ins else _birth_place(res, strict=False),
        ins=ins, ins_status=status, deceased=_deceased(res))


def _sex(res: dict) -> str:
    gender = text(res, "gender")
    if gender and gender not in _SEX:
        raise Refused(f"gender : sexe « {gender} » inconnu")
    return _SEX.get(gender, "I")


def _deceased(res: dict) -> bool:
    if isinstance(res.get("deceasedBoolean"), bool):
        return res["deceasedBoolean"]
    return bool(res.get("deceasedDateTime"))


def _ins(res: dict, ctx: Context) -> tuple[str, str]:
    ins = ""
    for ident in objs(res, "identifier"):
        if text(ident, "system") in ctx.systems.ins or text(ident, "system") in INS_SYSTEMS:
            ins = text(ident, "value").replace(" ", "")
            if not re.fullmatch(r"[12]\d{14}", ins):
                raise Refused(f"identifier : INS « {ins} » invalide (15 chiffres, 1 ou 2 en tête)")
            break
    status = ""
    for tag in objs(obj(res, "meta"), "tag"):
        if text(tag, "system") == IDENTITY_STATUS_SYSTEM:
            code = text(tag, "code")
            status = IDENTITY_STATUS_CODES.get(code.upper()) or _STATUS_WORDS.get(code.lower(), "")
            if not status:
                raise Refused(f"meta.tag : statut d'identité « {code} » inconnu")
    return ins, status


def _birth_place(res: dict, strict: bool = True) -> str:
    for ext in objs(res, "extension"):
        if text(ext, "url") != BIRTH_PLACE_EXTENSION:
            continue
        for inner in objs(obj(ext, "valueAddress"), "extension"):
            code = text(inner, "valueCode") or text(inner, "valueString")
            code = code or text(obj(inner, "valueCoding"), "code")
            if code and _INSEE.match(code):
                return code
            if code and strict:
                raise Refused(f"extension birthPlace : code INSEE « {code} » invalide")
    return ""


def map_encounter(res: dict, ctx: Context) -> Stay | None:
    """Encounter in progress or finished -> Stay (unit from location chain or serviceProvider)."""
    status = text(res, "status")
    if status not in (*_CURRENT, "finished"):
        return None
    ipp = ctx.ipp(res)
    period = obj(res, "period")
    if not period.get("start"):
        raise Refused("period.start : date d'admission absente")
    admission = fhir_datetime(period["start"], "period.start")
    discharge = None
    if status == "finished":
        if not period.get("end"):
            raise Refused("period.end : séjour terminé sans date de sortie")
        discharge = fhir_datetime(period["end"], "period.end", end_of_day=True)
    unit, room, bed = _where(res, ctx)
    if not unit:
        raise Refused("location / serviceProvider : unité de soins introuvable")
    attending = ""
    for part in objs(res, "participant"):
        codes = {first_code(t, "participant.type") for t in lst(part, "type")}
        if not attending or "ATND" in codes:
            attending = (ctx.person(part.get("individual"), "participant.individual", res)
                         or attending)
    reasons = [concept_text(c, "reasonCode") for c in lst(res, "reasonCode")]
    return Stay(id=pick_identifier(res, ctx.systems.nda, ("VN",)), ipp=ipp, unit=unit,
                admission=admission, room=room, bed=bed, attending=attending,
                discharge=discharge, reason=" ; ".join(r for r in reasons if r))


def _where(res: dict, ctx: Context) -> tuple[str, str, str]:
    """(unit code, room, bed) from the current Encounter.location and its partOf chain."""
    places = objs(res, "location")
    current = [p for p in places if text(p, "status") in ("active", "")] or places
    found = {"wa": "", "ro": "", "bd": ""}
    display = ""
    if current:
        ref = current[-1].get("location")
        display = text(ref, "display") if isinstance(ref, dict) else ""
        loc = ctx.index.resolve(ref, "location.location", res, ("Location",))
        for _ in range(6):  # bed -> room -> ward -> …, bounded against cycles
            if loc is None:
                break
            kind = first_code(loc.get("physicalType"), "Location.physicalType")
            if kind in found and not found[kind]:
                found[kind] = (pick_identifier(loc, ctx.systems.unit, ()) if kind == "wa"
                               else text(loc, "name") or text(loc, "id"))
            loc = ctx.index.resolve(loc.get("partOf"), "Location.partOf", loc, ("Location",))
    unit = found["wa"]
    if not unit and res.get("serviceProvider") is not None:
        org = ctx.index.resolve(res["serviceProvider"], "serviceProvider", res, ("Organization",))
        ref = obj(res, "serviceProvider")
        unit = pick_identifier(org, ctx.systems.unit, ()) if org else text(ref, "display")
    return unit or display, found["ro"], found["bd"]


def encounter_unit(res: dict, ctx: Context, field: str = "encounter") -> str:
    """The unit code of the Encounter ``res[field]`` points to ('' when absent or unknown)."""
    try:
        enc = ctx.index.resolve(res.get(field), field, res, ("Encounter",))
        return _where(enc, ctx)[0] if enc is not None else ""
    except Refused:
        return ""   # the unit is a convenience here: a bad reference (the encounter's or its
        # locations') costs only it, never the exam


def map_location(res: dict, ctx: Context) -> Unit | list:
    """A ward Location (physicalType wa) -> Unit; rooms and beds only serve resolution ([])."""
    if first_code(res.get("physicalType"), "physicalType") != "wa":
        return []
    phone = next((text(t, "value") for t in objs(res, "telecom")
                  if text(t, "system") == "phone"), "")
    name = text(res, "name")
    if not name:
        raise Refused("name : nom de l'unité absent")
    return Unit(id=pick_identifier(res, ctx.systems.unit, ()), name=name, phone=phone)


def map_allergy(res: dict, ctx: Context) -> Allergy:
    """AllergyIntolerance -> Allergy; one not active (records.allergy_standing) is ignored."""
    clinical = status_code(res.get("clinicalStatus"), "clinicalStatus")
    verification = status_code(res.get("verificationStatus"), "verificationStatus")
    if allergy_standing(clinical, verification) == ALLERGY_NOT_ACTIVE:
        raise Ignored(f"allergie non active (statut {clinical or '—'}, "
                      f"vérification {verification or '—'})")
    ipp = ctx.ipp(res, "patient")
    substance = concept_text(res.get("code"), "code")
    if not substance:
        raise Refused("code : substance absente")
    reactions = objs(res, "reaction")
    words = [concept_text(m, "reaction.manifestation")
             for r in reactions for m in lst(r, "manifestation")]
    severity = next((text(r, "severity") for r in reactions if text(r, "severity")), "")
    return Allergy(id=text(res, "id") or pick_identifier(res, (), ()), ipp=ipp, substance=substance,
                   reaction=", ".join(w for w in words if w), severity=severity,
                   criticality=text(res, "criticality"),
                   code=first_code(res.get("code"), "code", (SNOMED_SYSTEM,)),
                   status=clinical or "active", verification=verification)


def map_condition(res: dict, ctx: Context) -> Condition | None:
    """Condition (not entered-in-error nor refuted) -> Condition (antecedent or problem)."""
    if status_code(res.get("verificationStatus"), "verificationStatus") in ("refuted",
                                                                               "entered-in-error"):
        return None
    _social_history_rule(res, ctx)
    ipp = ctx.ipp(res)
    label = concept_text(res.get("code"), "code")
    if not label:
        raise Refused("code : libellé de la pathologie absent")
    onset = fhir_date(res["onsetDateTime"], "onsetDateTime") if res.get("onsetDateTime") else None
    status = status_code(res.get("clinicalStatus"), "clinicalStatus")
    if not status:  # an abatement without a clinical status still means it is over
        abated = any(res.get(f"abatement{x}") not in (None, "", False)
                     for x in ("DateTime", "Age", "Period", "Range", "String", "Boolean"))
        status = "resolved" if abated else "active"
    return Condition(id=text(res, "id") or pick_identifier(res, (), ()), ipp=ipp, label=label,
                     code=first_code(res.get("code"), "code", (CIM10_SYSTEM,)),
                     onset=onset, status=status)


def _social_history_rule(res: dict, ctx: Context) -> None:
    """Leave out social-history findings (employment, housing, education…), per FhirSystems."""
    categories = {text(c, "code") for concept in lst(res, "category")
                  for c in codings(concept, "category")}
    codes = {text(c, "code") for c in codings(res.get("code"), "code")}
    if (categories & set(ctx.systems.social_history_categories)
            or codes & ctx.systems.social_history_codes):
        raise Ignored("mode de vie (emploi, logement, éducation, situation sociale) : hors "
                      "liste des problèmes (règle social_history de l'import FHIR)")


__all__ = [
    "human_name",
    "map_allergy",
    "map_condition",
    "map_encounter",
    "map_location",
    "map_patient",
]
