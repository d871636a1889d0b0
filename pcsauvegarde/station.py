"""The station's objects, built once from its settings and passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.accounts import Accounts
from pcsauvegarde.config import Settings
from pcsauvegarde.journal import Journal
from pcsauvegarde.printing import Printer, make_printer
from pcsauvegarde.statedb import StateDB
from pcsauvegarde.store import Store


@dataclass
class Station:
    settings: Settings
    store: Store
    state: StateDB
    accounts: Accounts
    journal: Journal
    printer: Printer


def open_station(settings: Settings) -> Station:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    state = StateDB(settings.data_dir / "station.sqlite")
    return Station(settings, Store(settings.store_path), state, Accounts(state),
                   Journal(state, settings.station_id),
                   make_printer(settings.printer, settings.data_dir, settings.cups_server))
