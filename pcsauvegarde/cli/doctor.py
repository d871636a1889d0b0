"""`pcsauvegarde doctor`: the station's readiness in one screen and one exit code."""

from __future__ import annotations

import time
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION

COLOURS = {"ok": "green", "warning": "yellow", "critical": "red", "unknown": "cyan"}


@click.command("doctor")
@DATA_OPTION
def doctor(data_dir: Path) -> None:
    """Vérifier que la station est prête : configuration, tirages, âge des données,
    quarantaine, gel, clés, imprimante, disque, horloge, plages de numéros, journal d'audit,
    service. Code de sortie : 0 prête, 1 à vérifier, 2 NON PRÊTE."""
    started = time.perf_counter()  # imports included: what the operator waits for
    from pcsauvegarde.station.readiness import CRITICAL, EXIT_CODES, assess
    from pcsauvegarde.station.settings import DATA_ENV, ConfigError, load_settings
    from pcsauvegarde.station.station import open_station

    # Without a data dir or a valid station.toml the service cannot start: NON PRÊTE.
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        _blocking("Dossier de données", f"aucune station dans « {data_dir.resolve()} » : la "
                  f"créer avec « pcsauvegarde init --data DOSSIER », ou indiquer son dossier "
                  f"avec --data ou la variable {DATA_ENV}.")
        raise SystemExit(EXIT_CODES[CRITICAL])
    try:
        settings = load_settings(data_dir)
    except ConfigError as exc:
        _blocking("Configuration", f"{exc} : le service ne peut pas démarrer.")
        raise SystemExit(EXIT_CODES[CRITICAL]) from None
    station = open_station(settings)
    readiness = assess(station, audit=True)
    width = max(len(v.label) for v in readiness.verdicts)
    for v in readiness.verdicts:
        tag = click.style(f"{v.level_label:<11}", fg=COLOURS[v.level], bold=v.level != "ok")
        click.echo(f"{tag} {v.label:<{width}}  {v.message}")
    summary = {"ok": "Station PRÊTE.", "warning": "Station prête, avec des points à vérifier.",
               "critical": f"Station NON PRÊTE : {len(readiness.critical)} point(s) bloquant(s)."}
    click.echo("")
    click.echo(click.style(summary[readiness.level], fg=COLOURS[readiness.level], bold=True)
               + f" ({len(readiness.verdicts)} vérifications en "
               f"{time.perf_counter() - started:.2f} s)".replace(".", ",", 1))
    raise SystemExit(readiness.exit_code)


def _blocking(label: str, message: str) -> None:
    """One critical line and the « NON PRÊTE » summary, when the checks cannot even run."""
    tag = click.style("NON PRÊT   ", fg=COLOURS["critical"], bold=True)
    click.echo(f"{tag} {label}  {message}")
    click.echo("")
    click.echo(click.style("Station NON PRÊTE : 1 point(s) bloquant(s).",
                           fg=COLOURS["critical"], bold=True))
