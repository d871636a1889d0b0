"""The fleet report as one static HTML file (inline CSS, no script, no external asset).

For the IT team's morning check: every station with its location, units, last pull, data age,
version and readiness, the ones to check first and flagged. Every value is escaped: station
ids and details come from files other people wrote.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from pcsauvegarde.publisher.fleet import FLAGS, StationStatus, format_duration

PARIS = ZoneInfo("Europe/Paris")
FLAG_LABELS = {"invalide": "SIGNAL REFUSÉ", "audit": "JOURNAL D'AUDIT RÉÉCRIT",
               "silencieuse": "SILENCIEUSE",
               "chevauchement": "PLAGES EN CHEVAUCHEMENT", "périmée": "DONNÉES ANCIENNES",
               "non prête": "NON PRÊTE", "non vérifiée": "PRÉPARATION NON VÉRIFIÉE",
               "version": "VERSION DIFFÉRENTE"}
FLAG_HELP = {
    "invalide": "signal de vie illisible, mal signé ou signé par la clé d'une autre station",
    "audit": "la tête signée du journal d'audit recule ou change : journal coupé, réécrit "
             "ou station restaurée d'une sauvegarde — à examiner",
    "silencieuse": "aucun signal de vie récent : poste éteint, débranché ou sans réseau ?",
    "chevauchement": "deux stations ont des plages de numéros communes : numéros en double",
    "périmée": "données plus anciennes que le seuil d'alerte de la station",
    "non prête": "pcsauvegarde doctor trouve un contrôle critique en échec sur le poste",
    "non vérifiée": "le poste n'a pas pu établir son diagnostic (pcsauvegarde doctor en "
                    "erreur, ou version trop ancienne pour le transmettre)",
    "version": "version du logiciel différente de celle de la majorité du parc",
}
CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5em;color:#111;font-size:14px}
h1{font-size:1.5em;margin:0 0 .2em}
.meta{color:#444;margin:0 0 1em}
.summary{display:flex;gap:.8em;flex-wrap:wrap;margin:0 0 1em}
.card{border:2px solid #888;border-radius:6px;padding:.4em .8em;min-width:8em}
.card b{display:block;font-size:1.6em}
.card.bad{border-color:#b00000;color:#b00000}
.card.good{border-color:#1d6b2a;color:#1d6b2a}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#e8e8e8}
tr.check td{background:#fdecec}
tr.check td.station{border-left:6px solid #b00000}
td.station{font-weight:bold;word-break:break-all;max-width:18em}
.flag{display:inline-block;background:#b00000;color:#fff;font-weight:bold;padding:.1em .4em;
 border-radius:3px;margin:0 .2em .2em 0;font-size:.85em}
.ok{color:#1d6b2a;font-weight:bold}
.small{font-size:.85em;color:#333}
dl{margin-top:1.5em} dt{font-weight:bold;display:inline} dd{display:inline;margin:0 0 0 .3em}
dd:after{content:"";display:block}
@media print{body{margin:0;font-size:10pt} tr{break-inside:avoid}}
"""


def render_html(rows: list[StationStatus], now: dt.datetime, drop: str = "",
                warnings: tuple[str, ...] | list[str] = ()) -> str:
    """The whole report as text (UTF-8 HTML5), stations to check first."""
    ordered = sorted(rows, key=lambda r: (not r.flags, r.station))
    to_check = [r for r in rows if r.flags]
    cards = [_card("Stations", len(rows), None),
             _card("À vérifier", len(to_check), bool(to_check))]
    cards += [_card(FLAG_LABELS[f].capitalize(), n, True)
              for f in FLAGS if (n := sum(f in r.flags for r in rows))]
    body = "\n".join(_row(r, now) for r in ordered) or (
        '<tr><td colspan="9">Aucune station : aucun signal de vie ni clé épinglée.</td></tr>')
    notes = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    legend = "".join(f"<dt>{escape(FLAG_LABELS[f])}</dt><dd>{escape(FLAG_HELP[f])}</dd>"
                     for f in FLAGS)
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Parc des PC de sauvegarde — {escape(_local(now))}</title>
<style>{CSS}</style></head><body>
<h1>Parc des PC de sauvegarde — contrôle du matin</h1>
<p class="meta">Rapport établi le {escape(_local(now))} (heure de Paris)
{f"à partir du dépôt « {escape(drop)} »" if drop else ""}.
Les stations à vérifier sont en tête, sur fond rouge.</p>
<div class="summary">{"".join(cards)}</div>
{f'<ul class="warnings">{notes}</ul>' if notes else ""}
<table><thead><tr><th>Station</th><th>Emplacement</th><th>Unités</th><th>Dernier tirage</th>
<th>Âge des données</th><th>Version</th><th>Préparation (doctor)</th><th>État</th>
<th>Détail</th></tr></thead>
<tbody>
{body}
</tbody></table>
<dl>{legend}</dl>
</body></html>
"""


def _card(label: str, count: int, bad: bool | None) -> str:
    cls = "" if bad is None else (" bad" if bad else " good")
    return f'<div class="card{cls}"><b>{count}</b>{escape(label)}</div>'


def _row(r: StationStatus, now: dt.datetime) -> str:
    flags = "".join(f'<span class="flag">{escape(FLAG_LABELS.get(f, f))}</span>'
                    for f in r.flags) or '<span class="ok">OK</span>'
    readiness = "—"
    if r.written_at is not None:
        readiness = escape(r.readiness_label)
        if r.failing:
            readiness += '<br><span class="small">' + escape(", ".join(r.failing)) + "</span>"
    detail = "; ".join(x for x in (r.detail, r.last_error and f"dernier tirage : {r.last_error}")
                       if x)
    heard = (f'<br><span class="small">signal du {escape(_local(r.written_at))}</span>'
             if r.written_at else "")
    audit = ("" if r.audit_head is None else
             f'<br><span class="small">journal d\'audit n° {r.audit_head}</span>')
    cells = [
        f'<td class="station">{escape(r.station)}</td>',
        f"<td>{escape(r.location) or '—'}</td>",
        f"<td>{escape(', '.join(r.units)) or '—'}</td>",
        f"<td>{escape(_local(r.last_pull)) if r.last_pull else '—'}{heard}</td>",
        f"<td>{escape(format_duration(r.data_age)) if r.data_age is not None else 'inconnu'}</td>",
        f"<td>{escape(r.version) or '—'}{audit}</td>",
        f"<td>{readiness}</td>",
        f"<td>{flags}</td>",
        f'<td class="small">{escape(detail) or "—"}</td>',
    ]
    return f'<tr class="{"check" if r.flags else "fine"}">' + "".join(cells) + "</tr>"


def _local(value: dt.datetime) -> str:
    """« 27/11/2026 14:05 », Paris time."""
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
