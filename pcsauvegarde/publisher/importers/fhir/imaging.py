"""Map imaging ServiceRequest, ImagingStudy and imaging Appointment to ImagingExam.

Besides modality, room and time, the exam carries what the paper schedule and the report form
print: the requesting unit (the unit of the Encounter the request belongs to, else the
requester's Organization), the requesting doctor and the indication (reasonCode, reason
references' text, then notes).
"""

from __future__ import annotations

import re

from pcsauvegarde.core.records import ImagingExam
from pcsauvegarde.publisher.importers.fhir.context import Context, pick_identifier
from pcsauvegarde.publisher.importers.fhir.dpi import encounter_unit
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.systems import DICOM_MODALITY_SYSTEM
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    effective_time,
    fhir_datetime,
    lst,
    obj,
    objs,
    text,
)

_IMAGING_CATEGORY = ("363679005", "imaging", "radiology", "RAD")
# Modality guessed from the exam label when no DICOM code is given (French and English words).
_MODALITY_WORDS = (("MR", r"\bIRM\b|\bMRI\b|résonance"),
                   ("CT", r"scanner|\bTDM\b|\bCT\b|tomodensito"),
                   ("US", r"écho|echo|ultrason|doppler"), ("NM", r"scintigraph|\bTEP\b|\bPET\b"),
                   ("MG", r"mammograph"), ("XR", r"radio|\bRX\b|x-ray|\bXR\b"))
# FHIR ServiceRequest / Appointment statuses -> ImagingExam.status
_REQUEST_STATUS = {"active": "planned", "draft": "planned", "on-hold": "planned",
                   "completed": "done"}
_APPOINTMENT_STATUS = {"booked": "planned", "pending": "planned", "proposed": "planned",
                       "arrived": "arrived", "checked-in": "arrived", "fulfilled": "done",
                       "noshow": "noshow"}


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
    return ImagingExam(id=text(res, "id"), ipp=ipp, modality=modality or "?",
                       label=label or "examen d'imagerie", scheduled_at=when, room=room,
                       status=_REQUEST_STATUS[text(res, "status")],
                       requesting_unit=requesting_unit(res, ctx),
                       requester=ctx.person(res.get("requester"), "requester", res),
                       indication=indication(res, ctx))


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
                       status="planned" if text(res, "status") == "registered" else "done",
                       requesting_unit=requesting_unit(res, ctx),
                       requester=ctx.person(res.get("referrer"), "referrer", res),
                       indication=indication(res, ctx))


def _series_label(series: list[dict]) -> str:
    """What the series say was imaged: their descriptions, else their body sites."""
    words = [text(s, "description") for s in series]
    if not any(words):
        # R4 bodySite is a Coding; some exports send a CodeableConcept
        words = [text(obj(s, "bodySite"), "display")
                 or concept_text(s.get("bodySite"), "series.bodySite") for s in series]
    return " ; ".join(dict.fromkeys(w for w in words if w))


def requesting_unit(res: dict, ctx: Context) -> str:
    """The unit that asked: its Encounter's unit, else the requester when an Organization."""
    unit = encounter_unit(res, ctx)
    if unit:
        return unit
    ref = res.get("requester")
    try:
        org = ctx.index.resolve(ref, "requester", res)
    except Refused:
        org = None
    if org is not None and org.get("resourceType") == "Organization":
        return pick_identifier(org, ctx.systems.unit, ()) if org.get("identifier") else \
            text(org, "name")
    if isinstance(ref, dict) and "Organization" in text(ref, "reference"):
        return text(ref, "display")
    return ""


def indication(res: dict, ctx: Context) -> str:
    """The clinical question: reasonCode texts, reasonReference displays, then notes."""
    parts = [concept_text(c, "reasonCode") for c in lst(res, "reasonCode")]
    for ref in objs(res, "reasonReference"):
        shown = text(ref, "display")
        if not shown:
            try:
                target = ctx.index.resolve(ref, "reasonReference", res)
            except Refused:
                target = None
            shown = concept_text(target.get("code"), "code") if target else ""
        parts.append(shown)
    parts += [text(n, "text") for n in objs(res, "note")]
    return " ; ".join(dict.fromkeys(p for p in parts if p))[:2000]


def imaging_appointment(res: dict, ctx: Context, concepts: list) -> ImagingExam | None:
    """An Appointment whose service is imaging -> ImagingExam (None: not imaging)."""
    label = " ".join(concept_text(c, "serviceType") for c in concepts if c).strip()
    modality = modality_of(label, concepts)
    if not modality:
        return None
    status = text(res, "status")
    if status not in _APPOINTMENT_STATUS:
        raise Ignored(f"rendez-vous d'imagerie au statut « {status or '?'} »")
    if not res.get("start"):
        raise Ignored("rendez-vous d'imagerie sans heure de début (start)")
    patient = next((p for p in objs(res, "participant")
                    if "Patient" in text(obj(p, "actor"), "reference")), None)
    if patient is None:
        raise Refused("participant : aucun patient")
    room = next((text(obj(p, "actor"), "display") for p in objs(res, "participant")
                 if "Location" in text(obj(p, "actor"), "reference")), "")
    return ImagingExam(id=text(res, "id"), ipp=ctx.ipp(patient, "actor"), modality=modality,
                       label=text(res, "description") or label,
                       scheduled_at=fhir_datetime(res["start"], "start"), room=room,
                       status=_APPOINTMENT_STATUS[status], indication=indication(res, ctx))
