"""Admin: synchronisation status — sources and runs, quarantine, freeze switch, keys, disk."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from pcsauvegarde.station import keys
from pcsauvegarde.station.web.access import current_station, requires

bp = Blueprint("admin_sync", __name__, url_prefix="/admin/synchro")
log = logging.getLogger("pcsauvegarde.station.web")


@bp.route("/")
@requires("admin")
def index():
    from pcsauvegarde.station.sync.actions import read_actions
    from pcsauvegarde.station.sync.freeze import freeze_state
    from pcsauvegarde.station.sync.notkept import NotKeptTally, describe
    from pcsauvegarde.station.sync.pull import disk_free_mb
    from pcsauvegarde.station.sync.quarantine import list_entries

    station = current_station()
    settings = station.settings
    sources = [(s, [{**r, "not_kept": describe(NotKeptTally.from_json(r["not_kept"]),
                                               settings.discharged_retention_days)}
                    for r in station.store.pull_runs(s.id, 5)]) for s in settings.sources]
    free = disk_free_mb(settings)
    return render_template("admin_sync_index.html", sources=sources,
                           quarantine=list_entries(settings), freeze=freeze_state(settings),
                           disk_free=free, disk_low=free < settings.min_free_mb,
                           restart_needed=station.restart_needed,
                           fingerprints=keys.fingerprints(settings),
                           actions=read_actions(settings, 10))


@bp.route("/gel", methods=["POST"])
@requires("admin")
def freeze():
    from pcsauvegarde.station.sync.freeze import set_frozen

    on = request.form.get("action") == "on"
    set_frozen(current_station().settings, on, g.user.login, request.form.get("reason", "")[:200])
    flash("Tirages suspendus : les données actuelles sont conservées." if on
          else "Tirages repris.", "info")
    return redirect(url_for("admin_sync.index"))


@bp.route("/quarantaine/<entry_id>")
@requires("admin")
def quarantine_entry(entry_id: str):
    from pcsauvegarde.station.sync.quarantine import (
        QuarantineError,
        get_entry,
        inspect,
        rollback_of,
    )

    station = current_station()
    settings = station.settings
    try:
        entry = get_entry(settings, entry_id)
    except QuarantineError:
        abort(404)
    station_keys = keys.load_station_keys(settings)
    rollback = (rollback_of(settings, station.store, entry, station_keys)
                if entry.overridable else None)
    return render_template("admin_sync_quarantine.html", entry=entry, rollback=rollback,
                           info=inspect(settings, entry, station_keys))


@bp.route("/quarantaine/<entry_id>/accepter", methods=["POST"])
@requires("admin")
def quarantine_accept(entry_id: str):
    from pcsauvegarde.station.sync.quarantine import QuarantineError, force_accept

    station = current_station()
    try:
        outcome = force_accept(station.settings, station.store, entry_id,
                               keys.load_station_keys(station.settings), g.user.login,
                               request.form.get("domain", "")[:80])
    except QuarantineError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin_sync.quarantine_entry", entry_id=entry_id))
    flash(f"Paquet « {outcome.file} » accepté de force (séquence {outcome.sequence}) ; "
          "action journalisée.", "info")
    if outcome.not_kept:
        flash(f"Attention : {outcome.message}", "error")
    return redirect(url_for("admin_sync.index"))


@bp.route("/quarantaine/<entry_id>/ecarter", methods=["POST"])
@requires("admin")
def quarantine_dismiss(entry_id: str):
    """Close an entry with the admin's reason (journalled; the file stays in quarantine)."""
    from pcsauvegarde.station.sync.quarantine import QuarantineError
    from pcsauvegarde.station.sync.quarantine_review import dismiss

    try:
        entry = dismiss(current_station().settings, entry_id, g.user.login,
                        request.form.get("motif", "")[:300])
    except QuarantineError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin_sync.quarantine_entry", entry_id=entry_id))
    flash(f"Paquet « {entry.file} » écarté (motif : {entry.dismissed}) ; action journalisée.",
          "info")
    return redirect(url_for("admin_sync.index"))
