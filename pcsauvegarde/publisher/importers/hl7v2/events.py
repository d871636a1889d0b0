"""What each supported HL7 v2 message does: ADT (IHE PAM France), ORU^R01, RDE^O11, RAS^O17,
SIU^S12–S15 (scheduling.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hl7

from pcsauvegarde.core.records import Patient, Record
from pcsauvegarde.publisher.importers.bloodbank import BLOOD_BANK_CODES, NotBloodTyping
from pcsauvegarde.publisher.importers.hl7v2 import mapping as m
from pcsauvegarde.publisher.importers.hl7v2.identity import (
    Hl7Options,
    map_patient,
    nda_of,
    pick_ipp,
)
from pcsauvegarde.publisher.importers.hl7v2.movements import (
    STAY_EVENTS,
    Zbe,
    apply_movement,
)
from pcsauvegarde.publisher.importers.hl7v2.scheduling import SIU_EVENTS, siu
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, get, is_null

# event → what it does, in the words of the French profile (the operator's table)
ADT_EVENTS = {
    "A01": "admission en hospitalisation", "A04": "enregistrement externe ou urgences",
    "A05": "pré-admission (séjour prévu)", "A02": "mutation (changement d'unité, de lit)",
    "A12": "annulation de mutation", "A21": "absence temporaire", "A22": "retour d'absence",
    "A06": "passage externe → hospitalisé", "A07": "passage hospitalisé → externe",
    "A08": "mise à jour patient et séjour", "Z99": "mise à jour d'un mouvement (PAM FR)",
    "A03": "sortie", "A13": "annulation de sortie", "A11": "annulation d'admission",
    "A38": "annulation de pré-admission", "A28": "création d'identité (sans séjour)",
    "A31": "mise à jour d'identité (sans séjour)", "A40": "fusion d'identités (IPP)",
}
OTHER_EVENTS = {("ORU", "R01"): "résultats de biologie", ("RDE", "O11"): "prescriptions",
                ("RDE", "O01"): "prescriptions (2.3)", ("RAS", "O17"): "administrations",
                **{("SIU", e): text for e, text in SIU_EVENTS.items()}}
IDENTITY_ONLY = ("A28", "A31")


@dataclass
class Message:
    """A message being applied: its segments, event and the importer's pending changes."""

    ctx: Any  # importer._Ctx: lookup/put/delete/note/try_add/resolve/with_ipp/locations
    segments: list[hl7.Segment]
    trigger: str
    options: Hl7Options

    def first(self, name: str) -> hl7.Segment | None:
        return next((s for s in self.segments if str(s[0]) == name), None)

    def patient(self, pid: hl7.Segment | None, authoritative: bool) -> str:
        """The message's patient IPP; ADT (``authoritative``) creates or updates the identity,
        other messages only create a patient not known yet."""
        if pid is None:
            raise Refused("segment PID absent")
        ipp = self.ctx.resolve(pick_ipp(pid, 3, self.options, "PID-3"))
        known = self.ctx.lookup("patient", ipp)
        if known is not None and (not authoritative or not (get(pid, 5) or get(pid, 7))):
            return ipp  # only ADT says who the patient is; a bare PID-3 just points to them
        try:
            patient, notes = map_patient(pid, ipp)
        except Refused as exc:
            if known is None and authoritative:
                raise  # an unknown patient without a usable identity: nothing can be kept
            self.ctx.note(f"identité non mise à jour : {exc}" if known is not None
                          else f"patient {ipp} inconnu, identité inutilisable : {exc}")
            return ipp
        if isinstance(known, Patient):
            keep: dict[str, Any] = {"merged_ipps": known.merged_ipps}
            if notes and known.ins:  # an invalid INS does not erase a valid one
                keep |= {"ins": known.ins, "ins_status": known.ins_status}
            patient = dataclasses.replace(patient, **keep)
        for note in notes:
            self.ctx.note(note)
        self.ctx.put(patient)
        return ipp


def adt(msg: Message) -> None:
    event = msg.trigger
    if event == "A40":
        _merge(msg)
        return
    pid, pv1 = msg.first("PID"), msg.first("PV1")
    ipp = msg.patient(pid, authoritative=True)
    if event in STAY_EVENTS:
        nda = nda_of(pid, pv1, msg.options)
        if nda:
            apply_movement(msg.ctx, event, pv1, Zbe.of(msg.first("ZBE")), msg.first("EVN"),
                           ipp, nda, get(msg.first("MRG"), 5))
        elif event not in ("A08", "Z99"):
            where = ("segment PV1 absent" if pv1 is None else f"{msg.options.nda_field} "
                     "(numéro de séjour, NDA) absent")
            msg.ctx.note(f"{where} : aucun séjour créé ni modifié")
    _allergies_and_conditions(msg, ipp)


def _merge(msg: Message) -> None:
    """A40: each PID (survivor) with the MRG after it (merged IPP)."""
    pairs: list[tuple[hl7.Segment, hl7.Segment | None]] = []
    for seg in msg.segments:
        name = str(seg[0])
        if name == "PID":
            pairs.append((seg, None))
        elif name == "MRG" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], seg)
    if not pairs or any(mrg is None for _, mrg in pairs):
        raise Refused("A40 : segment MRG absent (IPP fusionné)")
    for pid, mrg in pairs:
        survivor = msg.patient(pid, authoritative=True)
        old = msg.ctx.resolve(pick_ipp(mrg, 1, msg.options, "MRG-1"))
        if old == survivor:
            raise Refused(f"MRG-1 : l'IPP fusionné {old} est celui du patient conservé")
        for record in msg.ctx.with_ipp(old):
            if record.TYPE != "patient":
                msg.ctx.put(dataclasses.replace(record, ipp=survivor))
        gone = msg.ctx.lookup("patient", old)
        msg.ctx.delete("patient", old)
        kept = msg.ctx.lookup("patient", survivor)
        merged = (*kept.merged_ipps, old, *(gone.merged_ipps if gone else ()))
        msg.ctx.put(dataclasses.replace(kept, merged_ipps=tuple(dict.fromkeys(merged))))
        msg.ctx.merges[old] = survivor


def _allergies_and_conditions(msg: Message, ipp: str) -> None:
    for seg in msg.segments:
        name = str(seg[0])
        if name == "AL1":
            msg.ctx.try_add(f"AL1 {get(seg, 1)}", lambda s=seg: m.map_allergy(s, ipp))
        elif name == "DG1":
            msg.ctx.try_add(f"DG1 {get(seg, 1)}", lambda s=seg: m.map_condition(s, ipp))


def oru(msg: Message) -> None:
    """ORU^R01: every OBX of every patient group; D/W/X remove, TX lines of one test join."""
    ipp = ""
    obr = None
    order_id = ""
    groups = uncoded = coded = 0
    control = msg.ctx.control or "message"
    for seg in msg.segments:
        name = str(seg[0])
        if name == "PID":
            ipp, obr, order_id = msg.patient(seg, authoritative=False), None, ""
        elif name == "ORC":
            order_id = get(seg, 3) or get(seg, 2)
        elif name == "OBR":
            obr, groups = seg, groups + 1
            order_id = get(obr, 3) or get(obr, 2) or order_id or f"{control}-{groups}"
        elif name == "OBX":
            if not ipp:
                raise Refused("segment PID absent")
            if not get(seg, 3, 1):
                uncoded += 1
                continue
            coded += 1
            _result(msg, seg, obr, order_id or f"{control}-0", ipp)
    if uncoded and not coded:
        raise Refused("aucun résultat codé : les OBX sans code d'analyse (OBX-3) sont du "
                      "texte de compte rendu, non importé")
    if uncoded:
        msg.ctx.note(f"{uncoded} ligne(s) OBX de compte rendu sans code d'analyse (OBX-3) "
                     "non importée(s)")


def _result(msg: Message, obx: hl7.Segment, obr, order_id: str, ipp: str) -> None:
    key = m.result_key(obx, order_id)
    if get(obx, 11).upper() in m.REMOVED_RESULT_STATUS or is_null(obx, 5):  # "" deletes
        msg.ctx.delete("lab_result", key)
        msg.ctx.delete("blood_typing", key)
        return

    def build() -> Record | None:
        result = m.map_result(obx, obr, order_id, ipp)
        earlier = msg.ctx.pending.get(("lab_result", key))
        if result is not None and earlier is not None and get(obx, 2).upper() in ("TX", "FT"):
            result = dataclasses.replace(result, value=f"{earlier.value}\n{result.value}")
        return result
    msg.ctx.try_add(f"OBX {get(obx, 1) or '?'}", build)
    if get(obx, 3, 1) in BLOOD_BANK_CODES:
        _blood_typing(msg, obx, obr, order_id, ipp)


def _blood_typing(msg: Message, obx: hl7.Segment, obr, order_id: str, ipp: str) -> None:
    """A blood-bank OBX (group, RAI) also as a BloodTyping; a value not read safely is noted
    (the result itself is kept), a preliminary one is not taken as the patient's group."""
    key = m.result_key(obx, order_id)
    if m.RESULT_STATUS.get(get(obx, 11).upper()) == "preliminary":
        msg.ctx.delete("blood_typing", key)
        return
    try:
        found = m.map_blood_typing(obx, obr, key, ipp)
    except (NotBloodTyping, Refused) as exc:
        msg.ctx.note(f"OBX {get(obx, 1) or '?'} : groupage / RAI non lu (résultat gardé) : "
                     f"{exc}")
        return
    for record in found:
        msg.ctx.try_add(f"OBX {get(obx, 1) or '?'}", lambda r=record: r)


def rde(msg: Message) -> None:
    """RDE^O11: ORC + RXE groups; the RXR after RXE (encoded route) wins over one before."""
    pid = msg.first("PID")
    ipp = msg.patient(pid, authoritative=False)
    nda = nda_of(pid, msg.first("PV1"), msg.options)
    _allergies_and_conditions(msg, ipp)
    groups: list[dict] = []
    for seg in msg.segments:
        name = str(seg[0])
        if name == "ORC":
            groups.append({"ORC": seg})
        elif name == "RXE":
            if not groups or "RXE" in groups[-1]:
                groups.append({})
            groups[-1]["RXE"] = seg
        elif name == "RXR":
            if not groups:
                groups.append({})
            groups[-1].setdefault("RXR" if "RXE" in groups[-1] else "RXR-before", seg)
        elif name == "TQ1" and groups:
            groups[-1].setdefault("TQ1", seg)
        elif name == "NTE" and groups:
            groups[-1].setdefault("NTE", []).append(get(seg, 3))
    for n, group in enumerate((g for g in groups if "RXE" in g), start=1):
        orc, rxe = group.get("ORC"), group["RXE"]
        order_id = (get(orc, 2) or get(orc, 3) or get(rxe, 15) or get(orc, 4)
                    or f"{msg.ctx.control or 'message'}-{n}")
        rxr = group.get("RXR") or group.get("RXR-before")
        msg.ctx.try_add(f"commande {order_id}", lambda o=orc, r=rxe, g=group, i=order_id, x=rxr:
                        m.map_order(o, r, x, g.get("TQ1"), ipp, nda, i,
                                    get(msg.first("MSH"), 7), g.get("NTE", [])))


def ras(msg: Message) -> None:
    """RAS^O17: one administration per RXA, attached to the order of its ORC."""
    ipp = msg.patient(msg.first("PID"), authoritative=False)
    orc = None
    for seg in msg.segments:
        name = str(seg[0])
        if name == "ORC":
            orc = seg
        elif name == "RXA":
            order_id = get(orc, 2) or get(orc, 3)
            if not order_id:
                raise Refused("ORC-2 : numéro de la prescription administrée absent")
            if get(seg, 21).upper() == "D":  # action code: delete
                msg.ctx.delete("medication_administration",
                               f"{order_id}-{get(seg, 2) or get(seg, 3)}")
                continue
            msg.ctx.try_add(f"RXA {get(seg, 2) or '?'}", lambda r=seg, o=orc, i=order_id:
                            m.map_administration(o, r, ipp, i))


EVENTS: dict[tuple[str, str], Callable[[Message], None]] = {
    **{("ADT", e): adt for e in ADT_EVENTS},
    ("ORU", "R01"): oru, ("RDE", "O11"): rde, ("RDE", "O01"): rde, ("RAS", "O17"): ras,
    **{("SIU", e): siu for e in SIU_EVENTS},
}
SUPPORTED = ("ADT " + "/".join(sorted(ADT_EVENTS)) + ", ORU^R01, RDE^O11, RAS^O17, SIU "
             + "/".join(SIU_EVENTS))
