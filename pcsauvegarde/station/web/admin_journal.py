"""The audit journal for the admin: browse with filters, paginate, verify, export CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from pcsauvegarde.core.text import CSV_BOM
from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.state.audit import ACTIONS, csv_rows
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, parse_day, parse_page

bp = Blueprint("admin_journal", __name__, url_prefix="/admin")
PER_PAGE = 50


def _filters() -> dict:
    """The journal filters from the query string, cleaned; days are local (Paris) days."""
    action = clean_text(request.args.get("action"), 64)
    since, until = parse_day(request.args.get("du")), parse_day(request.args.get("au"))
    return {"actor": clean_text(request.args.get("utilisateur"), 64),
            "action": action if action in ACTIONS else "",
            "since": _start_of(since), "until": _start_of(until, 1),
            "du": since.isoformat() if since else "", "au": until.isoformat() if until else ""}


def _start_of(day: dt.date | None, plus_days: int = 0) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time(), PARIS)


def _query(f: dict) -> dict:
    return {k: v for k, v in (("utilisateur", f["actor"]), ("action", f["action"]),
                              ("du", f["du"]), ("au", f["au"])) if v}


@bp.route("/journal")
@requires("admin")
def journal():
    f = _filters()
    page = parse_page(request.args.get("page"))
    entries, total = current_station().audit.search(f["actor"], f["action"], f["since"], f["until"],
                                             PER_PAGE, (page - 1) * PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("admin_journal.html", entries=entries, total=total, page=page,
                           pages=pages, f=f, query=_query(f), actions=ACTIONS,
                           actors=current_station().audit.actors())


@bp.route("/journal.csv")
@requires("admin")
def journal_csv():
    f = _filters()
    station = current_station()
    station.audit.record(g.user.login, "audit.exported", "journal", _query(f))
    entries = station.audit.iter_entries(f["actor"], f["action"], f["since"], f["until"])

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        buffer.write(CSV_BOM)  # spreadsheets then read UTF-8 accents correctly
        for row in csv_rows(entries):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    stamp = dt.datetime.now(PARIS).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="journal-audit-{stamp}.csv"'})


@bp.route("/journal/verification", methods=["POST"])
@requires("admin")
def verify():
    result = current_station().audit.verify()
    if result.ok:
        flash(f"Journal d'audit intègre : {result.entries} entrées vérifiées.", "info")
    else:
        flash(f"JOURNAL D'AUDIT ALTÉRÉ à l'entrée n° {result.broken_seq} : {result.reason}.",
              "error")
    return redirect(url_for("admin_journal.journal"))
