"""Publish from a :class:`Mirror`: a delta costs in proportion to what changed.

Same packages, sequences and state as :func:`publisher.publish` (full when there is no base, an
interrupted publish or ``full_every_minutes`` is due), but a delta only looks at the keys the
mirror marked pending (and at every record of a patient whose units moved), comparing them
with the state's digests of those keys only. The first publish of a fresh mirror compares every
record and every digest of the scope (a restart: one full comparison, every deletion seen).

A domain the inputs hold nothing for (no record of it ever read into this mirror) is left
untouched at the stations: no package, so no deletion; the report of the mirror's first
publish names it (every one-shot run; under --watch, once, not every 15 s). An input that
holds a domain is that domain's complete current data: what it lacks is deleted.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pcsauvegarde.core.package import (
    Deletion,
    EncodedRecord,
    Manifest,
    write_package,
)
from pcsauvegarde.core.records import DOMAINS, Record
from pcsauvegarde.publisher.cycle_report import Outcome, fill_cycle_report
from pcsauvegarde.publisher.drop_index import write_index
from pcsauvegarde.publisher.keys import signing_key
from pcsauvegarde.publisher.mirror import Entry, Mirror, Pending
from pcsauvegarde.publisher.publisher import KINDS, PublisherConfig, PublishError, scope_groups
from pcsauvegarde.publisher.report import PublishReport
from pcsauvegarde.publisher.state import DomainState, Key, PublishState, first_sequence

_LOOKUP_LIMIT = 20_000  # beyond this many candidates, reading the scope's digests is cheaper


def publish_mirror(mirror: Mirror, config: PublisherConfig, kind: str = "auto",
                   now: dt.datetime | None = None, domains: Iterable[str] = DOMAINS,
                   report: PublishReport | None = None,
                   imported: Counter | None = None) -> list[Path]:
    """Write the packages the mirror's changes call for, per scope group and domain.

    ``report``, when given, is filled as cycle_report.py says (``imported``: the records read
    since the previous publish, per type)."""
    if kind not in KINDS:
        raise PublishError(f"type de publication « {kind} » inconnu (full, delta ou auto)")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    domains = [d for d in DOMAINS if d in set(domains)]
    groups = scope_groups(config)
    key = signing_key(config.signing_key)
    state = PublishState(config.state_file)
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    # nothing read for a domain (a run with only catalogues): an absent input, not an empty
    # domain; comparing it with the state would delete all its records at the stations
    untouched = [d for d in domains if not mirror.holds(d)
                 and not any((g.id, d) in mirror.compared for g in groups)]
    first = not mirror.compared  # the mirror's first publish: its report names them
    pending = mirror.take(domains)  # an untouched domain's moved patients: nothing to send
    domains = [d for d in domains if d not in untouched]
    looked: dict[str, dict] = {}  # a delta's candidates per domain, with their entries
    outcomes: dict[tuple[str, str], Outcome] = {}
    scopes = []
    try:
        routing = mirror.routing(groups)
        for group in groups:
            # a ``*`` scope receives every patient: no IPP to look up per record
            served = None if "*" in group.units else routing[group.id]
            keep = mirror.unit_keep(group.serves)
            scopes.append((group, served, keep))
            for domain in domains:
                outcomes[(group.id, domain)] = _domain(
                    mirror, (pending, looked), (served, keep), group, domain, kind, now, state,
                    config, key)
    except BaseException:
        mirror.give_back(pending)  # nothing lost: the next run looks at all of it again
        raise
    if report is not None:
        fill_cycle_report(report, mirror, pending, scopes, outcomes, imported or Counter())
        report.packages += [o.path for o in outcomes.values() if o.path is not None]
        report.untouched += untouched if first else []
    return [o.path for o in outcomes.values() if o.path is not None]


def publish_once(records: Sequence[Record], config: PublisherConfig, kind: str = "auto",
                 report: PublishReport | None = None,
                 now: dt.datetime | None = None) -> list[Path]:
    """The one-shot ``publish``: the records through a fresh mirror, against the state.

    A delta of what changed since the state's packages when it can (the mirror compares
    every record once, deletions included), a full package where the state is lost or a full
    is due; every record in the report (all are pending in a fresh mirror). The drop's
    ``index.txt`` is rewritten.
    """
    mirror = Mirror()
    mirror.upsert(records)
    written = publish_mirror(mirror, config, kind, now, report=report,
                             imported=Counter(r.TYPE for r in records))
    write_index(config.drop_dir, now)  # what an HTTPS drop serves (docs/transports.md)
    return written


def _is_full(kind: str, known: DomainState, now: dt.datetime, config: PublisherConfig) -> bool:
    every = dt.timedelta(minutes=config.full_every_minutes)
    return (kind == "full" or known.last == 0 or known.interrupted
            or (kind == "auto" and (known.last_full_at is None
                                    or now - known.last_full_at >= every)))


def _domain(mirror: Mirror, changes: tuple[Pending, dict], scope: tuple, group, domain: str,
            kind: str, now: dt.datetime, state: PublishState, config: PublisherConfig,
            key) -> Outcome:
    served, keep = scope
    known = state.domain(group.id, domain)
    scope_key = (group.id, domain)
    full = _is_full(kind, known, now, config)
    payload: Iterable
    if full:
        # streamed from the mirror's database into gzip: no list of the domain's lines
        chunks = mirror.scoped_lines(domain, served, keep)
        first = next(chunks, None)
        if first is None:
            return Outcome(None)
        payload = itertools.chain([first], chunks)
        changed: Iterable[tuple[Key, bytes]] = (
            (k, e.hash) for k, e in mirror.scoped(domain, served, keep, lines=False))
        deleted: list[Key] = []
    else:
        if scope_key not in mirror.compared:  # fresh mirror: everything, deletions included
            fresh, deleted = _compare(mirror.scoped(domain, served, keep),
                                      state.iter_digests(group.id, domain))
        else:
            fresh, deleted = _candidates(mirror, changes, (served, keep), group,
                                         domain, state)
        if not fresh and not deleted:
            mirror.compared.add(scope_key)
            return Outcome(None)
        changed = [(k, e.hash) for k, e in fresh]
        payload = [EncodedRecord(k[0], e.line) for k, e in fresh]
        payload += [Deletion(t, i) for t, i in deleted]
    sequence = known.next_sequence if known.last or known.reserved else first_sequence(
        config.drop_dir, group.id, domain)
    manifest = Manifest(kind="full" if full else "delta", domain=domain, station=group.id,
                        source=config.source, extracted_at=now, sequence=sequence,
                        base_sequence=None if full else known.last)
    state.reserve(group.id, domain, sequence)
    # lines come out of record_from_dict-checked records (see Mirror): sealed without re-checking
    path = write_package(config.drop_dir, manifest, payload, list(group.recipients), key,
                         validate=False)
    state.commit(group.id, domain, sequence, manifest.kind, now, changed, deleted)
    mirror.compared.add(scope_key)
    return Outcome(path, full, [] if full else [k for k, _ in changed] + deleted)


def _compare(current: Iterator[tuple[Key, Entry]], old: Iterator[tuple[Key, bytes]]
             ) -> tuple[list[tuple[Key, Entry]], list[Key]]:
    """Merge two streams in key order: records new or changed, and keys no longer current."""
    changed: list[tuple[Key, Entry]] = []
    deleted: list[Key] = []
    o = next(old, None)
    for k, entry in current:
        while o is not None and o[0] < k:
            deleted.append(o[0])
            o = next(old, None)
        if o is not None and o[0] == k:
            if o[1] != entry.hash:
                changed.append((k, entry))
            o = next(old, None)
        else:
            changed.append((k, entry))
    while o is not None:
        deleted.append(o[0])
        o = next(old, None)
    return changed, deleted


def _candidates(mirror: Mirror, changes: tuple[Pending, dict], scope: tuple, group,
                domain: str, state: PublishState) -> tuple[list[tuple[Key, Entry]], list[Key]]:
    """A delta on a compared scope: only the keys the mirror marked, against their digests."""
    served, keep = scope
    pending, looked = changes
    if domain not in looked:  # the same for every scope group: looked up once
        looked[domain] = {k: mirror.entry(k) for k in mirror.candidates(domain, pending)}
    candidates = looked[domain]
    if not candidates:
        return [], []
    old = (state.digests(group.id, domain) if len(candidates) > _LOOKUP_LIMIT
           else state.digests_of(group.id, domain, candidates))
    changed: list[tuple[Key, Entry]] = []
    deleted: list[Key] = []
    for k in sorted(candidates):
        entry = candidates[k]
        if entry is not None and mirror.in_scope(k, entry, served, keep):
            if old.get(k) != entry.hash:
                changed.append((k, entry))
        elif k in old:
            deleted.append(k)
    return changed, deleted
