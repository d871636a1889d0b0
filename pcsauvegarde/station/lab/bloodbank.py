"""THE reading of a patient's immuno-haematology: group, phenotype, RAI validity, transfusions.

One owner for every screen and paper (summary, forms, OR schedule, pre-operative sheet):
- the group comes only from ``blood_typing`` records (mapped at import from coded results);
  ABO and RhD are each the latest determination's; two determinations that disagree are
  printed as a discordance, never resolved by picking one;
- the RAI (antibody screen) is valid 72 h from its collection: older, it is « RAI périmée »;
- nothing known: « groupe sanguin non disponible dans l'extrait » (never a blank that could
  be read as « not needed »).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.records import BloodTyping, TransfusionFact
from pcsauvegarde.station.documents.fmt import format_local

RAI_VALIDITY = dt.timedelta(hours=72)
NO_GROUP = "groupe sanguin non disponible dans l'extrait"
NO_RAI = "RAI non disponible dans l'extrait"
NO_TRANSFUSION = "aucune donnée transfusionnelle dans l'extrait"
RHD_WORDS = {"positive": "RhD positif", "negative": "RhD négatif"}
SCREEN_WORDS = {"negative": "négative", "positive": "POSITIVE"}
NEED_WORDS = {"irradiated": "produits irradiés", "phenotyped": "produits phénotypés",
              "cmv_negative": "produits CMV négatifs", "other": "autre exigence"}


@dataclass(frozen=True)
class BloodStatus:
    """What the extract says about one patient's blood, read once for every document."""

    abo: str = ""
    rhd: str = ""
    group_at: dt.datetime | None = None     # latest determination
    determinations: int = 0                 # distinct collections giving ABO
    discordance: str = ""                   # two determinations that disagree, in words
    phenotype: str = ""
    phenotype_at: dt.datetime | None = None
    rai: BloodTyping | None = None          # latest antibody screen
    rai_valid_until: dt.datetime | None = None
    rai_expired: bool = False
    given: tuple[TransfusionFact, ...] = ()          # transfusions, newest first
    requirements: tuple[TransfusionFact, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.abo or self.rhd)


def rai_expired(collected_at: dt.datetime, now: dt.datetime) -> bool:
    """THE RAI validity rule: expired once more than 72 h have passed since collection."""
    return now - collected_at > RAI_VALIDITY


def blood_status(typings: tuple[BloodTyping, ...] | list[BloodTyping],
                 transfusions: tuple[TransfusionFact, ...] | list[TransfusionFact] = (),
                 now: dt.datetime | None = None) -> BloodStatus:
    """Read a patient's blood_typing and transfusion records (``now``: RAI validity)."""
    now = now or dt.datetime.now(dt.UTC)
    groups = sorted((t for t in typings if t.test == "group"), key=lambda t: t.collected_at)
    abo_seen = [t for t in groups if t.abo]
    rhd_seen = [t for t in groups if t.rhd]
    pheno = [t for t in groups if t.phenotype]
    screens = sorted((t for t in typings if t.test == "antibody_screen"),
                     key=lambda t: t.collected_at)
    rai = screens[-1] if screens else None
    valid_until = rai.collected_at + RAI_VALIDITY if rai else None
    given = sorted((f for f in transfusions if f.kind == "given"),
                   key=lambda f: f.at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    needs = tuple(f for f in transfusions if f.kind == "requirement")
    dated = [t.collected_at for t in (*abo_seen, *rhd_seen)]
    return BloodStatus(
        abo=abo_seen[-1].abo if abo_seen else "", rhd=rhd_seen[-1].rhd if rhd_seen else "",
        group_at=max(dated) if dated else None,
        determinations=len({t.collected_at for t in abo_seen}),
        discordance=_discordance(abo_seen, rhd_seen),
        phenotype=pheno[-1].phenotype if pheno else "",
        phenotype_at=pheno[-1].collected_at if pheno else None,
        rai=rai, rai_valid_until=valid_until,
        rai_expired=rai is not None and rai_expired(rai.collected_at, now),
        given=tuple(given), requirements=needs)


def _discordance(abo_seen: list[BloodTyping], rhd_seen: list[BloodTyping]) -> str:
    parts = []
    if len({t.abo for t in abo_seen}) > 1:
        parts.append(" / ".join(f"{t.abo} le {format_local(t.collected_at)}" for t in abo_seen))
    if len({t.rhd for t in rhd_seen}) > 1:
        parts.append(" / ".join(f"{RHD_WORDS[t.rhd]} le {format_local(t.collected_at)}"
                                for t in rhd_seen))
    return " ; ".join(parts)


def group_text(status: BloodStatus) -> str:
    """« A RhD positif (2 déterminations, dernière le 27/11/2026 06:00) », or what is missing."""
    if status.discordance:
        return f"DISCORDANCE ENTRE DÉTERMINATIONS : {status.discordance} — contrôler"
    if not status.known or status.group_at is None:
        return NO_GROUP
    words = " ".join(w for w in (status.abo or "ABO non déterminé",
                                 RHD_WORDS.get(status.rhd, "RhD non déterminé")))
    count = status.determinations
    how = (f"{count} détermination{'s' if count > 1 else ''}, dernière" if count
           else "déterminé")
    return f"{words} ({how} le {format_local(status.group_at)})"


def phenotype_text(status: BloodStatus) -> str:
    """The Rh-Kell phenotype with its date, or « non disponible dans l'extrait »."""
    if not status.phenotype or status.phenotype_at is None:
        return "phénotype non disponible dans l'extrait"
    return f"{status.phenotype} (le {format_local(status.phenotype_at)})"


def rai_text(status: BloodStatus) -> str:
    """« négative — prélevée le …, valable jusqu'au … », « RAI PÉRIMÉE … », or missing."""
    rai = status.rai
    if rai is None or status.rai_valid_until is None:
        return NO_RAI
    result = SCREEN_WORDS[rai.screen] + (f" ({rai.antibodies})" if rai.antibodies else "")
    taken = f"prélevée le {format_local(rai.collected_at)}"
    if status.rai_expired:
        return f"RAI périmée (plus de 72 h) — {result}, {taken} : à reprélever"
    return f"{result} — {taken}, valable jusqu'au {format_local(status.rai_valid_until)}"


def requirement_text(f: TransfusionFact) -> str:
    return NEED_WORDS.get(f.need, f.need) + (f" — {f.note}" if f.note else "")


def transfusion_text(f: TransfusionFact) -> str:
    when = format_local(f.at) if f.at else "date inconnue"
    return " ".join(x for x in (when, "·", f.quantity, f.product) if x) + (
        f" — {f.note}" if f.note else "")
