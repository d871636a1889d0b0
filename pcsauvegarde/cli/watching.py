"""``publish --watch``: the CLI side of the continuous publisher (signals, one line per turn)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from pcsauvegarde.publisher.publisher import PublisherConfig
from pcsauvegarde.publisher.watch import Turn, Watcher


def run_watch(config: PublisherConfig, inputs: tuple[Path, ...], interval: float) -> int:
    """Publish from ``inputs`` until SIGTERM or SIGINT; return the number of turns."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"Publication continue : {len(inputs)} dossier(s) surveillé(s), au plus une "
               f"publication toutes les {interval:g} s (Ctrl-C ou SIGTERM pour arrêter).")
    try:
        turns = Watcher(config, inputs, interval).run(stop, _echo)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Publication continue arrêtée.")
    return turns


def _echo(turn: Turn) -> None:
    r = turn.refresh
    if r.files or r.rejections:
        click.echo(f"{r.files} fichier(s) lu(s), {r.changed} enregistrement(s) modifié(s), "
                   f"{r.removed} supprimé(s), {len(r.rejections)} refusé(s)")
    for line in r.rejections:
        click.echo(f"refusé : {line}", err=True)
    for reason, count in sorted(r.ignored.items()):
        click.echo(f"ignoré : {reason} ({count})")
    if turn.report is not None and turn.report.types:
        for line in turn.report.lines():
            click.echo(line)
    for path in turn.written:
        click.echo(f"publié : {path}")
    if turn.error:
        click.echo(turn.error, err=True)
