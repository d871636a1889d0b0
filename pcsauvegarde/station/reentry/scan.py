"""What a scanned (or typed) code is: an item of the worklist, a group of them, or why not.

A barcode scanner types like a keyboard then Enter. A value may be a page code of a document
(``NUMBER/PAGE``), a document number, a lab label number with or without its tube suffix, a
tray circulation number or a provisional IPP. A number never issued, issued by another
station, issued outside the window, or garbage MUST each get its own French message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pcsauvegarde.core.numberrange import NumberingError, NumberRange, parse_range
from pcsauvegarde.station import exercise, patients
from pcsauvegarde.station.documents.base import parse_page_code
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.reentry.outage import Window
from pcsauvegarde.station.reentry.worklist import CONTAINERS, Item
from pcsauvegarde.station.station import Station

MAX_SCAN = 100
_PRINTABLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$")
_DOCUMENT = re.compile(r"^(?P<prefix>[A-Z0-9][A-Z0-9-]*)-(?P<seq>\d{7})$")


@dataclass(frozen=True)
class ScanResult:
    """``items``: what the code designates (one: open or mark it); ``message``: French."""

    code: str
    items: tuple[Item, ...] = ()
    message: str = ""
    group: str = ""   # the document holding several items (bundle, label sheet)

    @property
    def found(self) -> bool:
        return bool(self.items)


def resolve(station: Station, window: Window, every: Sequence[Item], visible: Sequence[Item],
            value: str) -> ScanResult:
    """Resolve ``value`` among ``every`` item of the window (``visible``: the user's)."""
    code = "".join(value.split())
    if not code:
        return ScanResult("", message="aucun code lu : scannez ou tapez un numéro puis Entrée")
    shown = code[:40]
    if len(code) > MAX_SCAN or not _PRINTABLE.match(code):
        return ScanResult(shown, message=f"code illisible « {shown} » : ce n'est pas un numéro "
                                         "émis par un poste de sauvegarde (rescannez-le)")
    number, page = parse_page_code(code)
    key = number.upper()
    where = f" (page {page})" if page else ""
    hit = _match(every, key, station)
    if hit is not None:
        if hit.key in {i.key for i in visible}:
            return ScanResult(key, (hit,), f"{hit.title} {hit.number}{where}")
        return ScanResult(key, message=f"{key} est hors de votre liste de ressaisie (autre "
                                       "unité ou autre domaine) : à traiter par son service")
    group = tuple(i for i in visible if i.document == key)
    if group:
        return ScanResult(key, group, f"{key}{where} regroupe {len(group)} élément(s) : "
                                      "marquez-les ci-dessous ou scannez-les un par un", key)
    if any(i.document == key for i in every):
        return ScanResult(key, message=f"{key} regroupe des éléments hors de votre liste de "
                                       "ressaisie (autre unité ou autre domaine)")
    mine = tuple(i for i in visible if i.ipp.upper() == key)
    if mine:   # a wristband or patient label: that patient's paper
        return ScanResult(key, mine, f"patient IPP {key} : {len(mine)} élément(s) émis pendant "
                                     "la période", key)
    return ScanResult(key, message=_why_not(station, window, key))


def _match(every: Sequence[Item], key: str, station: Station) -> Item | None:
    by_number = {i.number.upper(): i for i in every}
    if key in by_number:
        return by_number[key]
    digits = station.settings.lab_tube_suffix_digits
    if digits and len(key) > digits and key[-digits:].isdigit():
        found = by_number.get(key[:-digits])
        if found is not None and found.item_kind == "lab_label":
            return found
    return None


def _why_not(station: Station, window: Window, key: str) -> str:
    """The French reason a code is not an item of the window."""
    doc = station.journal.get(key)
    if doc is not None:
        when = format_local(_utc(doc["issued_at"]))
        if doc["kind"] == "tray_labels":
            return (f"{key} est une planche d'étiquettes de plateaux émise le {when} : scannez "
                    "le numéro de circulation de chaque plateau")
        if exercise.is_exercise_document(station, key) and not window.is_exercise:
            return f"{key} a été émis le {when} pendant un exercice de crise : rien à ressaisir"
        if doc["kind"] in CONTAINERS or window.contains(_utc(doc["issued_at"])):
            return f"{key} (émis le {when}) n'est pas un document à ressaisir"
        return f"{key} a été émis le {when}, hors de la fenêtre « {window.title} »"
    known = _known_number(station, key)
    if known:
        return f"{key} ({known}) a été émis hors de la fenêtre « {window.title} »"
    m = _DOCUMENT.match(key)
    if m is not None:
        if m["prefix"] != station.journal.prefix:
            return (f"{key} a été émis par un autre poste (préfixe {m['prefix']}, ce poste : "
                    f"{station.journal.prefix}) : à ressaisir sur ce poste-là")
        return f"{key} n'a jamais été émis par ce poste (numéro de document inconnu du journal)"
    ranges = _ranges(station)
    for label, rng in ranges:
        if rng.contains(key) or _lab_with_suffix(station, rng, key):
            return f"{key} : {label} de la plage de ce poste, jamais émis"
    for label, rng in ranges:
        if (rng.prefix and key.startswith(rng.prefix) and len(key) == rng.width) or (
                not rng.prefix and key.isdigit() and _lab_with_suffix(station, rng, key, True)):
            return f"{key} : {label} hors de la plage de ce poste : émis par un autre poste"
    if key.isdigit():
        return (f"{key} : numéro hors des plages de ce poste (étiquettes, plateaux, IPP "
                "provisoires) : émis par un autre poste ou par le système de l'hôpital")
    return (f"code inconnu « {key} » : ni un document, ni une étiquette de laboratoire, ni un "
            "plateau, ni une identité provisoire de ce poste")


def _utc(value: str):
    from pcsauvegarde.core.records import parse_utc
    return parse_utc(value)


def _known_number(station: Station, key: str) -> str:
    """What a label number, tray number or provisional IPP issued by this station is."""
    with station.state.connect() as conn:
        for table, what in (("lab_label", "étiquette de laboratoire"),
                            ("tray_circulation", "étiquette de plateau")):
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                               (table,)).fetchone()
            if has and conn.execute(f"SELECT 1 FROM {table} WHERE number=?",  # noqa: S608 - table name from the fixed tuple above
                                    (key,)).fetchone():
                return what
    if patients.admissions_of(station).get(key) is not None:
        return "identité provisoire"
    return ""


def _ranges(station: Station) -> list[tuple[str, NumberRange]]:
    s = station.settings
    out = []
    if s.lab_range:
        from pcsauvegarde.station.settings import lab_range_of
        try:
            out.append(("numéro de laboratoire", lab_range_of(s).serial))
        except NumberingError:
            pass   # a misconfigured range is the doctor's to report, not the scanner's
    for label, name, spec in (
            ("numéro de circulation de plateau", "sterilisation_circulation_range",
             s.sterilisation_circulation_range),
            ("IPP provisoire", "provisional_ipp_range", s.provisional_ipp_range)):
        try:
            out.append((label, parse_range(name, spec)))
        except NumberingError:
            pass
    return out


def _lab_with_suffix(station: Station, serial: NumberRange, key: str,
                     shape_only: bool = False) -> bool:
    """Whether ``key`` is a lab number of ``serial`` with its check and/or tube suffix
    (``shape_only``: of the lab numbers' length, in the range or not)."""
    s = station.settings
    if serial.name != "labo":
        return False
    from pcsauvegarde.station.settings import lab_range_of
    rng = lab_range_of(s)
    for length in (rng.length, rng.length + s.lab_tube_suffix_digits):
        if len(key) == length and (shape_only or serial.contains(key[:serial.width])):
            return True
    return False
