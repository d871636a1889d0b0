"""Unit bundles issued in the background, so a long one shows its progress and runs once.

A bundle of a large unit takes seconds; the screen follows it (« document 12 / 48 ») instead
of a frozen button, and the same user asking again for the same unit while it runs gets the
running job back instead of a second bundle (a double click must not print twice).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pcsauvegarde.station.issuing.bundling import issue_unit_bundle
from pcsauvegarde.station.issuing.issue import Issued, IssueError
from pcsauvegarde.station.station import Station

log = logging.getLogger("pcsauvegarde.station.issuing")
KEEP_FINISHED = 50   # finished jobs remembered (their screen may be reloaded)


@dataclass
class BundleJob:
    """One unit bundle being issued; fields are written by its thread, read by screens."""

    id: str
    user: str
    unit: str
    kinds: tuple[str, ...]
    started: dt.datetime
    compact: bool = False    # the night bundle's compact administration plans
    stage: str = ""          # « patients » (reading their files), then « documents »
    done: int = 0            # patients read / documents drawn so far
    total: int = 0           # patients / documents in the bundle (0 until known)
    pages: int = 0           # pages drawn so far
    number: str = ""         # the bundle's document number, once issued
    error: str = ""          # French, when it failed
    after: str = ""          # what the follow-up (printing) said, French
    after_ok: bool = True
    finished: threading.Event = field(default_factory=threading.Event)
    what: str = "bundle"     # « bundle » (Imprimer le service) or « kit » (kit de démarrage)
    issue: Callable[..., Issued] | None = None   # (station, unit, kinds, user, progress=);
                                                 # None: issue_unit_bundle

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    def progress(self, stage: str, done: int, total: int, pages: int) -> None:
        self.stage, self.done, self.total, self.pages = stage, done, total, pages


class BundleJobs:
    """The station's background bundles (one registry per app, on ``app.extensions``)."""

    def __init__(self) -> None:
        self._jobs: dict[str, BundleJob] = {}
        self._lock = threading.Lock()

    def start(self, station: Station, unit: str, kinds: list[str], user: str,
              then: Callable[[BundleJob, Issued], None] | None = None, *,
              what: str = "bundle", issue: Callable[..., Issued] | None = None,
              compact: bool = False) -> BundleJob:
        """Start issuing (``issue``: a unit bundle, or a kit), or return the job of the same
        ``what`` already running for this user and unit."""
        with self._lock:
            for job in self._jobs.values():
                if job.running and job.user == user and job.unit == unit and job.what == what:
                    return job
            job = BundleJob(secrets.token_urlsafe(9), user, unit, tuple(kinds),
                            dt.datetime.now(dt.UTC), compact, what=what, issue=issue)
            self._jobs[job.id] = job
            self._forget_old()
        context = contextvars.copy_context()  # the audit's actor follows into the thread
        threading.Thread(target=context.run, args=(self._run, job, station, then),
                         name=f"bundle-{unit}", daemon=True).start()
        return job

    def get(self, job_id: str) -> BundleJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    @staticmethod
    def _run(job: BundleJob, station: Station, then) -> None:
        try:
            # looked up now (tests replace it); the night bundle's MAR is the compact one
            issue = job.issue or functools.partial(issue_unit_bundle, compact=job.compact)
            issued = issue(station, job.unit, list(job.kinds), job.user, progress=job.progress)
            job.number = issued.document.number
            if then is not None:
                then(job, issued)
        except IssueError as exc:
            job.error = str(exc)
        except Exception as exc:  # said on screen, never a silent dead thread
            job.error = f"l'impression du service a échoué ({type(exc).__name__})"
            # the type only: a message may quote a patient's data (logs carry none)
            log.error("bundle job %s failed: %s", job.id, type(exc).__name__)
        finally:
            job.finished.set()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if not j.running]
        for job in sorted(finished, key=lambda j: j.started)[:-KEEP_FINISHED or None]:
            del self._jobs[job.id]
