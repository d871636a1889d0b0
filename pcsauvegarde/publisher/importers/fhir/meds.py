"""Map MedicationRequest and MedicationAdministration to canonical records."""

from __future__ import annotations

from pcsauvegarde.core.records import MedicationAdministration, MedicationOrder, Timing
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.systems import DRUG_CODE_SYSTEMS
from pcsauvegarde.publisher.importers.fhir.timing import dose_of, timing_of
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    effective_time,
    fhir_datetime,
    lst,
    obj,
    objs,
    optional_datetime,
    quantity_text,
    text,
)

_ADMIN_STATUS = {"completed": "given", "in-progress": "given", "not-done": "not_given",
                 "on-hold": "held", "stopped": "partial"}
ORDER_SUFFIX = "~"  # '~' is not allowed in FHIR ids, so 'rx1~2' never collides with a real id


def medication_of(res: dict, ctx: Context) -> tuple[str, str]:
    """(label, UCD/CIP code) of medication[x], following medicationReference when needed."""
    concept = res.get("medicationCodeableConcept")
    label = ""
    if concept is None and res.get("medicationReference") is not None:
        ref = obj(res, "medicationReference")
        med = ctx.index.resolve(ref, "medicationReference", res, ("Medication",))
        concept = med.get("code") if med else None
        label = text(ref, "display")
    label = concept_text(concept, "medication") or label
    if not label:
        raise Refused("medication[x] : médicament non identifié")
    code = ""
    for system in DRUG_CODE_SYSTEMS:
        for coding in codings(concept, "medication"):
            if text(coding, "system") == system and not code:
                code = text(coding, "code")
    return label, code


def map_medication_request(res: dict, ctx: Context) -> list[MedicationOrder] | None:
    """Active MedicationRequest -> one MedicationOrder per dosageInstruction (ids rx, rx~2…)."""
    if text(res, "status") != "active" or text(res, "intent") in ("proposal", "plan"):
        return None
    ipp = ctx.ipp(res)
    drug, code = medication_of(res, ctx)
    authored = optional_datetime(res, "authoredOn")
    prescriber = ctx.person(res.get("requester"), "requester", res)
    nda = ctx.nda(res, "encounter")
    notes = [text(n, "text") for n in objs(res, "note")]
    rid = text(res, "id")
    if not rid:
        raise Refused("id : identifiant de la prescription absent")
    dosages = objs(res, "dosageInstruction") or [{}]
    orders = []
    for number, dosage in enumerate(dosages, start=1):
        dose, unit = dose_of(dosage)
        timing = timing_of(dosage, dose, unit) if dosage else Timing(
            kind="text", text="posologie non précisée")
        bounds = obj(obj(obj(dosage, "timing"), "repeat"), "boundsPeriod")
        start = optional_datetime(bounds, "start") or authored
        events = [e for e in lst(obj(dosage, "timing"), "event") if isinstance(e, str)]
        if timing.kind == "once" and events:
            start = fhir_datetime(events[0], "dosageInstruction.timing.event")
        if start is None:
            raise Refused("authoredOn / boundsPeriod.start : date de début absente")
        route = concept_text(dosage.get("route"), "dosageInstruction.route")
        orders.append(MedicationOrder(
            id=rid if number == 1 else f"{rid}{ORDER_SUFFIX}{number}", ipp=ipp, drug=drug,
            dose=dose, unit=unit, timing=timing, start=start, route=route,
            end=optional_datetime(bounds, "end", end_of_day=True), code=code,
            prescriber=prescriber, comments=" ; ".join(n for n in notes if n), nda=nda))
    ctx.order_of[id(res)] = rid
    return orders


def map_medication_administration(res: dict, ctx: Context) -> MedicationAdministration | None:
    """MedicationAdministration (not entered-in-error) -> MedicationAdministration."""
    status = _ADMIN_STATUS.get(text(res, "status"))
    if status is None:
        return None
    ipp = ctx.ipp(res)
    at = effective_time(res)
    if at is None:
        raise Refused("effective[x] : date d'administration absente")
    if status == "not_given":
        reasons = " ".join(concept_text(c, "statusReason") for c in lst(res, "statusReason"))
        if "refus" in reasons.lower():
            status = "refused"
    order_id = ""
    if res.get("request") is not None:
        ref = obj(res, "request")
        target = ctx.index.resolve(ref, "request", res, ("MedicationRequest",))
        order_id = text(target, "id") if target else text(ref, "reference").split("/")[-1]
    dose, unit = quantity_text(obj(res, "dosage").get("dose"), "dosage.dose")
    by = ""
    for performer in objs(res, "performer"):
        by = by or ctx.person(performer.get("actor"), "performer.actor", res)
    if not text(res, "id"):
        raise Refused("id : identifiant de l'administration absent")
    return MedicationAdministration(id=text(res, "id"), ipp=ipp, order_id=order_id, at=at,
                                    dose_given=" ".join(v for v in (dose, unit) if v), by=by,
                                    status=status)
