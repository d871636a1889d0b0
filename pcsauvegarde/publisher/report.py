"""The publish report: per record type, imported → in scope → sent, with reasons for the rest."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.records import DOMAIN_LABELS_FR, TYPE_LABELS_FR

UNCHANGED = "inchangé depuis le paquet précédent (déjà sur les stations)"
DOMAIN_SKIPPED = "domaine non publié dans cette exécution"
OUT_OF_SCOPE = "hors périmètre"


@dataclass
class TypeReport:
    """One record type: counts at each step, and why records were not sent (reason → count)."""

    imported: int = 0
    in_scope: int = 0
    sent: int = 0
    not_sent: Counter = field(default_factory=Counter)


@dataclass
class PublishReport:
    """What a publish run did with every imported record; filled by ``publish(report=…)``."""

    types: dict[str, TypeReport] = field(default_factory=dict)
    packages: list[Path] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    """Domains the inputs held nothing for: nothing sent, the stations keep what they have."""

    def of(self, name: str) -> TypeReport:
        return self.types.setdefault(name, TypeReport())

    def lines(self) -> list[str]:
        """The report in French: per record type (import order kept) its counts, then one
        indented line per reason some were not sent."""
        out = ["Bilan par type : importés → dans le périmètre d'une station → envoyés"]
        for name, t in self.types.items():
            out.append(f"  {TYPE_LABELS_FR.get(name, name)} : {t.imported} → {t.in_scope} → "
                       f"{t.sent}")
            out += [f"      non envoyés, {reason} : {count}"
                    for reason, count in t.not_sent.most_common()]
        out += [f"  {DOMAIN_LABELS_FR[d]} : aucune entrée dans ce lot, rien envoyé (les "
                "stations gardent leurs données)" for d in self.untouched]
        return out
