"""How paper reads a medication order: scheduled, as needed, continuous, protocol, or verbatim.

One owner for the rule (MAR, prescriptions, care plan and screens call ``read_order``):

- ``continuous``: an infusion whose rate is adjusted (IVSE, PSE, pousse-seringue, PCA,
  « débit », « en continu », a rate such as mL/h or µg/kg/min). No due times: the paper
  gives a rate/changes block to write the time, the rate and initials.
- ``protocol``: a dose decided by a protocol or a measured value (« selon protocole »,
  « selon glycémie / kaliémie », sliding scale). No due times: the paper gives a monitoring
  block (time, value, dose given, initials).
- ``verbatim``: the computed schedule cannot express the order exactly (an interval range
  « toutes les 4 à 6 h », a dose range, a condition « si besoin » on a scheduled order, a
  dose without unit, or a rhythm only written in words). The prescriber's words are printed
  as written, flagged « à vérifier », and no time is scheduled from them.
- ``prn`` and ``scheduled``: the structured timing says it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcsauvegarde.core.records import MedicationOrder

CONTINUOUS = "continuous"
PROTOCOL = "protocol"
VERBATIM = "verbatim"
PRN = "prn"
SCHEDULED = "scheduled"

_NUMBER_WORDS = (r"(?:\d+(?:[.,]\d+)?|une?|one|two|three|four|five|six|eight|twelve|deux|trois"
                 r"|quatre|cinq|six|huit|douze)")
_CONTINUOUS = re.compile(
    r"\b(?:ivse|pse|pousse[- ]seringue|seringue [ée]lectrique|pca|d[ée]bit|en continu"
    r"|perfusion continue|continuous|infusion rate)\b"
    r"|\b(?:m[lg]|µg|mcg|ug|ui|u)(?:/kg)?/(?:h|hr|heure|min)\b", re.IGNORECASE)
_PROTOCOL = re.compile(
    r"\bprotocol[e]?\b|\bselon (?:la |le )?(?:glyc[ée]mie|kali[ée]mie|dextro|natr[ée]mie|inr"
    r"|tca|anti-?xa)|\bsliding scale\b", re.IGNORECASE)
_INTERVAL_RANGE = re.compile(
    rf"\b{_NUMBER_WORDS}\s*(?:-|–|à|a|to|or|ou)\s*{_NUMBER_WORDS}\s*"
    r"(?:h\b|heures?|hours?|hrs?\b|min\b|minutes?|jours?|days?)"
    r"|\bq\s?\d+\s?[-–]\s?\d+\s?h\b", re.IGNORECASE)
_DOSE_RANGE = re.compile(
    rf"\b{_NUMBER_WORDS}\s*(?:-|–|à|to|or|ou)\s*{_NUMBER_WORDS}\s*"
    r"(?:comprim[ée]s?|tablets?|tabs?|g[ée]lules?|capsules?|mg|g|ml|ui|units?|unit[ée]s?"
    r"|gouttes?|drops?|sachets?|bouff[ée]es?|puffs?)\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b(?:si besoin|au besoin|en cas de|si douleur|si fi[èe]vre|as needed|if needed|prn"
    r"|when required)\b", re.IGNORECASE)
_MONITORED = ((re.compile(r"glyc|dextro|insulin", re.IGNORECASE), "Glycémie"),
              (re.compile(r"kali[ée]mie|\bK\s*<", re.IGNORECASE), "Kaliémie"),
              (re.compile(r"\binr\b", re.IGNORECASE), "INR"),
              (re.compile(r"anti-?xa|\btca\b", re.IGNORECASE), "Anti-Xa / TCA"))
_NUMERIC_DOSE = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class OrderReading:
    """What paper does with an order: its ``mode`` and, for verbatim ones, why (French)."""

    mode: str
    checks: tuple[str, ...] = ()   # « intervalle variable », « dose sans unité »…
    monitored: str = ""            # protocol orders: the value watched (« Glycémie »)

    @property
    def to_check(self) -> bool:
        """The prescriber's text MUST be read: printed verbatim, flagged « à vérifier »."""
        return bool(self.checks)


def words_of(order: MedicationOrder) -> str:
    """The prescriber's own dosage words, as received (empty when the extract had none)."""
    return order.timing.text.strip()


def read_order(order: MedicationOrder) -> OrderReading:
    """Classify ``order`` for paper (pure; the rules are in this module's docstring)."""
    words = words_of(order)
    timing = order.timing
    everything = f"{words} {order.drug} {order.route} {order.dose} {order.comments}"
    if timing.kind in ("text", "every_hours") and _CONTINUOUS.search(everything) and (
            timing.kind == "text" or _CONTINUOUS.search(words)):
        return OrderReading(CONTINUOUS)
    if timing.kind != "as_needed" and _PROTOCOL.search(f"{words} {order.dose}"):
        return OrderReading(PROTOCOL, monitored=_monitored(everything))
    checks = _checks(order, words)
    if timing.kind == "text":
        checks = ("rythme écrit en toutes lettres", *checks)
    if checks:
        return OrderReading(VERBATIM, checks)
    return OrderReading(PRN if timing.kind == "as_needed" else SCHEDULED)


def _checks(order: MedicationOrder, words: str) -> tuple[str, ...]:
    out = []
    if _INTERVAL_RANGE.search(words):
        out.append("intervalle variable")
    if _DOSE_RANGE.search(words) or re.search(r"\d\s*[-–]\s*\d", order.dose):
        out.append("dose variable")
    if order.timing.kind != "as_needed" and _CONDITION.search(words):
        out.append("condition « si besoin » sur une prise programmée")
    if _NUMERIC_DOSE.match(order.dose.strip()) and not order.unit.strip():
        out.append("dose sans unité")
    return tuple(out)


def _monitored(text: str) -> str:
    for pattern, label in _MONITORED:
        if pattern.search(text):
            return label
    return "Valeur"


def monitoring_hours(order: MedicationOrder) -> float | None:
    """The checking interval a protocol names (« dextro toutes les 4 h » → 4), if any."""
    m = re.search(r"toutes les (\d+(?:[.,]\d+)?)\s*h|every (\d+(?:\.\d+)?)\s*h",
                  words_of(order), re.IGNORECASE)
    if not m:
        return None
    value = float((m.group(1) or m.group(2)).replace(",", "."))
    return value if 0 < value <= 24 else None


# Routes the usual way on paper; the documents print ROUTE_LEGEND when they use one.
_ROUTES = ((re.compile(r"intra-?veineu|intravenous|^\s*(?:voie\s+)?i\.?v\.?\b", re.IGNORECASE),
            "IV"),
           (re.compile(r"sous-?cutan|subcutan|^\s*(?:voie\s+)?s\.?c\.?\s*$", re.IGNORECASE),
            "SC"),
           (re.compile(r"intra-?muscul|intramuscular|^\s*(?:voie\s+)?i\.?m\.?\s*$",
                       re.IGNORECASE), "IM"),
           (re.compile(r"\boral|\borale\b|per os|^\s*(?:voie\s+)?p\.?o\.?\s*$", re.IGNORECASE),
            "PO"))
ROUTE_LEGEND = "Voies : IV intraveineuse · SC sous-cutanée · IM intramusculaire · PO per os (orale)"


def route_short(route: str) -> str:
    """« Voie intraveineuse » → « IV »; a route with no usual abbreviation is kept as written."""
    for pattern, short in _ROUTES:
        if pattern.search(route):
            return short
    return route.strip()
