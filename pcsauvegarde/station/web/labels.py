"""Template filters: record codes in the French words the paper uses (no English code shown)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pcsauvegarde.core.records import Allergy
from pcsauvegarde.station.documents import fmt
from pcsauvegarde.station.documents.base import format_ins
from pcsauvegarde.station.documents.patient_summary import (
    ALLERGY_STATUS,
    CONDITION_STATUS,
    HIDDEN_STATUS,
)

# FHIR AllergyIntolerance reaction severity / criticality codes (the importer keeps either in
# ``severity``) and HL7 v2 AL1-4 codes, as printed on paper.
SEVERITY = {"severe": "réaction sévère", "sv": "réaction sévère",
            "moderate": "réaction modérée", "mo": "réaction modérée",
            "mild": "réaction légère", "mi": "réaction légère",
            "high": "criticité élevée", "low": "criticité faible",
            "unable-to-assess": "criticité non évaluable"}
ANAPHYLAXIS = ("anaphyla", "quincke")


def shown(records: Iterable[Any]) -> list[Any]:
    """Allergies or conditions minus those the source says were wrong (refuted, in error)."""
    return [r for r in records if r.status not in HIDDEN_STATUS]


def condition_status(code: str) -> str:
    """« résolu », « en rémission »…; nothing for an active one."""
    return "" if code in ("", "active") else CONDITION_STATUS.get(code, code)


def allergy_details(a: Allergy) -> str:
    """« anaphylaxie, criticité élevée, suspectée »: what follows the substance."""
    words = [a.reaction] if a.reaction else []
    for code in (a.severity, getattr(a, "criticality", "")):
        if code:
            words.append(SEVERITY.get(code.strip().lower(), code))
    if a.status and a.status != "active":
        words.append(ALLERGY_STATUS.get(a.status, a.status))
    return ", ".join(words)


def is_anaphylaxis(a: Allergy) -> bool:
    text = f"{a.reaction} {a.substance}".casefold()
    return any(w in text for w in ANAPHYLAXIS)


FILTERS = {"format_ins": format_ins, "condition_status": condition_status,
           "allergy_details": allergy_details, "shown": shown,
           "format_number_text": fmt.format_number_text, "format_time": fmt.format_time, "lab_flag": fmt.format_lab_flag,
           "sex_label": lambda code: fmt.SEX_LABELS.get(code, code)}
TESTS = {"anaphylaxis": is_anaphylaxis}
GLOBALS = {"LAB_FLAG_LEGEND": fmt.LAB_FLAG_LEGEND}
