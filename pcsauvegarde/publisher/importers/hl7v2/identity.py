"""Patient identity from PID per IHE PAM France: IPP by type and authority, INS by OID, names.

The IPP is never chosen by position: it is the PID-3 identifier whose type (CX-5) is one of
``ipp_types`` (PI) and whose assigning authority (CX-4, namespace or OID) is the hospital's.
An INS is recognised by its OID only, validated (key, Corsica); an invalid one is dropped and
reported, the patient is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import hl7

from pcsauvegarde.core.ins import ins_problem
from pcsauvegarde.core.records import Patient
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, date, get, reps

# INS assigning authorities: NIR, NIA, and their test OIDs (ANS, référentiel INS).
INS_OIDS = {"1.2.250.1.213.1.4.8": "NIR", "1.2.250.1.213.1.4.9": "NIA",
            "1.2.250.1.213.1.4.10": "NIR de test", "1.2.250.1.213.1.4.11": "NIA de test"}
INS_STATUS = {"PROV": "provisoire", "RECUP": "récupérée", "VALI": "validée", "QUAL": "qualifiée"}
SEX = {"M": "M", "F": "F", "U": "I", "O": "I", "A": "I", "N": "I", "I": "I"}
NDA_FIELDS = ("PV1-19", "PID-18")


@dataclass(frozen=True)
class Hl7Options:
    """How this hospital's HL7 feed carries its identifiers (publisher.toml ``[hl7v2]``)."""

    ipp_authorities: tuple[str, ...] = ()
    """PID-3.4 namespace or OID of the hospital's patient index; empty: any, if only one."""
    ipp_types: tuple[str, ...] = ("PI",)
    """PID-3.5 identifier types that hold the IPP (PI per IHE PAM France)."""
    nda_field: str = "PV1-19"
    """Where the stay number (NDA) is: PV1-19 or PID-18."""


def pick_ipp(seg: hl7.Segment | None, field: int, options: Hl7Options, where: str) -> str:
    """The IPP among the identifiers of a CX list (PID-3, MRG-1); Refused when none or several."""
    found: list[str] = []
    kept: dict[str, None] = {}
    authorities = {a.upper() for a in options.ipp_authorities}
    for rep in range(1, reps(seg, field) + 1):
        value = get(seg, field, 1, rep)
        kind = get(seg, field, 5, rep).upper()
        namespace, oid = get(seg, field, 4, rep, 1), get(seg, field, 4, rep, 2)
        if not value:
            continue
        found.append(" ".join(v for v in (kind or "sans type", namespace or oid) if v))
        if oid in INS_OIDS or kind not in options.ipp_types:
            continue
        if authorities and not authorities & {namespace.upper(), oid.upper()}:
            continue
        kept[value] = None
    wanted = "type " + "/".join(options.ipp_types) + (
        " de l'autorité " + " ou ".join(options.ipp_authorities) if authorities else "")
    if len(kept) == 1:
        return next(iter(kept))
    if not kept:
        seen = f" (trouvés : {', '.join(found)})" if found else ""
        raise Refused(f"{where} : aucun IPP ({wanted}){seen} ; l'identifiant n'est jamais "
                      "choisi par position")
    raise Refused(f"{where} : {len(kept)} identifiants différents de {wanted} : préciser "
                  "l'autorité de l'IPP (hl7v2.ipp_authorities dans publisher.toml)")


def nda_of(pid: hl7.Segment | None, pv1: hl7.Segment | None, options: Hl7Options) -> str:
    """The stay number from PV1-19 or PID-18 (per configuration), "" when absent or null."""
    return get(pid, 18) if options.nda_field == "PID-18" else get(pv1, 19)


def ins_of(pid: hl7.Segment) -> tuple[str, str]:
    """(valid INS or "", French note on an INS that was found and dropped, or "")."""
    for rep in range(1, reps(pid, 3) + 1):
        oid = get(pid, 3, 4, rep, 2)
        value = get(pid, 3, 1, rep)
        if oid in INS_OIDS and value:
            problem = ins_problem(value.upper())
            if problem:
                return "", f"INS ({INS_OIDS[oid]}) invalide ignoré : {problem}"
            return value.upper(), ""
    return "", ""


def given_names(first: str, listed: str) -> tuple[str, str]:
    """(premier prénom, prénoms) from PID-5.2 and PID-5.3.

    IHE PAM France puts the first given name in 5.2 and the full list in 5.3 (which then
    starts with it); older senders put only the other given names in 5.3.
    """
    if not listed:
        return first, first
    if not first:
        return listed.split()[0], listed
    if listed == first or listed.startswith(first + " "):
        return first, listed
    return first, f"{first} {listed}"


def map_patient(pid: hl7.Segment, ipp: str) -> tuple[Patient, list[str]]:
    """PID → Patient and notes on what was dropped (an invalid INS); birth name from the L
    (legal) name, used name from D (display)."""
    names = {get(pid, 5, 7, rep).upper() or "L": rep for rep in range(reps(pid, 5), 0, -1)}
    legal = names.get("L", 1)
    birth_name = get(pid, 5, 1, legal)
    first_name, first_names = given_names(get(pid, 5, 2, legal), get(pid, 5, 3, legal))
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
    ins, note = ins_of(pid)
    patient = Patient(
        id=ipp, birth_name=birth_name.upper(), first_names=first_names, first_name=first_name,
        birth_date=date(get(pid, 7), "PID-7 (date de naissance)"), sex=sex,
        used_name=get(pid, 5, 1, used).upper() if used else "",
        used_first_name=get(pid, 5, 2, used) if used else "",
        birth_place_code=birth_place, ins=ins,
        ins_status=INS_STATUS.get(get(pid, 32).upper(), "") if ins else "",
        deceased=get(pid, 30).upper() == "Y")
    return patient, [note] if note else []
