"""The station layer contract names every station module: a new one cannot escape it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_station_module_is_in_the_web_on_top_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    station = next(c for c in contracts if c.get("containers") == ["pcsauvegarde.station"])
    named = {n for layer in station["layers"] for n in re.split(r"[\s:|]+", layer) if n}
    folder = ROOT / "pcsauvegarde" / "station"
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    assert modules - named == set(), "add these to the station layers in pyproject.toml"
