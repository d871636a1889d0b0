"""The `pcsauvegarde` command: thin wrappers that parse, call domain code and report in French."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import sys
from pathlib import Path

import click

from pcsauvegarde.cli import sync as cli_sync
from pcsauvegarde.cli.accounts import audit, users
from pcsauvegarde.cli.common import DATA_OPTION, settings_of, station_keys
from pcsauvegarde.cli.doctor import doctor
from pcsauvegarde.cli.lab import lab
from pcsauvegarde.cli.printing import print_document
from pcsauvegarde.cli.reentry import reentry
from pcsauvegarde.cli.reentry_exports import reentry_export
from pcsauvegarde.station.settings import (
    DEFAULT_DATA_DIR,
    TRANSPORT_LABELS,
    Settings,
    write_settings,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Journal détaillé sur la sortie d'erreur.")
def main(verbose: bool) -> None:
    """PC de sauvegarde : extraits chiffrés et signés, interface locale, impressions en mode
    dégradé."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command()
@DATA_OPTION
@click.option("--station", "station_id", default="station-demo", show_default=True,
              help="Identifiant de la station (minuscules, chiffres, tirets).")
@click.option("--force", is_flag=True,
              help="Réécrire un station.toml existant (l'ancien est gardé en "
                   "station.toml.AAAAMMJJ-HHMMSS.bak).")
def init(data_dir: Path, station_id: str, force: bool) -> None:
    """Créer le dossier de données d'une station et sa clé de déchiffrement.

    Refuse une station existante : pour changer un réglage, modifier son station.toml."""
    from pcsauvegarde.station.keys import ensure_identity
    from pcsauvegarde.station.settings import CONFIG_NAME, backup_settings_file

    existing = Path(data_dir) / CONFIG_NAME
    if existing.exists() and not force:
        raise click.ClickException(
            f"une station existe déjà dans « {Path(data_dir).resolve()} » ({CONFIG_NAME} "
            f"présent) : rien n'a été modifié. Pour changer un réglage (identifiant, "
            f"sources…), modifier « {existing.resolve()} » puis redémarrer le service ; "
            f"pour tout réécrire, « pcsauvegarde init --force » (l'ancien fichier est gardé).")
    settings = settings_of(data_dir, {"station_id": station_id}, create=True,
                           read_file=not force)
    backup = backup_settings_file(settings) if force else None
    write_settings(settings)
    recipient = ensure_identity(settings)
    if backup is not None:
        click.echo(f"Ancien {CONFIG_NAME} gardé : {backup}")
    click.echo(f"Station « {station_id} » prête dans {settings.data_dir}")
    click.echo(f"Clé publique de la station (à donner à l'émetteur) : {recipient}")


@main.command()
@DATA_OPTION
@click.option("--publisher-dir", type=click.Path(path_type=Path), default=None,
              help="Dossier de l'émetteur où créer la clé de signature Ed25519 (minisign).")
def keys(data_dir: Path, publisher_dir: Path | None) -> None:
    """Créer les clés manquantes et afficher les clés publiques."""
    from pcsauvegarde.core.package import PackageError
    from pcsauvegarde.publisher import keys as publisher_side
    from pcsauvegarde.station import keys as station_side

    settings = settings_of(data_dir)
    public = key = None
    try:
        recipient = station_side.ensure_identity(settings)
        signing = station_side.ensure_signing_key(settings)
        if publisher_dir is not None:
            secret = publisher_dir / publisher_side.KEY_FILE
            public = publisher_side.ensure_signing_key(secret)
            key = publisher_side.signing_key(secret).public_key
    except (PackageError, OSError) as exc:
        raise click.ClickException(f"clés : {exc}") from None
    click.echo(f"Station (age, destinataire des paquets) : {recipient}")
    click.echo(f"Station (minisign, signe ses signaux de vie) : {signing.to_line()}")
    click.echo(f"  {signing.identification}")
    if key is not None:
        click.echo(f"Émetteur (minisign, à épingler sur les stations) : {key.to_line()}")
        click.echo(f"  {key.identification}, fichier {public}")


class NothingPublished(click.ClickException):
    """``publish`` wrote nothing (bad configuration, no usable record): exit code 2."""

    exit_code = 2


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, exists=True),
              required=True, help="publisher.toml (dépôt, clé de signature, stations).")
@click.option("--kind", type=click.Choice(["full", "delta", "auto"]), default="auto",
              show_default=True, help="Paquets complets, deltas, ou auto (complet quand le "
              "dernier complet date de plus de full_every_minutes).")
@click.option("--watch", is_flag=True, help="Publier en continu : lire les exports à leur "
              "arrivée et publier les changements (arrêt par Ctrl-C ou SIGTERM).")
@click.option("--interval", type=click.FloatRange(1, 3600), default=15, show_default=True,
              help="Avec --watch : au plus une publication toutes les N secondes.")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path, exists=True))
def publish(config_path: Path, kind: str, watch: bool, interval: float,
            inputs: tuple[Path, ...]) -> None:
    """Importer des exports (FHIR R4 .ndjson/.json, HL7 v2 .hl7 ou tout fichier commençant par
    MSH, catalogues .csv) et publier un paquet par domaine et par périmètre de stations ;
    affiche le verdict de chaque fichier et le bilan par type (importés → dans le périmètre →
    envoyés).

    Codes de sortie : 0 tout est publié ; 1 publié, mais des fichiers ou des lignes ont été
    refusés (voir le verdict de chaque fichier) ; 2 rien n'a été publié (configuration,
    clé, ou aucun enregistrement utilisable). Avec --watch : publication continue (arrêt
    propre par Ctrl-C ou SIGTERM, code 0)."""
    if watch:
        from pcsauvegarde.cli.watching import run_watch
        from pcsauvegarde.publisher.publisher import PublishError, load_publisher_config

        if not inputs:
            raise click.ClickException("--watch : indiquez au moins un dossier d'exports")
        try:
            run_watch(load_publisher_config(config_path), inputs, interval)
        except PublishError as exc:
            raise click.ClickException(str(exc)) from None
        return
    from pcsauvegarde.cli.progress import file_progress
    from pcsauvegarde.core.package import PackageError
    from pcsauvegarde.publisher.importers.fhir.ignored import report_lines
    from pcsauvegarde.publisher.importers.hl7v2.importer import PARTIAL
    from pcsauvegarde.publisher.incremental import publish_once
    from pcsauvegarde.publisher.intake import IGNORED, import_files
    from pcsauvegarde.publisher.publisher import PublishError, load_publisher_config
    from pcsauvegarde.publisher.report import PublishReport

    files = [p for i in inputs for p in (sorted(i.iterdir()) if i.is_dir() else [i])]
    try:
        config = load_publisher_config(config_path)
    except PublishError as exc:
        raise NothingPublished(str(exc)) from None
    with file_progress(len(files), "Import") as progress:
        intake = import_files(files, progress, config.hl7)
    partial = [r for r in intake.refusals if PARTIAL in r]  # applied, with what was left out
    refused = [r for r in intake.refusals if PARTIAL not in r and IGNORED not in r]
    for r in intake.refusals:
        if IGNORED not in r:  # unknown files: their verdict line says it already
            click.echo(f"{'signalé : ' if PARTIAL in r else 'refusé : '}{r}", err=True)
    if not intake.records:
        raise NothingPublished("aucun enregistrement à publier : voir le verdict de chaque "
                               "fichier ci-dessus" if files else "aucun fichier en entrée")
    report = PublishReport()
    try:
        written = publish_once(intake.records, config, kind, report)
    except (PublishError, PackageError) as exc:
        raise NothingPublished(str(exc)) from None
    click.echo(f"{len(intake.records)} enregistrements importés, {len(refused)} refusés, "
               f"{len(partial)} signalements (messages appliqués en partie)")
    for line in report_lines(intake.ignored):
        click.echo(line)
    if intake.cleaned:
        cleaned = intake.cleaned
        detail = ", ".join(f"{kind} : {n}" for kind, n in sorted(cleaned.items()))
        click.echo(f"{sum(cleaned.values())} champ(s) débarrassé(s) de caractères de contrôle "
                   f"ou d'inversion de sens d'écriture ({detail})")
    for line in report.lines():
        click.echo(line)
    for path in written:
        click.echo(f"publié : {path}")
    if not written:
        click.echo("rien de nouveau à publier (les stations ont déjà ces données)")
    if not intake.clean:
        click.echo("ATTENTION : des fichiers ou des lignes ont été refusés ou appliqués en "
                   "partie (code de sortie 1)", err=True)
        sys.exit(1)


@main.command()
@DATA_OPTION
def pull(data_dir: Path) -> None:
    """Récupérer maintenant les nouveaux paquets de toutes les sources.

    Codes de sortie : 0 tiré sans erreur ; 1 erreur d'une source ; 4 tous les nouveaux paquets
    sont partis en quarantaine (rien mis en service : voir « pcsauvegarde quarantine list »)."""
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.pull import pull_all

    settings = settings_of(data_dir)
    if not settings.sources:
        raise click.ClickException(f"aucune source configurée dans {settings.data_dir}")
    from pcsauvegarde.cli.progress import package_progress

    failed = False
    with package_progress() as report:
        runs = pull_all(settings, Store(settings.store_path), station_keys(settings), report)
    for run in runs:
        if run.frozen:
            raise click.ClickException(run.error)
        click.echo(f"source {run.source} : {run.seen} nouveau(x) paquet(s), "
                   f"{run.accepted} accepté(s), {run.quarantined} en quarantaine")
        for o in run.outcomes:
            if o.outcome != "accepted":
                click.echo(f"  {o.message}", err=True)
            elif o.not_kept:  # accepted, but not everything it carried is kept
                click.echo(f"  attention : {o.message}")
        if run.error:
            failed = True
            click.echo(f"  erreur : {run.error}", err=True)
    if failed:
        sys.exit(1)
    if any(r.quarantined for r in runs) and not any(r.accepted or r.waiting for r in runs):
        click.echo(f"ATTENTION : tous les nouveaux paquets sont en quarantaine, rien n'a été mis "
                   f"en service (code de sortie {ALL_QUARANTINED_EXIT}) : voir « pcsauvegarde "
                   "quarantine list »", err=True)
        sys.exit(ALL_QUARANTINED_EXIT)
    sys.exit(0)


ALL_QUARANTINED_EXIT = 4  # `pull`: every new package quarantined (3 is `freeze status`)




@main.command()
@DATA_OPTION
def serve(data_dir: Path) -> None:
    """Servir l'interface (127.0.0.1) et tirer les paquets selon le calendrier."""
    settings = settings_of(data_dir)
    _serve(settings)


def startup_lines(settings: Settings) -> list[str]:
    """What ``serve`` prints before it listens: where, which station, its sources, printer."""
    lines = [f"Interface : http://{settings.host}:{settings.port}/",
             f"Station : {settings.station_id} (données : {settings.data_dir})"]
    for s in settings.sources:
        where = {"folder": s.path, "sftp": f"{s.user}@{s.host}:{s.port}/{s.remote_path}",
                 "https": s.url}.get(s.kind, "")
        kind = TRANSPORT_LABELS.get(s.kind, s.kind)
        lines.append(f"Source « {s.id} » : {kind} {where}, toutes les "
                     f"{s.interval_seconds} s" + (", signal de vie" if s.heartbeat else ""))
    if not settings.sources:
        lines.append("Aucune source configurée : aucun tirage (sources dans station.toml)")
    printer = ("fichiers PDF dans " + str(settings.printed_dir) if settings.printer == "file"
               else f"file CUPS « {settings.printer.removeprefix('cups:')} »"
               + (f" sur {settings.cups_server}" if settings.cups_server else ""))
    lines.append(f"Imprimante : {printer}")
    return lines


def _serve(settings: Settings, extra_jobs=()) -> None:
    from waitress.server import create_server

    from pcsauvegarde.core.fsutil import os_reason
    from pcsauvegarde.station.documents.engine import DocumentError
    from pcsauvegarde.station.documents.templates import TemplateError
    from pcsauvegarde.station.issuing.issue import start_render_pool
    from pcsauvegarde.station.settings import is_loopback
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.sync.scheduler import jobs, start_scheduler
    from pcsauvegarde.station.web import create_app

    if not is_loopback(settings.host):
        click.echo(f"ATTENTION : l'interface écoute sur {settings.host}, joignable depuis le "
                   "réseau (allow_remote_ui = true). Le poste de sauvegarde doit rester isolé.",
                   err=True)
    station = open_station(settings)
    try:  # before any thread starts: a broken template or missing font stops here, in one line
        app = create_app(station)
    except (TemplateError, DocumentError) as exc:
        raise click.ClickException(f"démarrage refusé : {exc}") from None
    keys = station_keys(settings)  # a missing key refuses start-up before any banner
    try:  # bound now: a port already taken refuses start-up before the banner too
        server = create_server(app, host=settings.host, port=settings.port, threads=8,
                               ident="pcsauvegarde")
    except OSError as exc:
        raise click.ClickException(f"démarrage refusé : {settings.host}:{settings.port} "
                                   f"indisponible ({os_reason(exc)})") from None
    start_render_pool(station)  # PDFs in worker processes: screens never wait behind them
    for line in startup_lines(settings):
        click.echo(line)
    from pcsauvegarde.station.reentry import retention
    scheduler = start_scheduler([*jobs(settings, station.store, keys),
                                 retention.daily_job(station), *extra_jobs])
    try:
        server.run()
    finally:
        server.close()
        if station.render_pool is not None:
            station.render_pool.shutdown(wait=False, cancel_futures=True)
        scheduler.shutdown(wait=False)


main.add_command(users)
main.add_command(audit)
main.add_command(print_document)
main.add_command(doctor)
main.add_command(lab)
main.add_command(reentry)
reentry.add_command(reentry_export)


@main.group()
def admissions() -> None:
    """Admissions en mode dégradé (IPP/NDA provisoires)."""


@admissions.command("export")
@DATA_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Fichier CSV à écrire (défaut : DATA/exports/admissions-AAAAMMJJ-HHMMSS.csv)"
                   " ; « - » pour la sortie standard.")
def admissions_export(data_dir: Path, output: Path | None) -> None:
    """Exporter les admissions en mode dégradé (CSV ; séparateur « ; ») pour la reprise."""
    import io

    from pcsauvegarde.core.fsutil import atomic_write
    from pcsauvegarde.core.text import CSV_BOM
    from pcsauvegarde.station.state.admissions import Admissions, export_csv, without_exercise
    from pcsauvegarde.station.state.statedb import StateDB

    settings = settings_of(data_dir)
    state = settings.state_path
    if not state.exists():
        raise click.ClickException(f"aucune base de station dans {settings.data_dir}")
    register = Admissions(StateDB(state), settings.station_id, settings.provisional_ipp_range,
                          settings.provisional_nda_range)
    buffer = io.StringIO()
    real, drills = without_exercise(register.all(), settings.provisional_ipp_range,
                                    settings.exercise_number_prefix)
    if drills:
        click.echo(f"{drills} admission(s) d'exercice (IPP {settings.exercise_number_prefix}…) "
                   "non exportée(s) : elles ne sont pas à ressaisir.", err=True)
    count = export_csv(real, buffer)
    if str(output) == "-":
        click.echo(buffer.getvalue(), nl=False)
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = output or settings.exports_dir / f"admissions-{stamp}.csv"
    # UTF-8 with BOM: spreadsheet software in French opens accents and « ; » correctly.
    atomic_write(path, (CSV_BOM + buffer.getvalue()).encode("utf-8"), mode=0o600)
    click.echo(f"{count} admission(s) exportée(s) dans {path}")


@main.command()
@click.option("--data", "root", type=click.Path(path_type=Path),
              default=DEFAULT_DATA_DIR.parent, show_default=True,
              help="Dossier de la démonstration (émetteur, dépôt ; la station dans station/, "
                   "le dossier par défaut des autres commandes).")
@click.option("--port", default=8080, show_default=True)
@click.option("--no-serve", is_flag=True, help="Préparer et tirer une fois, sans servir.")
def demo(root: Path, port: int, no_serve: bool) -> None:
    """Hôpital de démonstration de bout en bout : génère, publie, tire, sert."""
    from pcsauvegarde.demo import station as demostation
    from pcsauvegarde.station.documents.fmt import format_local
    from pcsauvegarde.station.state.accounts import AccountError
    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.sync.pull import pull_all
    from pcsauvegarde.station.sync.scheduler import Job

    paths, settings, config = demostation.setup(root)
    settings = settings_of(settings.data_dir, {"port": port})
    written = demostation.publish_demo(paths, config)
    click.echo(f"Hôpital de démonstration publié : {len(written)} paquet(s) dans {paths.drop}")
    station = open_station(settings)
    for run in pull_all(settings, station.store, station_keys(settings)):
        click.echo(f"Premier tirage : {run.accepted} paquet(s) accepté(s), "
                   f"{run.quarantined} en quarantaine")
    try:
        station.accounts.add(demostation.DEMO_LOGIN, "Infirmière de démonstration",
                             demostation.DEMO_PASSWORD,
                             ("soins", "laboratoire", "imagerie", "admin"))  # imagerie: /bloc
    except AccountError:
        pass  # already there from an earlier run
    try:   # the sterilisation screen has its own role
        station.accounts.add(demostation.DEMO_STERILISATION_LOGIN, "Agent de stérilisation",
                             demostation.DEMO_PASSWORD, ("stérilisation",))
    except AccountError:
        pass
    from pcsauvegarde.demo import outage as demo_outage
    simulated = demo_outage.simulate(station)
    if simulated is not None:
        click.echo(f"Panne simulée : {simulated.window.title}, {simulated.items} élément(s) à "
                   f"ressaisir dont {simulated.marked} déjà ressaisi(s) : menu « Ressaisie ».")
    try:   # so do the imaging schedules (an account on every unit)
        station.accounts.add(demostation.DEMO_IMAGING_LOGIN, "Manipulatrice en radiologie",
                             demostation.DEMO_PASSWORD, ("imagerie",))
    except AccountError:
        pass
    try:   # the PUI's papers (dotations, orders, inventories, directory) have their own role
        station.accounts.add(demostation.DEMO_PHARMACY_LOGIN, "Pharmacienne",
                             demostation.DEMO_PASSWORD, ("pharmacie",))
    except AccountError:
        pass
    if no_serve:
        return
    minutes = itertools.count(1)

    def republish() -> None:
        demostation.publish_demo(paths, config, minute=next(minutes))

    from apscheduler.triggers.interval import IntervalTrigger
    click.echo(f"Interface : http://{settings.host}:{settings.port}/  —  identifiant "
               f"« {demostation.DEMO_LOGIN} », mot de passe « {demostation.DEMO_PASSWORD} »")
    click.echo(f"Stérilisation : identifiant « {demostation.DEMO_STERILISATION_LOGIN} », même "
               "mot de passe")
    click.echo(f"Imagerie : identifiant « {demostation.DEMO_IMAGING_LOGIN} », même mot de passe "
               "(consultations : « demo »)")
    click.echo(f"Pharmacie : identifiant « {demostation.DEMO_PHARMACY_LOGIN} », même mot de "
               "passe")
    started = format_local(dt.datetime.now(dt.UTC))
    click.echo(f"La démonstration publie un extrait modifié chaque minute "
               f"(démarrée le {started}). Ctrl+C pour arrêter.")
    _serve(settings, [Job("demo:publish", IntervalTrigger(seconds=60), republish)])


cli_sync.register(main)  # freeze, quarantine, fleet (issue #3)

if __name__ == "__main__":
    main()
