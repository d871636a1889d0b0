"""The demo hospital has realistic trays, cycles and an OR schedule, and a sterilisation login."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from pcsauvegarde.station.sterilisation import service


def test_demo_trays_cycles_and_or_schedule(station):
    c = service.catalogue(station)
    sizes = {code: len(t.composition) for code, t in c.trays.items()}
    assert 25 <= sizes["APPEND-01"] <= 35 and sizes["COELIO-01"] >= 15 and sizes["CESAR-01"] >= 15
    assert {p.id for p in c.packaging.values()} == {"conteneur", "sachet", "double-feuille"}
    assert len(c.washers()) == 2 and len(c.autoclaves()) == 2
    assert len(c.cycles) == 3 and all(cy.lot and cy.program for cy in c.cycles)
    cases = service.or_day(station, dt.datetime.now(dt.UTC))
    assert len(cases) == 4 and all(case.tray_ids for case in cases)


def test_make_demo_prints_the_sterilisation_login(tmp_path):
    from pcsauvegarde.cli.main import main
    result = CliRunner().invoke(main, ["demo", "--data", str(tmp_path), "--no-serve"])
    assert result.exit_code == 0, result.output
    from pcsauvegarde.demo.station import DEMO_STERILISATION_LOGIN
    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.station import open_station
    station = open_station(load_settings(tmp_path / "station"))
    assert "stérilisation" in station.accounts.get(DEMO_STERILISATION_LOGIN).roles
    from pcsauvegarde.demo.station import DEMO_PHARMACY_LOGIN
    assert station.accounts.get(DEMO_PHARMACY_LOGIN).roles == ("pharmacie",)
