"""Template filters: record codes in the French words the paper uses (no English code shown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from pcsauvegarde.core.records import Allergy
from pcsauvegarde.station.documents import allergies, fmt, identity
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.identity import format_ins
from pcsauvegarde.station.documents.patient_summary import (
    CONDITION_STATUS,
    HIDDEN_STATUS,
    LAB_WINDOW_HOURS,
)
from pcsauvegarde.station.lab import bloodbank
from pcsauvegarde.station.settings import TRANSPORT_LABELS
from pcsauvegarde.station.theatre.words import procedure_text, status_text
from pcsauvegarde.station.web.access import current_station


def shown(records: Iterable[Any]) -> list[Any]:
    """Conditions minus those the source says were wrong (refuted, in error)."""
    return [r for r in records if r.status not in HIDDEN_STATUS]


def condition_status(code: str) -> str:
    """« résolu », « en rémission »…; nothing for an active one."""
    return "" if code in ("", "active") else CONDITION_STATUS.get(code, code)


def _identity_texts():
    """The identity band's texts, from the hospital's templates when it has its own."""
    return identity.load(current_station().settings.print_templates_path)


def allergy_details(a: Allergy) -> str:
    """« urticaire, réaction sévère, criticité élevée, non confirmée »: the paper's words
    (documents.allergies), after the substance."""
    return ", ".join(allergies.details(a, _identity_texts()))


def allergy_state(records: Iterable[Allergy]) -> allergies.AllergyState:
    """A patient's allergies as paper sorts them: real ones first, or what is known absent."""
    return allergies.allergy_state(records)


def allergy_absence(state: allergies.AllergyState) -> str:
    """« Aucune allergie connue » (the record says so) or « Allergies : non renseignées … »."""
    return allergies.absence_text(state, _identity_texts())


def printer_name(spec: str) -> str:
    """The printer setting in words: « dossier d'impression (démonstration) », « file CUPS X »."""
    if spec.startswith("cups:"):
        return f"file CUPS « {spec.removeprefix('cups:')} »"
    return "dossier d'impression (démonstration)" if spec == "file" else spec


PACKAGE_KINDS = {"full": "complet", "delta": "différentiel"}
# Keys of the audit journal's details, in the admin's words (unknown keys are shown as they are).
DETAIL_LABELS = {"found": "trouvés", "page": "page", "unit": "service", "reason": "motif",
                 "locked": "compte verrouillé", "printer": "imprimante", "job": "travail",
                 "bytes": "octets", "roles": "rôles", "units": "services", "before": "avant",
                 "sessions_closed": "sessions fermées", "kind": "document", "ipp": "IPP",
                 "snapshot": "données", "path": "adresse", "file": "fichier",
                 "quarantine_id": "quarantaine", "outcome": "résultat", "message": "message",
                 "utilisateur": "utilisateur", "action": "action", "du": "du", "au": "au",
                 "form": "formulaire"}
WORDS = {True: "oui", False: "non", "accepted": "accepté", "quarantined": "en quarantaine",
         "rejected": "refusé", "*": "tous", "patients.patient": "dossier du patient"}


def transport(kind: str) -> str:
    return TRANSPORT_LABELS.get(kind, kind)


def package_kind(kind: str) -> str:
    return PACKAGE_KINDS.get(kind, kind)


def every(seconds: int) -> str:
    """« toutes les 30 s », « toutes les minutes », « toutes les 5 min »."""
    if seconds % 60:
        return f"toutes les {seconds} s"
    return "toutes les minutes" if seconds == 60 else f"toutes les {seconds // 60} min"


def megabytes(mb: float) -> str:
    """« 77 Go », « 7,5 Go », « 850 Mo » (a disk's free space as people say it)."""
    if mb < 1000:
        return f"{round(mb)} Mo"
    go = mb / 1024
    return f"{fmt.format_number(round(go, 1) if go < 10 else round(go))} Go"


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return " ; ".join(f"{DETAIL_LABELS.get(k, k)} : {_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, bool) or value in WORDS:
        return WORDS[value]
    return str(value)


def audit_details(details: dict) -> list[tuple[str, str]]:
    """An audit entry's details as (label, value) pairs, in words (never raw JSON)."""
    if not isinstance(details, dict):
        return [("", str(details))]
    from pcsauvegarde.station.issuing.preview import title_of
    special: dict[str, Callable[[str], str]] = {
        "kind": title_of, "snapshot": snapshots, "form": lambda f: title_of("form", f)}
    return [(DETAIL_LABELS.get(k, k), special[k](v) if k in special and isinstance(v, str)
             else _value(v)) for k, v in details.items() if v not in ("", None)]


def snapshots(label: str) -> str:
    """« dpi:12,lab:7 » → « Dossier patient n° 12, Laboratoire n° 7 »."""
    from pcsauvegarde.station.freshness import DOMAIN_LABELS
    parts = [p.partition(":") for p in label.split(",") if p]
    return ", ".join(f"{DOMAIN_LABELS.get(d, d)} n° {n}" for d, _, n in parts)


def iso_day(value: str) -> str:
    """« 2026-11-27 » → « 27/11/2026 » (a date filter shown the French way, any browser)."""
    try:
        return fmt.format_date(dt.date.fromisoformat(value)) if value else ""
    except ValueError:
        return value


def lab_window_start(file: PatientFile) -> dt.datetime:
    """Where the recent lab window starts: LAB_WINDOW_HOURS before the lab extract, as on the
    summary; results before it are the last known values, shown flagged as old."""
    anchor = file.extracted_at.get("lab") or dt.datetime.now(dt.UTC)
    return anchor - dt.timedelta(hours=LAB_WINDOW_HOURS)


def blood_lines(file: PatientFile) -> list[tuple[str, str, bool]]:
    """(label, text, alarm) lines of the patient's immuno-haematology, in the paper's words
    (station/lab/bloodbank.py reads them; the RAI validity is judged now)."""
    status = bloodbank.blood_status(file.blood_typings, file.transfusions)
    rai = status.rai
    out = [("Groupe ABO-RhD", bloodbank.group_text(status),
            not status.known or bool(status.discordance))]
    if status.known:
        out.append(("Phénotype", bloodbank.phenotype_text(status), False))
    out.append(("RAI", bloodbank.rai_text(status),
                rai is None or status.rai_expired or rai.screen == "positive"))
    if status.requirements:
        out.append(("Exigences", " ; ".join(bloodbank.requirement_text(f)
                                             for f in status.requirements), True))
    if status.given:
        out.append(("Transfusions", " ; ".join(bloodbank.transfusion_text(f)
                                                for f in status.given[:3]), False))
    return out


def sex_label(code: str) -> str:
    return fmt.SEX_LABELS.get(code, code)


FILTERS = {"format_ins": format_ins, "condition_status": condition_status,
           "allergy_details": allergy_details, "shown": shown,
           "decimal_commas": fmt.decimal_commas, "format_time": fmt.format_time,
           "lab_flag": fmt.format_lab_flag, "printer_name": printer_name,
           "transport": transport, "every": every, "package_kind": package_kind,
           "megabytes": megabytes, "audit_details": audit_details, "iso_day": iso_day,
           "sex_label": sex_label, "allergy_state": allergy_state,
           "allergy_absence": allergy_absence, "or_procedure": procedure_text,
           "or_status": status_text}
TESTS = {"anaphylaxis": allergies.is_anaphylaxis}
GLOBALS = {"LAB_FLAG_LEGEND": fmt.LAB_FLAG_LEGEND, "LAB_WINDOW_HOURS": LAB_WINDOW_HOURS,
           "lab_window_start": lab_window_start, "blood_lines": blood_lines}
