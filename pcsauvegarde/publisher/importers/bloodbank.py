"""Blood group and RAI read from blood-bank test codes and coded values (FHIR and HL7 v2).

A result becomes a ``blood_typing`` only when its test code is a blood-bank LOINC code and its
value is a known code (SNOMED CT, LOINC answer, HL7 0078) or one of the strict spellings below
(« A+ », « O RH- », « NEG »…); anything else stays a plain lab result and is counted as not
read as a blood group (never guessed from a label or a loose value).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from pcsauvegarde.core.records import BloodTyping

# test code (LOINC) -> what it determines
GROUP_CODES = {"882-1": "group", "883-9": "abo", "10331-7": "rhd", "34474-7": "group"}
SCREEN_CODES = {"890-4"}
BLOOD_BANK_CODES = frozenset(GROUP_CODES) | SCREEN_CODES

# coded values: SNOMED CT blood group findings, LOINC answers (LL2972-9, LL360-9), HL7 0078
_GROUP_VALUES = {
    "278149003": ("A", "positive"), "278152006": ("A", "negative"),
    "278150003": ("B", "positive"), "278153001": ("B", "negative"),
    "278151004": ("AB", "positive"), "278154007": ("AB", "negative"),
    "278147001": ("O", "positive"), "278148006": ("O", "negative"),
    "112144000": ("A", ""), "112149005": ("B", ""), "165743006": ("AB", ""),
    "58460004": ("O", ""),
    "165747007": ("", "positive"), "165746003": ("", "negative"),
    "LA21325-8": ("A", "positive"), "LA21326-6": ("A", "negative"),
    "LA21327-4": ("B", "positive"), "LA21328-2": ("B", "negative"),
    "LA21323-3": ("AB", "positive"), "LA21324-1": ("AB", "negative"),
    "LA21321-7": ("O", "positive"), "LA21322-5": ("O", "negative"),
}
_POSITIVE = {"10828004", "LA6576-8", "POS", "POSITIF", "POSITIVE", "+"}
_NEGATIVE = {"260385009", "LA6577-6", "NEG", "NEGATIF", "NEGATIVE", "-"}
# « A », « AB+ », « O RH- », « B RH:-1 », « A POSITIF », « GROUPE O RHESUS NEGATIF » (folded)
_SIGN = r"(\+|-|POS(?:ITIF|ITIVE)?|NEG(?:ATIF|ATIVE)?|(?<=RH:)-?1|(?<=RH)-?1|(?<=RH )-?1)"
_GROUP_TEXT = re.compile(rf"^(?:GROUPE )?(A|B|AB|O)(?: ?(?:(?:RH(?:ESUS)?|RHD) ?:? ?)?{_SIGN})?$")
_RH_TEXT = re.compile(rf"^(?:(?:RH(?:ESUS)?|RHD) ?:? ?)?{_SIGN}$")
# Rh-Kell phenotype as labs write it: ISBT « RH:1,2,-3,4,5 KEL:-1 » or Fisher-Race « CcDEe »
_ISBT_PHENOTYPE = re.compile(r"^(?:(?:RH|KEL) ?: ?-?\d+(?: ?, ?-?\d+)*[ ;,]*)+$")
_FISHER_RACE = re.compile(r"^[Cc]{1,2}[Dd]{1,2}[Ee]{1,2}(?: ?,? ?KEL ?: ?-?1| ?K[+-])?$")


class NotBloodTyping(ValueError):
    """A blood-bank test whose value is not one we read safely (message in French)."""


@dataclass(frozen=True)
class Value:
    """One result's value as the source gives it: codes (any system) and text."""

    codes: tuple[str, ...]
    text: str


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().upper())
    return re.sub(r"\s+", " ", "".join(c for c in folded if not unicodedata.combining(c)))


def _sign(word: str) -> str:
    if word in ("+", "1") or word.startswith("POS"):
        return "positive"
    return "negative"


def _group(value: Value) -> tuple[str, str, str]:
    """(abo, rhd, phenotype) of a value, from a code or a strict spelling."""
    for code in value.codes:
        if code in _GROUP_VALUES:
            abo, rhd = _GROUP_VALUES[code]
            return abo, rhd, ""
    folded = _fold(value.text)
    if (m := _GROUP_TEXT.match(folded)) is not None:
        return m[1], _sign(m[2]) if m[2] else "", ""
    if (m := _RH_TEXT.match(folded)) is not None:
        return "", _sign(m[1]), ""
    if _FISHER_RACE.match(value.text.strip()) or _ISBT_PHENOTYPE.match(folded):
        return "", "", value.text.strip()
    if any(c in _POSITIVE for c in value.codes) or folded in _POSITIVE:
        return "", "positive", ""
    if any(c in _NEGATIVE for c in value.codes) or folded in _NEGATIVE:
        return "", "negative", ""
    raise NotBloodTyping(f"valeur « {value.text or ' '.join(value.codes)} » non reconnue "
                         "comme groupe ABO / RhD")


def _screen(value: Value) -> tuple[str, str]:
    """(screen, antibodies) of an antibody-screen value."""
    folded = _fold(value.text)
    if any(c in _NEGATIVE for c in value.codes) or folded in _NEGATIVE:
        return "negative", ""
    if any(c in _POSITIVE for c in value.codes) or folded in _POSITIVE:
        return "positive", ""
    if folded.startswith("ANTI-") or folded.startswith("ANTI "):
        return "positive", value.text.strip()   # the lab named the antibody it found
    raise NotBloodTyping(f"valeur « {value.text or ' '.join(value.codes)} » non reconnue "
                         "comme RAI (négative / positive)")


def blood_typings(rid: str, ipp: str, code: str, values: list[tuple[str, Value]],
                  collected_at: dt.datetime,
                  validated_at: dt.datetime | None = None) -> list[BloodTyping]:
    """The BloodTyping records of one result (``values``: (test code, value) of the result
    and of its components): none without a blood-bank code, a group and/or an antibody
    screen otherwise (a panel giving both yields both, the screen's id suffixed ``#rai``).
    Raises NotBloodTyping when a blood-bank value cannot be read safely."""
    abo = rhd = phenotype = screen = antibodies = ""
    group_shown: list[str] = []
    screen_shown: list[str] = []
    for sub_code, value in values:
        if sub_code in GROUP_CODES:
            a, r, p = _group(value)
            kind = GROUP_CODES[sub_code]
            if kind == "abo" and not a:
                raise NotBloodTyping(f"{sub_code} (groupe ABO) : pas de groupe ABO dans "
                                     f"« {value.text} »")
            if kind == "rhd" and not (r or p):
                raise NotBloodTyping(f"{sub_code} (RhD) : pas de RhD dans « {value.text} »")
            # a test reports only what it measures (an ABO test coded « A RhD+ » gives A)
            a, r = (a, "") if kind == "abo" else ("", r) if kind == "rhd" else (a, r)
            if (a and abo and a != abo) or (r and rhd and r != rhd):
                raise NotBloodTyping("valeurs de groupe discordantes dans un même résultat")
            abo, rhd, phenotype = a or abo, r or rhd, p or phenotype
            group_shown.append(value.text or " ".join(value.codes))
        elif sub_code in SCREEN_CODES:
            s, found = _screen(value)
            screen = "positive" if "positive" in (s, screen) else s
            antibodies = ", ".join(x for x in (antibodies, found) if x)
            screen_shown.append(value.text or " ".join(value.codes))
    out = []
    if group_shown:
        out.append(BloodTyping(id=rid, ipp=ipp, test="group", collected_at=collected_at,
                               code=code, abo=abo, rhd=rhd, phenotype=phenotype,
                               validated_at=validated_at,
                               source_value=" ; ".join(group_shown)))
    if screen_shown:
        out.append(BloodTyping(id=f"{rid}#rai" if out else rid, ipp=ipp,
                               test="antibody_screen", collected_at=collected_at, code=code,
                               screen=screen, antibodies=antibodies,
                               validated_at=validated_at,
                               source_value=" ; ".join(screen_shown)))
    return out
