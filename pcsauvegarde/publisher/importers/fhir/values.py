"""Typed, defensive readers for FHIR JSON values (a bad value raises Refused naming the field)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL = re.compile(r"^\d{4}(-\d{2})?$")


class Refused(Exception):
    """A resource that cannot be mapped; the message is French and names the field."""


def obj(res: dict, name: str, required: bool = False) -> dict:
    """The JSON object at ``name`` ({} when absent and optional)."""
    value = res.get(name)
    if value is None:
        if required:
            raise Refused(f"{name} : champ obligatoire absent")
        return {}
    if not isinstance(value, dict):
        raise Refused(f"{name} : objet JSON attendu")
    return value


def lst(res: dict, name: str) -> list:
    """The JSON array at ``name`` ([] when absent); a lone object is tolerated as one item."""
    value = res.get(name)
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise Refused(f"{name} : liste attendue")
    return value


def objs(res: dict, name: str) -> list[dict]:
    """The objects of the array at ``name``, refusing non-object items."""
    items = lst(res, name)
    if any(not isinstance(item, dict) for item in items):
        raise Refused(f"{name} : éléments objets attendus")
    return items


def text(res: dict, name: str) -> str:
    """The string at ``name`` ("" when absent)."""
    value = res.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Refused(f"{name} : texte attendu")
    return str(value).strip()


def number(value: Any, name: str) -> float | None:
    """A JSON number or None; refuse strings and booleans."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(f"{name} : nombre attendu")
    return float(value)


def fmt_number(value: float) -> str:
    """2.0 -> '2', 2.5 -> '2.5' (no float noise)."""
    return f"{value:.6g}" if value != int(value) else str(int(value))


def concept_text(concept: Any, name: str) -> str:
    """Best human label of a CodeableConcept: text, then the first coding display, then code."""
    if concept is None:
        return ""
    if not isinstance(concept, dict):
        raise Refused(f"{name} : CodeableConcept attendu")
    label = text(concept, "text")
    if label:
        return label
    for coding in objs(concept, "coding"):
        label = text(coding, "display")
        if label:
            return label
    for coding in objs(concept, "coding"):
        label = text(coding, "code")
        if label:
            return label
    return ""


def codings(concept: Any, name: str) -> list[dict]:
    """The codings of a CodeableConcept (or of a lone Coding)."""
    if concept is None:
        return []
    if not isinstance(concept, dict):
        raise Refused(f"{name} : CodeableConcept attendu")
    if "coding" in concept:
        return objs(concept, "coding")
    return [concept] if "code" in concept else []


def first_code(concept: Any, name: str, systems: tuple[str, ...] = ()) -> str:
    """The code of the first coding, preferring the given systems."""
    found = codings(concept, name)
    for system in systems:
        for coding in found:
            if text(coding, "system") == system and text(coding, "code"):
                return text(coding, "code")
    for coding in found:
        if text(coding, "code"):
            return text(coding, "code")
    return ""


def status_code(concept: Any, name: str) -> str:
    """The code of a status CodeableConcept (clinicalStatus, verificationStatus)."""
    return first_code(concept, name).lower()


def quantity_text(qty: Any, name: str) -> tuple[str, str]:
    """(value, unit) of a Quantity, e.g. ('2.5', 'mg'); comparator kept in front."""
    if qty is None:
        return "", ""
    if not isinstance(qty, dict):
        raise Refused(f"{name} : Quantity attendue")
    value = number(qty.get("value"), f"{name}.value")
    unit = text(qty, "unit") or text(qty, "code")
    shown = "" if value is None else text(qty, "comparator") + fmt_number(value)
    return shown, unit


def fhir_datetime(value: Any, name: str, end_of_day: bool = False) -> dt.datetime:
    """Parse a FHIR dateTime/instant to aware UTC.

    A date alone is local midnight (or 23:59 when ``end_of_day``); a time without offset is
    Europe/Paris; a year or year-month alone is refused as too imprecise.
    """
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"{name} : date-heure absente ou invalide")
    raw = value.strip()
    if _PARTIAL.match(raw):
        raise Refused(f"{name} : date « {raw} » trop imprécise (jour attendu)")
    try:
        if _DATE.match(raw):
            day = dt.date.fromisoformat(raw)
            clock = dt.time(23, 59) if end_of_day else dt.time(0, 0)
            return dt.datetime.combine(day, clock, PARIS).astimezone(UTC)
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise Refused(f"{name} : date-heure invalide « {raw} »") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed.astimezone(UTC)


def fhir_date(value: Any, name: str) -> dt.date:
    """Parse a FHIR date (full date required; a dateTime keeps its local date)."""
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"{name} : date absente ou invalide")
    raw = value.strip()
    if _PARTIAL.match(raw):
        raise Refused(f"{name} : date « {raw} » trop imprécise (jour attendu)")
    if _DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise Refused(f"{name} : date invalide « {raw} »") from None
    return fhir_datetime(raw, name).astimezone(PARIS).date()


def optional_datetime(res: dict, name: str, end_of_day: bool = False) -> dt.datetime | None:
    """``fhir_datetime`` of ``res[name]``, None when absent."""
    value = res.get(name)
    return None if value in (None, "") else fhir_datetime(value, name, end_of_day)


def effective_time(res: dict, prefix: str = "effective") -> dt.datetime | None:
    """The time of ``<prefix>DateTime``, ``<prefix>Instant`` or ``<prefix>Period.start``."""
    for suffix in ("DateTime", "Instant"):
        if res.get(prefix + suffix) not in (None, ""):
            return fhir_datetime(res[prefix + suffix], prefix + suffix)
    period = obj(res, prefix + "Period")
    if period.get("start"):
        return fhir_datetime(period["start"], f"{prefix}Period.start")
    return None


def human_name(name: dict) -> str:
    """'Prénom NOM' of a HumanName (its text when present)."""
    if text(name, "text"):
        return text(name, "text")
    given = " ".join(str(g) for g in lst(name, "given") if isinstance(g, str))
    return " ".join(part for part in (given, text(name, "family")) if part)
