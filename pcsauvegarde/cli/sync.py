"""Sync commands of `pcsauvegarde`: freeze, quarantine, fleet (registered by cli.py).

Self-contained (no import of cli.py) so that ``python -m pcsauvegarde.cli`` has no cycle.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of, station_keys


@click.command()
@DATA_OPTION
@click.argument("action", type=click.Choice(["on", "off", "status"]))
@click.option("--reason", default="", help="Motif, conservé au journal.")
def freeze(data_dir: Path, action: str, reason: str) -> None:
    """Suspendre (on) ou reprendre (off) tous les tirages ; les données actuelles restent."""
    from pcsauvegarde.station.sync.freeze import freeze_state, set_frozen

    settings = settings_of(data_dir)
    state = (freeze_state(settings) if action == "status"
             else set_frozen(settings, action == "on", console_actor(), reason))
    if state.frozen:
        click.echo(f"Tirages SUSPENDUS depuis {state.since or '?'} par {state.by or '?'}"
                   + (f" — motif : {state.reason}" if state.reason else ""))
    else:
        click.echo("Tirages actifs.")


@click.group()
def quarantine() -> None:
    """Paquets mis en quarantaine : lister, examiner, accepter de force."""


@quarantine.command("list")
@DATA_OPTION
def quarantine_list(data_dir: Path) -> None:
    """Lister les paquets en quarantaine (le plus récent d'abord)."""
    from pcsauvegarde.station.sync.quarantine import list_entries

    entries = list_entries(settings_of(data_dir))
    if not entries:
        click.echo("Aucun paquet en quarantaine.")
    for e in entries:
        force = "forçable" if e.overridable else "non forçable"
        click.echo(f"{e.id}  {e.file}  [{e.code or '?'}, {force}]\n    {e.reason}")


@quarantine.command("show")
@DATA_OPTION
@click.argument("entry_id")
def quarantine_show(data_dir: Path, entry_id: str) -> None:
    """Afficher le manifeste et le motif d'un paquet en quarantaine."""
    from pcsauvegarde.station.sync.quarantine import QuarantineError, get_entry, inspect

    settings = settings_of(data_dir)
    try:
        entry = get_entry(settings, entry_id)
    except QuarantineError as exc:
        raise click.ClickException(str(exc)) from None
    info = inspect(settings, entry, station_keys(settings))
    click.echo(f"Fichier : {entry.file}\nSource : {entry.source}\nMotif : {entry.reason}")
    click.echo(f"Forçable : {'oui' if entry.overridable else 'non'}")
    if info["manifest"] is None:
        click.echo(f"Manifeste illisible : {info['error']}")
        return
    m = info["manifest"]
    click.echo(f"Signé par la clé : {info['signer']}")
    for key in ("kind", "domain", "station", "source", "extracted_at", "sequence",
                "base_sequence"):
        click.echo(f"  {key} : {m[key]}")
    click.echo("  counts : " + ", ".join(f"{k} {v}" for k, v in sorted(m["counts"].items())))


@quarantine.command("accept")
@DATA_OPTION
@click.argument("entry_id")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
def quarantine_accept(data_dir: Path, entry_id: str, yes: bool) -> None:
    """Accepter de force un paquet (signature et déchiffrement restent exigés)."""
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.quarantine import QuarantineError, force_accept, get_entry

    settings = settings_of(data_dir)
    try:
        entry = get_entry(settings, entry_id)
        if not yes:
            click.confirm(f"Remplacer les données en service par « {entry.file} » ?", abort=True)
        outcome = force_accept(settings, Store(settings.store_path), entry_id,
                               station_keys(settings), console_actor())
    except QuarantineError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Paquet « {outcome.file} » accepté ({outcome.domain}, séquence "
               f"{outcome.sequence}) ; action journalisée.")
    if outcome.not_kept:  # accepted, but not everything it carried is kept
        click.echo(f"attention : {outcome.message}")


@click.command()
@click.option("--drop", type=click.Path(path_type=Path, exists=True, file_okay=False),
              required=True, help="Dossier de dépôt où les stations écrivent leur signal.")
@click.option("--keys", "keys", multiple=True, required=True,
              type=click.Path(path_type=Path, exists=True),
              help="Clés publiques des stations (fichiers .pub ou dossier), répétable.")
@click.option("--stale-after", default=120, show_default=True, help="Minutes avant alerte.")
def fleet(drop: Path, keys: tuple[Path, ...], stale_after: int) -> None:
    """Côté source : état de chaque station (âge des données, signal signé)."""
    from pcsauvegarde.core.package import PackageError
    from pcsauvegarde.publisher.fleet import fleet_status, format_table, load_keys

    try:
        pubkeys = load_keys(list(keys))
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    if not pubkeys:
        raise click.ClickException("aucune clé publique de station (*.pub) trouvée")
    rows = fleet_status(drop, pubkeys, dt.timedelta(minutes=stale_after))
    if not rows:
        click.echo(f"Aucun signal de station (heartbeat-*.json) dans {drop}")
        sys.exit(1)
    click.echo(format_table(rows))
    bad = [r for r in rows if r.state != "ok"]
    click.echo(f"{len(rows)} station(s), {len(bad)} à vérifier")
    sys.exit(1 if bad else 0)


def register(main: click.Group) -> None:
    for command in (freeze, quarantine, fleet):
        main.add_command(command)
