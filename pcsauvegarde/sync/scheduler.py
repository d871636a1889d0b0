"""The pull schedule as data: one APScheduler job per source (started by `serve` only)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from pcsauvegarde.config import Settings
from pcsauvegarde.store import Store
from pcsauvegarde.sync.pull import StationKeys, pull_source

log = logging.getLogger("pcsauvegarde.sync")


@dataclass(frozen=True)
class Job:
    id: str
    trigger: IntervalTrigger
    func: Callable[[], object]


def jobs(settings: Settings, store: Store, keys: StationKeys) -> list[Job]:
    """The table of scheduled jobs: (id, trigger, function)."""
    return [Job(f"pull:{s.id}", IntervalTrigger(seconds=s.interval_seconds),
                lambda s=s: pull_source(settings, store, s, keys))
            for s in settings.sources]


def start_scheduler(table: list[Job]) -> BackgroundScheduler:
    """Start a background scheduler running every job; one instance at a time per job."""
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in table:
        scheduler.add_job(job.func, job.trigger, id=job.id, max_instances=1, coalesce=True,
                          misfire_grace_time=30)
    scheduler.start()
    return scheduler
