"""The publisher's working copy of the source: each record as its line, and what changed.

Records enter through :meth:`Mirror.upsert` (out of an importer, so already checked by the
reference validator ``record_from_dict``) and leave through :meth:`Mirror.remove`. A record is
kept as what publishing needs only (its line, the line's digest, its patient or owning unit),
in a private temporary SQLite database rather than the Python heap: the hospital's 470,000
records would take 330 MB as objects, and SQLite keeps a few MB of them in memory (the rest
is a file the system deletes with the connection). Every change is stamped with a generation
number; a domain's changes newer than the last publish that took them are *pending*. A record
upserted unchanged costs one encoding and one digest, nothing more. A new Mirror compares
everything once (see ``compared``), so a restart costs one full comparison and never misses a
change or a deletion.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pcsauvegarde.core.package import EncodedLines
from pcsauvegarde.core.records import DOMAINS, RECORD_TYPES, Record, record_from_dict
from pcsauvegarde.publisher.lines import record_line
from pcsauvegarde.publisher.scoping import PATIENT_DOMAINS, RULES, UNIT, Scope, record_ipp
from pcsauvegarde.publisher.state import Key, digest

_DOMAIN_OF = {name: cls.DOMAIN for name, cls in RECORD_TYPES.items()}
# each domain's types in key order: a domain read type by type comes out sorted by (type, id)
_TYPES = {d: sorted(t for t, dom in _DOMAIN_OF.items() if dom == d) for d in DOMAINS}
_SEP = "\x1f"  # joins a cycle's tray ids in the owner column (ids never hold control chars)
_BATCH = 5000
ROUTING_TYPES = ("stay", "appointment")  # records whose unit routes their patient
SCHEMA = """
CREATE TABLE entry (type TEXT NOT NULL, id TEXT NOT NULL, ipp TEXT, owner TEXT,
    hash BLOB NOT NULL, line BLOB NOT NULL, gen INTEGER NOT NULL,
    PRIMARY KEY (type, id)) WITHOUT ROWID;
CREATE INDEX entry_ipp ON entry (ipp) WHERE ipp IS NOT NULL;
CREATE INDEX entry_noipp ON entry (type) WHERE ipp IS NULL;
CREATE INDEX entry_gen ON entry (gen);
CREATE TABLE gone (type TEXT NOT NULL, id TEXT NOT NULL, gen INTEGER NOT NULL,
    PRIMARY KEY (type, id)) WITHOUT ROWID;
"""
_UPSERT = ("INSERT INTO entry VALUES (?,?,?,?,?,?,?) ON CONFLICT (type, id) DO UPDATE SET "
           "ipp=excluded.ipp, owner=excluded.owner, hash=excluded.hash, line=excluded.line, "
           "gen=excluded.gen WHERE entry.hash IS NOT excluded.hash")


class Entry(NamedTuple):
    """One record as published: its patient (None for catalogues), line and digest, and for
    unit-scoped records (scoping.RULES) the owning unit, or a cycle's trays."""

    ipp: str | None
    line: bytes
    hash: bytes
    owner: str | tuple[str, ...] | None = None


def _entry(rtype: str, ipp: str | None, owner: str | None, h: bytes, line: bytes) -> Entry:
    if owner and rtype == "sterilisation_cycle":
        return Entry(ipp, line, h, tuple(owner.split(_SEP)))
    return Entry(ipp, line, h, owner)


@dataclass
class Pending:
    """What changed since the last publish: per domain the generations taken (after, upto]
    when something changed in them, and the patients whose units moved."""

    since: dict[str, tuple[int, int]] = field(default_factory=dict)
    moved: dict[str, set[str]] = field(default_factory=lambda: {d: set()
                                                                for d in PATIENT_DOMAINS})

    def __bool__(self) -> bool:
        return bool(self.since) or any(self.moved.values())


class Mirror:
    """Current records by domain, indexed by patient and by stay unit for scoping."""

    def __init__(self) -> None:
        # "": a private on-disk temporary database, deleted when the connection closes
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8000"):
            self.db.execute(f"PRAGMA {pragma}")  # rebuilt on restart: no crash safety needed
        self.db.executescript(SCHEMA)
        self.generation = 0
        self.changed_at = dict.fromkeys(DOMAINS, 0)     # last generation that changed a domain
        self.taken = dict.fromkeys(DOMAINS, 0)          # generations a publish has taken
        self.moved: dict[str, set[str]] = {d: set() for d in PATIENT_DOMAINS}
        # stays and consultation appointments both route their patient (scoping.route_patients)
        self.stays: dict[Key, tuple[str, str]] = {}     # (type, id) → (IPP, unit)
        self.stay_units: dict[str, dict[Key, str]] = {}  # IPP → {(type, id): unit}
        self.tray_owner: dict[str, str | None] = {}
        self.compared: set[tuple[str, str]] = set()      # (scope, domain) compared whole
        self._tables = 0                                 # temporary tables made so far

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entry").fetchone()[0])

    def count(self, domain: str) -> int:
        return sum(self.db.execute("SELECT count(*) FROM entry WHERE type=?", (t,)).fetchone()[0]
                   for t in _TYPES[domain])

    def holds(self, domain: str) -> bool:
        """Whether any record of ``domain`` is in the mirror (read from an input)."""
        return any(self.db.execute("SELECT 1 FROM entry WHERE type=? LIMIT 1", (t,)).fetchone()
                   for t in _TYPES[domain])

    def keys(self, domain: str) -> set[Key]:
        return {k for t in _TYPES[domain]
                for k in self.db.execute("SELECT type, id FROM entry WHERE type=?", (t,))}

    def entry(self, key: Key) -> Entry | None:
        row = self.db.execute("SELECT ipp, owner, hash, line FROM entry WHERE type=? AND id=?",
                              key).fetchone()
        return None if row is None else _entry(key[0], *row)

    @property
    def pending(self) -> Pending:
        """What a publish of every domain would take now (nothing is taken)."""
        return Pending({d: (self.taken[d], self.changed_at[d]) for d in DOMAINS
                        if self.changed_at[d] > self.taken[d]},
                       {d: set(ipps) for d, ipps in self.moved.items()})

    def upsert(self, records: Iterable[Record], check: bool = False) -> int:
        """Add or replace records; return how many actually changed.

        Records MUST come out of ``record_from_dict`` (every importer's output does); pass
        ``check=True`` for records built otherwise, to run that reference check here.
        """
        self.generation += 1
        gen, changed = self.generation, 0
        batch: dict[str, list[tuple]] = {}
        size = 0
        self.db.execute("BEGIN")
        try:
            for r in records:
                if check:
                    record_from_dict(r.to_dict())  # raises RecordError naming the field
                line = record_line(r)
                rule, field_name = RULES[r.TYPE]
                owner = getattr(r, field_name, None) if rule == UNIT else None
                if isinstance(owner, tuple):
                    owner = _SEP.join(owner)
                ipp = record_ipp(r)
                batch.setdefault(r.DOMAIN, []).append(
                    (r.TYPE, r.id, ipp, owner or None, digest(line), line, gen))
                if r.TYPE in ROUTING_TYPES and ipp is not None:
                    self._stay((r.TYPE, r.id), ipp, r.unit)  # type: ignore[attr-defined]
                elif r.TYPE == "tray":
                    self._tray(r.id, owner or None, gen)
                size += 1
                if size >= _BATCH:
                    changed += self._write(batch, gen)
                    batch, size = {}, 0
        finally:
            # a record refused by ``check`` stops the upsert after the ones before it, as
            # their stays and trays were already counted
            changed += self._write(batch, gen)
            self.db.execute("COMMIT")
        return changed

    def _write(self, batch: dict[str, list[tuple]], gen: int) -> int:
        changed = 0
        for domain, rows in batch.items():
            before = self.db.total_changes
            self.db.executemany(_UPSERT, rows)
            if self.db.total_changes > before:
                self.changed_at[domain] = gen
                changed += self.db.total_changes - before
        return changed

    def _stay(self, stay_id: Key, ipp: str, unit: str) -> None:
        old = self.stays.get(stay_id)
        if old == (ipp, unit):
            return
        if old is not None and old[0] != ipp:
            self._forget_stay(stay_id)
        self.stays[stay_id] = (ipp, unit)
        self.stay_units.setdefault(ipp, {})[stay_id] = unit
        self._move(ipp)

    def _forget_stay(self, stay_id: Key) -> None:
        old = self.stays.pop(stay_id, None)
        if old is None:
            return
        units = self.stay_units.get(old[0], {})
        units.pop(stay_id, None)
        if not units:
            self.stay_units.pop(old[0], None)
        self._move(old[0])

    def _move(self, ipp: str) -> None:
        """A patient's units changed: each patient domain must look at all their records."""
        for ipps in self.moved.values():
            ipps.add(ipp)

    def _tray(self, tray_id: str, owner: str | None, gen: int) -> None:
        if tray_id in self.tray_owner and self.tray_owner[tray_id] == owner:
            return
        self.tray_owner[tray_id] = owner
        # a tray changing unit may move the cycles that carry it to other scopes
        self.db.execute("UPDATE entry SET gen=? WHERE type='sterilisation_cycle'", (gen,))
        self.changed_at["sterilisation"] = gen

    def remove(self, keys: Iterable[Key]) -> int:
        """Forget records (deleted at the source); return how many were known."""
        self.generation += 1
        gen, removed = self.generation, 0
        self.db.execute("BEGIN")
        try:
            for key in keys:
                domain = _DOMAIN_OF.get(key[0])
                if domain is None or self.db.execute(
                        "DELETE FROM entry WHERE type=? AND id=?", key).rowcount != 1:
                    continue
                self.db.execute("INSERT OR REPLACE INTO gone VALUES (?,?,?)", (*key, gen))
                self.changed_at[domain] = gen
                if key[0] in ROUTING_TYPES:
                    self._forget_stay(key)
                elif key[0] == "tray":
                    self.tray_owner.pop(key[1], None)
                removed += 1
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return removed

    def take(self, domains: Iterable[str]) -> Pending:
        """Hand over (and clear) what changed in ``domains``; moved patients go with them."""
        taken = Pending()
        # deletions every domain took before this take are no longer needed (a failed
        # publish gives back no further than that)
        self.db.execute("DELETE FROM gone WHERE gen <= ?", (min(self.taken.values()),))
        for domain in domains:
            if self.changed_at[domain] > self.taken[domain]:
                taken.since[domain] = (self.taken[domain], self.generation)
            self.taken[domain] = self.generation
            if domain in self.moved:
                taken.moved[domain], self.moved[domain] = self.moved[domain], set()
        return taken

    def give_back(self, pending: Pending) -> None:
        """A publish failed: what it took is pending again, and every scope is compared whole."""
        for domain, (after, upto) in pending.since.items():
            self.taken[domain] = min(self.taken[domain], after)
            self.changed_at[domain] = max(self.changed_at[domain], upto)
        for domain, ipps in pending.moved.items():
            self.moved[domain] |= ipps
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
        for (ipp,) in self.db.execute("SELECT DISTINCT ipp FROM entry WHERE ipp IS NOT NULL"):
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
        served_trays = {t for t, owner in self.tray_owner.items() if not owner or serves(owner)}

        def keep(key: Key, entry: Entry) -> bool:
            if not entry.owner:
                return True
            if key[0] == "sterilisation_cycle":
                return any(t in served_trays for t in entry.owner)
            return serves(str(entry.owner))

        return keep

    def in_scope(self, key: Key, entry: Entry, served: set[str] | None,
                 keep: Callable[[Key, Entry], bool]) -> bool:
        """A patient's record if the scope receives the patient (``served=None``: every
        patient); others by ``keep``."""
        if entry.ipp is not None:
            return served is None or entry.ipp in served
        return keep(key, entry)

    def scoped(self, domain: str, served: set[str] | None,
               keep: Callable[[Key, Entry], bool],
               lines: bool = True) -> Iterator[tuple[Key, Entry]]:
        """Every record of ``domain`` a scope with these patients and units receives, in key
        order, read as it goes (``served=None``: every patient; ``lines=False``: entries
        without their line, for digests only)."""
        line = "line" if lines else "x''"
        if domain in PATIENT_DOMAINS and served is not None:
            yield from self._of_patients(domain, served, "e.line AS line" if lines
                                         else "x'' AS line")
            return
        for rtype in _TYPES[domain]:
            for rid, ipp, owner, h, text in self.db.execute(
                    f"SELECT id, ipp, owner, hash, {line} FROM entry WHERE type=? "  # noqa: S608
                    "ORDER BY id", (rtype,)):
                if ipp is not None:
                    yield (rtype, rid), Entry(ipp, text, h)
                    continue
                entry = _entry(rtype, ipp, owner, h, text)
                if keep((rtype, rid), entry):
                    yield (rtype, rid), entry

    def scoped_lines(self, domain: str, served: set[str] | None,
                     keep: Callable[[Key, Entry], bool]) -> Iterator[EncodedLines]:
        """What :meth:`scoped` gives, as chunks of lines for a full package (a patient
        domain for every patient is read without an object per record)."""
        if domain in PATIENT_DOMAINS and served is None:
            for rtype in _TYPES[domain]:
                cursor = self.db.execute("SELECT line FROM entry WHERE type=? ORDER BY id",
                                         (rtype,))
                while rows := cursor.fetchmany(_BATCH):
                    yield EncodedLines([rtype] * len(rows), [line for (line,) in rows])
            return
        chunk = EncodedLines([], [])
        for key, entry in self.scoped(domain, served, keep):
            chunk.types.append(key[0])
            chunk.lines.append(entry.line)
            if len(chunk.lines) >= _BATCH:
                yield chunk
                chunk = EncodedLines([], [])
        if chunk.lines:
            yield chunk

    def _of_patients(self, domain: str, served: set[str], line: str
                     ) -> Iterator[tuple[Key, Entry]]:
        """A patient domain's records of some patients: read through the IPP index (a unit's
        share of the lab is not a scan of the whole lab), joined on a temporary table."""
        self._tables += 1
        table = f"temp.served_{self._tables}"
        self.db.execute(f"CREATE TABLE {table} (ipp TEXT PRIMARY KEY) WITHOUT ROWID")
        try:
            self.db.executemany(f"INSERT INTO {table} VALUES (?)",  # noqa: S608
                                ((ipp,) for ipp in served))
            for rtype in _TYPES[domain]:
                # the table name is ours (a counter), every value a parameter
                rows = self.db.execute(
                    f"SELECT id, ipp, hash, line FROM (SELECT e.id, e.ipp, e.hash, {line} "  # noqa: S608
                    "FROM entry e INDEXED BY entry_noipp WHERE e.type=? AND e.ipp IS NULL "
                    f"UNION ALL SELECT e.id, e.ipp, e.hash, {line} FROM "
                    f"{table} s CROSS JOIN entry e INDEXED BY entry_ipp ON e.ipp=s.ipp AND "
                    "e.type=?) ORDER BY id", (rtype, rtype))
                for rid, ipp, h, text in rows:
                    yield (rtype, rid), Entry(ipp, text, h)
        finally:
            self.db.execute(f"DROP TABLE {table}")

    def candidates(self, domain: str, pending: Pending) -> set[Key]:
        """Keys a delta of ``domain`` must look at: changed ones, and all of moved patients."""
        types = _TYPES[domain]
        keys: set[Key] = set()
        if domain in pending.since:
            after, upto = pending.since[domain]
            for table in ("entry", "gone"):
                keys |= {k for k in self.db.execute(
                    f"SELECT type, id FROM {table} WHERE gen > ? AND gen <= ?",  # noqa: S608
                    (after, upto)) if k[0] in types}
        for ipp in pending.moved.get(domain, ()):
            keys |= {k for k in self.db.execute("SELECT type, id FROM entry WHERE ipp=?",
                                                (ipp,)) if k[0] in types}
        return keys
