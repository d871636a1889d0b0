"""Circulation numbers: reserved range, never reused, under threads and processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

import pytest

from pcsauvegarde.station.state.numbering import NumberingError, RangeExhausted
from pcsauvegarde.station.state.statedb import StateDB
from pcsauvegarde.station.sterilisation.circulation import CirculationRegister

DAY = dt.date(2026, 11, 30)
SPEC = "ST000001-ST099999"


def _allocate(path: str, count: int) -> list[str]:
    register = CirculationRegister(StateDB(path), SPEC)
    out = []
    for k in range(count):
        out += [c.number for c in register.allocate([(f"PL-{k}", "CHD", None)], DAY, "op", "u")]
    return out


def test_threads_never_share_a_number(tmp_path):
    path = str(tmp_path / "station.sqlite")
    results: list[list[str]] = [[] for _ in range(6)]

    def work(i: int) -> None:
        results[i] = _allocate(path, 15)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [n for r in results for n in r]
    assert len(numbers) == 90 and len(set(numbers)) == 90
    assert sorted(numbers) == [f"ST{k:06d}" for k in range(1, 91)]  # contiguous, in range


def test_processes_never_share_a_number(tmp_path):
    path = str(tmp_path / "station.sqlite")
    CirculationRegister(StateDB(path), SPEC)   # schema created once before the race
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.starmap(_allocate, [(path, 10)] * 4)
    numbers = [n for r in results for n in r]
    assert len(set(numbers)) == 40
    register = CirculationRegister(StateDB(path), SPEC)
    assert register.remaining() == 99999 - 40
    assert register.find(numbers[0]) is not None


def test_a_reopened_register_continues(tmp_path):
    db = StateDB(tmp_path / "s.sqlite")
    first = CirculationRegister(db, SPEC).allocate([("A", "", None)], DAY, "", "u")
    again = CirculationRegister(StateDB(tmp_path / "s.sqlite"), SPEC).allocate(
        [("A", "", DAY)], DAY, "", "u")
    assert (first[0].number, again[0].number) == ("ST000001", "ST000002")
    assert CirculationRegister(db, SPEC).latest(["A"])["A"].expiry == DAY


def test_exhausted_range_says_so_and_gives_nothing(tmp_path):
    register = CirculationRegister(StateDB(tmp_path / "s.sqlite"), "ST000001-ST000002")
    with pytest.raises(RangeExhausted, match="épuisée"):
        register.allocate([("A", "", None)] * 3, DAY, "", "u")
    assert register.latest(["A"]) == {} and register.remaining() == 2


def test_bad_range_setting_is_refused(tmp_path):
    with pytest.raises(NumberingError, match="illisible"):
        CirculationRegister(StateDB(tmp_path / "s.sqlite"), "plateaux")
