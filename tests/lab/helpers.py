"""A lab register on a bare state database (no hospital data needed)."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.lab.ranges import parse_lab_range
from pcsauvegarde.station.lab.register import LabRegister
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.state.statedb import StateDB

SPEC = "9500001-9599999"


def register(folder: Path, spec: str = SPEC, check: str = "luhn",
             high_water: HighWater | None = None) -> LabRegister:
    rng = parse_lab_range(spec, 0, check, 2)
    return LabRegister(StateDB(folder / "station.sqlite"), "poste-a", rng,
                       high_water or HighWater(folder / "hw" / "high-water.json"))
