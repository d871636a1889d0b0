"""Send issued documents to the station's printer; a failed job stays on the retry list.

Written once for every screen that prints and for ``pcsauvegarde print``.
"""

from __future__ import annotations

from collections.abc import Callable

from pcsauvegarde.station.issuing.issue import stored_pdf
from pcsauvegarde.station.printing.retry import PrintOutcome, PrintQueue
from pcsauvegarde.station.station import Station


def print_queue(station: Station) -> PrintQueue:
    """The station's printer with its list of failed jobs."""
    return PrintQueue(station.state, station.printer)


def send_document(station: Station, number: str, pdf: bytes, user: str) -> PrintOutcome:
    """Print a just-issued document (``pdf`` at hand)."""
    return print_queue(station).send(number, pdf, user)


def reprint(station: Station, number: str, user: str) -> PrintOutcome | None:
    """Print a journalled document again from its kept PDF; None when none is kept."""
    pdf = stored_pdf(station, number)
    return None if pdf is None else send_document(station, number, pdf, user)


def retry(station: Station, job_id: int, user: str) -> PrintOutcome | None:
    """Send one failed job again (None when no such failed job)."""
    return print_queue(station).retry(job_id, lambda n: stored_pdf(station, n), user)


def retry_all(station: Station, user: str,
              visible: Callable[[str], bool] | None = None) -> list[PrintOutcome]:
    """Send the failed jobs again (those ``visible`` accepts: the user's), oldest first,
    stopping at the first failure."""
    return print_queue(station).retry_all(lambda n: stored_pdf(station, n), user, visible)
