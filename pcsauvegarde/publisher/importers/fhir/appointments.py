"""Map FHIR Appointment: imaging ones to ImagingExam, the others to consultation Appointment.

A consultation needs its clinic's unit (it decides which stations receive it) and, to call the
patient back, their phone. The unit and the practitioner are read from the participants
(Location, Practitioner, PractitionerRole), else from the Slot the appointment books and that
Slot's Schedule (whose actors name the clinic's Location and the practitioner). Schedule and
Slot are read for this resolution only (importer.SUPPORT_TYPES).
"""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Appointment, ImagingExam
from pcsauvegarde.publisher.importers.fhir.context import Context, pick_identifier
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.imaging import imaging_appointment, indication
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    concept_text,
    fhir_datetime,
    lst,
    number,
    obj,
    objs,
    text,
)

# FHIR Appointment.status -> Appointment.status (others are ignored, with their reason)
_STATUS = {"booked": "booked", "pending": "booked", "proposed": "booked",
           "arrived": "arrived", "checked-in": "arrived", "fulfilled": "fulfilled",
           "cancelled": "cancelled", "noshow": "noshow"}
_IGNORED = {"entered-in-error": "rendez-vous saisi par erreur",
            "waitlist": "demande en liste d'attente, sans rendez-vous fixé"}
_PHONE_USES = ("mobile", "home", "", "temp", "work")   # who answers a call back first


def map_appointment(res: dict, ctx: Context) -> ImagingExam | Appointment:
    """An imaging Appointment -> ImagingExam; any other -> a consultation Appointment."""
    concepts = (lst(res, "serviceCategory") + lst(res, "serviceType") + lst(res, "specialty")
                + [res.get("appointmentType")])
    exam = imaging_appointment(res, ctx, concepts)
    if exam is not None:
        return exam
    status = text(res, "status")
    if status not in _STATUS:
        raise Ignored(_IGNORED.get(status, f"rendez-vous au statut « {status or '?'} »"))
    slots = [s for s in (_resolve(ctx, ref, "slot", res, "Slot") for ref in lst(res, "slot"))
             if s]
    schedules = [s for s in (_resolve(ctx, slot.get("schedule"), "Slot.schedule", slot,
                                      "Schedule") for slot in slots) if s]
    start = _start(res, slots)
    patient = next((p for p in objs(res, "participant")
                    if "Patient" in text(obj(p, "actor"), "reference")), None)
    if patient is None:
        raise Refused("participant : aucun patient")
    ipp = ctx.ipp(patient, "actor")
    actors = ([(obj(p, "actor"), res) for p in objs(res, "participant")]
              + [(a, s) for s in schedules for a in objs(s, "actor")])
    unit, place = _clinic_unit(actors, ctx)
    if not unit:
        raise Refused("participant / slot : unité de consultation introuvable (ni Location "
                      "parmi les participants, ni Schedule du créneau qui en nomme une)")
    clinic = next((concept_text(c, "specialty") for c in
                   lst(res, "specialty") + lst(res, "serviceType")
                   + [c for s in schedules for c in lst(s, "specialty") + lst(s, "serviceType")]
                   if concept_text(c, "specialty")), "") or place
    reason = " ; ".join(x for x in dict.fromkeys((indication(res, ctx), text(res, "description")))
                        if x)
    return Appointment(id=text(res, "id"), ipp=ipp, unit=unit, start=start,
                       end=_end(res, slots, start), clinic=clinic,
                       practitioner=_practitioner(actors, ctx), reason=reason[:2000],
                       status=_STATUS[status], phone=_phone(ctx, patient))


def _resolve(ctx: Context, ref: object, field: str, container: dict, rtype: str
             ) -> dict | None:
    """The Slot or Schedule a reference points to; None when absent from the import."""
    return ctx.index.resolve(ref, field, container, (rtype,))


def _start(res: dict, slots: list[dict]) -> dt.datetime:
    if res.get("start"):
        return fhir_datetime(res["start"], "start")
    if slots and slots[0].get("start"):
        return fhir_datetime(slots[0]["start"], "Slot.start")
    raise Ignored("rendez-vous sans heure de début (start, ni créneau Slot daté)")


def _end(res: dict, slots: list[dict], start: dt.datetime) -> dt.datetime | None:
    if res.get("end"):
        end = fhir_datetime(res["end"], "end")
    elif number(res.get("minutesDuration"), "minutesDuration"):
        end = start + dt.timedelta(minutes=number(res["minutesDuration"], "minutesDuration")
                                   or 0)
    elif slots and slots[-1].get("end"):
        end = fhir_datetime(slots[-1]["end"], "Slot.end")
    else:
        return None
    if end < start:
        raise Refused("end : fin du rendez-vous avant son début")
    return end


def _clinic_unit(actors: list[tuple[dict, dict]], ctx: Context) -> tuple[str, str]:
    """(unit code, place name) from the first Location actor, its ward when it is a room."""
    for ref, container in actors:
        if "Location" not in text(ref, "reference") and text(ref, "type") != "Location":
            continue
        try:
            loc = ctx.index.resolve(ref, "actor", container, ("Location",))
        except Refused:
            loc = None
        if loc is None:
            if text(ref, "display"):
                return text(ref, "display"), text(ref, "display")
            continue
        place = text(loc, "name")
        for _ in range(6):   # room -> ward, bounded against cycles
            kind = ""
            for c in lst(obj(loc, "physicalType"), "coding"):
                kind = text(c, "code") if isinstance(c, dict) else kind
            if kind in ("wa", "") or not loc.get("partOf"):
                return pick_identifier(loc, ctx.systems.unit, ()), text(loc, "name") or place
            parent = ctx.index.resolve(loc.get("partOf"), "Location.partOf", loc, ("Location",))
            if parent is None:
                return pick_identifier(loc, ctx.systems.unit, ()), place
            loc = parent
    return "", ""


def _practitioner(actors: list[tuple[dict, dict]], ctx: Context) -> str:
    for ref, container in actors:
        if "PractitionerRole" in text(ref, "reference"):
            if text(ref, "display"):
                return text(ref, "display")
            try:
                role = ctx.index.resolve(ref, "actor", container)
            except Refused:
                role = None
            if role is not None:
                return ctx.person(role.get("practitioner"), "PractitionerRole.practitioner",
                                  role)
        elif "Practitioner" in text(ref, "reference"):
            return ctx.person(ref, "actor", container)
    return ""


def _phone(ctx: Context, participant: dict) -> str:
    """The patient's phone to call back: mobile, else home, else any (never an old one)."""
    try:
        target = ctx.index.resolve(participant.get("actor"), "actor", participant,
                                   ("Patient",))
    except Refused:
        return ""
    phones = [t for t in objs(target or {}, "telecom")
              if text(t, "system") == "phone" and text(t, "value") and text(t, "use") != "old"]
    for use in _PHONE_USES:
        for t in phones:
            if text(t, "use") == use:
                return text(t, "value")
    return text(phones[0], "value") if phones else ""
