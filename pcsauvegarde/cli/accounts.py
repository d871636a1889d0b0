"""`pcsauvegarde users …` and `pcsauvegarde audit …`: accounts and the audit journal."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, console_actor, settings_of
from pcsauvegarde.station import administration
from pcsauvegarde.station.state.accounts import ROLES, AccountError


def _station(data_dir: Path):
    from pcsauvegarde.station.station import open_station

    return open_station(settings_of(data_dir))




def _read_password() -> str:
    """From the terminal (asked twice) or one line of stdin; never from the command line."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Confirmer le mot de passe : ") != first:
            raise click.ClickException("les deux mots de passe saisis diffèrent")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@click.group()
def users() -> None:
    """Gérer les comptes locaux."""


@users.command("add")
@DATA_OPTION
@click.argument("login")
@click.option("--name", default="", help="Nom affiché.")
@click.option("--role", "roles", multiple=True, default=("soins",), show_default=True,
              type=click.Choice(ROLES))
@click.option("--unit", "units", multiple=True,
              help="Service(s) accessibles, obligatoire (répétable) ; --unit '*' pour tous.")
def users_add(data_dir: Path, login: str, name: str, roles: tuple, units: tuple) -> None:
    """Créer un compte (le mot de passe est demandé, jamais passé en argument)."""
    if not units:  # all units is a choice to state, never what a forgotten option gives
        raise click.UsageError("--unit obligatoire : code du service accessible (répéter "
                               "--unit pour plusieurs), ou --unit '*' pour tous les services ; "
                               "aucun compte créé")
    try:
        user = administration.create_account(_station(data_dir), console_actor(), login, name,
                                             _read_password(), roles, units)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Compte « {user.login} » créé ({', '.join(user.roles)}).")
    _warn_units(data_dir, units)


def _warn_units(data_dir: Path, units: tuple[str, ...]) -> None:
    """An account for a unit the station has never heard of is probably a typo: say so."""
    unknown = administration.unknown_units(_station(data_dir), units)
    if unknown is None:
        click.echo("Attention : aucune unité connue (aucune donnée tirée) ; unités non "
                   "vérifiées.", err=True)
    elif unknown:
        click.echo("Attention : unité(s) inconnue(s) de cette station : "
                   + ", ".join(f"« {u} »" for u in unknown)
                   + " (le compte ne verra aucun patient de ces codes).", err=True)


def _set_active(data_dir: Path, login: str, active: bool) -> None:
    try:
        change = administration.set_account_active(_station(data_dir), console_actor(), login,
                                                   active)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    closed = f" ; {change.sessions_closed} session(s) fermée(s)" if change.sessions_closed else ""
    click.echo(f"Compte « {change.user.login} » {'réactivé' if active else 'désactivé'}"
               f"{closed}.")


@users.command("disable")
@DATA_OPTION
@click.argument("login")
def users_disable(data_dir: Path, login: str) -> None:
    """Désactiver un compte (ses sessions ouvertes sont fermées)."""
    _set_active(data_dir, login, False)


@users.command("enable")
@DATA_OPTION
@click.argument("login")
def users_enable(data_dir: Path, login: str) -> None:
    """Réactiver un compte."""
    _set_active(data_dir, login, True)


@users.command("reset")
@DATA_OPTION
@click.argument("login")
def users_reset(data_dir: Path, login: str) -> None:
    """Nouveau mot de passe (demandé, ou lu sur l'entrée standard) ; lève un verrouillage."""
    try:
        change = administration.reset_password(_station(data_dir), console_actor(), login,
                                               _read_password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Mot de passe de « {change.user.login} » réinitialisé.")


@users.command("list")
@DATA_OPTION
def users_list(data_dir: Path) -> None:
    """Lister les comptes : identifiant, état, rôles, services, nom."""
    for u in _station(data_dir).accounts.list():
        state = "actif" if u.active else "désactivé"
        click.echo(f"{u.login}\t{state}\t{','.join(u.roles)}\t{','.join(u.units)}\t"
                   f"{u.display_name}")


@click.group()
def audit() -> None:
    """Journal d'audit (chaîné par empreintes SHA-256)."""


@audit.command("verify")
@DATA_OPTION
def audit_verify(data_dir: Path) -> None:
    """Vérifier la chaîne ; nomme la première entrée altérée (code de sortie 1)."""
    from pcsauvegarde.station.station import open_audit

    path = settings_of(data_dir).state_path
    if not path.is_file():
        raise click.ClickException(f"aucun journal dans {data_dir} ({path.name} absent)")
    result = open_audit(settings_of(data_dir)).verify()
    if result.ok:
        signed = ("" if result.signed_seq is None else
                  f" ; signé jusqu'à l'entrée n° {result.signed_seq}")
        click.echo(f"Journal d'audit intègre : {result.entries} entrée(s) vérifiée(s){signed}.")
        return
    where = f"première entrée en défaut n° {result.broken_seq} " if result.broken_seq else ""
    click.echo(f"JOURNAL D'AUDIT ALTÉRÉ : {where}({result.reason}).", err=True)
    sys.exit(1)
