"""French words of OR facts (status, side, ASA), one place for screens and paper (pure)."""

from __future__ import annotations

from pcsauvegarde.core.records import SurgeryCase

STATUS_WORDS = {"planned": "programmée", "in_progress": "en cours", "done": "terminée",
                "cancelled": "annulée", "postponed": "reportée"}
SIDE_WORDS = {"left": "côté gauche", "right": "côté droit", "bilateral": "bilatéral"}
ASA_WORDS = {"1": "ASA 1 — patient en bonne santé", "2": "ASA 2 — maladie systémique légère",
             "3": "ASA 3 — maladie systémique sévère",
             "4": "ASA 4 — maladie systémique menaçant le pronostic vital",
             "5": "ASA 5 — patient moribond", "6": "ASA 6 — donneur d'organes"}
SHOWN_STATUSES = ("planned", "in_progress", "done", "postponed", "cancelled")


def status_text(case: SurgeryCase) -> str:
    """« programmée », « annulée »…; a status the source spells its own way is shown as is."""
    return STATUS_WORDS.get(case.status, case.status or "programmée")


def procedure_text(case: SurgeryCase) -> str:
    """The procedure with its side when the schedule gives one (« PTH — côté gauche »)."""
    side = SIDE_WORDS.get(case.side, "")
    return f"{case.procedure} — {side}" if side else case.procedure
