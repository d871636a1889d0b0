"""What a printed page says about allergies: which ones, in which French words (pure).

One rule for every document (identity band, summary, census) and for the screens that want
the same words: « Aucune allergie connue » (the record says so) and « Allergies : non
renseignées » (the record says nothing) are different facts and never print alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pcsauvegarde.core.records import Allergy
from pcsauvegarde.station.documents.templates import Template

# What an absence statement says is absent (core.records.allergy_absence) → template key.
ABSENCE_KEYS = {"all": "none_known", "drug": "none_known_drug", "food": "none_known_food",
                "environment": "none_known_environment"}
# Source codes (FHIR, HL7 v2 and already-French words) → template key of the French words.
SEVERITY_KEYS = {"severe": "severity_severe", "sv": "severity_severe",
                 "moderate": "severity_moderate", "moderee": "severity_moderate",
                 "mo": "severity_moderate", "mild": "severity_mild", "legere": "severity_mild",
                 "mi": "severity_mild"}
CRITICALITY_KEYS = {"high": "criticality_high", "low": "criticality_low",
                    "unable-to-assess": "criticality_unknown"}
ANAPHYLAXIS = ("anaphyla", "quincke")   # anaphylaxie, anaphylactic shock, œdème de Quincke


def fold(text: str) -> str:
    """Lower case without accents, for matching source words."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def no_known_key(allergy: Allergy) -> str | None:
    """The template key of « aucune allergie … connue » if the record states an absence."""
    absence = allergy.absence
    return ABSENCE_KEYS[absence] if absence else None


def is_anaphylaxis(allergy: Allergy) -> bool:
    """Whether the recorded reaction is an anaphylaxis (printed apart, never missed)."""
    words = fold(f"{allergy.reaction} {allergy.substance}")
    return any(w in words for w in ANAPHYLAXIS)


def is_high_risk(allergy: Allergy) -> bool:
    """Anaphylaxis, high criticality or a severe reaction: listed first."""
    return (is_anaphylaxis(allergy) or fold(allergy.criticality) == "high"
            or SEVERITY_KEYS.get(fold(allergy.severity)) == "severity_severe"
            or fold(allergy.severity) == "high")


@dataclass(frozen=True)
class AllergyState:
    """A patient's allergies as paper shows them."""

    current: tuple[Allergy, ...]       # active (Allergy.active), highest risk first
    none_known: tuple[str, ...]        # template keys of absence statements, when no current

    @property
    def informed(self) -> bool:
        """Whether the record says anything current (allergies or their absence)."""
        return bool(self.current or self.none_known)

    @property
    def anaphylaxis(self) -> bool:
        return any(is_anaphylaxis(a) for a in self.current)


def allergy_state(allergies: Iterable[Allergy]) -> AllergyState:
    """Sort a patient's allergy records into what paper prints (pure); which are active is
    the records' rule (Allergy.active), not this module's."""
    current, none_known = [], []
    for a in allergies:
        if not a.active:
            continue
        key = no_known_key(a)
        if key is None:
            current.append(a)
        elif key not in none_known:
            none_known.append(key)
    current.sort(key=lambda a: (not is_anaphylaxis(a), not is_high_risk(a),
                                a.substance.casefold()))
    # A real allergy outweighs an older « none known » statement: never print both.
    return AllergyState(tuple(current), () if current else tuple(none_known))


def details(allergy: Allergy, t: Template) -> list[str]:
    """The French words after the substance: reaction, severity, criticality, « non
    confirmée »."""
    out = []
    severity = fold(allergy.severity)
    if allergy.reaction:
        out.append(allergy.reaction)
    if severity in CRITICALITY_KEYS and not allergy.criticality:   # older extracts put it here
        out.append(t.text(f"allergies.{CRITICALITY_KEYS[severity]}"))
    elif severity:
        key = SEVERITY_KEYS.get(severity)
        out.append(t.text(f"allergies.{key}") if key else allergy.severity)
    criticality = fold(allergy.criticality)
    if criticality:
        key = CRITICALITY_KEYS.get(criticality)
        out.append(t.text(f"allergies.{key}") if key else allergy.criticality)
    if allergy.unconfirmed:
        out.append(t.text("allergies.unconfirmed"))
    return out


def describe(allergy: Allergy, t: Template) -> str:
    """« Pénicilline (urticaire, réaction sévère, criticité élevée) »."""
    words = details(allergy, t)
    return allergy.substance + (f" ({', '.join(words)})" if words else "")


def absence_text(state: AllergyState, t: Template) -> str:
    """« Aucune allergie connue » or « Allergies : non renseignées … » (no current allergy)."""
    if state.none_known:
        return " · ".join(t.text(f"allergies.{key}") for key in state.none_known)
    return t.text("allergies.unknown")
