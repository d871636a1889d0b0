"""HL7 v2 SIU (scheduling) messages → consultation appointments.

S12 (new booking), S13 (rescheduled), S14 (modified) and S15 (cancelled) all describe the
whole appointment again, so each replaces the one of the same id: SCH-2 (filler appointment
id), else SCH-1 (placer). S15 keeps the appointment as « cancelled »: the clinic still calls
the patient. The patient is found by PID-3 (type and authority, never position); the clinic's
unit is AIL-3.1 (point of care), else PV1-3.1; the time SCH-11.4/5 (TQ), else TQ1-7/8, else
AIS-4 / AIL-6; the practitioner the first AIP-3; the patient's phone PID-13 (mobile first),
else PID-14. A message missing what an appointment needs is refused whole.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import hl7

from pcsauvegarde.core.records import Appointment
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, get, person, reps, timestamp

if TYPE_CHECKING:
    from pcsauvegarde.publisher.importers.hl7v2.events import Message

SIU_EVENTS = {"S12": "nouveau rendez-vous", "S13": "rendez-vous déplacé",
              "S14": "rendez-vous modifié", "S15": "rendez-vous annulé"}
# SCH-25 filler status (HL7 table 0278) → Appointment.status
_STATUS = {"BOOKED": "booked", "PENDING": "booked", "OVERBOOK": "booked", "STARTED": "arrived",
           "COMPLETE": "fulfilled", "CANCELLED": "cancelled", "DC": "cancelled",
           "DELETED": "cancelled", "NOSHOW": "noshow"}
_UNITS = {"S": 1, "SEC": 1, "M": 60, "MIN": 60, "H": 3600, "HR": 3600, "HOUR": 3600}
_MOBILE = ("CP", "BP")         # XTN-3 equipment: cellular phone, beeper
_NOT_A_PHONE = ("NET", "X.400", "Internet", "FX")


def siu(msg: Message) -> None:
    """SIU^S12–S15: one appointment (SCH + PID + resources), applied whole or refused."""
    sch = msg.first("SCH")
    if sch is None:
        raise Refused("segment SCH absent")
    rid = get(sch, 2) or get(sch, 1)
    if not rid:
        raise Refused("SCH-2 / SCH-1 : identifiant du rendez-vous absent")
    pid = msg.first("PID")
    ipp = msg.patient(pid, authoritative=False)
    ail, aip, ais = msg.first("AIL"), msg.first("AIP"), msg.first("AIS")
    pv1 = msg.first("PV1")
    unit = get(ail, 3, 1) or get(pv1, 3, 1)
    if not unit:
        raise Refused("AIL-3.1 (ou PV1-3.1) : unité de la consultation absente")
    start = (timestamp(get(sch, 11, 4), "SCH-11.4")
             or timestamp(get(msg.first("TQ1"), 7), "TQ1-7")
             or timestamp(get(ais, 4), "AIS-4") or timestamp(get(ail, 6), "AIL-6"))
    if start is None:
        raise Refused("SCH-11.4 / TQ1-7 / AIS-4 / AIL-6 : heure du rendez-vous absente")
    end = (timestamp(get(sch, 11, 5), "SCH-11.5")
           or timestamp(get(msg.first("TQ1"), 8), "TQ1-8") or _after(start, sch))
    if end is not None and end < start:
        raise Refused("SCH-11.5 : fin du rendez-vous avant son début")
    status = "cancelled" if msg.trigger == "S15" else _status(get(sch, 25))
    clinic = get(ais, 3, 2) or get(ail, 3, 9) or get(ail, 4, 2) or get(sch, 8, 2)
    reason = " ; ".join(dict.fromkeys(v for v in (get(sch, 7, 2) or get(sch, 7, 1),
                                                  get(sch, 6, 2)) if v))
    msg.ctx.put(Appointment(id=rid, ipp=ipp, unit=unit, start=start, end=end, clinic=clinic,
                            practitioner=person(aip, 3) if aip is not None else "",
                            reason=reason, status=status, phone=phone_of(pid)))


def _status(code: str) -> str:
    if not code:
        return "booked"
    found = _STATUS.get(code.upper())
    if found is None:
        raise Refused(f"SCH-25 : statut de rendez-vous « {code} » inconnu "
                      f"({', '.join(k.capitalize() for k in _STATUS)})")
    return found


def _after(start: dt.datetime, sch: hl7.Segment) -> dt.datetime | None:
    """The end from SCH-9 (duration) and SCH-10 (its unit, minutes by default)."""
    raw = get(sch, 9)
    if not raw:
        return None
    try:
        amount = float(raw.replace(",", "."))
    except ValueError:
        raise Refused(f"SCH-9 : durée invalide « {raw} »") from None
    unit = (get(sch, 10) or "MIN").upper()
    if unit not in _UNITS or not 0 < amount * _UNITS[unit] <= 24 * 3600:
        raise Refused(f"SCH-9/SCH-10 : durée « {raw} {unit} » invalide")
    return start + dt.timedelta(seconds=amount * _UNITS[unit])


def phone_of(pid: hl7.Segment | None) -> str:
    """The number to call the patient back: a mobile of PID-13, else any phone of PID-13,
    else of PID-14 (XTN-1 formatted, else XTN-12 unformatted, else XTN-6 + XTN-7)."""
    found: list[tuple[bool, str]] = []
    for field in (13, 14):
        for rep in range(1, reps(pid, field) + 1):
            if get(pid, field, 3, rep) in _NOT_A_PHONE or get(pid, field, 2, rep) == "NET":
                continue
            number = (get(pid, field, 1, rep) or get(pid, field, 12, rep)
                      or " ".join(v for v in (get(pid, field, 6, rep),
                                              get(pid, field, 7, rep)) if v))
            if number:
                found.append((get(pid, field, 3, rep) in _MOBILE, number))
    mobile = [n for is_mobile, n in found if is_mobile]
    return (mobile or [n for _, n in found] or [""])[0]
