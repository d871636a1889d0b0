"""How old the station's data is, per domain, and whether it is stale (the screens' banner).

The words saying a data age are documents.fmt.data_age's, the same as on paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.records import DOMAIN_LABELS_FR, DOMAINS
from pcsauvegarde.station.documents.fmt import data_age, format_age
from pcsauvegarde.station.store import Store

DOMAIN_LABELS = DOMAIN_LABELS_FR  # the station's screens and the publisher say the same


@dataclass(frozen=True)
class DomainFreshness:
    domain: str
    label: str
    extracted_at: dt.datetime | None
    age: dt.timedelta | None
    stale: bool
    sequence: int | None
    text: str = ""
    """« données du 27/11/2026 14:05 (il y a 12 min) » (fmt.data_age)."""
    age_text: str = ""
    """« il y a 12 min » (fmt.format_age): the part of ``text`` the screen keeps ticking."""


@dataclass(frozen=True)
class Freshness:
    domains: tuple[DomainFreshness, ...]
    stale_after: dt.timedelta

    @property
    def received(self) -> tuple[DomainFreshness, ...]:
        return tuple(d for d in self.domains if d.extracted_at is not None)

    @property
    def oldest(self) -> dt.datetime | None:
        """The oldest extraction among received domains (what a page may claim at best)."""
        dates = [d.extracted_at for d in self.domains if d.extracted_at is not None]
        return min(dates) if dates else None

    @property
    def stale(self) -> bool:
        return not self.received or any(d.stale for d in self.received)


def freshness(store: Store, stale_after_minutes: int,
              now: dt.datetime | None = None) -> Freshness:
    """Every domain's data age at ``now``, stale past ``stale_after_minutes``."""
    now = now or dt.datetime.now(dt.UTC)
    limit = dt.timedelta(minutes=stale_after_minutes)
    snaps = store.snapshots()
    out = []
    for domain in DOMAINS:
        s = snaps.get(domain)
        age = now - s.extracted_at if s else None
        out.append(DomainFreshness(domain, DOMAIN_LABELS[domain], s.extracted_at if s else None,
                                   age, bool(age is not None and age > limit),
                                   s.sequence if s else None,
                                   data_age(s.extracted_at, now) if s else "",
                                   format_age(age) if age is not None else ""))
    return Freshness(tuple(out), limit)
