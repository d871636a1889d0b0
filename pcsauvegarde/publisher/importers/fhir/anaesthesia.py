"""An ASA physical status Observation → anaesthesia_assessment (the class read from its code)."""

from __future__ import annotations

from pcsauvegarde.core.records import AnaesthesiaAssessment
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    effective_time,
    human_name,
    obj,
    objs,
    optional_datetime,
    text,
)

SNOMED = "http://snomed.info/sct"
# SNOMED CT « American Society of Anesthesiologists physical status class N » findings
ASA_CODES = {"413495001": "1", "413496000": "2", "413497009": "3", "413498004": "4",
             "413499007": "5", "413500003": "6"}


def asa_class(res: dict) -> str:
    """The ASA class an Observation's value states by its SNOMED CT code ('' when none)."""
    for coding in codings(res.get("valueCodeableConcept"), "valueCodeableConcept"):
        if text(coding, "system") in (SNOMED, "") and text(coding, "code") in ASA_CODES:
            return ASA_CODES[text(coding, "code")]
    return ""


def map_asa(res: dict, ctx: Context, asa: str) -> AnaesthesiaAssessment:
    """The consultation's ASA class, its date, who assessed and its note."""
    at = effective_time(res) or optional_datetime(res, "issued")
    if at is None:
        raise Refused("effective[x] : date de la consultation d'anesthésie absente")
    who = next((text(p, "display") for p in objs(res, "performer") if text(p, "display")), "")
    note = " ".join(text(n, "text") for n in objs(res, "note")).strip()
    if not who:
        who = human_name(obj(res, "performer")) if isinstance(res.get("performer"), dict) else ""
    return AnaesthesiaAssessment(id=text(res, "id"), ipp=ctx.ipp(res), at=at, asa=asa,
                                 anaesthetist=who, notes=note)
