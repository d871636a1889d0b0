"""On-screen entry of a washer or autoclave cycle's content during the outage."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from pcsauvegarde.station.sterilisation import service
from pcsauvegarde.station.sterilisation.entries import DECISIONS, KINDS, CycleEntry, EntryError
from pcsauvegarde.station.sterilisation.service import SterilisationError
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.forms import clean_text
from pcsauvegarde.station.web.sterilisation import ROLE, visible

bp = Blueprint("sterilisation_cycles", __name__)
PARIS = ZoneInfo("Europe/Paris")
FIELDS = ("kind", "equipment", "cycle_number", "lot", "at", "program", "operator", "trays",
          "decision")


@bp.route("/sterilisation/cycles", methods=["GET", "POST"])
@requires(ROLE)
def cycles():
    """The entry form and the cycles already typed on this station."""
    station = current_station()
    values = {k: clean_text(request.form.get(k), 2000 if k == "trays" else 128,
                            multiline=k == "trays") for k in FIELDS}
    if request.method == "POST":
        try:
            entry = _entry(values)
            c = service.catalogue(station)
            hidden = [t for t in entry.trays if t in c.trays and not visible(c.trays[t].owner_unit)]
            if hidden:
                raise EntryError("plateau(x) hors de vos services : " + ", ".join(hidden))
            kept, issued = service.record_cycle(station, entry, g.user.login)
        except (EntryError, SterilisationError) as exc:
            return _page(values, str(exc)), 422
        unknown = [t for t in kept.trays if t not in c.trays]
        flash(f"Cycle {kept.cycle_number} enregistré (saisie n° {kept.id}) ; fiche "
              f"{issued.document.number} émise." + (
                  f" Plateau(x) inconnu(s) du catalogue, gardé(s) tel(s) que saisi(s) : "
                  f"{', '.join(unknown)}." if unknown else ""), "info")
        return redirect(url_for("sterilisation_docs.document", number=issued.document.number))
    now = dt.datetime.now(PARIS)
    values.update(kind=values["kind"] or "autoclave", at=now.strftime("%Y-%m-%dT%H:%M"))
    return _page(values)


def _page(values: dict, error: str = ""):
    station = current_station()
    c = service.catalogue(station)
    return render_template("sterilisation_cycles.html", values=values, error=error,
                           kinds=KINDS, decisions=DECISIONS, equipment=c.equipment.values(),
                           entries=service.entries(station).recent(50))


def _entry(v: dict) -> CycleEntry:
    """The typed form as an entry; a French message naming the field otherwise."""
    try:
        at = dt.datetime.strptime(v["at"], "%Y-%m-%dT%H:%M").replace(tzinfo=PARIS)
    except ValueError:
        raise EntryError("« Date et heure » : à saisir sous la forme JJ/MM/AAAA HH:MM") from None
    trays = tuple(dict.fromkeys(t.strip() for t in v["trays"].replace(",", "\n").split()
                                if t.strip()))
    if not trays:
        raise EntryError("« Plateaux de la charge » : tapez ou scannez au moins un code")
    return CycleEntry(v["kind"], v["equipment"], v["cycle_number"], at.astimezone(dt.UTC),
                      trays, v["lot"], v["program"], v["operator"], v["decision"])
