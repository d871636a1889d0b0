"""Source side: canonical records → one sealed package per domain and station scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.core.package import Deletion, Manifest, write_package
from pcsauvegarde.core.records import DOMAINS, Record
from pcsauvegarde.publisher.config import PublisherConfigError, read_publisher_toml
from pcsauvegarde.publisher.drop_index import write_index
from pcsauvegarde.publisher.importers.hl7v2.identity import NDA_FIELDS, Hl7Options
from pcsauvegarde.publisher.keys import signing_key
from pcsauvegarde.publisher.lines import record_line
from pcsauvegarde.publisher.report import DOMAIN_SKIPPED, OUT_OF_SCOPE, UNCHANGED, PublishReport
from pcsauvegarde.publisher.scoping import Routing, record_ipp, route_patients, unit_filter
from pcsauvegarde.publisher.state import PublishState, digest, first_sequence


class PublishError(ValueError):
    """A publisher configuration or run that cannot go on (French message)."""


@dataclass(frozen=True)
class StationScope:
    """A station served by this publisher: who can decrypt, which units it receives.

    Stations with the same ``group`` share one package per domain (``station`` value = the
    group id, listed in each station's ``scopes`` setting), encrypted to all their recipients.
    """

    id: str
    recipients: tuple[str, ...]
    units: tuple[str, ...] = ("*",)
    group: str = ""
    patients_without_stay: bool = False
    """Also receives the patients no station serves by their stays (« consultations/urgences »)."""

    def serves(self, unit: str) -> bool:
        return "*" in self.units or unit in self.units


@dataclass(frozen=True)
class ScopeGroup:
    """What one package is made for: an id (its ``station`` value), recipients and units."""

    id: str
    recipients: tuple[str, ...]
    units: tuple[str, ...]
    stations: tuple[str, ...]
    patients_without_stay: bool = False

    def serves(self, unit: str) -> bool:
        return "*" in self.units or unit in self.units


@dataclass(frozen=True)
class PublisherConfig:
    """Read from publisher.toml: where to drop packages, signing key, stations served."""

    drop_dir: Path
    signing_key: Path
    state_file: Path
    stations: tuple[StationScope, ...]
    source: str = "pcsauvegarde-publisher"
    full_every_minutes: int = 60
    """With ``--kind auto``, a full package when the last one is older than this."""
    hl7: Hl7Options = field(default_factory=Hl7Options)
    """``[hl7v2]``: which PID-3 identifier is the IPP, where the NDA is."""


def load_publisher_config(path: Path) -> PublisherConfig:
    """Parse and validate publisher.toml (config.py declares every key); paths are relative to
    its folder."""
    try:
        values = read_publisher_toml(Path(path))
    except PublisherConfigError as exc:
        raise PublishError(str(exc)) from None
    base = Path(path).parent
    stations = tuple(StationScope(s["id"], tuple(s["recipients"]), tuple(s["units"]),
                                  s["group"], s["patients_without_stay"])
                     for s in values["stations"])
    config = PublisherConfig(base / values["drop_dir"], base / values["signing_key"],
                             base / values["state_file"], stations, values["source"],
                             values["full_every_minutes"],
                             _hl7_options(values["hl7v2"], str(path)))
    scope_groups(config, str(path))  # refuses inconsistent groups now, not at publish time
    return config


def _hl7_options(data: dict, where: str) -> Hl7Options:
    """The ``[hl7v2]`` table: ipp_authorities, ipp_types (lists of text), nda_field."""
    options = Hl7Options(tuple(data.get("ipp_authorities", ())),
                         tuple(t.upper() for t in data.get("ipp_types", ("PI",))),
                         data.get("nda_field", "PV1-19").upper())
    if options.nda_field not in NDA_FIELDS:
        raise PublishError(f"« {where} » : hl7v2.nda_field « {options.nda_field} » inconnu "
                           "(PV1-19 ou PID-18)")
    if not options.ipp_types or not all(isinstance(v, str) and v for v in
                                        options.ipp_authorities + options.ipp_types):
        raise PublishError(f"« {where} » : hl7v2.ipp_authorities et hl7v2.ipp_types : listes "
                           "de textes non vides attendues")
    return options


def write_publisher_config(path: Path, drop_dir: str, signing_key: str,
                           stations: Iterable[StationScope]) -> None:
    lines = [f'drop_dir = "{drop_dir}"', f'signing_key = "{signing_key}"', ""]
    for s in stations:
        lines += ["[[stations]]", f'id = "{s.id}"',
                  "recipients = [" + ", ".join(f'"{r}"' for r in s.recipients) + "]",
                  "units = [" + ", ".join(f'"{u}"' for u in s.units) + "]"]
        lines += ["patients_without_stay = true"] if s.patients_without_stay else []
        lines += [f'group = "{s.group}"', ""] if s.group else [""]
    atomic_write(Path(path), "\n".join(lines).encode())


def scope_groups(config: PublisherConfig, where: str = "publisher.toml") -> list[ScopeGroup]:
    """One group per ``group`` id (or per station without one); refuse inconsistent groups."""
    members: dict[str, list[StationScope]] = {}
    for s in config.stations:
        members.setdefault(s.group or s.id, []).append(s)
    station_ids = {s.id for s in config.stations}
    groups = []
    for gid, stations in members.items():
        units = sorted(set(stations[0].units))
        for s in stations[1:]:
            if s.patients_without_stay != stations[0].patients_without_stay:
                raise PublishError(f"« {where} » : groupe « {gid} » : les stations "
                                   f"« {stations[0].id} » et « {s.id} » n'ont pas le même "
                                   "patients_without_stay (un groupe partage un seul paquet)")
            if sorted(set(s.units)) != units:
                raise PublishError(f"« {where} » : groupe « {gid} » : les stations "
                                   f"« {stations[0].id} » et « {s.id} » n'ont pas les mêmes "
                                   "unités (un groupe partage un seul paquet)")
        if gid in station_ids and gid not in {s.id for s in stations}:
            raise PublishError(f"« {where} » : groupe « {gid} » : porte le nom d'une autre "
                               "station")
        recipients = tuple(dict.fromkeys(r for s in stations for r in s.recipients))
        groups.append(ScopeGroup(gid, recipients, tuple(units), tuple(s.id for s in stations),
                                 stations[0].patients_without_stay))
    return groups


def scope_records(records: list[Record], station: StationScope | ScopeGroup,
                  routing: Routing | None = None) -> dict[str, list[Record]]:
    """The records a station may receive, by domain (see :mod:`scoping`): its patients
    (``routing`` decided for every scope at once) with their whole record, its units' stock,
    trays, cycles and staff, and every shared catalogue."""
    if routing is None:
        routing = route_patients(records, [station])
    of_its_units = unit_filter(records, station.serves)
    by_domain: dict[str, list[Record]] = {d: [] for d in DOMAINS}
    for r in records:
        ipp = record_ipp(r)
        if ipp is not None:
            if not routing.receives(station.id, ipp):
                continue
        elif not of_its_units(r):
            continue
        by_domain[r.DOMAIN].append(r)
    return by_domain


KINDS = ("full", "delta", "auto")


def publish(records: list[Record], config: PublisherConfig, kind: str = "auto",
            now: dt.datetime | None = None, domains: Iterable[str] = DOMAINS,
            report: PublishReport | None = None) -> list[Path]:
    """Write one package per scope group and domain; return the files written.

    ``report``, when given, is filled with what became of every record (see report.py).

    ``full``: the whole scope of each non-empty domain. ``delta``: only what changed since the
    last package (new or changed records, deletions); nothing when nothing changed; a full
    package when there is no usable base. ``auto``: full when the last full package of that
    domain is older than ``full_every_minutes``, else delta.
    """
    if kind not in KINDS:
        raise PublishError(f"type de publication « {kind} » inconnu (full, delta ou auto)")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    key = signing_key(config.signing_key)
    state = PublishState(config.state_file)
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    full_every = dt.timedelta(minutes=config.full_every_minutes)
    domains = tuple(domains)
    groups = scope_groups(config)
    routing = route_patients(records, groups)
    written = []
    in_scope: set[tuple[str, str]] = set()
    sent: set[tuple[str, str]] = set()
    for group in groups:
        scoped = scope_records(records, group, routing)
        for domain in DOMAINS:
            in_scope.update((r.TYPE, r.id) for r in scoped[domain])
            if domain not in domains:
                continue
            path, keys = _publish_domain(scoped[domain], group, domain, kind, now, full_every,
                                         state, config, key)
            sent |= keys
            if path is not None:
                written.append(path)
    if report is not None:
        _fill_report(report, records, routing, in_scope, sent, domains, written)
    write_index(config.drop_dir, now)  # what an HTTPS drop serves (docs/transports.md)
    return written


def _fill_report(report: PublishReport, records: list[Record], routing: Routing,
                 in_scope: set, sent: set, domains: tuple[str, ...], written: list[Path]
                 ) -> None:
    report.packages += written
    for r in records:
        t = report.of(r.TYPE)
        t.imported += 1
        key = (r.TYPE, r.id)
        if key not in in_scope:
            ipp = record_ipp(r)
            t.not_sent[routing.reasons.get(ipp, OUT_OF_SCOPE) if ipp else OUT_OF_SCOPE] += 1
            continue
        t.in_scope += 1
        if key in sent:
            t.sent += 1
        else:
            t.not_sent[UNCHANGED if r.DOMAIN in domains else DOMAIN_SKIPPED] += 1


def publish_full(records: list[Record], config: PublisherConfig,
                 now: dt.datetime | None = None,
                 domains: Iterable[str] = DOMAINS) -> list[Path]:
    """Full packages for every scope group and non-empty domain."""
    return publish(records, config, "full", now, domains)


def publish_delta(records: list[Record], config: PublisherConfig,
                  now: dt.datetime | None = None,
                  domains: Iterable[str] = DOMAINS) -> list[Path]:
    """Delta packages (full where there is no base yet) for what changed since the last run."""
    return publish(records, config, "delta", now, domains)


def _publish_domain(items: list[Record], group: ScopeGroup, domain: str, kind: str,
                    now: dt.datetime, full_every: dt.timedelta, state: PublishState,
                    config: PublisherConfig, key) -> tuple[Path | None, set]:
    # each record's line is written once, straight from its fields: hashed for the delta,
    # then sent as is; only records that go into the package are turned into dicts (checked)
    current: dict[tuple[str, str], tuple[Record, bytes, bytes]] = {}
    for r in items:
        line = record_line(r)
        current[(r.TYPE, r.id)] = (r, line, digest(line))
    known = state.domain(group.id, domain)
    full = (kind == "full" or known.last == 0 or known.interrupted
            or (kind == "auto" and (known.last_full_at is None
                                    or now - known.last_full_at >= full_every)))
    if full:
        if not current:
            return None, set()
        payload: list = [(r.to_dict(), line) for r, line, _ in current.values()]
        changed = [(k, h) for k, (_, _, h) in current.items()]
        deleted: list[tuple[str, str]] = []
    else:
        old = state.digests(group.id, domain)
        changed = [(k, h) for k, (_, _, h) in current.items() if old.get(k) != h]
        deleted = [k for k in old if k not in current]
        if not changed and not deleted:
            return None, set()  # nothing new: the station's snapshot is still exact
        payload = [(current[k][0].to_dict(), current[k][1]) for k, _ in changed]
        payload += [Deletion(t, i) for t, i in deleted]
    sequence = known.next_sequence if known.last or known.reserved else first_sequence(
        config.drop_dir, group.id, domain)
    manifest = Manifest(kind="full" if full else "delta", domain=domain, station=group.id,
                        source=config.source, extracted_at=now, sequence=sequence,
                        base_sequence=None if full else known.last)
    state.reserve(group.id, domain, sequence)
    path = write_package(config.drop_dir, manifest, payload, list(group.recipients), key)
    state.commit(group.id, domain, sequence, manifest.kind, now, changed, deleted)
    return path, {k for k, _ in changed}
