"""`pcsauvegarde labo …`: the lab's reserved range, label batches, register and exports."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of


def _station(data_dir: Path):
    from pcsauvegarde.station.station import open_station

    return open_station(settings_of(data_dir))


def _register(station):
    from pcsauvegarde.station.lab.register import LabError, register_of

    try:
        return register_of(station)
    except LabError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("labo")
def lab() -> None:
    """Laboratoire : étiquettes pré-numérotées, registre des numéros, exports."""


@lab.command("plage")
@DATA_OPTION
def lab_range(data_dir: Path) -> None:
    """Afficher la plage réservée du poste et combien de numéros il reste."""
    register = _register(_station(data_dir))
    click.echo(f"Plage de laboratoire : {register.range.describe()}")
    click.echo(f"Numéros restants : {register.remaining()}")
    for first, last, when in register.numbering.gaps(register.range.serial):
        click.echo(f"Numéros {first} à {last} émis avant une restauration (constaté {when}) : "
                   "absents du registre, jamais redonnés")


@lab.command("lot")
@DATA_OPTION
@click.option("--patients", "sets", type=click.IntRange(1, 10_000), required=True,
              help="Nombre de numéros (un par patient).")
@click.option("--tubes", type=click.IntRange(1, 99), default=4, show_default=True,
              help="Tubes (étiquettes) par numéro.")
@click.option("--format", "fmt", type=click.Choice(["a4", "thermal"]), default="a4",
              show_default=True, help="Planche A4 ou étiquettes thermiques 50 × 25 mm.")
@click.option("--urgent", is_flag=True, help="Bandeau « URGENT » inversé sur chaque étiquette.")
@click.option("--imprimer", "send", is_flag=True,
              help="Envoyer à l'imprimante de la station (sinon : PDF conservé seulement).")
def lab_batch(data_dir: Path, sets: int, tubes: int, fmt: str, urgent: bool,
              send: bool) -> None:
    """Réserver et produire un lot d'étiquettes vierges pré-numérotées (boîte de panne)."""
    from pcsauvegarde.station.lab.issuing import LabelRequest, issue_labels
    from pcsauvegarde.station.lab.register import LabError
    from pcsauvegarde.station.state.audit import ACTOR
    from pcsauvegarde.station.state.highwater import HighWaterError

    station = _station(data_dir)
    actor = console_actor()
    ACTOR.set(actor)
    try:
        issued = issue_labels(station, LabelRequest(sets=sets, tubes=tubes, urgent=urgent,
                                                    format=fmt), actor, send=send)
    except (LabError, HighWaterError) as exc:
        raise click.ClickException(str(exc)) from None
    b = issued.batch
    click.echo(f"Lot n° {b.id} : {len(b.numbers)} numéro(s) de {b.numbers[0]} à "
               f"{b.numbers[-1]}, {b.tubes} tube(s) chacun ; document {b.document_number} "
               f"({station.settings.documents_dir / (b.document_number + '.pdf')})")
    if issued.outcome is not None and not issued.outcome.ok:
        raise click.ClickException(
            f"échec de l'impression : {issued.outcome.error} ; les numéros restent réservés "
            f"au registre : « pcsauvegarde labo reimprimer {b.id} »")
    if issued.outcome is not None:
        click.echo(f"Envoyé à l'imprimante (travail {issued.outcome.job}).")


@lab.command("reimprimer")
@DATA_OPTION
@click.argument("batch_id", type=int)
def lab_reprint(data_dir: Path, batch_id: int) -> None:
    """Réimprimer un lot (mêmes numéros) et journaliser le résultat."""
    from pcsauvegarde.station.lab.issuing import reprint
    from pcsauvegarde.station.lab.register import LabError
    from pcsauvegarde.station.state.audit import ACTOR

    station = _station(data_dir)
    actor = console_actor()
    ACTOR.set(actor)
    try:
        issued = reprint(station, batch_id, actor)
    except LabError as exc:
        raise click.ClickException(str(exc)) from None
    if issued.outcome is not None and not issued.outcome.ok:
        raise click.ClickException(f"échec de l'impression : {issued.outcome.error}")
    click.echo(f"Lot n° {batch_id} réimprimé ({issued.batch.document_number}).")


@lab.command("registre")
@DATA_OPTION
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None,
              help="Écrire le registre en CSV (séparateur ;) dans ce fichier.")
@click.option("--fhir", "fhir_path", type=click.Path(path_type=Path), default=None,
              help="Écrire le registre en FHIR R4 (Bundle Specimen/ServiceRequest).")
def lab_register(data_dir: Path, csv_path: Path | None, fhir_path: Path | None) -> None:
    """Exporter le registre des numéros émis, pour le système du laboratoire après la panne."""
    from pcsauvegarde.core.fsutil import atomic_write
    from pcsauvegarde.core.text import CSV_BOM
    from pcsauvegarde.station.lab.exports import export_csv, export_fhir

    station = _station(data_dir)
    entries = _register(station).all()
    if csv_path is None and fhir_path is None:
        click.echo(f"{len(entries)} numéro(s) au registre ; --csv ou --fhir pour exporter.")
        return
    actor = console_actor()
    if csv_path is not None:
        out = io.StringIO()
        count = export_csv(entries, out)
        atomic_write(csv_path, (CSV_BOM + out.getvalue()).encode("utf-8"), mode=0o600)
        station.audit.record(actor, "lab.export", str(csv_path), {"rows": count})
        click.echo(f"{count} numéro(s) exporté(s) en CSV dans {csv_path}")
    if fhir_path is not None:
        bundle = export_fhir(entries, dt.datetime.now(dt.UTC))
        atomic_write(fhir_path, json.dumps(bundle, ensure_ascii=False, indent=1).encode(),
                     mode=0o600)
        station.audit.record(actor, "lab.export", str(fhir_path),
                             {"resources": len(bundle["entry"])})
        click.echo(f"{len(bundle['entry'])} ressource(s) FHIR R4 exportée(s) dans {fhir_path}")
