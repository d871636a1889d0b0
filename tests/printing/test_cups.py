"""The CUPS printer against a real private spooler: status in French, jobs, retry list."""

from __future__ import annotations

import itertools
import subprocess
import time

import pytest

from pcsauvegarde.station.printing import FilePrinter, PrintError, make_printer
from pcsauvegarde.station.printing.cups import CupsPrinter, parse_status
from pcsauvegarde.station.printing.retry import PrintQueue
from pcsauvegarde.station.state.statedb import StateDB


def _tiny_pdf() -> bytes:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="test")
    return bytes(pdf.output())


PDF = _tiny_pdf()
_names = itertools.count(1)


@pytest.fixture
def queue(cups_spooler):
    name = f"PCS{next(_names)}"
    target = cups_spooler.add_queue(name)
    return name, target


def _wait_for_pdf(path, timeout=10.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and b"%PDF-" in path.read_bytes():
            return path.read_bytes()
        time.sleep(0.05)
    raise AssertionError(f"nothing printed to {path}")


def test_ready_queue_prints_the_pdf(cups_spooler, queue):
    name, target = queue
    printer = make_printer(f"cups:{name}", cups_spooler.root, cups_spooler.socket)
    assert printer.status().ready and printer.status().label == "prête"
    job = printer.print_pdf(PDF, "ST-0000001")
    assert job.startswith(f"{name}-")
    assert b"%PDF-" in _wait_for_pdf(target)


def test_paused_queue_says_en_pause_and_job_goes_to_retry_list(cups_spooler, queue, tmp_path):
    name, target = queue
    printer = CupsPrinter(name, server=cups_spooler.socket)
    assert cups_spooler.run("cupsdisable", name).returncode == 0
    status = CupsPrinter(name, server=cups_spooler.socket).status()
    assert (status.ready, status.label) == (False, "en pause")
    jobs = PrintQueue(StateDB(tmp_path / "station.sqlite"), printer)
    outcome = jobs.send("ST-0000042", PDF, "infirmiere")
    assert not outcome.ok and "en pause" in outcome.error
    outcome = jobs.send("ST-0000042", PDF, "infirmiere")          # second failure, same row
    [failed] = jobs.failed()
    assert (failed.number, failed.attempts) == ("ST-0000042", 2)
    assert cups_spooler.run("cupsenable", name).returncode == 0
    printer._cached = None
    outcome = jobs.retry(failed.id, lambda number: PDF, "infirmiere")
    assert outcome.ok and jobs.failed() == []
    assert b"%PDF-" in _wait_for_pdf(target)


def test_rejecting_and_unknown_queues(cups_spooler, queue):
    name, _ = queue
    cups_spooler.run("cupsreject", name)
    status = CupsPrinter(name, server=cups_spooler.socket).status()
    assert not status.ready and "refuse les travaux" in status.label
    with pytest.raises(PrintError, match="refuse les travaux"):
        CupsPrinter(name, server=cups_spooler.socket).print_pdf(PDF, "X")
    missing = CupsPrinter("NEXISTEPAS", server=cups_spooler.socket).status()
    assert not missing.ready and "introuvable" in missing.label


A_OK = "Q accepting requests since Fri Nov 27 04:47:45 2026\n"


@pytest.mark.parametrize("lpstat_p, lpstat_a, ready, label", [
    ("printer Q is idle.  enabled since x\n\tAlerts: none\n", A_OK, True, "prête"),
    ("printer Q now printing Q-3.  enabled since x\n\tAlerts: none\n", A_OK, True,
     "en cours d'impression"),
    ("printer Q is idle.  enabled since x\n\tAlerts: media-empty-error\n", A_OK, False,
     "plus de papier"),
    ("printer Q disabled since x -\n\tPaused\n\tAlerts: paused\n", A_OK, False, "en pause"),
    ("printer Q disabled since x -\n\tBackend failed\n\tAlerts: none\n", A_OK, False, "arrêtée"),
    ("printer Q disabled since x -\n\tAlerts: media-jam-error\n", A_OK, False,
     "arrêtée : bourrage papier"),
    ("printer Q is idle.  enabled since x\n\tAlerts: toner-low-warning\n", A_OK, True,
     "prête (toner bas)"),
    ("printer Q is idle.  enabled since x\n\tAlerts: none\n",
     "Q not accepting requests since x -\n\tRejecting Jobs\n", False,
     "refuse les travaux (file d'attente fermée)"),
])
def test_status_parsing(lpstat_p, lpstat_a, ready, label):
    status = parse_status(lpstat_p, lpstat_a)
    assert (status.ready, status.label) == (ready, label)


def test_missing_lp_command_is_a_french_error():
    def runner(*a, **k):
        raise FileNotFoundError
    status = CupsPrinter("Q", runner=runner).status()
    assert not status.ready and "cups-client" in status.label

    def slow(*a, **k):
        raise subprocess.TimeoutExpired("lp", 1)
    with pytest.raises(PrintError, match="muet"):
        CupsPrinter("Q", runner=slow, timeout=1).print_pdf(PDF, "X")


def test_bad_queue_names_and_specs_are_refused(tmp_path):
    with pytest.raises(PrintError):
        CupsPrinter("-h evil")
    with pytest.raises(PrintError, match="non prise en charge"):
        make_printer("lpt1", tmp_path)


def test_file_printer_failure_goes_to_retry_list(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    jobs = PrintQueue(StateDB(tmp_path / "station.sqlite"), FilePrinter(blocker / "printed"))
    assert not jobs.printer.status().ready
    outcome = jobs.send("ST-0000007", PDF, "infirmiere")
    assert not outcome.ok and jobs.count_failed() == 1
    jobs.printer = FilePrinter(tmp_path / "printed")
    [out] = jobs.retry_all(lambda n: PDF, "infirmiere")
    assert out.ok and jobs.count_failed() == 0
    assert len(list((tmp_path / "printed").glob("*.pdf"))) == 1
