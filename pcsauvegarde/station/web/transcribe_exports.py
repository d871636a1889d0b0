"""Re-entry exports for the restored systems, downloaded by the admin (FHIR, HL7 v2, CSV)."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, abort, g, render_template

from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.reentry import transcription
from pcsauvegarde.station.reentry.exports import fhir, hl7v2, source, spreadsheet
from pcsauvegarde.station.web.access import current_station, requires

bp = Blueprint("transcribe_exports", __name__)
# URL word → domain (French in the address bar, as every other route).
SLUGS = {"administrations": "administration", "laboratoire": "lab",
         "sterilisation": "sterilisation", "admissions": "admission", "pharmacie": "pharmacy"}
FORMATS = {"csv": ("Tableur (CSV)", "text/csv; charset=utf-8", "csv"),
           "fhir": ("FHIR R4 (JSON)", "application/fhir+json", "fhir.json"),
           "hl7": ("HL7 v2.5 ADT (A28, A01, A40)", "application/hl7-v2; charset=utf-8", "hl7")}


@bp.route("/ressaisie/exports")
@requires("admin")
def index():
    """Every domain with its lines (verified, awaiting verification) and its formats."""
    station = current_station()
    rows = []
    for slug, domain in SLUGS.items():
        found = source.lines(station, domain)
        extra = len(source.admissions(station)) if domain == "admission" else None
        rows.append({"slug": slug, "label": transcription.DOMAINS[domain],
                     "verified": len(found.verified), "pending": len(found.pending),
                     "admissions": extra, "formats": source.FORMATS[domain]})
    return render_template("transcribe_exports.html", rows=rows, formats=FORMATS)


@bp.route("/ressaisie/exports/<slug>/<fmt>")
@requires("admin")
def download(slug: str, fmt: str):
    """One domain in one format, as a file; the download is journalled."""
    domain = SLUGS.get(slug)
    if domain is None or fmt not in source.FORMATS[domain]:
        abort(404)
    station = current_station()
    pending = 0
    if fmt == "csv":
        body, rows = spreadsheet.export(station, domain)
    elif fmt == "fhir":
        bundle, pending = fhir.bundle(station, domain)
        body, rows = json.dumps(bundle, ensure_ascii=False, indent=1), len(bundle["entry"])
    else:
        body, pending = hl7v2.export(station)
        rows = body.count("MSH|")
    station.audit.record(g.user.login, "reentry.exported", f"{slug}.{fmt}",
                         {"rows": rows, "pending": pending})
    stamp = dt.datetime.now(PARIS).strftime("%Y%m%d-%H%M")
    _, mimetype, ext = FORMATS[fmt]
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="ressaisie-{slug}-{stamp}.{ext}"',
        "X-Lignes-Non-Verifiees": str(pending)})
