"""Printers: an interface the UI talks to, a CUPS printer, a file printer (demo, tests)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pcsauvegarde.core.fsutil import atomic_write, os_reason, private_dir


class PrintError(Exception):
    """A print job that could not be sent (French message)."""


@dataclass(frozen=True)
class PrinterStatus:
    ready: bool
    label: str  # French, shown on screen: « prête », « en pause », « plus de papier »…


class Printer(Protocol):
    """What the UI needs from a printer."""

    name: str

    def status(self) -> PrinterStatus: ...

    def print_pdf(self, data: bytes, title: str) -> str:
        """Send one PDF; return a job id. MUST raise PrintError when it cannot."""
        ...


class FilePrinter:
    """Writes every job as a PDF file in a folder (the demo's and the tests' printer)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.name = f"fichier:{self.folder}"

    def status(self) -> PrinterStatus:
        try:
            private_dir(self.folder)
        except OSError as exc:
            return PrinterStatus(False, f"dossier d'impression inaccessible ({os_reason(exc)})")
        return PrinterStatus(True, "prête (impression dans un dossier)")

    def print_pdf(self, data: bytes, title: str) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", title)[:60]
        path = self.folder / f"{stamp}-{safe}.pdf"
        try:
            atomic_write(path, data, mode=0o600)
        except OSError as exc:
            raise PrintError(f"impression impossible dans « {self.folder} » : {exc}") from None
        return path.name


def make_printer(spec: str, printed_dir: Path, cups_server: str = "") -> Printer:
    """The printer named in the settings: ``file`` (into ``printed_dir``) or ``cups:QUEUE``."""
    if spec == "file":
        return FilePrinter(printed_dir)
    if spec.startswith("cups:"):
        from pcsauvegarde.station.printing.cups import CupsPrinter
        return CupsPrinter(spec.removeprefix("cups:"), server=cups_server)
    raise PrintError(f"imprimante « {spec} » non prise en charge (file ou cups:FILE_D_ATTENTE)")
