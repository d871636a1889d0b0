"""Send issued documents to the station's printer; a failed job stays on the retry list.

Written once for every screen that prints and for ``pcsauvegarde print``.
"""

from __future__ import annotations

from collections.abc import Callable

from pcsauvegarde.station.issuing.issue import stored_pdf
from pcsauvegarde.station.lab.register import journal_print
from pcsauvegarde.station.printing.retry import PrintOutcome, PrintQueue
from pcsauvegarde.station.station import Station


def print_queue(station: Station) -> PrintQueue:
    """The station's printer with its list of failed jobs."""
    return PrintQueue(station.state, station.printer)


def send_document(station: Station, number: str, pdf: bytes, user: str) -> PrintOutcome:
    """Print a just-issued document (``pdf`` at hand)."""
    outcome = print_queue(station).send(number, pdf, user)
    _journalled(station, outcome)
    return outcome


def _journalled(station: Station, outcome: PrintOutcome | None) -> PrintOutcome | None:
    """Lab labels a document carries are journalled printed or printed-failed with it."""
    if outcome is not None:
        journal_print(station.state, outcome.number, outcome.ok, outcome.error)
    return outcome


def reprint(station: Station, number: str, user: str) -> PrintOutcome | None:
    """Print a journalled document again from its kept PDF; None when none is kept."""
    pdf = stored_pdf(station, number)
    return None if pdf is None else send_document(station, number, pdf, user)


def retry(station: Station, job_id: int, user: str) -> PrintOutcome | None:
    """Send one failed job again (None when no such failed job)."""
    return _journalled(station, print_queue(station).retry(
        job_id, lambda n: stored_pdf(station, n), user))


def retry_all(station: Station, user: str,
              visible: Callable[[str], bool] | None = None) -> list[PrintOutcome]:
    """Send the failed jobs again (those ``visible`` accepts: the user's), oldest first,
    stopping at the first failure."""
    outcomes = print_queue(station).retry_all(lambda n: stored_pdf(station, n), user, visible)
    for outcome in outcomes:
        _journalled(station, outcome)
    return outcomes
