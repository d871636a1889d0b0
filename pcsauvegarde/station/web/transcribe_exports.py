"""Re-entry exports for the restored systems, downloaded by the admin (FHIR, HL7 v2, CSV)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template

from pcsauvegarde.station.reentry import transcription
from pcsauvegarde.station.reentry.exports import files, source
from pcsauvegarde.station.web.access import current_station, requires

bp = Blueprint("transcribe_exports", __name__)


@bp.route("/ressaisie/exports")
@requires("admin")
def index():
    """Every domain with its lines (verified, awaiting verification) and its formats."""
    station = current_station()
    rows = []
    for slug, domain in files.SLUGS.items():
        found = source.lines(station, domain)
        extra = len(source.admissions(station)) if domain == "admission" else None
        rows.append({"slug": slug, "label": transcription.DOMAINS[domain],
                     "verified": len(found.verified), "pending": len(found.pending),
                     "admissions": extra, "formats": source.FORMATS[domain]})
    return render_template("transcribe_exports.html", rows=rows, formats=files.FORMATS)


@bp.route("/ressaisie/exports/<slug>/<fmt>")
@requires("admin")
def download(slug: str, fmt: str):
    """One domain in one format, as a file; the download is journalled."""
    station = current_station()
    try:
        made = files.make(station, slug, fmt)
    except source.ExportError:
        abort(404)
    station.audit.record(g.user.login, "reentry.exported", f"{slug}.{fmt}",
                         {"rows": made.rows, "pending": made.pending})
    return Response(made.body, content_type=made.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{made.name}"',
        "X-Lignes-Non-Verifiees": str(made.pending)})
