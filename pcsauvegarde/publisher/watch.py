"""``publish --watch``: read exports as they land, publish deltas at most every N seconds.

The loop scans the input folders every ``scan_seconds`` (cheap: a listing and a stat per
file), brings changed files into the mirror, and publishes when something is pending and the
last publish is at least ``interval`` seconds old (or a full package is due). A failed publish
is logged and retried after the interval with nothing lost (the mirror keeps what it took).
After a full package, the drop keeps the last two fulls and their deltas only (drop.py). It
stops between two turns when ``stop`` is set (SIGTERM/SIGINT in the CLI).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.package import PackageError
from pcsauvegarde.publisher.drop import prune_drop
from pcsauvegarde.publisher.drop_index import write_index
from pcsauvegarde.publisher.incremental import publish_mirror
from pcsauvegarde.publisher.inputs import Refresh, SourceInputs
from pcsauvegarde.publisher.mirror import Mirror
from pcsauvegarde.publisher.publisher import PublisherConfig, PublishError
from pcsauvegarde.publisher.report import PublishReport

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 15.0


@dataclass
class Turn:
    """One turn of the loop: what the scan brought, the packages written, an error."""

    refresh: Refresh
    written: list[Path] = field(default_factory=list)
    error: str = ""
    published: bool = False
    pruned: list[Path] = field(default_factory=list)
    report: PublishReport | None = None
    """When published: per type, records read since the previous publish → changed records in
    some scope → sent (cycle_report.py)."""


@dataclass
class Watcher:
    """A publisher that keeps running: its mirror, inputs and timing."""

    config: PublisherConfig
    inputs: tuple[Path, ...]
    interval: float = DEFAULT_INTERVAL
    scan_seconds: float = 1.0
    settle: float = 1.0
    mirror: Mirror = field(default_factory=Mirror)
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if not 1 <= self.interval <= 3600:
            raise PublishError(f"intervalle de publication {self.interval:g} s hors limites "
                               "(1–3600 s)")
        self.sources = SourceInputs(self.mirror, self.settle, self.config.hl7)
        self.last_publish: float | None = None
        self.full_check_at = 0.0
        self.imported: Counter[str] = Counter()  # read since the last publish

    def turn(self, now: dt.datetime | None = None) -> Turn:
        """Scan once; publish when due. Never raises for a source or drop problem."""
        turn = Turn(self.sources.refresh(self.inputs))
        self.imported.update(turn.refresh.imported)
        tick = self.clock()
        waited = self.last_publish is None or tick - self.last_publish >= self.interval
        # a full package may fall due with nothing pending: looked at once a minute
        full_due = tick >= self.full_check_at
        if waited and (self.mirror.pending or full_due or self.last_publish is None):
            try:
                report = PublishReport()
                turn.written = publish_mirror(self.mirror, self.config, "auto", now,
                                              report=report, imported=self.imported)
                turn.published, turn.report = True, report
                self.imported = Counter()
                if any(".full." in p.name for p in turn.written):
                    turn.pruned = prune_drop(self.config.drop_dir)
                if turn.written or turn.pruned:  # what an HTTPS drop serves (transports.md)
                    write_index(self.config.drop_dir, now)
                self.last_publish = tick
                self.full_check_at = tick + 60
            except (PublishError, PackageError, OSError) as exc:
                turn.error = f"publication impossible : {exc}"
                log.warning("%s", turn.error)
                self.last_publish = tick  # retried after the interval, not every second
        return turn

    def run(self, stop: threading.Event, on_turn: Callable[[Turn], None] | None = None,
            max_turns: int | None = None) -> int:
        """Turn until ``stop`` is set (or ``max_turns``); return the number of turns."""
        turns = 0
        while not stop.is_set() and (max_turns is None or turns < max_turns):
            started = self.clock()
            turn = self.turn()
            turns += 1
            if on_turn is not None:
                on_turn(turn)
            stop.wait(max(0.0, self.scan_seconds - (self.clock() - started)))
        return turns


def watch(config: PublisherConfig, inputs: Iterable[Path], stop: threading.Event,
          interval: float = DEFAULT_INTERVAL, on_turn: Callable[[Turn], None] | None = None,
          mirror: Mirror | None = None) -> int:
    """Run a :class:`Watcher` on ``inputs`` until ``stop``; see the module docstring."""
    watcher = Watcher(config, tuple(Path(p) for p in inputs), interval,
                      mirror=mirror or Mirror())
    return watcher.run(stop, on_turn)
