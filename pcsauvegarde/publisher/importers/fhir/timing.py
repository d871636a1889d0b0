"""Map a FHIR Dosage (timing, asNeeded, dose, maxDosePerPeriod) to the canonical Timing."""

from __future__ import annotations

from pcsauvegarde.core.records import Timing
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    concept_text,
    fmt_number,
    lst,
    number,
    obj,
    objs,
    quantity_text,
    text,
)

_HOURS = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0, "wk": 168.0}
# HL7 GTSAbbreviation codes seen in exports instead of a repeat element.
_CODES_PER_DAY = {"QD": 1, "BID": 2, "TID": 3, "QID": 4, "AM": 1, "PM": 1}
_CODES_EVERY = {"Q1H": 1, "Q2H": 2, "Q3H": 3, "Q4H": 4, "Q6H": 6, "Q8H": 8, "Q12H": 12}


def dose_of(dosage: dict) -> tuple[str, str]:
    """(dose, unit) from doseAndRate: doseQuantity '2.5' 'mg' or doseRange '1-2' 'TAB'."""
    for item in objs(dosage, "doseAndRate"):
        if item.get("doseQuantity") is not None:
            return quantity_text(item["doseQuantity"], "doseAndRate.doseQuantity")
        if item.get("doseRange") is not None:
            rng = obj(item, "doseRange")
            low, unit = quantity_text(rng.get("low"), "doseAndRate.doseRange.low")
            high, high_unit = quantity_text(rng.get("high"), "doseAndRate.doseRange.high")
            return "-".join(v for v in (low, high) if v), unit or high_unit
    return "", ""


def timing_of(dosage: dict, dose: str, dose_unit: str) -> Timing:
    """The canonical Timing; anything not expressible falls back to kind 'text' (never lost)."""
    words = dosage_words(dosage)
    timing = obj(dosage, "timing")
    repeat = obj(timing, "repeat")
    prn = dosage.get("asNeededBoolean") is True or dosage.get("asNeededCodeableConcept") is not None
    if prn:
        return Timing(kind="as_needed", max_per_day=_max_per_day(dosage, dose, dose_unit),
                      min_interval_hours=_interval_hours(repeat, timing), text=words)
    times = [t for t in lst(repeat, "timeOfDay") if isinstance(t, str)]
    if times and not repeat.get("dayOfWeek"):
        hhmm = tuple(sorted({t[:5] for t in times}))
        if all(len(t) == 5 and t[2] == ":" for t in hhmm):
            return Timing(kind="fixed_times", times=hhmm, text=words)
    if repeat.get("dayOfWeek") or repeat.get("duration") is not None:
        return Timing(kind="text", text=words or "rythme non structuré")
    if repeat.get("count") == 1 and repeat.get("period") is None:
        return Timing(kind="once", text=words)
    if len(lst(timing, "event")) == 1 and not repeat:
        return Timing(kind="once", text=words)
    every = _interval_hours(repeat, timing)
    per_day = _per_day(repeat, timing)
    if per_day is not None:
        return Timing(kind="times_per_day", per_day=per_day, text=words)
    if every is not None:
        return Timing(kind="every_hours", every_hours=every, text=words)
    return Timing(kind="text", text=words or "posologie non structurée")


def dosage_words(dosage: dict) -> str:
    """The prescriber's words: text, additional instructions and patient instruction."""
    parts = [text(dosage, "text")]
    parts += [concept_text(c, "additionalInstruction")
              for c in lst(dosage, "additionalInstruction")]
    parts.append(text(dosage, "patientInstruction"))
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " ; ".join(seen)


def _period_hours(repeat: dict) -> float | None:
    period = number(repeat.get("period"), "timing.repeat.period")
    unit = text(repeat, "periodUnit")
    if period is None or period <= 0:
        return None
    if unit not in _HOURS:
        return None
    return period * _HOURS[unit]


def _frequency(repeat: dict) -> float:
    freq = number(repeat.get("frequency"), "timing.repeat.frequency")
    return freq if freq and freq > 0 else 1.0


def _per_day(repeat: dict, timing: dict) -> int | None:
    code = concept_text_code(timing)
    if not repeat and code in _CODES_PER_DAY:
        return _CODES_PER_DAY[code]
    if text(repeat, "periodUnit") == "d" and number(repeat.get("period"), "period") == 1:
        freq = _frequency(repeat)
        if freq == int(freq) and 0 < freq <= 24:
            return int(freq)
    return None


def _interval_hours(repeat: dict, timing: dict) -> float | None:
    """Hours between doses for 'every N h' style repeats (one week at most)."""
    code = concept_text_code(timing)
    if not repeat and code in _CODES_EVERY:
        return float(_CODES_EVERY[code])
    hours = _period_hours(repeat)
    if hours is None:
        return None
    every = round(hours / _frequency(repeat), 4)
    return every if 0 < every <= 168 and text(repeat, "periodUnit") != "wk" else None


def concept_text_code(timing: dict) -> str:
    """The Timing.code (BID, Q8H…) upper-cased, '' when absent."""
    concept = timing.get("code")
    if not isinstance(concept, dict):
        return ""
    for coding in objs(concept, "coding"):
        if text(coding, "code"):
            return text(coding, "code").upper()
    return text(concept, "text").upper()


def _max_per_day(dosage: dict, dose: str, dose_unit: str) -> int | None:
    """Doses per day allowed by maxDosePerPeriod (e.g. 4 g / 24 h with 1 g doses -> 4)."""
    ratio = dosage.get("maxDosePerPeriod")
    if not isinstance(ratio, dict):
        return None
    try:
        amount, unit = quantity_text(ratio.get("numerator"), "maxDosePerPeriod.numerator")
        per, per_unit = quantity_text(ratio.get("denominator"), "maxDosePerPeriod.denominator")
        amount_f = float(amount) if amount else None
        hours = float(per or 1) * _HOURS.get(per_unit or "d", 0)
        if amount_f is None or hours <= 0:
            return None
        if unit and dose_unit and unit == dose_unit and dose.replace(".", "", 1).isdigit():
            amount_f /= float(dose)
        elif unit and unit not in ("dose", "{dose}", "prise", "{prise}", dose_unit):
            return None
        count = amount_f * 24 / hours
    except (ValueError, Refused):
        return None
    return int(count) if count >= 1 and count == int(count) else None


__all__ = ["dosage_words", "dose_of", "fmt_number", "timing_of"]
