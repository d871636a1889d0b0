"""`pcsauvegarde ressaisie exporter`: a re-entry export to a file, for the hospital's IT."""

from __future__ import annotations

from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of

SLUGS = ("administrations", "laboratoire", "sterilisation", "admissions", "pharmacie")


@click.command("exporter")
@DATA_OPTION
@click.option("--domaine", "slug", type=click.Choice(SLUGS), required=True,
              help="Ce qui est exporté.")
@click.option("--format", "fmt", type=click.Choice(("csv", "fhir", "hl7")), default="csv",
              show_default=True, help="csv (tableur), fhir (FHIR R4 JSON) ou hl7 (HL7 v2.5 "
              "ADT, admissions seulement).")
@click.option("--sortie", "output", type=click.Path(path_type=Path), default=None,
              help="Fichier à écrire (défaut : DATA/exports/ressaisie-DOMAINE-AAAAMMJJ-HHMM.ext)"
                   " ; « - » pour la sortie standard.")
def reentry_export(data_dir: Path, slug: str, fmt: str, output: Path | None) -> None:
    """Exporter la ressaisie d'un domaine pour les logiciels rétablis (journalisé)."""
    from pcsauvegarde.core.fsutil import atomic_write, private_dir
    from pcsauvegarde.station.reentry.exports import files, source
    from pcsauvegarde.station.station import open_station

    station = open_station(settings_of(data_dir))
    try:
        made = files.make(station, slug, fmt)
    except source.ExportError as exc:
        raise click.ClickException(str(exc)) from None
    station.audit.record(console_actor(), "reentry.exported", f"{slug}.{fmt}",
                         {"rows": made.rows, "pending": made.pending})
    if str(output) == "-":
        click.echo(made.body, nl=False)
        _warn_authority(station.settings, fmt)
        return
    path = output or station.settings.exports_dir / made.name
    private_dir(path.parent)
    atomic_write(path, made.body.encode("utf-8"), mode=0o600)
    click.echo(f"{made.rows} élément(s) exporté(s) dans {path}")
    if made.pending:
        click.echo(f"{made.pending} ligne(s) non vérifiée(s) laissée(s) de côté : à faire "
                   "vérifier puis exporter à nouveau.", err=True)
    _warn_authority(station.settings, fmt)


def _warn_authority(settings, fmt: str) -> None:
    from pcsauvegarde.station.reentry.exports.hl7v2 import authority_warning

    warning = authority_warning(settings) if fmt == "hl7" else ""
    if warning:
        click.secho(f"Attention : {warning}", fg="yellow", err=True)
