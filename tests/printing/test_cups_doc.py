"""docs/imprimante-cups.md runs as written, against the private CUPS (a file device stands in
for the USB printer), and the station then prints to the queue it created."""

from __future__ import annotations

import time

import pytest

from tests.support.docs_runner import run_page


@pytest.mark.slow
def test_cups_guide_creates_a_queue_the_station_uses(cups_spooler, tmp_path):
    out = cups_spooler.out / "doc-usb.pdf"
    result = run_page("imprimante-cups.md", tmp_path, {
        "CUPS_SERVER": cups_spooler.socket, "URI_IMPRIMANTE": f"file://{out}"})
    assert result.returncode == 0, result.stdout[-4000:]
    assert "PCSAUVEGARDE" in result.stdout and "Tirages actifs." in result.stdout
    r = cups_spooler.run("lpstat", "-p", "PCSAUVEGARDE", "-d")
    assert "enabled" in r.stdout and "system default destination: PCSAUVEGARDE" in r.stdout
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and b"%PDF-" not in (out.read_bytes() if out.exists()
                                                           else b""):
        time.sleep(0.2)
    assert b"%PDF-" in out.read_bytes()  # the test page went through the queue
    settings = next(tmp_path.glob("tmp*/station/station.toml")).read_text(encoding="utf-8")
    assert settings.startswith('printer = "cups:PCSAUVEGARDE"')
