"""Publish from a :class:`Mirror`: a delta costs in proportion to what changed.

Same packages, sequences and state as :func:`publisher.publish` (full when there is no base, an
interrupted publish or ``full_every_minutes`` is due), but a delta only looks at the keys the
mirror marked pending (and at every record of a patient whose units moved), comparing them
with the state's digests of those keys only. The first publish of a fresh mirror compares every
record and every digest of the scope (a restart: one full comparison, every deletion seen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.package import (
    Deletion,
    EncodedLines,
    EncodedRecord,
    Manifest,
    write_package,
)
from pcsauvegarde.core.records import DOMAINS
from pcsauvegarde.publisher.keys import signing_key
from pcsauvegarde.publisher.mirror import Mirror, Pending
from pcsauvegarde.publisher.publisher import KINDS, PublisherConfig, PublishError, scope_groups
from pcsauvegarde.publisher.state import DomainState, Key, PublishState, first_sequence

_LOOKUP_LIMIT = 20_000  # beyond this many candidates, reading the scope's digests is cheaper


def publish_mirror(mirror: Mirror, config: PublisherConfig, kind: str = "auto",
                   now: dt.datetime | None = None,
                   domains: Iterable[str] = DOMAINS) -> list[Path]:
    """Write the packages the mirror's changes call for, per scope group and domain."""
    if kind not in KINDS:
        raise PublishError(f"type de publication « {kind} » inconnu (full, delta ou auto)")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    domains = [d for d in DOMAINS if d in set(domains)]
    groups = scope_groups(config)
    key = signing_key(config.signing_key)
    state = PublishState(config.state_file)
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    pending = mirror.take(domains)
    written: list[Path] = []
    try:
        routing = mirror.routing(groups)
        for group in groups:
            served, keep = routing[group.id], mirror.unit_keep(group.serves)
            for domain in domains:
                path = _domain(mirror, pending, (served, keep), group, domain, kind, now,
                               state, config, key)
                if path is not None:
                    written.append(path)
    except BaseException:
        mirror.give_back(pending)  # nothing lost: the next run looks at all of it again
        raise
    return written


def _is_full(kind: str, known: DomainState, now: dt.datetime, config: PublisherConfig) -> bool:
    every = dt.timedelta(minutes=config.full_every_minutes)
    return (kind == "full" or known.last == 0 or known.interrupted
            or (kind == "auto" and (known.last_full_at is None
                                    or now - known.last_full_at >= every)))


def _domain(mirror: Mirror, pending: Pending, scope: tuple, group, domain: str, kind: str,
            now: dt.datetime, state: PublishState, config: PublisherConfig, key) -> Path | None:
    served, keep = scope
    known = state.domain(group.id, domain)
    scope_key = (group.id, domain)
    deleted: list[Key] = []
    full = _is_full(kind, known, now, config)
    if full:
        scoped = mirror.scoped(domain, served, keep)
        if not scoped:
            return None
        payload: Iterable = EncodedLines([k[0] for k, _ in scoped], [e.line for _, e in scoped])
        changed = [(k, e.hash) for k, e in scoped]
    else:
        entries = mirror.entries[domain]
        if scope_key not in mirror.compared:  # fresh mirror: everything, deletions included
            old = state.digests(group.id, domain)
            current = dict(mirror.scoped(domain, served, keep))
            changed = [(k, e.hash) for k, e in current.items() if old.get(k) != e.hash]
            deleted = [k for k in old if k not in current]
        else:
            candidates = mirror.candidates(domain, pending)
            if not candidates:
                return None
            old = (state.digests(group.id, domain) if len(candidates) > _LOOKUP_LIMIT
                   else state.digests_of(group.id, domain, candidates))
            changed = []
            for k in sorted(candidates):
                entry = entries.get(k)
                if entry is not None and mirror.in_scope(k, entry, served, keep):
                    if old.get(k) != entry.hash:
                        changed.append((k, entry.hash))
                elif k in old:
                    deleted.append(k)
        if not changed and not deleted:
            mirror.compared.add(scope_key)
            return None
        payload = [EncodedRecord(k[0], entries[k].line) for k, _ in changed]
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
    return path

