"""Tolerant readers for HL7 v2 fields (python-hl7 segments): values, nulls, names, timestamps.

Fields are read from the segment's raw text and split with the message's own separators,
then unescaped here (python-hl7's unescaping corrupts ``\\Xhh\\`` and prints to stderr).
The HL7 null ``""`` reads as absent (:func:`get` returns ``""``); :func:`is_null` tells it
apart from an empty field where a message means « delete the previous value ».
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, overload
from zoneinfo import ZoneInfo

import hl7

PARIS = ZoneInfo("Europe/Paris")
_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$")
NULL = '""'
# formatting escapes (HL7 2.x §2.7): line breaks kept, highlighting and layout hints dropped
_FORMATTING = {".br": "\n", ".sp": "\n", "H": "", "N": "", ".fi": "", ".nf": "", ".ce": ""}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Refused(Exception):
    """A message or segment that cannot be mapped; French message naming the field."""


def _raw(seg: hl7.Segment | None, field: int, comp: int, rep: int, sub: int) -> str:
    """The escaped text at SEG-field.rep.comp.sub, split with the segment's separators."""
    if seg is None or field >= len(seg):
        return ""
    seps = _seps(seg)
    texts = _field_texts(seg)
    text = texts[field] if field < len(texts) else ""
    if field <= 2 and texts[0] == "MSH":
        return text  # MSH-1 and MSH-2 are the separators themselves
    parts = text.split(seps[1])
    if rep > len(parts):
        return ""
    parts = parts[rep - 1].split(seps[2])
    if comp > len(parts):
        return ""
    parts = parts[comp - 1].split(seps[3])
    return parts[sub - 1] if sub <= len(parts) else ""


def _field_texts(seg: hl7.Segment) -> list[str]:
    """The escaped text of every field, computed once per segment (python-hl7 rebuilds a
    field's text from its parsed tree on each ``str()``)."""
    texts = seg.__dict__.get("_field_texts")
    if texts is None:
        texts = [str(f) for f in seg]
        seg.__dict__["_field_texts"] = texts
    return texts


def get(seg: hl7.Segment | None, field: int, comp: int = 1, rep: int = 1, sub: int = 1) -> str:
    """The unescaped, stripped value at SEG-field.rep.comp.sub on one line; "" when absent
    or null (``""``)."""
    return " ".join(text(seg, field, comp, rep, sub).split("\n")).strip()


def text(seg: hl7.Segment | None, field: int, comp: int = 1, rep: int = 1, sub: int = 1) -> str:
    """Like :func:`get`, keeping the line breaks of ``\\.br\\`` (TX/FT narrative text)."""
    raw = _raw(seg, field, comp, rep, sub)
    if raw.strip() == NULL:
        return ""
    esc = seg.esc if seg is not None else "\\"
    return "\n".join(line.strip()
                     for line in unescape(raw, esc, _seps(seg)).split("\n")).strip()


def _seps(seg: hl7.Segment | None) -> str:
    """Field, repetition, component and subcomponent separators (MSH's list starts at CR)."""
    return seg.separators[-4:] if seg is not None else "|~^&"


def is_null(seg: hl7.Segment | None, field: int, comp: int = 1, rep: int = 1) -> bool:
    """Whether the field (or component) holds the HL7 null ``""``: the value is deleted."""
    return _raw(seg, field, comp, rep, 1).strip() == NULL


def unescape(raw: str, esc: str = "\\", seps: str = "|~^&") -> str:
    """Decode HL7 escapes: separators, ``\\.br\\`` (line break), ``\\Xhh..\\`` (bytes),
    highlighting dropped, ``\\Z..\\`` and charset switches (opaque) dropped; no control
    character survives except the line break."""
    if esc not in raw:
        return _CONTROL.sub(" ", raw.replace("\r", "\n").replace("\t", " "))
    out: list[str] = []
    pieces = raw.split(esc)
    # pieces alternate: text, escape body, text, escape body…; an unpaired escape stays text
    i = 0
    while i < len(pieces):
        out.append(pieces[i])
        if i + 1 >= len(pieces):
            break
        if i + 2 >= len(pieces):  # no closing escape character: keep it literally
            out.append(esc + pieces[i + 1])
            break
        out.append(_escape(pieces[i + 1], esc, seps))
        i += 2
    return _CONTROL.sub(" ", "".join(out).replace("\r", "\n").replace("\t", " "))


def _escape(body: str, esc: str, seps: str) -> str:
    simple = {"F": seps[0], "R": seps[1], "S": seps[2], "T": seps[3], "E": esc}
    if body in simple:
        return simple[body]
    if body in _FORMATTING or body[:3] in (".in", ".ti", ".sk"):
        return _FORMATTING.get(body, "")
    if body[:1] == "X" and re.fullmatch(r"X(?:[0-9A-Fa-f]{2})+", body):
        return _hex(bytes.fromhex(body[1:]))
    return ""  # \Z..\ (locally defined), \C..\ / \M..\ (charset switches): opaque


def _hex(data: bytes) -> str:
    """Bytes of a ``\\Xhh..\\`` escape: UTF-8, else UTF-16 (``00E9``), else Latin-1."""
    for encoding in ("utf-8", "utf-16-be"):
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(decoded):
            return decoded
    return _CONTROL.sub("", data.decode("latin-1"))  # control bytes carry no text: dropped


def reps(seg: hl7.Segment | None, field: int) -> int:
    """How many repetitions a field holds (0 when empty)."""
    if seg is None or field >= len(seg) or not _field_texts(seg)[field].strip():
        return 0
    return len(_field_texts(seg)[field].split(_seps(seg)[1]))


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
    if not value or value.strip() == NULL:
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


def decimal_fr(value: str) -> str:
    """``0.2500`` → ``0,25``; text that is not a decimal number is returned as it is."""
    v = value.strip()
    if not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", v):
        return v
    v = v.replace(",", ".")
    if "." in v:
        v = v.rstrip("0").rstrip(".")
    return v.replace(".", ",")
