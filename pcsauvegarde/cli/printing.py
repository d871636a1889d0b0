"""`pcsauvegarde print NUMÉRO`: print a journalled document again from the console."""

from __future__ import annotations

from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of


@click.command("print")
@DATA_OPTION
@click.argument("number")
def print_document(data_dir: Path, number: str) -> None:
    """Réimprimer un document journalisé (par son numéro) sur l'imprimante de la station ;
    en cas d'échec il reste dans la liste « Impressions en échec »."""
    from pcsauvegarde.station.issuing.send import reprint
    from pcsauvegarde.station.state.audit import ACTOR
    from pcsauvegarde.station.station import open_station

    station = open_station(settings_of(data_dir))
    number = number.strip().upper()[:80]
    actor = console_actor()
    ACTOR.set(actor)  # the printer journals each job under whoever asked for it
    outcome = reprint(station, number, actor)
    if outcome is None:
        raise click.ClickException(f"document {number} introuvable sur la station")
    if not outcome.ok:
        raise click.ClickException(f"échec de l'impression de {number} : {outcome.error} ; "
                                   "le travail reste dans la liste des impressions en échec")
    click.echo(f"Document {number} envoyé à l'imprimante « {station.printer.name} » "
               f"(travail {outcome.job}).")
