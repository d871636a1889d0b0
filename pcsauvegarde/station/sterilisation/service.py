"""Sterilisation papers from the station's data: build each document's data, then issue it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pcsauvegarde.core.records import SterilisationCycle, SurgeryCase
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import or_traceability, tray_labels, tray_list
from pcsauvegarde.station.documents.fmt import format_date, format_local, to_local
from pcsauvegarde.station.documents.tray_load import KIND_OF as LOAD_KIND
from pcsauvegarde.station.documents.tray_transfer import KIND_OF as TRANSFER_KIND
from pcsauvegarde.station.issuing.issue import Issued
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.sterilisation import catalogue as cat
from pcsauvegarde.station.sterilisation.circulation import CirculationRegister
from pcsauvegarde.station.sterilisation.entries import CycleEntries, CycleEntry
from pcsauvegarde.station.sterilisation.issuing import issue
from pcsauvegarde.station.sterilisation.papers import (
    LoadForm,
    OrSheet,
    TransferNote,
    TrayLabel,
    TrayLabels,
    TrayLists,
)

MAX_TRAYS = 500   # one request; a whole sterilisation catalogue prints in a few jobs


class SterilisationError(ValueError):
    """A request that cannot be printed as asked (French message)."""


def register(station: Station) -> CirculationRegister:
    from pcsauvegarde.station.exercise import numbers_prefix

    return CirculationRegister(station.state, station.settings.sterilisation_circulation_range,
                               HighWater(station.settings.high_water_path),
                               numbers_prefix(station))


def catalogue(station: Station) -> cat.Catalogue:
    return cat.load_catalogue(station.store)


def local_day(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of the Paris day holding ``now``."""
    local = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = (local + dt.timedelta(days=1, hours=2)).replace(hour=0)  # DST-safe next midnight
    return local.astimezone(dt.UTC), end.astimezone(dt.UTC)


def or_day(station: Station, now: dt.datetime) -> list[SurgeryCase]:
    """The day's OR schedule (empty when the data holds no OR schedule for today)."""
    return cat.or_schedule(station.store, *local_day(now))


def _codes(codes: list[str]) -> list[str]:
    seen = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if len(seen) > MAX_TRAYS:
        raise SterilisationError(f"{len(seen)} plateaux demandés : {MAX_TRAYS} au plus par "
                                 "impression")
    return seen


def _unit(cards) -> str | None:
    """The one unit of the trays (journalled, for unit scoping), or None when several."""
    units = {card.unit for card in cards if card.unit}
    return units.pop() if len(units) == 1 else None


def issue_tray_lists(station: Station, codes: list[str], user: str, *,
                     recomposed_on: dt.date, operator: str = "", heading: str = "",
                     now: dt.datetime | None = None) -> Issued:
    """Composition / recomposition lists of ``codes`` (unknown codes printed as gaps)."""
    c = catalogue(station)
    cards = tuple(c.card(code, recomposed_on) for code in _codes(codes))
    data = TrayLists(cards, recomposed_on, operator, heading, c.extracted_at)
    return issue(station, tray_list.KIND, data, user, unit=_unit(cards), now=now)


def issue_tray_labels(station: Station, codes: list[str], user: str, *,
                      recomposed_on: dt.date, operator: str = "", stock: str = "sheet",
                      now: dt.datetime | None = None) -> Issued:
    """One label per tray, each with a new circulation number (given before printing)."""
    if stock not in tray_labels.STOCKS:
        raise SterilisationError(f"format d'étiquette « {stock} » inconnu")
    c = catalogue(station)
    cards = [c.card(code, recomposed_on) for code in _codes(codes)]
    missing = [card.code for card in cards if card.tray is None]
    if missing:  # a label for a tray that does not exist would circulate a false identity
        raise SterilisationError("plateau(x) absent(s) du catalogue : " + ", ".join(missing)
                                 + " : aucune étiquette imprimée")
    if not cards:
        raise SterilisationError("choisissez au moins un plateau")
    given = register(station).allocate([(k.code, k.unit, k.expiry) for k in cards],
                                       recomposed_on, operator, user, now=now)
    data = TrayLabels(tuple(TrayLabel(k, g) for k, g in zip(cards, given, strict=True)),
                      stock, c.extracted_at)
    return issue(station, tray_labels.KIND, data, user, unit=_unit(cards), now=now)


def entries(station: Station) -> CycleEntries:
    return CycleEntries(station.state)


def record_cycle(station: Station, entry: CycleEntry, user: str,
                 now: dt.datetime | None = None) -> tuple[CycleEntry, Issued]:
    """Keep a cycle typed on screen, then issue its load form (journalled) as its paper copy."""
    now = now or dt.datetime.now(dt.UTC)
    register_ = entries(station)
    kept = register_.add(entry, user, now)
    station.audit.record(user, "sterilisation.cycle_entered", f"{kept.equipment} "
                         f"{kept.cycle_number}", {"kind": kept.kind, "found": len(kept.trays)},
                         now=now)
    form = load_form(station, kept.kind, [], cycle=kept.as_cycle(), operator=kept.operator,
                     now=now)
    form = replace(form, decision=kept.decision,
                   entered=f"Saisi à l'écran le {format_local(now)} par {user} (saisie "
                           f"n° {kept.id}) : à ressaisir dans le logiciel de stérilisation.")
    issued = issue_load_form(station, form, user, now=now)
    register_.set_document(kept.id, issued.document.number)
    return replace(kept, document=issued.document.number), issued


def load_form(station: Station, kind: str, codes: list[str], *, equipment: str = "",
              cycle: SterilisationCycle | None = None, operator: str = "",
              now: dt.datetime | None = None) -> LoadForm:
    """A washer or autoclave form: of ``codes`` (or of a recorded ``cycle``), else blank."""
    c = catalogue(station)
    # Expiry counts from the cycle's day for a recorded cycle, from today for a new load.
    today = to_local(cycle.at if cycle else now or dt.datetime.now(dt.UTC)).date()
    if cycle is not None:
        codes = list(cycle.tray_ids) + codes
    cards = tuple(c.card(code, today) for code in _codes(codes))
    problems = []
    if cycle is not None and not cycle.tray_ids:
        problems.append(f"cycle {cycle.sterilizer} n° {cycle.cycle_number} sans plateau dans "
                        "les données : lister la charge à la main")
    code = cycle.sterilizer if cycle else equipment
    named = c.equipment.get(code)
    if code and named is None:
        problems.append(f"équipement « {code} » absent de la liste des laveurs et "
                        "stérilisateurs")
    shown = f"{named.name} ({code})" if named else code
    circ = register(station).latest([k.code for k in cards])
    return LoadForm(kind, cards, {k: v.number for k, v in circ.items()}, shown,
                    cycle.cycle_number if cycle else "", cycle.lot if cycle else "",
                    cycle.at if cycle else None, cycle.program if cycle else "",
                    operator, tuple(problems), c.extracted_at)


def issue_load_form(station: Station, form: LoadForm, user: str,
                    now: dt.datetime | None = None) -> Issued:
    if form.kind not in LOAD_KIND:
        raise SterilisationError(f"type de charge « {form.kind} » inconnu")
    return issue(station, LOAD_KIND[form.kind], form, user,
                 unit=_unit(form.cards), now=now)


def issue_transfer(station: Station, kind: str, unit: str, codes: list[str], user: str,
                   now: dt.datetime | None = None) -> Issued:
    """Reception form (trays back from ``unit``) or delivery note (trays to it)."""
    if kind not in TRANSFER_KIND:
        raise SterilisationError(f"type de bon « {kind} » inconnu")
    c = catalogue(station)
    today = to_local(now or dt.datetime.now(dt.UTC)).date()
    cards = tuple(c.card(code, today) for code in _codes(codes))
    circ = register(station).latest([k.code for k in cards])
    # A delivered tray's expiry is the one printed on its label, not one computed today.
    cards = tuple(_with_label_expiry(k, circ.get(k.code)) for k in cards)
    data = TransferNote(kind, unit, c.units.get(unit, unit), cards,
                        {k: v.number for k, v in circ.items()}, c.extracted_at)
    return issue(station, TRANSFER_KIND[kind], data, user, unit=unit or _unit(cards),
                 now=now)


def _with_label_expiry(card: cat.TrayCard, circ) -> cat.TrayCard:
    """The expiry printed on the tray's last label; none (to copy from it) without a label."""
    return replace(card, expiry=circ.expiry if circ is not None else None)


def issue_or_sheet(station: Station, case_id: str, codes: list[str], user: str,
                   now: dt.datetime | None = None) -> Issued:
    """The patient traceability sheet of one intervention, pre-filled with its trays."""
    now = now or dt.datetime.now(dt.UTC)
    case = cat.surgery_case(station.store, case_id)
    if case is None:
        raise SterilisationError(f"intervention « {case_id} » absente du programme opératoire")
    c = catalogue(station)
    cards = tuple(c.card(code, to_local(now).date())
                  for code in _codes([*case.tray_ids, *codes]))
    circ = register(station).latest([k.code for k in cards])
    typed = [e.as_cycle() for e in entries(station).recent(500) if e.kind == "autoclave"]
    cycles = {k.code: cy for k in cards if (cy := last_cycle(c, typed, k.code)) is not None}
    file = patients.patient_file(station, case.ipp, now=now)
    extracted = {**c.extracted_at, **(file.extracted_at if file else {})}
    data = OrSheet(case, file, cards, {k: v.number for k, v in circ.items()}, cycles,
                   extracted)
    unit = file.stay.unit if file and file.stay else None
    return issue(station, or_traceability.KIND, data, user, ipp=case.ipp, unit=unit, now=now)


def last_cycle(c: cat.Catalogue, typed: list[SterilisationCycle],
               code: str) -> SterilisationCycle | None:
    """The latest autoclave cycle of ``code``: from the snapshot or typed on this station."""
    held = [cy for cy in typed if code in cy.tray_ids]
    known = c.last_cycle(code)
    return max([*held, *([known] if known else [])], key=lambda cy: cy.at, default=None)


def or_heading(now: dt.datetime) -> str:
    return f"Programme opératoire du {format_date(to_local(now).date())}"
