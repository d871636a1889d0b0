"""Reserved number ranges: contiguous, never reissued, safe across threads, processes, kill -9."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pcsauvegarde.station.state.numbering import (
    Numbering,
    NumberingError,
    RangeExhausted,
    parse_range,
)
from pcsauvegarde.station.state.statedb import StateDB

RANGE = parse_range("ipp-provisoire", "90000001-90999999")


def test_parse_range_keeps_width_and_prefix():
    r = parse_range("lab", "P0000100-P0000199")
    assert (r.prefix, r.first, r.last, r.width, r.size) == ("P", 100, 199, 8, 100)
    assert r.format(100) == "P0000100"
    assert RANGE.format(RANGE.first) == "90000001" and RANGE.width == 8


@pytest.mark.parametrize("spec, words", [
    ("9000-900000", ["même longueur"]),
    ("90000009-90000001", ["début après la fin"]),
    ("abc", ["illisible"]),
    ("A001-B999", ["même préfixe"]),
])
def test_bad_ranges_are_refused_in_french(spec, words):
    with pytest.raises(NumberingError) as exc:
        parse_range("x", spec)
    for w in words:
        assert w in str(exc.value)


def test_allocate_is_contiguous_and_counts_down(tmp_path):
    numbering = Numbering(StateDB(tmp_path / "station.sqlite"))
    assert numbering.remaining(RANGE) == 999_999
    assert numbering.allocate(RANGE) == ["90000001"]
    assert numbering.allocate(RANGE, 3, purpose="test") == ["90000002", "90000003", "90000004"]
    assert numbering.remaining(RANGE) == 999_995
    assert [r["number"] for r in numbering.issued(RANGE)][-1] == "90000004"


def test_exhausted_range_says_so_and_gives_nothing(tmp_path):
    numbering = Numbering(StateDB(tmp_path / "station.sqlite"))
    small = parse_range("petite", "0001-0003")
    assert numbering.allocate(small, 2) == ["0001", "0002"]
    with pytest.raises(RangeExhausted) as exc:
        numbering.allocate(small, 2)
    assert "épuisée" in str(exc.value) and "1 numéro(s) disponible(s) sur 2" in str(exc.value)
    assert numbering.allocate(small) == ["0003"]   # the failed request consumed nothing
    assert numbering.remaining(small) == 0


def test_reconfigured_range_never_reissues(tmp_path):
    numbering = Numbering(StateDB(tmp_path / "station.sqlite"))
    numbering.allocate(parse_range("r", "100-105"), 3)                 # 100, 101, 102
    lowered = parse_range("r", "090-199")
    assert numbering.allocate(lowered) == ["103"]                       # never goes back
    other_name = parse_range("r2", "101-110")                           # overlaps by mistake
    assert numbering.allocate(other_name, 2) == ["104", "105"]          # issued ones skipped


def test_threads_never_share_a_number(tmp_path):
    numbering = Numbering(StateDB(tmp_path / "station.sqlite"))
    got: list[str] = []
    lock = threading.Lock()

    def work():
        for _ in range(25):
            n = numbering.allocate(RANGE)
            with lock:
                got.extend(n)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == len(set(got)) == 200
    assert sorted(got) == [RANGE.format(RANGE.first + i) for i in range(200)]


def _allocate_in_process(path: str, count: int, queue) -> None:
    numbering = Numbering(StateDB(Path(path)))
    queue.put([numbering.allocate(RANGE)[0] for _ in range(count)])


@pytest.mark.slow
def test_processes_never_share_a_number(tmp_path):
    path = tmp_path / "station.sqlite"
    Numbering(StateDB(path))
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_allocate_in_process, args=(str(path), 50, queue))
             for _ in range(4)]
    for p in procs:
        p.start()
    got = [n for _ in procs for n in queue.get(timeout=60)]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert len(got) == len(set(got)) == 200
    assert sorted(got) == [RANGE.format(RANGE.first + i) for i in range(200)]


ALLOCATOR = """
import sys
from pathlib import Path
from pcsauvegarde.station.state.numbering import Numbering, parse_range
from pcsauvegarde.station.state.statedb import StateDB
numbering = Numbering(StateDB(Path(sys.argv[1])))
rng = parse_range("ipp-provisoire", "90000001-90999999")
while True:
    for number in numbering.allocate(rng, 2):
        sys.stdout.write(number + "\\n")
    sys.stdout.flush()
"""


def test_kill_9_while_allocating_never_reissues(tmp_path):
    path = tmp_path / "station.sqlite"
    handed_out: set[str] = set()
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", ALLOCATOR, str(path)],
                                stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(Path.cwd())})
        for _ in range(40):
            handed_out.add(proc.stdout.readline().strip())
        os.kill(proc.pid, signal.SIGKILL)   # mid-loop: possibly inside a transaction
        proc.wait(timeout=10)
        handed_out.update(line.strip() for line in proc.stdout if line.strip())
        proc.stdout.close()
    numbering = Numbering(StateDB(path))
    registered = {r["number"] for r in numbering.issued(RANGE)}
    assert handed_out <= registered              # every number a caller saw is on the register
    fresh = numbering.allocate(RANGE, 10)
    assert not set(fresh) & registered           # and none is handed out again
    with StateDB(path).connect() as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
