"""Progress of long commands: click's progress bar on a terminal, plain lines otherwise.

A cron job or a log file gets one line per finished step (no control characters); a person
at a terminal gets a bar, then the same lines.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click


def interactive() -> bool:
    """Whether a person watches: standard error is a terminal."""
    return sys.stderr.isatty()


def _bar(total: int, label: str) -> Any:
    """click's bar on standard error, with the current file or package after it."""
    return click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True,
                             item_show_func=lambda name: name or "")


@contextlib.contextmanager
def file_progress(total: int, label: str) -> Iterator[Callable[[Any], None]]:
    """Yield ``report(step)``; each step has ``.line()`` (its French verdict) and ``.path``."""
    if total == 0 or not interactive():
        yield lambda step: click.echo(step.line())
        return
    lines: list[str] = []
    with _bar(total, label) as bar:
        def report(step: Any) -> None:
            lines.append(step.line())
            bar.update(1, step.path.name)

        yield report
    for line in lines:
        click.echo(line)


@contextlib.contextmanager
def package_progress() -> Iterator[Callable[[Any], None]]:
    """Yield ``report(event)`` for ``pull``: a bar per source on a terminal (its length is the
    source's queue), plain lines otherwise; each finished package's line is printed."""
    from pcsauvegarde.station.sync.pull import PackageRecords, PackageStart

    state: dict[str, Any] = {"bar": None, "lines": [], "quarter": 0}

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].render_finish()
            state["bar"] = None
            for line in state["lines"]:
                click.echo(line)
            state["lines"] = []

    def report(event: Any) -> None:
        if isinstance(event, PackageRecords):
            records(event)
            return
        if not interactive():
            state["quarter"] = 0
            click.echo(event.line() if isinstance(event, PackageStart) else "  " + event.line())
            return
        if isinstance(event, PackageStart):
            if event.index == 1:
                close()
                state["bar"] = _bar(event.total, f"source {event.source}")
                state["bar"].render_progress()
            state["bar"].update(0, event.name)
        else:
            state["lines"].append("  " + event.line())
            state["bar"].update(1)

    def records(event: Any) -> None:
        if interactive():
            if state["bar"] is not None:
                state["bar"].update(0, f"{event.name} {event.done}/{event.total}")
            return
        quarter = 4 * event.done // event.total if event.total else 4
        if quarter > state["quarter"] and event.done < event.total:  # a line per 25 %
            state["quarter"] = quarter
            click.echo(event.line())

    try:
        yield report
    finally:
        close()
