"""The report of one publish from the mirror (``publish --watch``): the same lines as the
one-shot publish (report.py), over what changed since the previous publish.

Per record type: *imported* counts the records read from the export files since the previous
publish; *in scope* and *sent* count the changed records (the mirror's pending keys, and the
records of patients whose units moved) that some scope group receives, and that went into a
package (a delta's records and deletions, or a full package: all of its scope). A changed
record no scope receives, or one deleted at the source that no station had, is counted with
its reason; one in scope whose line the stations already have, as unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.publisher.mirror import Entry, Mirror, Pending
from pcsauvegarde.publisher.report import OUT_OF_SCOPE, UNCHANGED, PublishReport
from pcsauvegarde.publisher.scoping import unrouted_reason
from pcsauvegarde.publisher.state import Key

GONE = "supprimé à la source, absent des stations"
_LOOKUP_LIMIT = 20_000  # beyond this many changed keys, a domain's scopes are read whole


@dataclass
class Outcome:
    """What one (scope group, domain) publish did: its package, full or not, keys it sent."""

    path: Path | None
    full: bool = False
    sent: list[Key] = field(default_factory=list)


def fill_cycle_report(report: PublishReport, mirror: Mirror, pending: Pending,
                      scopes: Sequence[tuple], outcomes: dict[tuple[str, str], Outcome],
                      imported: Counter) -> None:
    """Count every changed key of the cycle once (``scopes``: (group, served, keep))."""
    for rtype, count in imported.items():
        report.of(rtype).imported += count
    domains = sorted({d for _, d in outcomes})
    for domain in domains:
        changed = mirror.candidates(domain, pending)
        if not changed:
            continue
        entries = ({k: mirror.entry(k) for k in changed} if len(changed) <= _LOOKUP_LIMIT
                   else None)
        in_scope: set[Key] = set()
        sent: set[Key] = set()
        served_any: set[str] | None = set()
        for group, served, keep in scopes:
            if served is None or served_any is None:
                served_any = None
            else:
                served_any |= served
            if entries is not None:
                mine = {k for k, e in entries.items()
                        if e is not None and mirror.in_scope(k, e, served, keep)}
            else:
                mine = {k for k, _ in mirror.scoped(domain, served, keep, lines=False)
                        if k in changed}
            in_scope |= mine
            outcome = outcomes.get((group.id, domain))
            if outcome is not None and outcome.path is not None:
                sent |= mine if outcome.full else set(outcome.sent)
        for key in changed:
            t = report.of(key[0])
            if key in sent:
                t.in_scope += 1
                t.sent += 1
            elif key in in_scope:
                t.in_scope += 1
                t.not_sent[UNCHANGED] += 1
            else:
                known = entries.get(key) if entries is not None else mirror.entry(key)
                t.not_sent[_reason(mirror, known, served_any)] += 1


def _reason(mirror: Mirror, entry: Entry | None, served_any: set[str] | None) -> str:
    """Why a changed record went to no station: the one-shot report's words (publisher.py)."""
    if entry is None:
        return GONE
    if entry.ipp is not None and served_any is not None and entry.ipp not in served_any:
        routes = mirror.stay_units.get(entry.ipp, {})
        return unrouted_reason(routes.values(), any(k[0] == "appointment" for k in routes))
    return OUT_OF_SCOPE
