"""How a patient's identity reads on paper: built once here, worded in identity.toml.

Identity-monitoring practice (identitovigilance): birth name in capitals, then the birth first
names; the used name and first name (« nom d'usage ») apart and never in place of the birth
name; birth date and sex; IPP, NDA and the INS with its status when known. Every document,
label and wristband takes its lines from :func:`identity_lines`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.records import Patient, Stay
from pcsauvegarde.station.documents.fmt import format_date, format_local, format_person_age
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, Template, load_template

KIND = "identity"
ALLERGY_KEYS = ("title", "anaphylaxis", "none_known", "none_known_drug", "none_known_food",
                "none_known_environment", "unknown", "unknown_short", "severity_severe",
                "severity_moderate", "severity_mild", "criticality_high", "criticality_low",
                "criticality_unknown", "unconfirmed")
SEXES = ("F", "M", "I")
SCHEMA: dict[str, tuple[str, ...]] = {
    **{f"allergies.{k}": () for k in ALLERGY_KEYS},
    "allergies.present": ("list",), "allergies.more": ("count",),
    "identity.names": ("birth_name", "first_names"),
    "identity.used_name": ("used_name",), "identity.used_first_name": ("used_first_name",),
    "identity.birth": ("born", "birth_date"), "identity.age": ("age",),
    "identity.sex": ("sex",), "identity.ipp": ("ipp",), "identity.nda": ("nda",),
    "identity.ins": ("ins",), "identity.ins_status": ("ins", "status"),
    "identity.unit": ("unit",), "identity.room": ("room",), "identity.bed": ("bed",),
    "identity.provisional": (),
    **{f"identity.born_{s}": () for s in SEXES}, **{f"identity.sex_{s}": () for s in SEXES},
    **{f"identity.deceased_{s}": () for s in SEXES},
    **{f"identity.discharged_{s}": ("date",) for s in SEXES},
    "identity.deceased_open_stay": ("deceased",),
}


def load(directory: Path | str | None = None) -> Template:
    """The identity texts; TemplateError names file and key. Cached while the file is unchanged
    (the band is drawn on every page of every document of a bundle). A ``directory`` without
    its own identity.toml uses the shipped one: every document MUST have an identity band."""
    folder = Path(directory) if directory is not None else DEFAULT_DIR
    if not (folder / f"{KIND}.toml").exists():
        folder = DEFAULT_DIR
    try:
        version = (folder / f"{KIND}.toml").stat().st_mtime_ns
    except OSError:
        version = -1
    return _load(str(folder), version)


@functools.lru_cache(maxsize=8)
def _load(folder: str, version: int) -> Template:
    return load_template(KIND, SCHEMA, folder)


def format_ins(ins: str) -> str:
    """INS/NIR grouped as printed on the Carte Vitale: « 2 48 02 75 123 456 78 »."""
    if len(ins) != 15:
        return ins
    cuts = (1, 3, 5, 7, 10, 13, 15)
    return " ".join(ins[a:b] for a, b in zip((0, *cuts[:-1]), cuts, strict=True))


@dataclass(frozen=True)
class IdentityLines:
    """Each identity fact as printed; empty when the record lacks it. Layouts pick and join."""

    names: str          # « LEFÈVRE-DUBOIS  Hélène Marie-Noëlle »
    birth_name: str     # « LEFÈVRE-DUBOIS »
    first_names: str    # « Hélène Marie-Noëlle »
    used: str           # « Nom d'usage : MARTIN · Prénom d'usage : Léna »
    birth: str          # « Née le 03/02/1948 »
    age: str            # « (78 ans) »
    sex: str            # « Sexe : féminin »
    deceased: str       # « DÉCÉDÉE », with « séjour encore ouvert… » when the stay is open
    discharged: str     # « SORTIE LE 27/11/2026 10:00 » when the stay has ended
    ipp: str            # « IPP : 00123456 »
    nda: str            # « NDA : 2026000789 »
    ins: str            # « INS : 2 48 02 75 123 456 78 (qualifiée) »
    where: str          # « Cardiologie · ch. 12 · lit B »
    provisional: str    # « IDENTITÉ PROVISOIRE » for a downtime admission


def identity_lines(t: Template, patient: Patient, stay: Stay | None = None, *,
                   unit_name: str = "", today: dt.date | None = None,
                   provisional: bool = False) -> IdentityLines:
    """The identity of ``patient`` (and ``stay``) as printed, in the template's words (pure)."""
    p = patient
    sex = p.sex if p.sex in SEXES else "I"
    used = []
    if p.used_name and p.used_name.casefold() != p.birth_name.casefold():
        used.append(t.text("identity.used_name", used_name=p.used_name.upper()))
    if p.used_first_name and p.used_first_name.casefold() not in p.first_names.casefold().split():
        used.append(t.text("identity.used_first_name", used_first_name=p.used_first_name))
    ins = ""
    if p.ins:
        ins = (t.text("identity.ins_status", ins=format_ins(p.ins), status=p.ins_status)
               if p.ins_status else t.text("identity.ins", ins=format_ins(p.ins)))
    where = ""
    if stay is not None:
        parts = [t.text("identity.unit", unit=unit_name or stay.unit)]
        if stay.room:
            parts.append(t.text("identity.room", room=stay.room))
        if stay.bed:
            parts.append(t.text("identity.bed", bed=stay.bed))
        where = " · ".join(parts)
    return IdentityLines(
        names=t.text("identity.names", birth_name=p.birth_name.upper(),
                     first_names=p.first_names),
        birth_name=p.birth_name.upper(), first_names=p.first_names, used=" · ".join(used),
        birth=t.text("identity.birth", born=t.text(f"identity.born_{sex}"),
                     birth_date=format_date(p.birth_date)),
        age=(t.text("identity.age", age=format_person_age(p.birth_date, today))
             if today is not None else ""),
        sex=t.text("identity.sex", sex=t.text(f"identity.sex_{sex}")),
        deceased=_deceased(t, p, stay, sex),
        discharged=(t.text(f"identity.discharged_{sex}", date=format_local(stay.discharge))
                    if stay is not None and stay.discharge is not None else ""),
        ipp=t.text("identity.ipp", ipp=p.id),
        nda=t.text("identity.nda", nda=stay.id) if stay is not None else "",
        ins=ins, where=where,
        provisional=t.text("identity.provisional") if provisional else "")


def _deceased(t: Template, p: Patient, stay: Stay | None, sex: str) -> str:
    """« DÉCÉDÉE », and the contradiction said aloud when the record still has the stay open."""
    if not p.deceased:
        return ""
    word = t.text(f"identity.deceased_{sex}")
    if stay is not None and stay.discharge is None:
        return t.text("identity.deceased_open_stay", deceased=word)
    return word


def warnings(t: Template, patient: Patient, stay: Stay | None) -> list[str]:
    """What MUST be shouted about this patient before any care (deceased, discharged), in the
    words of paper: for screens that want to say the same (pure)."""
    who = identity_lines(t, patient, stay)
    return [w for w in (who.deceased, who.discharged) if w]
