"""What every `pcsauvegarde` command module shares: the --data option, settings, keys, actor."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from pcsauvegarde.station.settings import (
    DATA_ENV,
    DEFAULT_DATA_DIR,
    ConfigError,
    Settings,
    load_settings,
)

DATA_OPTION = click.option("--data", "data_dir", type=click.Path(path_type=Path),
                           default=DEFAULT_DATA_DIR, show_default=True, envvar=DATA_ENV,
                           help="Dossier de données de la station.")


def settings_of(data_dir: Path, overrides: dict | None = None) -> Settings:
    """The station's settings, or a one-line French error naming the file and key."""
    try:
        return load_settings(data_dir, overrides)
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
