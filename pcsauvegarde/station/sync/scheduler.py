"""The pull schedule as data: one APScheduler job per source (started by `serve` only)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from pcsauvegarde.station.keys import StationKeys
from pcsauvegarde.station.settings import Settings, Source
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.pull import PullRun, pull_source
from pcsauvegarde.station.sync.react import FolderReactor

log = logging.getLogger("pcsauvegarde.station.sync")


@dataclass(frozen=True)
class Job:
    id: str
    trigger: IntervalTrigger
    func: Callable[[], object]


def retry_delay(failures: int, base: int, interval: int) -> int:
    """Seconds before the next attempt: the interval when healthy, else base·2^(n-1) ≤ interval."""
    if failures <= 0:
        return interval
    return min(interval, base * 2 ** min(failures - 1, 20))


class SourceRunner:
    """One source's job: pulls when called; after failures asks to be rescheduled sooner.

    ``reschedule(seconds)`` is wired by :func:`start_scheduler`: after n consecutive failed
    runs the next attempt comes after base·2^(n-1) seconds, never later than the interval.
    """

    def __init__(self, settings: Settings, store: Store, source: Source, keys: StationKeys):
        self.settings, self.store, self.source, self.keys = settings, store, source, keys
        self.failures = 0
        self.reschedule: Callable[[int], None] | None = None

    def __call__(self) -> PullRun:
        """Pull the source now (nothing while frozen); never raises."""
        run = pull_source(self.settings, self.store, self.source, self.keys)
        if run.frozen:
            return run
        self.failures = self.failures + 1 if run.error else 0
        if run.error:
            delay = retry_delay(self.failures, self.settings.retry_base_seconds,
                                self.source.interval_seconds)
            log.warning("source %s failed %d time(s); next attempt in %d s", self.source.id,
                        self.failures, delay)
            if self.reschedule is not None and delay < self.source.interval_seconds:
                self.reschedule(delay)
        return run


def jobs(settings: Settings, store: Store, keys: StationKeys) -> list[Job]:
    """The table of scheduled jobs: one pull per source, one look a second per reacting folder."""
    table = [Job(f"pull:{s.id}", IntervalTrigger(seconds=s.interval_seconds),
                 SourceRunner(settings, store, s, keys)) for s in settings.sources]
    table += [Job(f"react:{s.id}", IntervalTrigger(seconds=1), FolderReactor(Path(s.path)))
              for s in settings.sources if s.react and s.kind == "folder"]
    return table


def start_scheduler(table: list[Job]) -> BackgroundScheduler:
    """Start a background scheduler running every job; one instance at a time per job."""
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in table:
        # Pulls start at once (a restarted station should not wait an interval for data).
        first = {"next_run_time": dt.datetime.now(dt.UTC)} if job.id.startswith("pull:") else {}
        scheduler.add_job(job.func, job.trigger, id=job.id, max_instances=1, coalesce=True,
                          misfire_grace_time=30, **first)
        if isinstance(job.func, SourceRunner):
            job.func.reschedule = functools.partial(_retry_in, scheduler, job.id)
        if isinstance(job.func, FolderReactor):
            job.func.trigger = functools.partial(_retry_in, scheduler,
                                                 "pull:" + job.id.removeprefix("react:"), 0)
    scheduler.start()
    return scheduler


def _retry_in(scheduler: BackgroundScheduler, job_id: str, seconds: int) -> None:
    """Move a job's next run closer; the interval resumes from there."""
    scheduler.modify_job(job_id, next_run_time=dt.datetime.now(dt.UTC)
                         + dt.timedelta(seconds=seconds))
