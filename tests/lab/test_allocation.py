"""Lab numbers are never issued twice: interleavings, crashes, processes, restores."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcsauvegarde.station.lab.checkchar import is_valid
from pcsauvegarde.station.lab.register import LabError
from pcsauvegarde.station.state.highwater import HighWater, HighWaterError
from tests.support.lab import register


class Crash(Exception):
    """Stands for kill -9 at one point of an allocation."""


class CrashingHighWater(HighWater):
    """Writes the mark, then « dies » before the database commits (when armed)."""

    armed = False

    def advance(self, name: str, value: int) -> None:
        super().advance(name, value)
        if self.armed:
            raise Crash


def _copy(src: Path, dst: Path) -> None:
    """SQLite's online backup (what a backup tool of the station would take / put back)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


OPS = st.lists(st.one_of(
    st.tuples(st.just("alloc"), st.integers(0, 2), st.integers(1, 7)),
    st.tuples(st.just("crash"), st.integers(0, 2), st.integers(1, 7)),
    st.tuples(st.just("backup"), st.just(0), st.just(0)),
    st.tuples(st.just("restore"), st.just(0), st.just(0)),
), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_no_number_twice_across_interleavings_crashes_and_restores(tmp_path_factory, ops):
    folder = tmp_path_factory.mktemp("alloc")
    high_water = CrashingHighWater(folder / "hw" / "high-water.json")
    # Three workers, each with its own connections, as three processes of one station.
    workers = [register(folder, high_water=high_water) for _ in range(3)]
    backup = folder / "backup.sqlite"
    handed_out: list[str] = []
    for op, who, n in ops:
        reg = workers[who]
        if op == "alloc":
            handed_out += reg.allocate("blank", n, 1, "labo").numbers
        elif op == "crash":
            high_water.armed = True
            with pytest.raises(Crash):
                reg.allocate("blank", n, 1, "labo")
            high_water.armed = False
        elif op == "backup":
            _copy(folder / "station.sqlite", backup)
        elif backup.exists():
            _copy(backup, folder / "station.sqlite")
    assert len(handed_out) == len(set(handed_out))
    assert all(is_valid(n, "luhn") and len(n) == 8 for n in handed_out)
    fresh = workers[0].allocate("blank", 3, 1, "labo").numbers
    assert not set(fresh) & set(handed_out)


def test_restore_from_backup_goes_on_and_lists_the_forgotten_numbers(tmp_path):
    reg = register(tmp_path)
    reg.allocate("blank", 5, 2, "labo")
    _copy(tmp_path / "station.sqlite", tmp_path / "backup.sqlite")
    after_backup = reg.allocate("blank", 4, 2, "labo").numbers
    _copy(tmp_path / "backup.sqlite", tmp_path / "station.sqlite")   # restored: 4 forgotten
    again = register(tmp_path)
    assert again.remaining() == 99999 - 9
    fresh = again.allocate("blank", 2, 2, "labo").numbers
    assert not set(fresh) & set(after_backup)
    gaps = again.numbering.gaps(again.range.serial)
    assert [(g[0], g[1]) for g in gaps] == [("9500006", "9500009")]


def test_a_damaged_high_water_file_stops_allocation(tmp_path):
    reg = register(tmp_path)
    reg.allocate("blank", 1, 1, "labo")
    (tmp_path / "hw" / "high-water.json").write_text("{broken")
    with pytest.raises(HighWaterError, match="illisible"):
        reg.allocate("blank", 1, 1, "labo")


def test_more_than_remains_allocates_nothing_and_says_how_many_remain(tmp_path):
    reg = register(tmp_path, spec="9500001-9500150")
    reg.allocate("blank", 140, 1, "labo")
    with pytest.raises(LabError, match="il n'en reste que 10") as err:
        reg.allocate("blank", 11, 3, "labo")
    assert "Rien n'a été attribué" in str(err.value)
    assert reg.remaining() == 10 and len(reg.all()) == 140
    assert len(reg.allocate("blank", 10, 1, "labo").numbers) == 10


def test_tubes_beyond_the_suffix_are_refused(tmp_path):
    with pytest.raises(LabError, match="tubes par patient 100 hors limites"):
        register(tmp_path).allocate("blank", 1, 100, "labo")


def _allocate_in_process(folder: str, rounds: int, queue) -> None:
    reg = register(Path(folder))
    queue.put([n for _ in range(rounds) for n in reg.allocate("blank", 2, 1, "labo").numbers])


@pytest.mark.slow
def test_processes_never_share_a_lab_number(tmp_path):
    register(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_allocate_in_process, args=(str(tmp_path), 25, queue))
             for _ in range(4)]
    for p in procs:
        p.start()
    got = [n for _ in procs for n in queue.get(timeout=60)]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert len(got) == len(set(got)) == 200
    assert {e.number for e in register(tmp_path).all()} == set(got)


ALLOCATOR = """
import sys
from pathlib import Path
from tests.support.lab import register
reg = register(Path(sys.argv[1]))
while True:
    for number in reg.allocate("blank", 2, 1, "labo").numbers:
        sys.stdout.write(number + "\\n")
    sys.stdout.flush()
"""


@pytest.mark.slow
def test_kill_9_while_allocating_lab_numbers_never_reissues(tmp_path):
    handed_out: set[str] = set()
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", ALLOCATOR, str(tmp_path)],
                                stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(Path.cwd())})
        assert proc.stdout is not None
        for _ in range(30):
            handed_out.add(proc.stdout.readline().strip())
        os.kill(proc.pid, signal.SIGKILL)   # mid-loop: possibly between mark and commit
        proc.wait(timeout=10)
        handed_out.update(line.strip() for line in proc.stdout if line.strip())
        proc.stdout.close()
    reg = register(tmp_path)
    assert handed_out <= {e.number for e in reg.all()}
    fresh = reg.allocate("blank", 10, 1, "labo").numbers
    assert not set(fresh) & handed_out


def test_register_search_by_number_tube_ipp_of_any_case_and_document(tmp_path):
    reg = register(tmp_path)
    ipp = "b5c1e8a2-3d4f-4a6b-9c7d-1e2f3a4b5c6d"
    blank = reg.allocate("blank", 2, 3, "labo")
    mine = reg.allocate("patient", 1, 3, "labo", ipp=ipp)
    reg.set_document(mine.id, "STATION-DEMO-0000007")
    assert [e.number for e in reg.search(ipp)] == list(mine.numbers)
    assert [e.number for e in reg.search(mine.numbers[0] + "03")] == list(mine.numbers)
    assert [e.number for e in reg.search("station-demo-0000007")] == list(mine.numbers)
    assert [e.number for e in reg.search(blank.numbers[1][:7])] == list(blank.numbers[1:])
    assert reg.search("   ") == [] and reg.search("%") == []
