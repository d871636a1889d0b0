"""IHE PAM France movements: PV1 + ZBE (+ EVN) of an ADT event → the stay it leaves behind.

Admissions (A01 inpatient, A04 outpatient/emergency, A05 pre-admission), transfers and their
cancel (A02/A12), leave of absence (A21/A22), class changes (A06/A07), updates (A08, Z99),
discharge and its cancel (A03/A13), and cancels of an admission or pre-admission (A11/A38).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import hl7

from pcsauvegarde.core.records import Record, Stay
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, get, is_null, person, timestamp

ADMITS = {"A01": "inpatient", "A04": "outpatient", "A05": "inpatient", "A06": "inpatient",
          "A07": "outpatient"}
CANCELS = ("A11", "A38")
STAY_EVENTS = (*ADMITS, "A02", "A03", "A08", "A12", "A13", "A21", "A22", "Z99", *CANCELS)
CLASSES = {"I": "inpatient", "O": "outpatient", "E": "emergency", "R": "recurring",
           "P": "inpatient", "B": "inpatient"}


class Pending(Protocol):
    """What a movement needs from the message being applied (see importer._Ctx)."""

    def lookup(self, kind: str, rid: str) -> Record | None: ...
    def put(self, record: Record) -> None: ...
    def delete(self, kind: str, rid: str) -> None: ...
    def note(self, text: str) -> None: ...
    def locations(self, nda: str) -> list[tuple[str, str, str]]: ...


@dataclass(frozen=True)
class Zbe:
    """The PAM France movement segment: id, time, action, historic flag, units."""

    movement_id: str = ""
    at: dt.datetime | None = None
    action: str = ""
    historic: bool = False
    original_event: str = ""
    medical_unit: str = ""    # ZBE-7, UF de responsabilité médicale
    care_unit: str = ""       # ZBE-8, UF de soins

    @classmethod
    def of(cls, zbe: hl7.Segment | None) -> Zbe:
        if zbe is None:
            return cls()
        return cls(get(zbe, 1), timestamp(get(zbe, 2), "ZBE-2 (date du mouvement)"),
                   get(zbe, 4).upper(), get(zbe, 5).upper() == "Y", get(zbe, 6).upper(),
                   _unit(zbe, 7), _unit(zbe, 8))


def _unit(zbe: hl7.Segment, field: int) -> str:
    """An XON unit: its organisation identifier (XON-10), else its id or its name."""
    return get(zbe, field, 10) or get(zbe, field, 3) or get(zbe, field, 1)


def movement_time(zbe: Zbe, evn: hl7.Segment | None) -> dt.datetime | None:
    """When the movement happened: ZBE-2, else EVN-6 (event occurred), else EVN-2."""
    return zbe.at or timestamp(get(evn, 6), "EVN-6 (date de l'événement)") or timestamp(
        get(evn, 2), "EVN-2 (date de l'événement)")


def apply_movement(ctx: Pending, event: str, pv1: hl7.Segment | None, zbe: Zbe,
                   evn: hl7.Segment | None, ipp: str, nda: str, prior_nda: str = "") -> None:
    """Apply one ADT movement to the stay ``nda`` (creating, changing or removing it)."""
    previous = ctx.lookup("stay", nda)
    if prior_nda and prior_nda != nda and previous is None:  # A06/A07 with a new NDA
        previous = ctx.lookup("stay", prior_nda)
        if previous is not None:
            ctx.delete("stay", prior_nda)
            ctx.locations(nda)[:0] = ctx.locations(prior_nda)  # its earlier beds follow it
            ctx.note(f"séjour {prior_nda} renuméroté {nda}")
    if previous is not None and not isinstance(previous, Stay):
        previous = None
    if event in CANCELS:
        if previous is None:
            ctx.note(f"séjour {nda} inconnu : rien à annuler")
        else:
            ctx.delete("stay", nda)
        return
    at = movement_time(zbe, evn)
    ctx.put(_stay(ctx, event, pv1, zbe, at, ipp, nda, previous))


def _stay(ctx: Pending, event: str, pv1: hl7.Segment | None, zbe: Zbe, at: dt.datetime | None,
          ipp: str, nda: str, previous: Stay | None) -> Stay:
    history = ctx.locations(nda)
    pv1_unit = get(pv1, 3)
    unit = pv1_unit or zbe.care_unit or zbe.medical_unit or get(pv1, 10)
    room, bed = get(pv1, 3, 2), get(pv1, 3, 3)
    if previous is not None and not pv1_unit:  # unit from ZBE only: same room if same unit
        room, bed = ((previous.room, previous.bed) if unit in ("", previous.unit) else ("", ""))
    if event == "A12" and not pv1_unit and history:  # cancel transfer: back where it was
        unit, room, bed = history.pop()
    elif event == "A12" and history:
        history.pop()
    if previous is not None and zbe.historic:  # a past movement re-sent: not where it is now
        unit, room, bed = previous.unit, previous.room, previous.bed
        ctx.note("mouvement historique (ZBE-5 = Y) : emplacement actuel inchangé")
    if not unit:
        if previous is None:
            raise Refused("PV1-3 : unité de soins absente (ni PV1-3, ni ZBE-8/ZBE-7, ni PV1-10)")
        unit, room, bed = previous.unit, previous.room, previous.bed
    if (event == "A02" and previous is not None and not zbe.historic
            and (unit, room, bed) != (previous.unit, previous.room, previous.bed)):
        history.append((previous.unit, previous.room, previous.bed))
    admission = timestamp(get(pv1, 44), "PV1-44 (admission)") or (
        previous.admission if previous else None)
    if admission is None and event in ADMITS:
        admission = at
    if admission is None:
        raise Refused("PV1-44 : date d'admission absente (ni ZBE-2 ni EVN-6 pour une "
                      "admission)" if event in ADMITS else
                      f"PV1-44 : date d'admission absente et séjour {nda} inconnu")
    discharge = timestamp(get(pv1, 45), "PV1-45 (sortie)")
    if event == "A03" and discharge is None:
        discharge = at or timestamp("", "EVN-2/ZBE-2 (date de sortie)", required=True)
    elif event == "A13" or is_null(pv1, 45):
        discharge = None  # discharge cancelled, or deleted by the HL7 null
    elif discharge is None and previous is not None and event not in ADMITS:
        discharge = previous.discharge
    attending = person(pv1, 7) or ("" if is_null(pv1, 7) or previous is None
                                   else previous.attending)
    klass = CLASSES.get(get(pv1, 2).upper(), "")
    if not klass:
        klass = (ADMITS.get(event, "") if event in ADMITS or previous is None
                 else previous.encounter_class)
    planned = (event == "A05" or get(pv1, 2).upper() == "P") if event in ADMITS else (
        previous.planned if previous else False)
    if previous is not None:
        return dataclasses.replace(
            previous, id=nda, ipp=ipp, unit=unit, room=room, bed=bed, admission=admission,
            attending=attending, discharge=discharge, encounter_class=klass, planned=planned)
    return Stay(id=nda, ipp=ipp, unit=unit, admission=admission, room=room, bed=bed,
                attending=attending, discharge=discharge, encounter_class=klass,
                planned=planned)
