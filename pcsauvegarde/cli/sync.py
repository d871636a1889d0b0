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
    """Suspendre (on) ou reprendre (off) tous les tirages ; les données actuelles restent.

    « status » sort avec le code 0 quand les tirages sont actifs, 3 quand ils sont suspendus
    (1 : erreur), pour les scripts et la supervision."""
    from pcsauvegarde.station.sync.freeze import freeze_state, set_frozen

    settings = settings_of(data_dir)
    state = (freeze_state(settings) if action == "status"
             else set_frozen(settings, action == "on", console_actor(), reason))
    if state.frozen:
        click.echo(f"Tirages SUSPENDUS depuis {state.since or '?'} par {state.by or '?'}"
                   + (f" — motif : {state.reason}" if state.reason else ""))
    else:
        click.echo("Tirages actifs.")
    if action == "status":
        sys.exit(FROZEN_EXIT if state.frozen else 0)


FROZEN_EXIT = 3  # `freeze status` when pulls are suspended (1 is an error, 2 a usage error)


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
        state = (f", écarté : {e.dismissed}" if e.dismissed
                 else ", réexaminé au tirage suivant" if e.requeued else "")
        click.echo(f"{e.id}  {e.file}  [{e.code or '?'}, {force}{state}]\n    {e.reason}")


@quarantine.command("reessayer")
@DATA_OPTION
def quarantine_retry(data_dir: Path) -> None:
    """Réexaminer au prochain tirage les paquets refusés pour leur signature (après avoir
    corrigé la clé publique de l'émetteur) ; ils sont repris du dépôt."""
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.quarantine_review import requeue

    settings = settings_of(data_dir)
    done = requeue(settings, Store(settings.store_path), station_keys(settings),
                   console_actor(), only_if_keys_changed=False)
    if not done:
        click.echo("Aucun paquet refusé pour sa signature à réexaminer.")
    for e in done:
        click.echo(f"{e.file} : réexaminé au prochain tirage (« pcsauvegarde pull »)")


@quarantine.command("ecarter")
@DATA_OPTION
@click.argument("entry_id")
@click.option("--motif", required=True, help="Pourquoi ce paquet est écarté (journal d'audit).")
def quarantine_dismiss(data_dir: Path, entry_id: str, motif: str) -> None:
    """Écarter un paquet traité (motif journalisé, fichier gardé) : le diagnostic ne le
    signale plus."""
    from pcsauvegarde.station.sync.quarantine import QuarantineError
    from pcsauvegarde.station.sync.quarantine_review import dismiss

    try:
        entry = dismiss(settings_of(data_dir), entry_id, console_actor(), motif)
    except QuarantineError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Paquet « {entry.file} » écarté (motif : {entry.dismissed}) ; action "
               "journalisée, fichier gardé en quarantaine.")


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
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation (sauf retour en "
              "arrière : voir --domaine).")
@click.option("--domaine", "domain", default=None,
              help="Nom du domaine, exigé quand le paquet est plus ancien que les données en "
                   "service (retour en arrière) ; demandé sinon.")
def quarantine_accept(data_dir: Path, entry_id: str, yes: bool, domain: str | None) -> None:
    """Accepter de force un paquet (signature et déchiffrement restent exigés)."""
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.quarantine import (
        QuarantineError,
        force_accept,
        get_entry,
        rollback_of,
    )

    settings = settings_of(data_dir)
    store, keys = Store(settings.store_path), station_keys(settings)
    try:
        entry = get_entry(settings, entry_id)
        rollback = rollback_of(settings, store, entry, keys) if entry.overridable else None
        if rollback is not None:
            click.secho(rollback.warning(), fg="red", bold=True, err=True)
            if domain is None:
                domain = click.prompt(f"Pour confirmer, saisir le nom du domaine "
                                      f"« {rollback.label} »", default="", show_default=False,
                                      err=True)
        elif not yes:
            click.confirm(f"Remplacer les données en service par « {entry.file} » ?", abort=True)
        outcome = force_accept(settings, store, entry_id, keys, console_actor(), domain)
    except QuarantineError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Paquet « {outcome.file} » accepté ({outcome.domain}, séquence "
               f"{outcome.sequence}) ; action journalisée.")
    if outcome.not_kept:  # accepted, but not everything it carried is kept
        click.echo(f"attention : {outcome.message}")


@click.command()
@click.option("--config", "config", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="publisher.toml : clé de signal de vie (heartbeat_key), unités et "
                   "emplacement de chaque station ; son drop_dir sert de dépôt par défaut.")
@click.option("--drop", type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Dossier de dépôt où les stations écrivent leur signal.")
@click.option("--keys", "keys", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="Clés publiques des stations, fichiers <station>.pub ou dossier, répétable : "
                   "le nom du fichier est la station pour laquelle la clé signe.")
@click.option("--stale-after", type=int, default=None,
              help="Minutes avant alerte pour les stations dont le signal ne donne pas leur "
                   "propre seuil (défaut : celui du bandeau des stations, stale_after_minutes).")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Écrire aussi le rapport de parc en HTML (fichier autonome, à ouvrir dans "
                   "un navigateur).")
@click.option("--heads", "heads_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Mémoire des têtes signées du journal d'audit de chaque station (créée au "
                   "premier passage) : un journal coupé ou réécrit depuis est signalé.")
def fleet(config: Path | None, drop: Path | None, keys: tuple[Path, ...],
          stale_after: int | None, html_file: Path | None, heads_file: Path | None) -> None:
    """Côté source : état de chaque station (âge des données, version, préparation, signal
    signé par la clé épinglée pour elle) ; les stations épinglées sans signal sont signalées
    « silencieuses ». Code de sortie 1 quand une station est à vérifier."""
    from pcsauvegarde.core.fsutil import atomic_write
    from pcsauvegarde.publisher.config import PublisherConfigError
    from pcsauvegarde.publisher.fleet import fleet_status, format_table
    from pcsauvegarde.publisher.fleet_html import render_html
    from pcsauvegarde.publisher.fleet_pins import (
        FleetConfigError,
        FleetPins,
        merge,
        pins_from_config,
        pins_from_key_files,
    )
    from pcsauvegarde.station.settings import STALE_AFTER_MINUTES

    if stale_after is None:  # the same default as the station's stale-data banner
        stale_after = STALE_AFTER_MINUTES
    if config is None and not keys:
        raise click.UsageError("indiquer --config publisher.toml ou --keys (clés des stations)")
    try:
        pins = merge(pins_from_config(config) if config else FleetPins(()),
                     pins_from_key_files(list(keys)))
    except (FleetConfigError, PublisherConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    for warning in pins.warnings:
        click.secho(f"Attention : {warning}", fg="yellow", err=True)
    drop = drop or pins.drop
    if drop is None or not drop.is_dir():
        raise click.ClickException(f"dossier de dépôt introuvable : « {drop or '?'} » "
                                   "(--drop ou drop_dir de publisher.toml)")
    if not pins.stations:
        raise click.ClickException("aucune clé publique de station épinglée (heartbeat_key "
                                   "ou fichier <station>.pub)")
    now = dt.datetime.now(dt.UTC)
    rows = fleet_status(drop, pins, dt.timedelta(minutes=stale_after), now)
    if heads_file is not None:
        from pcsauvegarde.publisher.fleet_heads import HeadsFileError, check_heads

        try:
            rows = check_heads(rows, heads_file)
        except (HeadsFileError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    if not any(r.written_at or r.state == "invalide" for r in rows):
        click.echo(f"Aucun signal de station (heartbeat-*.json) dans {drop}")
    click.echo(format_table(rows))
    bad = [r for r in rows if r.state != "ok"]
    silent = sum(r.state == "silencieuse" for r in rows)
    click.echo(f"{len(rows)} station(s), {len(bad)} à vérifier"
               + (f" dont {silent} silencieuse(s)" if silent else ""))
    if html_file is not None:
        page = render_html(rows, now, str(drop), pins.warnings)
        try:
            atomic_write(html_file, page.encode())
        except OSError as exc:
            raise click.ClickException(f"rapport « {html_file} » non écrit : "
                                       f"{exc.strerror or exc}") from None
        click.echo(f"Rapport HTML écrit : {html_file}")
    sys.exit(1 if bad else 0)


@click.command("serve-drop")
@click.option("--drop", type=click.Path(path_type=Path, exists=True, file_okay=False),
              required=True, help="Dossier de dépôt (celui de drop_dir dans publisher.toml).")
@click.option("--cert", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              required=True, help="Certificat TLS du dépôt (PEM).")
@click.option("--key", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              required=True, help="Clé privée du certificat (PEM).")
@click.option("--config", "config", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="publisher.toml : clé de signal de vie (heartbeat_key) de chaque station, "
                   "comme pour fleet.")
@click.option("--keys", "keys", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="Clés publiques des stations, fichiers <station>.pub ou dossier, répétable "
                   "(comme pour fleet).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse d'écoute (celle que les stations joignent).")
@click.option("--port", type=int, default=8443, show_default=True)
def serve_drop(drop: Path, cert: Path, key: Path, config: Path | None, keys: tuple[Path, ...],
               host: str, port: int) -> None:
    """Côté source : servir le dépôt en HTTPS (paquets en lecture seule) et recevoir les
    signaux de vie des stations (PUT heartbeat-<station>.json), gardés seulement s'ils sont
    signés par la clé épinglée pour leur station (--config ou --keys, relues à chaque
    signal : une station ajoutée ne demande pas de redémarrer le serveur)."""
    import ssl

    from pcsauvegarde.publisher.config import PublisherConfigError
    from pcsauvegarde.publisher.drop_server import make_drop_server
    from pcsauvegarde.publisher.fleet_pins import (
        FleetConfigError,
        FleetPins,
        merge,
        pins_from_config,
        pins_from_key_files,
    )

    if config is None and not keys:
        raise click.UsageError("indiquer --config publisher.toml ou --keys (clés des stations) : "
                               "le dépôt ne garde que les signaux de vie signés par leur station")

    def pins() -> FleetPins:
        return merge(pins_from_config(config) if config else FleetPins(()),
                     pins_from_key_files(list(keys)))

    try:
        first = pins()
    except (FleetConfigError, PublisherConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    for warning in first.warnings:
        click.secho(f"Attention : {warning}", fg="yellow", err=True)
    if not first.stations:
        click.secho("Attention : aucune clé de station épinglée : tout signal de vie sera "
                    "refusé", fg="yellow", err=True)
    try:
        server = make_drop_server(drop, cert, key, pins, host, port)
    except (OSError, ssl.SSLError) as exc:
        raise click.ClickException(f"dépôt HTTPS non démarré sur {host}:{port} : "
                                   f"{getattr(exc, 'strerror', None) or exc}") from None
    click.echo(f"Dépôt « {drop} » servi sur https://{host}:{server.server_address[1]}/ "
               f"({len(first.stations)} station(s) épinglée(s) ; Ctrl+C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(main: click.Group) -> None:
    for command in (freeze, quarantine, fleet, serve_drop):
        main.add_command(command)
