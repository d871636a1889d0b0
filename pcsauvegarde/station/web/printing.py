"""Printing area: printer status in every page header, the list of failed jobs, « Réessayer »."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from pcsauvegarde.station.documents import fmt
from pcsauvegarde.station.issuing import send
from pcsauvegarde.station.printing.retry import PrintOutcome
from pcsauvegarde.station.state.accounts import ROLES
from pcsauvegarde.station.web.access import CLINICAL, current_station, requires
from pcsauvegarde.station.web.scope import may_open_number

bp = Blueprint("printing", __name__)
log = logging.getLogger("pcsauvegarde.station.web")
PRINTING_ROLES = ROLES   # every role prints something


def send_to_printer(number: str, pdf: bytes) -> PrintOutcome:
    """Send a document; say on screen what happened; a failure stays on the retry list."""
    outcome = send.send_document(current_station(), number, pdf, g.user.login)
    _flash(outcome)
    return outcome


def flash_outcome(outcome: PrintOutcome) -> None:
    """Say on screen what happened to a print (for views that send documents themselves)."""
    _flash(outcome)


def outcome_message(outcome: PrintOutcome) -> str:
    """What the screen says after a print attempt (French)."""
    if outcome.ok:
        now = fmt.format_local(dt.datetime.now(dt.UTC))
        return f"Document {outcome.number} envoyé à l'imprimante le {now}."
    return (f"Échec de l'impression de {outcome.number} : {outcome.error}. Le travail reste "
            "dans la liste « Impressions en échec » pour être réessayé ; en attendant, "
            "utilisez l'aperçu du navigateur pour imprimer.")


def _flash(outcome: PrintOutcome) -> None:
    flash(outcome_message(outcome), "info" if outcome.ok else "error")
    if outcome.ok:
        log.info("printed %s as %s", outcome.number, outcome.job)
    else:
        log.warning("print of %s failed", outcome.number)


@bp.app_context_processor
def _printer_globals():
    """Printer status and failed-job count for the header of every page (logged-in users)."""
    if g.get("user") is None:
        return {}
    station = current_station()
    return {"printer_status": station.printer.status(),
            "failed_prints": len(send.print_queue(station).failed(_visible))}


@bp.route("/impressions")
@requires(*PRINTING_ROLES)
def jobs():
    return render_template("printing.html",
                           jobs=send.print_queue(current_station()).failed(_visible),
                           printer=current_station().printer.status())


@bp.route("/impressions/<int:job_id>/reessayer", methods=["POST"])
@requires(*PRINTING_ROLES)
def retry(job_id: int):
    _visible_job(job_id)
    outcome = send.retry(current_station(), job_id, g.user.login)
    if outcome is None:
        abort(404)
    _flash(outcome)
    return redirect(url_for("printing.jobs"))


@bp.route("/impressions/tout-reessayer", methods=["POST"])
@requires(*PRINTING_ROLES)
def retry_all():
    for outcome in send.retry_all(current_station(), g.user.login, _visible):
        _flash(outcome)
    return redirect(url_for("printing.jobs"))


@bp.route("/impressions/<int:job_id>/retirer", methods=["POST"])
@requires(*PRINTING_ROLES)
def set_aside(job_id: int):
    _visible_job(job_id)
    if not send.print_queue(current_station()).set_aside(job_id):
        abort(404)
    flash("Travail retiré de la liste (imprimé autrement).", "info")
    return redirect(url_for("printing.jobs"))


def _visible_job(job_id: int) -> None:
    """Another unit's job answers like a missing one: the list is scoped, so are its actions."""
    number = send.print_queue(current_station()).failed_number(job_id)
    if number is None or not _visible(number):
        abort(404)


def _visible(number: str) -> bool:
    """A failed job is the document's: same roles and same unit as opening that document."""
    return bool(set(CLINICAL) & set(g.user.roles)) and may_open_number(number)
