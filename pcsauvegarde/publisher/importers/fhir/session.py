"""FHIR across successive exports (Bulk Data ``_since`` files, new bundles): map what changed.

A session keeps every resource read so far (newest version by ``meta.lastUpdated``, else by
arrival) with its references resolved, so a later file that holds only changed resources is
mapped in the context of the earlier ones. A resource whose version is not newer than the one
already read is skipped without mapping; a resource that maps to fewer records than before
reports the records it no longer gives (a MedicationRequest now cancelled, …).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.ignored import type_reason
from pcsauvegarde.publisher.importers.fhir.importer import (
    MAPPERS,
    SUPPORT_TYPES,
    ImportResult,
    Rejection,
    _map_one,
)
from pcsauvegarde.publisher.importers.fhir.index import Index
from pcsauvegarde.publisher.importers.fhir.source import Entry, Unreadable, read_paths
from pcsauvegarde.publisher.importers.fhir.systems import FhirSystems

Key = tuple[str, str]


@dataclass
class FhirChanges:
    """One batch: records to upsert, record keys no longer produced, refusals, ignored, skips."""

    result: ImportResult = field(default_factory=ImportResult)
    gone: list[Key] = field(default_factory=list)
    unchanged: int = 0


class FhirSession:
    """Every FHIR resource read so far, and the record keys each one produced."""

    def __init__(self, systems: FhirSystems | None = None) -> None:
        self.ctx = Context(index=Index([]), systems=systems or FhirSystems())
        self.current: dict[str, Entry] = {}
        self.produced: dict[str, list[Key]] = {}

    def apply(self, paths: Iterable[Path]) -> FhirChanges:
        """Read files and map their new or newer resources only."""
        changes = FhirChanges()
        fresh: list[tuple[str, Entry]] = []
        for item in read_paths([Path(p) for p in paths]):
            if isinstance(item, Unreadable):
                changes.result.rejections.append(Rejection(
                    item.file, item.where, item.resource_type, item.resource_id, item.reason))
                continue
            key = _key(item)
            old = self.current.get(key)
            if old is not None and not _newer(item.resource, old.resource):
                changes.unchanged += 1
                continue
            if old is not None:
                self._forget(old)
                self.ctx.index.replace(old, item)
            else:
                self.ctx.index.add(item)
            self.current[key] = item
            fresh.append((key, item))
        self._map(fresh, changes)
        return changes

    def _forget(self, old: Entry) -> None:
        # maps are keyed by id() of the dict: an id is reused once the old dict is freed
        for table in (self.ctx.ipp_of, self.ctx.nda_of, self.ctx.order_of):
            table.pop(id(old.resource), None)
        self.ctx.refused_patients.discard(id(old.resource))

    def _map(self, fresh: list[tuple[str, Entry]], changes: FhirChanges) -> None:
        result = changes.result
        self.ctx.ignored = Counter()
        by_type: dict[str, list[tuple[str, Entry]]] = {}
        for key, entry in fresh:
            by_type.setdefault(entry.resource["resourceType"], []).append((key, entry))
        for rtype in sorted(set(by_type) - set(MAPPERS) - set(SUPPORT_TYPES)):
            result.ignored[f"{rtype} : {type_reason(rtype)}"] += len(by_type[rtype])
        seen: set[Key] = set()
        for rtype, mapper in MAPPERS.items():
            for key, entry in by_type.get(rtype, []):
                before = len(result.records)
                _map_one(entry, mapper, self.ctx, result, seen)
                now = [(r.TYPE, r.id) for r in result.records[before:]]
                changes.gone += [k for k in self.produced.get(key, []) if k not in now]
                self.produced[key] = now
        result.ignored.update(self.ctx.ignored)
        result.rejections.sort(key=lambda r: (r.file, r.line_or_index))


def _key(entry: Entry) -> str:
    res = entry.resource
    rid = res.get("id")
    if isinstance(rid, str) and rid:
        return f"{res.get('resourceType')}/{rid}"
    return entry.full_url or f"{entry.file}#{entry.where}"


def _newer(new: dict, old: dict) -> bool:
    """True when ``new`` is a later version: by ``meta.lastUpdated`` when both carry it."""
    stamps = [_last_updated(r) for r in (new, old)]
    if stamps[0] is not None and stamps[1] is not None:
        return stamps[0] > stamps[1]
    return new != old


def _last_updated(res: dict) -> dt.datetime | None:
    meta = res.get("meta")
    value = meta.get("lastUpdated") if isinstance(meta, dict) else None
    try:
        stamp = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return stamp if stamp is not None and stamp.tzinfo is not None else None
