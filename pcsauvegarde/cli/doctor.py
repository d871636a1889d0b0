"""`pcsauvegarde doctor`: the station's readiness in one screen and one exit code."""

from __future__ import annotations

import time
from pathlib import Path

import click

from pcsauvegarde.cli.common import DATA_OPTION, settings_of

COLOURS = {"ok": "green", "warning": "yellow", "critical": "red", "unknown": "cyan"}


@click.command("doctor")
@DATA_OPTION
def doctor(data_dir: Path) -> None:
    """Vérifier que la station est prête : tirages, âge des données, quarantaine, gel, clés,
    imprimante, disque, horloge, plages de numéros, service. Code de sortie : 0 prête,
    1 à vérifier, 2 NON PRÊTE."""
    started = time.perf_counter()  # imports included: what the operator waits for
    from pcsauvegarde.station.readiness import assess
    from pcsauvegarde.station.station import open_station

    station = open_station(settings_of(data_dir))
    readiness = assess(station)
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
