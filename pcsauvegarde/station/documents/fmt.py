"""French formatting of dates, ages, durations and medication timings (pure; reused by the UI)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from pcsauvegarde.core.records import Allergy, Timing

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
SEX_LABELS = {"M": "masculin", "F": "féminin", "I": "indéterminé"}


def to_local(value: dt.datetime) -> dt.datetime:
    """Convert an instant to Europe/Paris; a naive datetime is taken as UTC (the wire rule)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def format_local(value: dt.datetime) -> str:
    """« 27/11/2026 14:05 » in Europe/Paris time."""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def format_time(value: dt.datetime) -> str:
    """« 14:05 » in Europe/Paris time."""
    return to_local(value).strftime("%H:%M")


def format_date(value: dt.date) -> str:
    """« 03/02/1948 »; a datetime is first converted to its Europe/Paris date."""
    if isinstance(value, dt.datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def format_age(delta: dt.timedelta) -> str:
    """How old data is, in words: « il y a 42 s », « il y a 12 min », « il y a 2 h 05 »…"""
    seconds = int(delta.total_seconds())
    minutes = seconds // 60
    if minutes < -1:
        # The extract claims to be from the future: a clock is wrong somewhere; say so.
        return "date postérieure à l'impression — vérifier l'horloge"
    if minutes < 1:
        # pulls every 15 s: under a minute the age is said to the second
        return f"il y a {max(seconds, 0)} s"
    if minutes < 60:
        return f"il y a {minutes} min"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"il y a {hours} h {mins:02d}"
    days, hours = divmod(hours, 24)
    if days < 3 and hours:
        return f"il y a {days} j {hours} h"
    return f"il y a {days} j"


def data_age(extracted_at: dt.datetime | None, now: dt.datetime) -> str:
    """« données du 27/11/2026 14:05 (il y a 12 min) »: THE data-age text (screens, paper)."""
    if extracted_at is None:
        return "données : date inconnue"
    return f"données du {format_local(extracted_at)} ({format_age(now - extracted_at)})"


def freshness(extracted_at: dt.datetime | None, printed_at: dt.datetime) -> str:
    """The degraded-mode footer of every page: « MODE DÉGRADÉ — » and the data age."""
    return f"MODE DÉGRADÉ — {data_age(extracted_at, printed_at)}"


def allergy_text(allergy: Allergy) -> str:
    """« Iode » or « Iode (non confirmée) »: an active allergy as papers and screens name it."""
    return f"{allergy.substance} (non confirmée)" if allergy.unconfirmed else allergy.substance


def format_person_age(birth: dt.date, on: dt.date) -> str:
    """Age at a date: « 78 ans », « 14 mois », « 12 j »."""
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months >= 24:
        return f"{months // 12} ans"
    if months >= 1:
        return f"{months} mois"
    return f"{max((on - birth).days, 0)} j"


def format_number(value: float) -> str:
    """A number the French way: 8.0 → « 8 », 1.5 → « 1,5 »."""
    return f"{value:g}".replace(".", ",")


def format_hours(hours: float) -> str:
    """A duration in hours: « 8 h », « 1,5 h », « 30 min »."""
    if hours < 1:
        return f"{format_number(round(hours * 60, 1))} min"
    return f"{format_number(hours)} h"


def format_timing(timing: Timing) -> str:
    """A medication rythm in French words: « 08:00, 20:00 », « toutes les 8 h »…"""
    kind = timing.kind
    if kind == "fixed_times":
        return ", ".join(sorted(timing.times))
    if kind == "every_hours" and timing.every_hours:
        if timing.every_hours == 1:
            return "toutes les heures"
        return f"toutes les {format_hours(timing.every_hours)}"
    if kind == "times_per_day" and timing.per_day:
        return f"{timing.per_day} fois par jour"
    if kind == "as_needed":
        limits = []
        if timing.max_per_day:
            limits.append(f"max {timing.max_per_day}/j")
        if timing.min_interval_hours:
            limits.append(f"au moins {format_hours(timing.min_interval_hours)} entre 2 prises")
        return "si besoin" + (f" ({', '.join(limits)})" if limits else "")
    if kind == "once":
        return "dose unique"
    return timing.text or "rythme non précisé"


_DECIMAL_POINT = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")


def decimal_commas(text: str) -> str:
    """Decimal points of the numbers in a text as French commas: « 3.5-5 » → « 3,5-5 ».

    Dotted groups (dates 27.11.2026, versions 1.2.3) are left as they are.
    """
    return _DECIMAL_POINT.sub(r"\1,\2", text)


# A unit glued to its number in a dose as the DPI wrote it (« 1g », « 2,5mg », « 500mg/100mL »)
_GLUED_UNIT = re.compile(r"(\d)(µg|mcg|mg|ng|kg|g|mL|ml|dL|L|mUI|UI|U|mmol|mEq|gtt)(?![A-Za-zµ])")


def dose_text(dose: str, unit: str = "") -> str:
    """A dose as printed: decimal commas, a space between number and unit (« 1 g »)."""
    joined = " ".join(x for x in (dose.strip(), unit.strip()) if x)
    return _GLUED_UNIT.sub(r"\1 \2", decimal_commas(joined))


# Lab abnormal flags (HL7 v2 OBX-8 codes) as a nurse reads them; LAB_FLAG_LEGEND explains them.
LAB_FLAGS = {"H": "↑", "L": "↓", "HH": "↑↑", "LL": "↓↓", "A": "anormal"}
LAB_FLAG_LEGEND = "↑ haut, ↓ bas, ↑↑ / ↓↓ critique"


def format_lab_flag(flag: str) -> str:
    """« ↑ », « ↓↓ », « anormal »; nothing for a normal result."""
    return LAB_FLAGS.get(flag, "" if flag in ("", "N") else flag)


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[local midnight, next local midnight) of a Europe/Paris ``day``, in UTC (a DST day
    lasts 23 or 25 hours): the window of a day's schedule."""
    start = dt.datetime.combine(day, dt.time(0), PARIS)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), PARIS)
    return start.astimezone(UTC), end.astimezone(UTC)
