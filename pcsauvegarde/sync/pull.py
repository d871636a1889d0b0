"""Pull packages from a source and ingest them in order; the station initiates everything."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.config import Settings, Source
from pcsauvegarde.store import Store
from pcsauvegarde.sync.ingest import IngestOutcome, ingest

log = logging.getLogger("pcsauvegarde.sync")
_NAME = re.compile(r"^(?P<station>[a-z0-9-]+)\.(?P<domain>[a-z]+)\.(?P<kind>full|delta)\."
                   r"(?P<seq>\d{1,18})\.age$")


class PullError(Exception):
    """A source that cannot be read (French message naming the source)."""


@dataclass(frozen=True)
class StationKeys:
    """The station's age identity and the publisher keys it pins."""

    identity: object
    publisher_keys: tuple


def load_station_keys(settings: Settings) -> StationKeys:
    from pcsauvegarde.package.age import load_identity
    from pcsauvegarde.package.minisign import load_public_key

    identity = load_identity(settings.path(settings.identity_file))
    pubs = tuple(load_public_key(settings.path(p)) for p in settings.publisher_keys)
    return StationKeys(identity, pubs)


class FolderTransport:
    """A local or mounted drop directory, read-only for the station."""

    def __init__(self, source: Source):
        self.source = source
        self.root = Path(source.path)

    def list(self) -> list[str]:
        if not self.root.is_dir():
            raise PullError(f"source « {self.source.id} » : dossier « {self.root} » introuvable")
        return sorted(p.name for p in self.root.glob("*.age"))

    def fetch(self, name: str, dest: Path) -> Path | None:
        """Copy name and its signature into dest; None when the file is still being written."""
        src = self.root / name
        before = src.stat()
        target = dest / name
        shutil.copyfile(src, target)
        sig = src.with_name(name + ".minisig")
        if sig.exists():
            shutil.copyfile(sig, dest / sig.name)
        after = src.stat()
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            target.unlink(missing_ok=True)
            (dest / sig.name).unlink(missing_ok=True)
            return None  # growing file: try again at the next run
        return target


TRANSPORTS = {"folder": FolderTransport}


@dataclass
class PullRun:
    """The outcome of one pull of one source (shown to the admin)."""

    source: str
    started: dt.datetime
    ended: dt.datetime | None = None
    seen: int = 0
    outcomes: list[IngestOutcome] = field(default_factory=list)
    error: str = ""

    @property
    def accepted(self) -> int:
        return sum(o.outcome == "accepted" for o in self.outcomes)

    @property
    def quarantined(self) -> int:
        return sum(o.outcome == "quarantined" for o in self.outcomes)


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


def pull_source(settings: Settings, store: Store, source: Source, keys: StationKeys,
                now: dt.datetime | None = None) -> PullRun:
    """One pull of one source: list, fetch new packages, ingest each in sequence order."""
    run = PullRun(source.id, dt.datetime.now(dt.UTC))
    incoming = settings.data_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    try:
        transport = TRANSPORTS[source.kind](source)
        names = [n for n in transport.list() if not store.seen(source.id, n)]
        for name in _order(names, settings.accepted_stations):
            run.seen += 1
            local = transport.fetch(name, incoming)
            if local is None:
                continue
            run.outcomes.append(ingest(settings, store, local, keys, source.id, now))
    except (PullError, OSError) as exc:
        run.error = str(exc)
        log.error("pull %s failed: %s", source.id, exc)
    run.ended = dt.datetime.now(dt.UTC)
    return run


def pull_all(settings: Settings, store: Store, keys: StationKeys | None = None) -> list[PullRun]:
    """One pull of every configured source (the `pcsauvegarde pull` command)."""
    keys = keys or load_station_keys(settings)
    return [pull_source(settings, store, s, keys) for s in settings.sources]
