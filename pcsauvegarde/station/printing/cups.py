"""A CUPS queue, driven with the ``lp`` and ``lpstat`` commands (Debian cups-client).

Why the commands and not pycups: nothing to compile on the station (pycups needs libcups2-dev
and a compiler), the same calls an administrator types to diagnose, and the C locale makes their
output stable to parse. ``server`` (a host:port or a socket path) is passed as CUPS_SERVER.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable

from pcsauvegarde.station.printing import PrintError, PrinterStatus

QUEUE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,126}$")
_REQUEST_ID = re.compile(r"request id is (\S+)")
_ALERTS = re.compile(r"^\s*Alerts:\s*(.*)$", re.MULTILINE)
# printer-state-reasons (RFC 8011 keywords, without -error/-warning/-report) → French.
REASONS = {
    "media-empty": "plus de papier", "media-needed": "plus de papier",
    "media-jam": "bourrage papier", "toner-empty": "plus de toner",
    "marker-supply-empty": "plus d'encre ou de toner", "door-open": "capot ouvert",
    "cover-open": "capot ouvert", "offline": "hors ligne",
    "connecting-to-device": "connexion à l'imprimante impossible",
    "input-tray-missing": "bac à papier absent", "output-area-full": "bac de sortie plein",
    "toner-low": "toner bas", "media-low": "papier bas", "marker-supply-low": "encre basse",
}
STATUS_TTL = 3.0   # seconds: the header shows the status on every page; lpstat costs ~10 ms

Runner = Callable[..., subprocess.CompletedProcess]


class CupsPrinter:
    """One CUPS queue: status from ``lpstat``, jobs sent with ``lp``."""

    def __init__(self, queue: str, server: str = "", timeout: float = 20.0,
                 runner: Runner = subprocess.run):
        if not QUEUE_NAME.match(queue):
            raise PrintError(f"nom de file d'impression CUPS « {queue} » invalide")
        self.queue = queue
        self.server = server
        self.timeout = timeout
        self.name = f"cups:{queue}"
        self._run = runner
        self._cached: tuple[float, PrinterStatus] | None = None

    # ---- Printer interface ----------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """Ready, paused, stopped, out of paper, refusing jobs… (cached a few seconds)."""
        now = time.monotonic()
        if self._cached and now - self._cached[0] < STATUS_TTL:
            return self._cached[1]
        status = self._status()
        self._cached = (now, status)
        return status

    def print_pdf(self, data: bytes, title: str) -> str:
        """Queue the PDF; refuse (PrintError) when the queue is not ready rather than let the job
        wait unseen in a paused queue and come out later, after it was printed another way."""
        status = self._status()
        self._cached = (time.monotonic(), status)
        if not status.ready:
            raise PrintError(f"imprimante {self.queue} : {status.label}")
        out = self._call(["lp", "-d", self.queue, "-t", title[:100],
                          "-o", "document-format=application/pdf"], data)
        if out.returncode != 0:
            raise PrintError(f"imprimante {self.queue} : travail refusé ({_first_line(out)})")
        m = _REQUEST_ID.search(out.stdout)
        return m.group(1) if m else "?"

    # ---- internals --------------------------------------------------------------------------

    def _status(self) -> PrinterStatus:
        try:
            printer = self._call(["lpstat", "-l", "-p", self.queue])
            accepting = self._call(["lpstat", "-a", self.queue])
        except PrintError as exc:
            return PrinterStatus(False, str(exc))
        if printer.returncode != 0:
            err = _first_line(printer)
            if "Invalid destination" in err or "Unknown destination" in err:
                return PrinterStatus(False, f"file d'impression « {self.queue} » introuvable")
            return PrinterStatus(False, f"service d'impression CUPS injoignable ({err})")
        return parse_status(printer.stdout, accepting.stdout)

    def _call(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        if self.server:
            env["CUPS_SERVER"] = self.server
        try:
            out = self._run(args, input=data, capture_output=True, timeout=self.timeout, env=env)
        except FileNotFoundError:
            raise PrintError(f"commande « {args[0]} » introuvable (paquet cups-client)") from None
        except subprocess.TimeoutExpired:
            raise PrintError(f"service d'impression CUPS muet après {self.timeout:g} s") from None
        return subprocess.CompletedProcess(out.args, out.returncode, _text(out.stdout),
                                           _text(out.stderr))


def parse_status(lpstat_p: str, lpstat_a: str) -> PrinterStatus:
    """French status from ``lpstat -l -p Q`` and ``lpstat -a Q`` output (C locale)."""
    first = lpstat_p.strip().splitlines()[0] if lpstat_p.strip() else ""
    m = _ALERTS.search(lpstat_p)
    reasons = [r for r in (m.group(1).split() if m else []) if r != "none"]
    problems: list[str] = []
    warnings: list[str] = []
    for reason in reasons:
        key = re.sub(r"-(error|warning|report)$", "", reason)
        label = REASONS.get(key)
        if key == "paused" or label is None:
            continue
        (warnings if reason.endswith(("-warning", "-report")) else problems).append(label)
    if " disabled " in f" {first} ":
        if problems:
            return PrinterStatus(False, "arrêtée : " + ", ".join(problems))
        if "paused" in reasons:
            return PrinterStatus(False, "en pause")
        return PrinterStatus(False, "arrêtée")
    if problems:
        return PrinterStatus(False, ", ".join(problems))
    if "not accepting" in lpstat_a:
        return PrinterStatus(False, "refuse les travaux (file d'attente fermée)")
    busy = "en cours d'impression" if "now printing" in first else "prête"
    return PrinterStatus(True, busy + (f" ({', '.join(warnings)})" if warnings else ""))


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value or ""


def _first_line(out: subprocess.CompletedProcess) -> str:
    text = (out.stderr or out.stdout or "").strip()
    return text.splitlines()[0][:200] if text else f"code {out.returncode}"
