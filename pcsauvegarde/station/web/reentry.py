"""Re-entry after the outage: the worklist, the scan field, an item's page, outage windows."""

from __future__ import annotations

import datetime as dt
import logging

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.reentry import outage, report, scan, status, transcription, worklist
from pcsauvegarde.station.reentry.outage import OutageError, Window
from pcsauvegarde.station.reentry.status import StatusError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text, url_id

bp = Blueprint("reentry", __name__, url_prefix="/ressaisie")
log = logging.getLogger("pcsauvegarde.station.web")
REENTRY_ROLES = tuple(worklist.ROLE_DOMAINS)
SCAN_ACTIONS = {"ouvrir": "ouvrir l'élément", status.REENTERED: "marquer « ressaisi »",
                status.VERIFIED: "marquer « vérifié »"}
MAX_ROWS = 500


def _windows() -> list[Window]:
    station = current_station()
    return outage.outages(station) + outage.exercise_windows(station)


def _window() -> Window | None:
    key = clean_text(request.values.get("fenetre"), 40)
    station = current_station()
    found = (outage.find(station, key) if key else None) or outage.latest(station)
    return found or next(iter(outage.exercise_windows(station)), None)


def _back(window: Window | None, **args):
    return redirect(url_for("reentry.worklist", fenetre=window.key if window else None, **args))


@bp.route("", endpoint="worklist")
@requires(*REENTRY_ROLES)
def worklist_page():
    window = _window()
    if window is None:
        return render_template("reentry.html", window=None, windows=[], items=[], shown=[],
                               by_domain=[], by_unit=[], filters={}, actions=SCAN_ACTIONS,
                               action="ouvrir", max_rows=MAX_ROWS)
    every = worklist.visible(current_station(), window, g.user)
    filters = {"domaine": clean_text(request.args.get("domaine"), 40),
               "unite": clean_text(request.args.get("unite"), 64),
               "statut": clean_text(request.args.get("statut"), 20),
               "q": clean_text(request.args.get("q"), worklist.MAX_TEXT)}
    shown = worklist.filtered(every, filters["domaine"], filters["unite"], filters["statut"],
                              filters["q"])
    action = request.args.get("action", "ouvrir")
    return render_template(
        "reentry.html", window=window, windows=_windows(), items=every, shown=shown,
        by_domain=worklist.progress(every, "domain"), by_unit=worklist.progress(every, "unit"),
        filters=filters, domains=worklist.DOMAINS, statuses=status.STATUSES,
        units=sorted({i.unit for i in every if i.unit}), actions=SCAN_ACTIONS,
        action=action if action in SCAN_ACTIONS else "ouvrir", max_rows=MAX_ROWS)


@bp.route("/scan", methods=["POST"])
@requires(*REENTRY_ROLES)
def scan_code():
    """A scanner's Enter: open the item, or mark it at once when the scan action says so."""
    window = _window()
    action = request.form.get("action", "ouvrir")
    action = action if action in SCAN_ACTIONS else "ouvrir"
    if window is None:
        flash("Aucune panne déclarée : rien à ressaisir.", "error")
        return _back(None)
    station = current_station()
    every = worklist.items(station, window)
    domains = worklist.domains_of(g.user)
    seen = [i for i in every if worklist.may_see(g.user, i, domains)]
    found = scan.resolve(station, window, every, seen, request.form.get("code", "")[:400])
    if not found.found:
        flash(f"Scan : {found.message}.", "error")
        return _back(window, action=action)
    if found.group:
        flash(f"Scan : {found.message}.", "info")
        return _back(window, q=found.group, action=action)
    item = found.items[0]
    if action == "ouvrir":
        return redirect(url_for("reentry.item", item_kind=item.item_kind,
                                item_number=item.number, fenetre=window.key))
    try:
        done = _mark(item, action)
    except StatusError as exc:
        flash(f"Scan : {exc}.", "error")
        return redirect(url_for("reentry.item", item_kind=item.item_kind,
                                item_number=item.number, fenetre=window.key))
    flash(f"{item.title} {item.number} : {done.label}.", "info")
    return _back(window, action=action)


@bp.route("/element/<item_kind>/<item_number>", methods=["GET", "POST"])
@requires(*REENTRY_ROLES)
def item(item_kind: str, item_number: str):
    window = _window()
    item_number = url_id(item_number)
    station = current_station()
    found = [i for i in (worklist.visible(station, window, g.user) if window else [])
             if i.key == (item_kind, item_number)]
    if window is None or not found:   # unknown, or outside the user's list: said alike
        flash(f"{item_number[:40]} n'est pas dans votre liste de ressaisie.", "error")
        return _back(window)
    it = found[0]
    if request.method == "POST":
        wanted = request.form.get("status", "")[:20]
        try:
            done = _mark(it, wanted, clean_text(request.form.get("reason"), status.MAX_REASON))
        except StatusError as exc:
            flash(f"Non enregistré : {exc}.", "error")
            return redirect(url_for("reentry.item", item_kind=item_kind,
                                    item_number=item_number, fenetre=window.key))
        flash(f"{it.title} {it.number} : {done.label}.", "info")
        return _back(window)
    return render_template("reentry_item.html", window=window, item=it, paper=_paper_url(it),
                           history=status.history(station, it.item_kind, it.number),
                           next_statuses=status.TRANSITIONS[it.status.status],
                           statuses=status.STATUSES)


@bp.route("/lot", methods=["POST"])
@requires(*REENTRY_ROLES)
def mark_shown():
    """Mark every listed item (a bundle's documents, a sheet's labels) at once; each refused
    item is counted and named, never skipped in silence."""
    window = _window()
    if window is None:
        flash("Aucune panne déclarée : rien à ressaisir.", "error")
        return _back(None)
    station = current_station()
    wanted = request.form.get("status", "")[:20]
    reason = clean_text(request.form.get("reason"), status.MAX_REASON)
    keys = {tuple(k.split(":", 1)) for k in request.form.getlist("item")[:MAX_ROWS] if ":" in k}
    chosen = [i for i in worklist.visible(station, window, g.user) if i.key in keys]
    done, refused = 0, []
    for it in chosen:
        try:
            _mark(it, wanted, reason)
            done += 1
        except StatusError as exc:
            refused.append(str(exc))
    unknown = len(keys) - len(chosen)
    label = status.STATUSES.get(wanted, wanted[:20])
    flash(f"{done} élément(s) marqué(s) « {label} ».", "info" if done else "error")
    if refused:
        flash(f"{len(refused)} refusé(s) : " + " ; ".join(refused[:5])
              + (" ; …" if len(refused) > 5 else "") + ".", "error")
    if unknown:
        flash(f"{unknown} élément(s) absent(s) de votre liste : non marqué(s).", "error")
    return _back(window, q=clean_text(request.form.get("q"), worklist.MAX_TEXT) or None)


def _mark(it: worklist.Item, wanted: str, reason: str = "") -> status.StatusEntry:
    """Every status change made from these screens (scan, item page, list): one call."""
    station = current_station()
    return status.mark(station, it.item_kind, it.number, wanted, g.user.login, reason,
                       distinct_verifier=transcription.double_entry_of_item(station, it.domain))


def _paper_url(it: worklist.Item) -> str:
    """Where the user can see the paper of ``it`` (its document's preview), or ""."""
    from pcsauvegarde.station.issuing.issue import has_stored_pdf
    from pcsauvegarde.station.web.access import CLINICAL

    number = it.number if it.item_kind in worklist.DOCUMENT_ITEMS else it.document
    if not number or not has_stored_pdf(current_station(), number):
        return ""
    if it.domain == "stérilisation" and "stérilisation" in g.user.roles:
        return url_for("sterilisation_docs.document", number=number)
    if set(CLINICAL) & set(g.user.roles):
        return url_for("patients.document", number=number)
    return ""


@bp.route("/pannes", methods=["GET", "POST"])
@requires("admin")
def outages():
    """Declare the start (back-dated if need be) or the end of an outage."""
    station = current_station()
    if request.method == "POST":
        try:
            when = _typed_time(request.form.get("when", ""))
            action = request.form.get("action")
            if action == "start":
                w = outage.declare_start(station, g.user.login, when,
                                         clean_text(request.form.get("label"), outage.MAX_LABEL))
                flash(f"Début de panne déclaré : {format_local(w.start)}.", "info")
            elif action == "amend":
                if when is None:
                    raise OutageError("indiquez le début corrigé (date et heure)")
                w = outage.amend_start(station, g.user.login, when)
                flash(f"Début de panne corrigé : {format_local(w.start)}.", "info")
            else:
                w = outage.declare_end(station, g.user.login, when)
                flash(f"Fin de panne déclarée : {format_local(w.end or w.start)}. La liste de "
                      "ressaisie est prête.", "info")
        except OutageError as exc:
            flash(f"Non enregistré : {exc}.", "error")
            return _outages_page(), 400
        return redirect(url_for("reentry.outages"))
    return _outages_page()


def _outages_page() -> str:
    station = current_station()
    return render_template("reentry_outages.html", running=outage.running(station),
                           latest=outage.latest(station), windows=_windows())


def _typed_time(value: str) -> dt.datetime | None:
    """A datetime-local field (Europe/Paris) as UTC; empty: now (None)."""
    from pcsauvegarde.station.documents.fmt import PARIS

    text = value.strip()[:16]
    if not text:
        return None
    try:
        local = dt.datetime.fromisoformat(text)
    except ValueError:
        raise OutageError(f"date et heure « {text} » illisibles (JJ/MM/AAAA HH:MM)") from None
    return local.replace(tzinfo=PARIS).astimezone(dt.UTC)


@bp.route("/rapport", methods=["POST"])
@requires("admin")
def print_report():
    """Issue the reconciliation report of the window (journalled), shown as PDF."""
    window = _window()
    if window is None:
        flash("Aucune panne déclarée : pas de bilan de ressaisie.", "error")
        return _back(None)
    issued = report.issue_report(current_station(), window, g.user.login)
    if request.form.get("send") == "printer":
        from pcsauvegarde.station.web.printing import send_to_printer
        send_to_printer(issued.document.number, issued.pdf)
    return Response(issued.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="{issued.document.number}.pdf"'})
