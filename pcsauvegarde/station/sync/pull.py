"""Pull packages from a source and ingest them in order; the station initiates everything."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.fsutil import private_dir
from pcsauvegarde.station.keys import StationKeys, load_station_keys
from pcsauvegarde.station.settings import Settings, Source
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.freeze import is_frozen
from pcsauvegarde.station.sync.ingest import IngestOutcome, ingest
from pcsauvegarde.station.sync.notkept import NotKeptTally
from pcsauvegarde.station.sync.transports import PullError, clean_incoming, make_transport

__all__ = ["PullError", "PullRun", "disk_free_mb", "pull_all", "pull_source"]

log = logging.getLogger("pcsauvegarde.station.sync")
_NAME = re.compile(r"^(?P<station>[a-z0-9-]+)\.(?P<domain>[a-z]+)\.(?P<kind>full|delta)\."
                   r"(?P<seq>\d{1,18})\.age$")
FROZEN = "tirages suspendus par l'administrateur (gel) : rien n'a été tiré"


@dataclass
class PullRun:
    """The outcome of one pull of one source (recorded in the store, shown to the admin)."""

    source: str
    started: dt.datetime
    ended: dt.datetime | None = None
    seen: int = 0
    outcomes: list[IngestOutcome] = field(default_factory=list)
    error: str = ""
    frozen: bool = False

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)

    @property
    def accepted(self) -> int:
        return self.count("accepted")

    @property
    def quarantined(self) -> int:
        return self.count("quarantined")

    @property
    def waiting(self) -> int:
        return self.count("waiting")

    @property
    def not_kept(self) -> NotKeptTally:
        """Patients received vs kept and records not kept, over the accepted packages."""
        tally = NotKeptTally()
        for o in self.outcomes:
            tally.add(o.not_kept)
        return tally


@dataclass(frozen=True)
class PackageStep:
    """One package fetched and checked, for progress reports (``pull`` on a terminal/log)."""

    path: Path
    source: str
    size: int
    fetch_seconds: float
    check_seconds: float
    outcome: IngestOutcome
    records: int = 0     # records in service for its domain after it was accepted

    def line(self) -> str:
        """One French line: size and speed of the download, records and speed of the check."""
        speed = (_size(self.size / self.fetch_seconds) + "/s") if self.fetch_seconds > 0 else "—"
        text = (f"{self.path.name} : {_size(self.size)} en {_dec(self.fetch_seconds)} s "
                f"({speed})")
        if self.outcome.outcome == "accepted":
            rate = self.records / self.check_seconds if self.check_seconds > 0 else 0
            return (text + f", vérifié et mis en service en {_dec(self.check_seconds)} s "
                    f"({_int(self.records)} enregistrements, {_int(rate)}/s)")
        said = OUTCOMES_FR.get(self.outcome.outcome, self.outcome.outcome)
        return text + f" — {said} : {self.outcome.message}"


@dataclass(frozen=True)
class PackageStart:
    """A package about to be fetched: its place in this source's queue."""

    name: str
    source: str
    size: int | None
    index: int           # from 1
    total: int

    def line(self) -> str:
        """« source depot : paquet 1/3 « nom », 12,4 Mo… » (a log shows what is under way)."""
        size = f", {_size(self.size)}" if self.size else ""
        return f"source {self.source} : paquet {self.index}/{self.total} « {self.name} »{size}…"


@dataclass(frozen=True)
class PackageRecords:
    """Records of a package checked and written so far (a long full package)."""

    name: str
    source: str
    done: int
    total: int

    def line(self) -> str:
        return (f"  « {self.name} » : {_int(self.done)}/{_int(self.total)} enregistrements "
                "vérifiés")


OUTCOMES_FR = {"accepted": "accepté", "quarantined": "en quarantaine", "waiting": "en attente",
               "refused": "refusé"}


def _dec(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _int(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _size(size: float) -> str:
    return f"{_dec(size / 1_000_000)} Mo" if size >= 1_000_000 else f"{_int(size / 1000)} ko"


Progress = Callable[[PackageStart | PackageRecords | PackageStep], None]


def _order(names: list[str], station: str | tuple[str, ...]) -> list[str]:
    """Packages for this station in sequence order; those superseded by a newer full skipped."""
    accepted = (station,) if isinstance(station, str) else station
    parsed, others = [], []
    for n in names:
        m = _NAME.match(n)
        if m is None:
            others.append(n)  # unknown name: the manifest decides, gates will judge it
        elif m["station"] in accepted:
            parsed.append((m["domain"], int(m["seq"]), m["kind"], n))
    latest_full: dict[str, int] = {}
    for domain, seq, kind, _ in parsed:
        if kind == "full":
            latest_full[domain] = max(seq, latest_full.get(domain, 0))
    keep = [(d, s, n) for d, s, k, n in parsed if s >= latest_full.get(d, 0)]
    return [n for _, _, n in sorted(keep, key=lambda t: (t[1], t[0]))] + others


def disk_free_mb(settings: Settings) -> int:
    private_dir(settings.data_dir)
    return shutil.disk_usage(settings.data_dir).free // (1024 * 1024)


def _check_disk(settings: Settings, need_bytes: int = 0) -> None:
    free = disk_free_mb(settings)
    if free - need_bytes // (1024 * 1024) < settings.min_free_mb:
        raise PullError(f"espace disque insuffisant dans « {settings.data_dir} » : {free} Mo "
                        f"libres, minimum {settings.min_free_mb} Mo (min_free_mb) — tirage "
                        "refusé, données actuelles conservées")


def pull_source(settings: Settings, store: Store, source: Source, keys: StationKeys,
                now: dt.datetime | None = None, progress: Progress | None = None) -> PullRun:
    """One pull of one source: list, fetch new packages, ingest each in sequence order.

    Never raises: the outcome, error included, is recorded in the store (``pull_run``),
    except while frozen, when nothing is tried and nothing recorded.
    """
    run = PullRun(source.id, dt.datetime.now(dt.UTC))
    if is_frozen(settings):
        run.frozen, run.error, run.ended = True, FROZEN, run.started
        return run
    recorded = False
    try:
        incoming = settings.incoming_dir
        private_dir(incoming)
        clean_incoming(incoming)
        _check_disk(settings)
        with make_transport(settings, source) as transport:
            _pull(settings, store, source, keys, transport, run, incoming, now, progress)
            run.ended = dt.datetime.now(dt.UTC)
            # Recorded before the heartbeat: the doctor verdict it carries sees this pull.
            _record(store, run)
            recorded = True
            if source.heartbeat:
                _heartbeat(settings, store, transport, run)
    except (PullError, OSError) as exc:
        run.error = str(exc)
        log.error("pull %s failed: %s", source.id, exc)
    except Exception as exc:  # a failing source must not stop the others nor the scheduler
        run.error = f"source « {source.id} » : erreur inattendue ({type(exc).__name__} : {exc})"
        log.exception("pull %s failed unexpectedly", source.id)
    if not recorded:
        run.ended = dt.datetime.now(dt.UTC)
        _record(store, run)
    return run


def _record(store: Store, run: PullRun) -> None:
    store.record_run(run.source, run.started, run.ended or run.started, run.seen, run.accepted,
                     run.quarantined, run.waiting, run.error, run.not_kept.to_json())


def _pull(settings, store, source, keys, transport, run, incoming, now, progress) -> None:
    from pcsauvegarde.station.sync.quarantine_review import requeue

    requeue(settings, store, keys, "système")  # packages refused under other pinned keys
    everything = {f.name: f for f in transport.list()}
    listed = {n: everything[n] for n in store.unseen(source.id, list(everything))}
    queue = _order(list(listed), settings.accepted_stations)
    for index, name in enumerate(queue, 1):
        if progress is not None:
            progress(PackageStart(name, source.id, listed[name].size, index, len(queue)))
        if is_frozen(settings):
            break  # frozen mid-run: stop before the next package
        run.seen += 1
        size = listed[name].size or 0
        if size > settings.package_size_limit:
            message = f"« {name} » : fichier trop gros ({size} octets) : non téléchargé"
            store.log_package(source.id, name, "quarantined", message)
            run.outcomes.append(IngestOutcome(name, "quarantined", message, code="size"))
            continue
        _check_disk(settings, 2 * size)  # the fetched copy, then its decrypted stream
        started = time.perf_counter()
        local = transport.fetch(name, incoming)
        if local is None:
            log.info("skipped %s (changing or gone): next run", name)
            continue
        fetched, size = time.perf_counter(), local.stat().st_size
        def on_records(done: int, total: int, name: str = name) -> None:
            if progress is not None:
                progress(PackageRecords(name, source.id, done, total))

        outcome = ingest(settings, store, local, keys, source.id, now, progress=on_records)
        run.outcomes.append(outcome)
        if progress is not None:
            snapshot = store.snapshot(outcome.domain) if outcome.domain else None
            records = sum(snapshot.counts.values()) if snapshot else 0
            progress(PackageStep(local, source.id, size, fetched - started,
                                 time.perf_counter() - fetched, outcome, records))


def _heartbeat(settings, store, transport, run) -> None:
    from pcsauvegarde.core.package import PackageError
    from pcsauvegarde.station.sync.heartbeat import write_heartbeat

    try:
        write_heartbeat(settings, store, transport, run)
    except (PullError, PackageError, OSError) as exc:
        # The pull itself worked: a missing heartbeat is logged, not a failed run.
        log.warning("heartbeat of %s not written: %s", settings.station_id, exc)


def pull_all(settings: Settings, store: Store, keys: StationKeys | None = None,
             progress: Progress | None = None) -> list[PullRun]:
    """One pull of every configured source (the `pcsauvegarde pull` command)."""
    keys = keys or load_station_keys(settings)
    return [pull_source(settings, store, s, keys, progress=progress) for s in settings.sources]
