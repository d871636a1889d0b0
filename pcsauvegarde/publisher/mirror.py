"""The publisher's working copy of the source: each record as its line, and what changed.

Records enter through :meth:`Mirror.upsert` (out of an importer, so already checked by the
reference validator ``record_from_dict``) and leave through :meth:`Mirror.remove`. A record is
kept as what publishing needs only (its line, the line's digest, its patient), not as an
object: the hospital's 470,000 records fit in about half the memory. Every key whose line
changed is *pending* until a publish takes it; a record upserted unchanged costs one encoding
and one digest, nothing more. A new Mirror compares everything once (see ``compared``), so a
restart costs one full comparison and never misses a change or a deletion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pcsauvegarde.core.records import (
    DOMAINS,
    RECORD_TYPES,
    Appointment,
    Record,
    Stay,
    record_from_dict,
)
from pcsauvegarde.publisher.lines import record_line
from pcsauvegarde.publisher.scoping import PATIENT_DOMAINS, RULES, UNIT, Scope, record_ipp
from pcsauvegarde.publisher.state import Key, digest

_DOMAIN_OF = {name: cls.DOMAIN for name, cls in RECORD_TYPES.items()}


@dataclass(frozen=True, slots=True)
class Entry:
    """One record as published: its patient (None for catalogues), line and digest, and for
    unit-scoped records (scoping.RULES) the owning unit, or a cycle's trays."""

    ipp: str | None
    line: bytes
    hash: bytes
    owner: str | tuple[str, ...] | None = None


@dataclass
class Pending:
    """What changed since the last publish: keys per domain and patients whose units moved."""

    keys: dict[str, set[Key]] = field(default_factory=lambda: {d: set() for d in DOMAINS})
    moved: dict[str, set[str]] = field(default_factory=lambda: {d: set()
                                                                for d in PATIENT_DOMAINS})

    def __bool__(self) -> bool:
        return any(self.moved.values()) or any(self.keys.values())

    def merge(self, other: Pending) -> None:
        for domain, keys in other.keys.items():
            self.keys[domain] |= keys
        for domain, ipps in other.moved.items():
            self.moved[domain] |= ipps

    def move(self, ipp: str) -> None:
        """A patient's units changed: each patient domain must look at all their records."""
        for ipps in self.moved.values():
            ipps.add(ipp)


class Mirror:
    """Current records by domain, indexed by patient and by stay unit for scoping."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[Key, Entry]] = {d: {} for d in DOMAINS}
        self.by_ipp: dict[str, set[Key]] = {}                # patient-domain keys per IPP
        # IPP → {(type, id): unit} of their stays and appointments (both route the patient)
        self.stay_units: dict[str, dict[Key, str]] = {}
        self.pending = Pending()
        self.compared: set[tuple[str, str]] = set()          # (scope, domain) compared whole

    def __len__(self) -> int:
        return sum(len(e) for e in self.entries.values())

    def upsert(self, records: Iterable[Record], check: bool = False) -> int:
        """Add or replace records; return how many actually changed.

        Records MUST come out of ``record_from_dict`` (every importer's output does); pass
        ``check=True`` for records built otherwise, to run that reference check here.
        """
        changed = 0
        for r in records:
            if check:
                record_from_dict(r.to_dict())  # raises RecordError naming the field
            line = record_line(r)
            h = digest(line)
            key = (r.TYPE, r.id)
            domain = r.DOMAIN
            old = self.entries[domain].get(key)
            if old is not None and old.hash == h:
                continue
            ipp = record_ipp(r)
            if old is not None:
                self._unindex(key, domain, old)
            rule, field_name = RULES[r.TYPE]
            owner = getattr(r, field_name, None) if rule == UNIT else None
            if r.TYPE == "tray" and (old is None or old.owner != owner):
                # a tray changing unit may move the cycles that carry it to other scopes
                self.pending.keys[domain] |= {k for k in self.entries[domain]
                                              if k[0] == "sterilisation_cycle"}
            self.entries[domain][key] = Entry(ipp, line, h, owner)
            if ipp is not None and domain in PATIENT_DOMAINS:
                self.by_ipp.setdefault(ipp, set()).add(key)
            if isinstance(r, (Stay, Appointment)) and ipp is not None:
                units = self.stay_units.setdefault(ipp, {})
                if units.get(key) != r.unit:
                    units[key] = r.unit
                    self.pending.move(ipp)
            self.pending.keys[domain].add(key)
            changed += 1
        return changed

    def remove(self, keys: Iterable[Key]) -> int:
        """Forget records (deleted at the source); return how many were known."""
        removed = 0
        for key in keys:
            domain = _DOMAIN_OF.get(key[0])
            old = self.entries[domain].pop(key, None) if domain is not None else None
            if domain is None or old is None:
                continue
            self._unindex(key, domain, old)
            self.pending.keys[domain].add(key)
            removed += 1
        return removed

    def _unindex(self, key: Key, domain: str, old: Entry) -> None:
        if old.ipp is None:
            return
        keys = self.by_ipp.get(old.ipp)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.by_ipp[old.ipp]
        if key[0] in ("stay", "appointment"):
            units = self.stay_units.get(old.ipp, {})
            if units.pop(key, None) is not None:
                self.pending.move(old.ipp)
            if not units:
                self.stay_units.pop(old.ipp, None)

    def take(self, domains: Iterable[str]) -> Pending:
        """Hand over (and clear) what changed in ``domains``; moved patients go with them."""
        taken = Pending()
        for domain in domains:
            taken.keys[domain], self.pending.keys[domain] = self.pending.keys[domain], set()
            if domain in self.pending.moved:
                taken.moved[domain], self.pending.moved[domain] = self.pending.moved[domain], set()
        return taken

    def give_back(self, pending: Pending) -> None:
        """A publish failed: what it took is pending again, and every scope is compared whole."""
        self.pending.merge(pending)
        self.compared.clear()

    def routing(self, scopes: Sequence[Scope]) -> dict[str, set[str]]:
        """The IPPs each scope receives, by the rule of :func:`scoping.route_patients`: every
        patient for ``*`` scopes; else the scopes naming the unit of one of their stays or
        appointments, else the ``patients_without_stay`` ones."""
        star = [s.id for s in scopes if "*" in s.units]
        fallback = [s.id for s in scopes if s.patients_without_stay]
        naming: dict[str, list[str]] = {}
        for s in scopes:
            for unit in s.units:
                if unit != "*":
                    naming.setdefault(unit, []).append(s.id)
        served: dict[str, set[str]] = {s.id: set() for s in scopes}
        for ipp in self.by_ipp:
            named = {sid for u in self.stay_units.get(ipp, {}).values()
                     for sid in naming.get(u, ())}
            for sid in (named or fallback):
                served[sid].add(ipp)
            for sid in star:
                served[sid].add(ipp)
        return served

    def unit_keep(self, serves: Callable[[str], bool]) -> Callable[[Key, Entry], bool]:
        """Whether a non-patient record goes to a scope whose units ``serves`` accepts: the
        rule of :func:`scoping.unit_filter`, on the mirror's entries."""
        served_trays = {k[1] for k, e in self.entries["sterilisation"].items()
                        if k[0] == "tray" and (not e.owner or serves(str(e.owner)))}

        def keep(key: Key, entry: Entry) -> bool:
            if not entry.owner:
                return True
            if key[0] == "sterilisation_cycle":
                return any(t in served_trays for t in entry.owner)
            return serves(str(entry.owner))

        return keep

    def in_scope(self, key: Key, entry: Entry, served: set[str],
                 keep: Callable[[Key, Entry], bool]) -> bool:
        """A patient's record if the scope receives the patient; others by ``keep``."""
        return entry.ipp in served if entry.ipp is not None else keep(key, entry)

    def scoped(self, domain: str, served: set[str],
               keep: Callable[[Key, Entry], bool]) -> list[tuple[Key, Entry]]:
        """Every record of ``domain`` a scope with these patients and units receives."""
        entries = self.entries[domain]
        if domain in PATIENT_DOMAINS:
            return [(k, e) for k, e in entries.items() if e.ipp is None or e.ipp in served]
        return [(k, e) for k, e in entries.items() if keep(k, e)]

    def candidates(self, domain: str, pending: Pending) -> set[Key]:
        """Keys a delta of ``domain`` must look at: changed ones, and all of moved patients."""
        keys = set(pending.keys[domain])
        if domain in PATIENT_DOMAINS:
            for ipp in pending.moved[domain]:
                keys |= {k for k in self.by_ipp.get(ipp, ()) if _DOMAIN_OF[k[0]] == domain}
        return keys
