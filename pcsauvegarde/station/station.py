"""The station's objects, built once from its settings and passed explicitly."""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field

from pcsauvegarde.core.fsutil import make_private, private_dir
from pcsauvegarde.station.printing import Printer, PrinterStatus, make_printer
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.state.accounts import Accounts
from pcsauvegarde.station.state.audit import ACTOR, Audit
from pcsauvegarde.station.state.audit_anchor import AuditAnchor
from pcsauvegarde.station.state.journal import Journal
from pcsauvegarde.station.state.sessions import Sessions
from pcsauvegarde.station.state.statedb import StateDB
from pcsauvegarde.station.store import Store


@dataclass
class Station:
    settings: Settings
    store: Store
    state: StateDB
    accounts: Accounts
    journal: Journal
    printer: Printer
    audit: Audit
    """``station.audit.record(actor, action, target, details)``: the hash-chained journal."""
    sessions: Sessions
    """Server-side web sessions and break-glass grants."""
    render_pool: Executor | None = None
    """PDF worker processes (``issuing.start_render_pool``); None renders in-thread."""
    render_lock: threading.Lock = field(default_factory=threading.Lock)
    """In-thread renders take turns: fpdf2's font state is not thread-safe (soak, issue 11)."""
    config_digest: str = ""
    """station.toml's digest when these objects were built from it."""

    @property
    def restart_needed(self) -> bool:
        """station.toml changed since start-up: the running station still uses the old one."""
        return self.settings.config_digest() != self.config_digest


class AuditedPrinter:
    """Any printer, with every job sent journalled (actor: the current request's user)."""

    def __init__(self, printer: Printer, audit: Audit):
        self.inner = printer
        self.audit = audit
        self.name = printer.name

    def status(self) -> PrinterStatus:
        return self.inner.status()

    def print_pdf(self, data: bytes, title: str) -> str:
        job = self.inner.print_pdf(data, title)
        self.audit.record(ACTOR.get(), "document.printed", title,
                          {"printer": self.name, "job": job, "bytes": len(data)})
        return job

    def __getattr__(self, name: str):  # printer-specific extras (queues, CUPS jobs…)
        return getattr(self.inner, name)


def open_audit(settings: Settings, state: StateDB | None = None) -> Audit:
    """The audit journal, its heads signed with the station's heartbeat key."""
    from pcsauvegarde.station.keys import ensure_signing_key, signing_key

    def secret():
        ensure_signing_key(settings)
        return signing_key(settings)

    anchor = AuditAnchor(settings.audit_heads_path, settings.station_id, secret)
    return Audit(state or StateDB(settings.state_path), anchor)


def _exercise_running(conn) -> bool:
    from pcsauvegarde.station.exercise import running_in

    return running_in(conn)


def open_station(settings: Settings) -> Station:
    private_dir(settings.data_dir)
    make_private(settings.data_dir)  # an install made under a loose umask: tighten it once
    state = StateDB(settings.state_path)
    audit = open_audit(settings, state)
    return Station(settings, Store(settings.store_path), state, Accounts(state),
                   Journal(state, settings.station_id, audit, _exercise_running,
                           settings.exercise_number_prefix),
                   AuditedPrinter(make_printer(settings.printer, settings.printed_dir,
                                               settings.cups_server), audit),
                   audit, Sessions(state), config_digest=settings.config_digest())
