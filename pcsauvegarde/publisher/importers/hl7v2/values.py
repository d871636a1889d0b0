"""Tolerant readers for HL7 v2 fields (python-hl7 containers): values, names, timestamps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, overload
from zoneinfo import ZoneInfo

import hl7

PARIS = ZoneInfo("Europe/Paris")
_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$")


class Refused(Exception):
    """A message or segment that cannot be mapped; French message naming the field."""


def get(seg: hl7.Segment | None, field: int, comp: int = 1, rep: int = 1, sub: int = 1) -> str:
    """The unescaped, stripped value at SEG-field.rep.comp.sub, "" when absent."""
    if seg is None:
        return ""
    try:
        value = seg.extract_field(1, field, rep, comp, sub)
    except (IndexError, KeyError, TypeError):
        return ""
    return str(value).strip() if value is not None else ""


def reps(seg: hl7.Segment | None, field: int) -> int:
    """How many repetitions a field holds (0 when empty)."""
    if seg is None or field >= len(seg) or not str(seg[field]).strip():
        return 0
    value = seg[field]
    return len(value) if value and isinstance(value[0], hl7.Repetition) else 1


def person(seg: hl7.Segment | None, field: int, rep: int = 1) -> str:
    """An XCN/XPN person: "Given FAMILY" ("" when absent); the id alone when no name."""
    if seg is None:
        return ""
    # XCN (providers) starts with an id, XPN (patient names) with the family name.
    first = get(seg, field, 1, rep)
    family, given = get(seg, field, 2, rep), get(seg, field, 3, rep)
    if family or given:
        return " ".join(v for v in (given, family.upper()) if v)
    return first


@overload
def timestamp(value: str, where: str, required: Literal[True]) -> dt.datetime: ...
@overload
def timestamp(value: str, where: str, required: bool = False) -> dt.datetime | None: ...


def timestamp(value: str, where: str, required: bool = False) -> dt.datetime | None:
    """HL7 TS/DTM (YYYYMMDD[HHMM[SS[.S]]][+ZZZZ]) → aware UTC; local time is Europe/Paris."""
    if not value:
        if required:
            raise Refused(f"{where} : date-heure absente")
        return None
    m = _TS.match(value.strip())
    if not m or m.group(2) is None or m.group(3) is None:
        raise Refused(f"{where} : date-heure invalide « {value} » (attendu AAAAMMJJHHMM)")
    year, month, day, hour, minute, second = (int(g or 0) for g in m.groups()[:6])
    try:
        naive = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise Refused(f"{where} : date-heure invalide « {value} »") from None
    if m.group(7):
        sign = 1 if m.group(7)[0] == "+" else -1
        offset = dt.timedelta(hours=int(m.group(7)[1:3]), minutes=int(m.group(7)[3:5]))
        aware = naive.replace(tzinfo=dt.timezone(sign * offset))
    else:
        aware = naive.replace(tzinfo=PARIS)
    return aware.astimezone(dt.UTC)


def date(value: str, where: str) -> dt.date:
    """The date part of an HL7 DT/TS (birth dates are calendar dates, no time zone)."""
    m = re.match(r"^(\d{4})(\d{2})(\d{2})", value or "")
    if not m:
        if not value:
            raise Refused(f"{where} : date absente")
        raise Refused(f"{where} : date invalide « {value} » (attendu AAAAMMJJ)")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise Refused(f"{where} : date invalide « {value} »") from None
