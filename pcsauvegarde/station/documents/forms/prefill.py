"""Facts a form prints already filled in from the patient file (pure), or says are missing."""

from __future__ import annotations

from pcsauvegarde.core.records import LabResult
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import decimal_commas, format_local
from pcsauvegarde.station.documents.templates import Template
from pcsauvegarde.station.lab import bloodbank

# LOINC codes of the lab facts forms print; labels as a fallback for sources without LOINC.
WEIGHT = ({"29463-7", "3141-9"}, ("poids",))
MISSING = {"groupe_sanguin": bloodbank.NO_GROUP, "rai": bloodbank.NO_RAI,
           "poids": "non disponible dans l'extrait"}


def latest(results: tuple[LabResult, ...], codes: set[str],
           labels: tuple[str, ...]) -> LabResult | None:
    """The most recent result of a test, found by LOINC code, else by a word of its label."""
    def matches(r: LabResult) -> bool:
        label = r.label.casefold()
        return r.code in codes or any(w == label or label.startswith(f"{w} ") for w in labels)
    found = [r for r in results if matches(r)]
    return max(found, key=lambda r: r.collected_at) if found else None


def _value(r: LabResult) -> str:
    return decimal_commas(" ".join(v for v in (r.value, r.unit) if v))


def fact(name: str, file: PatientFile, ctx: DocumentContext, t: Template) -> str:
    """The printed value of fact ``name`` (spec.FACTS), or "" when the file lacks it."""
    if name == "unite":
        stay = file.stay
        if stay is None:
            return ""
        where = [file.unit_name or stay.unit]
        where += [f"ch. {stay.room}"] * bool(stay.room) + [f"lit {stay.bed}"] * bool(stay.bed)
        return " · ".join(where)
    if name == "date_impression":
        return format_local(ctx.printed_at)
    if name == "allergies":
        state = allergy_state(file.allergies)
        if not state.current:
            return absence_text(state, t)
        return " · ".join(describe(a, t) for a in state.current)
    if name == "poids":
        r = latest(file.lab_results, *WEIGHT)
        return f"{_value(r)} (le {format_local(r.collected_at)})" if r else ""
    if name in ("groupe_sanguin", "rai"):
        # station/lab/bloodbank.py owns the reading (coded records only; RAI validity)
        status = bloodbank.blood_status(file.blood_typings, file.transfusions, ctx.printed_at)
        if name == "groupe_sanguin":
            return bloodbank.group_text(status) if status.known or status.discordance else ""
        return bloodbank.rai_text(status) if status.rai is not None else ""
    raise KeyError(name)
