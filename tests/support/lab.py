"""Lab test helpers: a register on a bare state database, label sets, a 36-character id."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.lab_labels import LabLabel
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


LONG_ID = "X" * 36


def labels(n: int, tubes: int = 4, rng=None) -> tuple[LabLabel, ...]:
    rng = rng or parse_lab_range("9500001-9599999", 8, "luhn", 2)
    nums = [rng.number(rng.serial.format(rng.serial.first + i)) for i in range(n)]
    return tuple(LabLabel(rng.tube(num, t), num, t, tubes, "EDTA (violet)" if t == 2 else "")
                 for num in nums for t in range(1, tubes + 1))
