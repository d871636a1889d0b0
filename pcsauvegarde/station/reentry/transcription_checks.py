"""What a transcription form says, checked: errors refuse it, warnings ask for confirmation.

Pure functions: the form's values and what the station knows in, ``Line``s (transcription.py)
out, or TranscriptionInvalid with a French message per field. A warning names the paper item,
what was typed and what was expected, so the person confirming knows what they confirm.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pcsauvegarde.core.dates import parse_typed_date
from pcsauvegarde.core.records import MedicationOrder, Patient
from pcsauvegarde.station.documents.fmt import PARIS, format_local, to_local
from pcsauvegarde.station.reentry.transcription import Line, TranscriptionError
from pcsauvegarde.station.store.db import fold

Window = tuple[dt.datetime, dt.datetime | None]   # outage window: start, end (None: open)
LATE = dt.timedelta(hours=2)   # a dose given this far from its slot is pointed out
_TIME = re.compile(r"^([01]?\d|2[0-3])[:hH]([0-5]\d)$")
_QUANTITY = re.compile(r"^\d{1,6}$")
MAX_TEXT = 200


class TranscriptionInvalid(TranscriptionError):
    """Fields that cannot be kept as typed: ``errors`` maps a field to its French message."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__(" ; ".join(f"{k} : {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def text(value: object, limit: int = MAX_TEXT) -> str:
    """A typed value on one line, without control characters, cut to ``limit``."""
    cleaned = "".join(c for c in str(value or "") if c.isprintable())
    return " ".join(cleaned.split())[:limit]


def parse_when(value: str, day: dt.date | None = None) -> dt.datetime | None:
    """« JJ/MM/AAAA HH:MM », or « HH:MM » on ``day`` (Europe/Paris) → UTC; None if unreadable."""
    parts = text(value).split()
    date: dt.date | None
    if len(parts) == 1 and day is not None:
        date, time = day, parts[0]
    elif len(parts) == 2:
        date, time = parse_typed_date(parts[0]), parts[1]
    else:
        return None
    m = _TIME.match(time)
    if date is None or m is None:
        return None
    local = dt.datetime.combine(date, dt.time(int(m[1]), int(m[2])), PARIS)
    return local.astimezone(dt.UTC)


def window_warning(what: str, at: dt.datetime, window: Window | None) -> list[str]:
    """A warning when ``at`` lies outside the outage window."""
    if window is None:
        return []
    start, end = window
    if at < start or (end is not None and at > end):
        until = format_local(end) if end else "maintenant"
        return [f"{what} : {format_local(at)} hors de la période de panne "
                f"({format_local(start)} – {until})"]
    return []


def future_warning(what: str, at: dt.datetime, now: dt.datetime) -> list[str]:
    return [f"{what} : {format_local(at)} est dans le futur"] if at > now else []


def _same_dose(typed: str, ordered: str) -> bool:
    def norm(x: str) -> str:
        return re.sub(r"\s+", "", x.replace(",", ".").casefold())
    return norm(typed) == norm(ordered) or norm(typed).startswith(norm(ordered) + "x")


@dataclass(frozen=True)
class PlanContext:
    """The printed plan: its orders, window (start, end), when it was printed."""

    orders: Mapping[str, MedicationOrder]
    plan: tuple[dt.datetime, dt.datetime]
    outage: Window | None
    now: dt.datetime


def administration_line(row: Mapping[str, str], ctx: PlanContext) -> Line | None:
    """One box of the plan (order, slot) as written; None when left blank on paper."""
    given = text(row.get("given"), 3)
    if not given:
        return None
    order_id = text(row.get("order_id"), 64)
    slot = dt.datetime.fromisoformat(row["slot"]) if row.get("slot") else None
    order = ctx.orders.get(order_id)
    # The drug names the line for the person reading; an unknown order only has its id.
    where = (order.drug if order else f"prescription {order_id}") + (
        f", prise de {format_local(slot)}" if slot else "")
    errors: dict[str, str] = {}
    if given not in ("oui", "non"):
        errors["given"] = f"{where} : « donné » ou « non donné » attendu"
    day = to_local(slot).date() if slot else to_local(ctx.now).date()
    typed_at = text(row.get("at"), 20)
    at = parse_when(typed_at, day) if typed_at else slot
    # a dose not given has no actual time unless one was written: the checks below use the
    # planned slot, the line keeps « at » empty
    actual = at if typed_at or given == "oui" else None
    if typed_at and at is None:
        errors["at"] = f"{where} : heure « {typed_at} » illisible (HH:MM ou JJ/MM/AAAA HH:MM)"
    elif at is None:
        errors["at"] = f"{where} : heure réelle obligatoire (aucune prise prévue)"
    reason = text(row.get("reason"))
    initials = text(row.get("initials"), 12)
    dose = text(row.get("dose"), 40)
    if given == "non" and not reason:
        errors["reason"] = f"{where} : motif obligatoire quand le médicament n'est pas donné"
    if given == "oui" and not initials:
        errors["initials"] = f"{where} : initiales de l'infirmier(ère) obligatoires"
    if errors or at is None:
        raise TranscriptionInvalid(errors)
    warnings: list[str] = []
    if order is None:
        warnings.append(f"{where} : prescription inconnue du plan imprimé")
    else:
        ordered = " ".join(x for x in (order.dose, order.unit) if x)
        if given == "oui" and dose and not ordered:
            warnings.append(f"{where} : dose « {dose} » donnée, prescription sans dose écrite")
        elif given == "oui" and dose and not (_same_dose(dose, ordered)
                                              or _same_dose(dose, order.dose)):
            warnings.append(f"{where} : dose « {dose} » différente de la prescription "
                            f"« {ordered} »")
        if at < order.start or (order.end is not None and at >= order.end):
            warnings.append(f"{where} : {format_local(at)} hors de la période de la "
                            "prescription")
    if not ctx.plan[0] <= at < ctx.plan[1]:
        warnings.append(f"{where} : {format_local(at)} hors de la période du plan imprimé "
                        f"({format_local(ctx.plan[0])} – {format_local(ctx.plan[1])})")
    if slot is not None and abs(at - slot) > LATE:
        warnings.append(f"{where} : donnée à {format_local(at)}, plus de 2 h d'écart avec la "
                        "prise prévue")
    warnings += window_warning(where, at, ctx.outage)
    if actual is not None:   # a planned slot still ahead is no error for a dose not given
        warnings += future_warning(where, actual, ctx.now)
    key = f"{order_id}@{(slot or at).isoformat()}"
    data = {"order_id": order_id, "slot": slot.isoformat() if slot else "", "given": given == "oui",
            "reason": reason, "dose": dose or (
                " ".join(x for x in (order.dose, order.unit) if x) if order and given == "oui"
                else ""),
            "at": actual.isoformat() if actual else "", "initials": initials,
            "drug": order.drug if order else "", "code": order.code if order else ""}
    return Line(key, data, tuple(warnings))


def lab_line(number: str, label_ipp: str | None, issued_at: dt.datetime,
             row: Mapping[str, str], is_known_ipp: Callable[[str], bool],
             outage: Window | None, now: dt.datetime) -> Line:
    """A lab label: which patient it went on, when the sample was taken."""
    ipp = text(row.get("ipp"), 64)
    typed = text(row.get("collected_at"), 20)
    collected = parse_when(typed)
    errors = {}
    if not ipp:
        errors["ipp"] = f"étiquette {number} : IPP du patient obligatoire"
    if collected is None:
        errors["collected_at"] = (f"étiquette {number} : date et heure de prélèvement "
                                  f"« {typed} » illisibles (JJ/MM/AAAA HH:MM)")
    if errors or collected is None:
        raise TranscriptionInvalid(errors)
    what = f"étiquette {number}"
    warnings = []
    if not is_known_ipp(ipp):
        warnings.append(f"{what} : IPP {ipp} inconnu des données du poste")
    if label_ipp and label_ipp != ipp:
        warnings.append(f"{what} : imprimée pour l'IPP {label_ipp}, ressaisie pour {ipp}")
    if collected < issued_at - dt.timedelta(minutes=5):
        warnings.append(f"{what} : prélèvement le {format_local(collected)}, avant l'émission "
                        f"de l'étiquette ({format_local(issued_at)})")
    warnings += window_warning(f"{what}, prélèvement", collected, outage)
    warnings += future_warning(f"{what}, prélèvement", collected, now)
    return Line("", {"ipp": ipp, "collected_at": collected.isoformat()}, tuple(warnings))


@dataclass(frozen=True)
class TrayContext:
    """What the station knows of a tray circulation number and the cycle typed for it."""

    tray: str
    recomposed_on: dt.date
    expiry: dt.date | None
    cycle_trays: tuple[str, ...] | None   # trays of the named cycle; None: cycle not typed here


def tray_line(number: str, ctx: TrayContext, row: Mapping[str, str],
              is_known_ipp: Callable[[str], bool], outage: Window | None,
              now: dt.datetime) -> Line:
    """A tray used on a patient: circulation number ↔ sterilisation cycle ↔ patient."""
    cycle = text(row.get("cycle"), 64)
    ipp = text(row.get("ipp"), 64)
    typed = text(row.get("used_at"), 20)
    used = parse_when(typed)
    what = f"plateau {number}"
    errors = {}
    if not cycle:
        errors["cycle"] = f"{what} : n° de cycle de stérilisation obligatoire"
    if not ipp:
        errors["ipp"] = f"{what} : IPP du patient obligatoire"
    if used is None:
        errors["used_at"] = (f"{what} : date et heure d'utilisation « {typed} » illisibles "
                             "(JJ/MM/AAAA HH:MM)")
    if errors or used is None:
        raise TranscriptionInvalid(errors)
    warnings = []
    if ctx.cycle_trays is None:
        warnings.append(f"{what} : cycle {cycle} non saisi sur ce poste")
    elif ctx.tray not in ctx.cycle_trays:
        warnings.append(f"{what} : le plateau {ctx.tray} ne figure pas dans le cycle {cycle}")
    if not is_known_ipp(ipp):
        warnings.append(f"{what} : IPP {ipp} inconnu des données du poste")
    day = to_local(used).date()
    if day < ctx.recomposed_on:
        warnings.append(f"{what} : utilisé avant sa recomposition du "
                        f"{ctx.recomposed_on:%d/%m/%Y}")
    if ctx.expiry is not None and day > ctx.expiry:
        warnings.append(f"{what} : utilisé après sa date de péremption "
                        f"({ctx.expiry:%d/%m/%Y})")
    warnings += window_warning(f"{what}, utilisation", used, outage)
    warnings += future_warning(f"{what}, utilisation", used, now)
    return Line("", {"tray": ctx.tray, "cycle": cycle, "ipp": ipp, "used_at": used.isoformat()},
                tuple(warnings))


def merge_line(provisional: Patient, real_ipp: str, real: Patient | None,
               is_provisional: Callable[[str], bool]) -> Line:
    """The merge of a provisional identity into the patient index's real IPP."""
    ipp = text(real_ipp, 64)
    what = f"identité provisoire {provisional.id}"
    if not ipp:
        raise TranscriptionInvalid({"real_ipp": f"{what} : IPP définitif obligatoire"})
    if ipp == provisional.id or is_provisional(ipp):
        raise TranscriptionInvalid({"real_ipp": f"{what} : {ipp} est un IPP provisoire, pas "
                                                "l'IPP définitif de l'hôpital"})
    warnings = []
    if real is None:
        warnings.append(f"{what} : IPP {ipp} inconnu des données du poste (index patient "
                        "pas encore rechargé ?)")
    else:
        if fold(real.birth_name) != fold(provisional.birth_name):
            warnings.append(f"{what} : nom de naissance « {provisional.birth_name} » ≠ "
                            f"« {real.birth_name} » pour l'IPP {ipp}")
        if real.birth_date != provisional.birth_date:
            warnings.append(f"{what} : né(e) le {provisional.birth_date:%d/%m/%Y} ≠ "
                            f"{real.birth_date:%d/%m/%Y} pour l'IPP {ipp}")
        if real.sex != provisional.sex:
            warnings.append(f"{what} : sexe {provisional.sex} ≠ {real.sex} pour l'IPP {ipp}")
    return Line("", {"real_ipp": ipp}, tuple(warnings))


def pharmacy_line(number: str, row: Mapping[str, str], expected: Mapping[str, int | None],
                  labels: Mapping[str, str]) -> Line | None:
    """A product delivered or ordered on a dotation or order form; None when left blank.

    ``expected``: the document's products (dotation quantity, or None on an order form);
    ``labels``: the pharmacy catalogue (product code → label).
    """
    product = text(row.get("product_id"), 64)
    typed = text(row.get("quantity"), 10)
    if not typed:
        return None
    what = f"document {number}, produit {product or '?'}"
    if not product:
        raise TranscriptionInvalid({"product_id": f"{what} : code produit obligatoire"})
    if not _QUANTITY.match(typed):
        raise TranscriptionInvalid({"quantity": f"{what} : quantité « {typed} » invalide "
                                                "(nombre entier positif)"})
    quantity = int(typed)
    warnings = []
    if product not in labels:
        warnings.append(f"{what} : produit absent du catalogue de la pharmacie")
    if product not in expected:
        warnings.append(f"{what} : produit absent du document imprimé")
    elif (dotation := expected[product]) and quantity > 3 * dotation:
        warnings.append(f"{what} : {quantity} livré(s), plus de 3 fois la dotation "
                        f"({dotation})")
    return Line(product, {"product_id": product, "label": labels.get(product, ""),
                          "quantity": quantity, "note": text(row.get("note"))},
                tuple(warnings))
