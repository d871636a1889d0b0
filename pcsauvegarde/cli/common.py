"""What every `pcsauvegarde` command module shares: the --data option, settings, keys, actor."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from pcsauvegarde.station.settings import (
    DATA_ENV,
    SYSTEM_DATA_DIR,
    ConfigError,
    Settings,
    default_data_dir,
    load_settings,
)

DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=default_data_dir,
    show_default=f"${DATA_ENV}, sinon {SYSTEM_DATA_DIR} si la station est installée, sinon "
                 "snapshots/station", help="Dossier de données de la station.")


def settings_of(data_dir: Path, overrides: dict | None = None, create: bool = False,
                read_file: bool = True) -> Settings:
    """The station's settings, or a one-line French error naming the file and key.

    Only ``init`` (``create``) may name a data dir that does not exist yet: any other command
    would otherwise leave an empty station wherever it was run from.
    """
    data_dir = Path(data_dir)
    if not create and not data_dir.is_dir():
        raise click.ClickException(
            f"aucune station dans « {data_dir.resolve()} » : créer la station avec "
            f"« pcsauvegarde init --data DOSSIER », ou indiquer son dossier avec --data ou "
            f"la variable {DATA_ENV}")
    try:
        return load_settings(data_dir, overrides, read_file)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def station_keys(settings: Settings):
    """The station's age identity and pinned publisher keys, or a one-line error."""
    from pcsauvegarde.core.package import PackageError
    from pcsauvegarde.station.keys import load_station_keys

    try:
        return load_station_keys(settings)
    except (PackageError, OSError) as exc:
        raise click.ClickException(f"clés de la station : {exc}") from None


def console_actor() -> str:
    """Who acts from the command line, for the audit journal."""
    try:
        return f"console:{getpass.getuser()}"[:80]
    except (KeyError, OSError):
        return "console"
