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


@contextlib.contextmanager
def file_progress(total: int, label: str) -> Iterator[Callable[[Any], None]]:
    """Yield ``report(step)``; each step has ``.line()`` (its French verdict) and ``.path``."""
    if total == 0 or not interactive():
        yield lambda step: click.echo(step.line())
        return
    lines: list[str] = []
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True,
                           item_show_func=lambda name: name or "") as bar:
        def report(step: Any) -> None:
            lines.append(step.line())
            bar.update(1, step.path.name)

        yield report
    for line in lines:
        click.echo(line)
