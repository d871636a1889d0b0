"""`pcsauvegarde ressaisie …`: declare an outage, the worklist's progress, the report, purge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of

WHEN_HELP = ("Date et heure de Paris « JJ/MM/AAAA HH:MM », ou ISO 8601 avec son décalage "
             "(« date -Iminutes » : 2026-11-30T10:05+01:00) ; par défaut : maintenant.")


def _station(data_dir: Path):
    from pcsauvegarde.station.station import open_station

    return open_station(settings_of(data_dir))


def _when(value: str | None) -> dt.datetime | None:
    from pcsauvegarde.core.records import RecordError, parse_utc
    from pcsauvegarde.station.documents.fmt import PARIS

    if not value:
        return None
    try:
        local = dt.datetime.strptime(value.strip(), "%d/%m/%Y %H:%M")
    except ValueError:
        pass
    else:
        return local.replace(tzinfo=PARIS).astimezone(dt.UTC)
    try:  # an explicit offset says which time it is, whatever the machine's time zone
        return parse_utc(value.strip())
    except RecordError:
        raise click.ClickException(f"date et heure « {value[:40]} » illisibles : attendu "
                                   "JJ/MM/AAAA HH:MM (heure de Paris) ou ISO 8601 avec "
                                   "décalage (2026-11-30T10:05+01:00)") from None


def _window(station, key: str | None):
    from pcsauvegarde.station.reentry import outage

    window = outage.find(station, key) if key else outage.latest(station)
    if window is None:
        raise click.ClickException(f"période « {key} » inconnue" if key else
                                   "aucune panne déclarée sur ce poste")
    return window


@click.group("ressaisie")
def reentry() -> None:
    """Ressaisie après la panne : période de panne, avancement, bilan, purge des PDF."""


@reentry.command("debut-panne")
@DATA_OPTION
@click.option("--depuis", help=WHEN_HELP + " Peut être antérieure.")
@click.option("--libelle", default="", help="Intitulé de la panne.")
def outage_start(data_dir: Path, depuis: str | None, libelle: str) -> None:
    """Déclarer le début d'une panne (tout ce qui est émis ensuite est à ressaisir)."""
    from pcsauvegarde.station.documents.fmt import format_local
    from pcsauvegarde.station.reentry import outage

    try:
        w = outage.declare_start(_station(data_dir), console_actor(), _when(depuis), libelle)
    except outage.OutageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Début de panne déclaré : {format_local(w.start)} (période {w.key}).")


@reentry.command("corriger-debut")
@DATA_OPTION
@click.option("--depuis", required=True, help=WHEN_HELP)
def outage_amend(data_dir: Path, depuis: str) -> None:
    """Corriger le début de la dernière panne (elle a commencé plus tôt, ou erreur)."""
    from pcsauvegarde.station.documents.fmt import format_local
    from pcsauvegarde.station.reentry import outage

    when = _when(depuis)
    assert when is not None  # noqa: S101 - --depuis is required by click
    try:
        w = outage.amend_start(_station(data_dir), console_actor(), when)
    except outage.OutageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Début de panne corrigé : {format_local(w.start)} (période {w.key}).")


@reentry.command("fin-panne")
@DATA_OPTION
@click.option("--a", "at", help=WHEN_HELP)
def outage_end(data_dir: Path, at: str | None) -> None:
    """Déclarer la fin de la panne en cours."""
    from pcsauvegarde.station.reentry import outage

    try:
        w = outage.declare_end(_station(data_dir), console_actor(), _when(at))
    except outage.OutageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{w.title} : fin déclarée, liste de ressaisie prête (période {w.key}).")


@reentry.command("avancement")
@DATA_OPTION
@click.option("--periode", help="« panne-N » ou « exercice-N » (par défaut : la dernière panne).")
def progress(data_dir: Path, periode: str | None) -> None:
    """Afficher l'avancement de la ressaisie par domaine et par unité."""
    from pcsauvegarde.station.reentry import worklist

    station = _station(data_dir)
    window = _window(station, periode)
    items = worklist.items(station, window)
    click.echo(f"{window.title} : {len(items)} élément(s).")
    for by, title in (("domain", "Domaine"), ("unit", "Unité")):
        for p in worklist.progress(items, by):
            click.echo(f"{title} {p.label} : {p.total} émis, {p.outstanding} restant(s), "
                       f"{p.percent_done} % terminés")


@reentry.command("bilan")
@DATA_OPTION
@click.option("--periode", help="« panne-N » ou « exercice-N » (par défaut : la dernière panne).")
def report(data_dir: Path, periode: str | None) -> None:
    """Produire le bilan de ressaisie (PDF conservé et journalisé)."""
    from pcsauvegarde.station.reentry.report import issue_report

    station = _station(data_dir)
    issued = issue_report(station, _window(station, periode), console_actor())
    click.echo(f"Bilan de ressaisie : document {issued.document.number} "
               f"({station.settings.documents_dir / (issued.document.number + '.pdf')})")


@reentry.command("purger")
@DATA_OPTION
@click.option("--simulation", is_flag=True, help="Dire ce qui serait purgé, sans rien purger.")
def purge(data_dir: Path, simulation: bool) -> None:
    """Purger les PDF dont la conservation est échue (pdf_retention_days)."""
    from pcsauvegarde.station.reentry import retention

    station = _station(data_dir)
    if simulation:
        due = retention.due(station)
        for d in due:
            click.echo(f"{d.number} : {d.reason}")
        click.echo(f"{len(due)} PDF à purger (simulation : rien n'a été purgé).")
        return
    run = retention.purge(station, console_actor())
    kept = retention.kept(station)
    click.echo(f"{len(run.purged)} PDF purgé(s) ({retention.megabytes(run.bytes)} Mo libérés) ;"
               f" {kept.count} conservé(s) ({kept.megabytes} Mo).")
    for error in run.errors:
        click.echo(f"Non supprimé : {error}", err=True)
    if run.errors:
        raise SystemExit(1)
