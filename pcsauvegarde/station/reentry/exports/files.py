"""One export as a file (body, name, type, counts): what the admin page and the CLI hand out."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.reentry.exports import fhir, hl7v2, source, spreadsheet
from pcsauvegarde.station.station import Station

# The word naming a domain in URLs, file names and the CLI (French, as every route).
SLUGS = {"administrations": "administration", "laboratoire": "lab",
         "sterilisation": "sterilisation", "admissions": "admission", "pharmacie": "pharmacy"}
# format → (label, media type, file extension)
FORMATS = {"csv": ("Tableur (CSV)", "text/csv; charset=utf-8", "csv"),
           "fhir": ("FHIR R4 (JSON)", "application/fhir+json", "fhir.json"),
           "hl7": ("HL7 v2.5 ADT (A28, A01, A40)", "application/hl7-v2; charset=utf-8", "hl7")}


@dataclass(frozen=True)
class ExportFile:
    body: str
    name: str
    mimetype: str
    rows: int       # CSV rows, FHIR entries, HL7 messages
    pending: int    # lines left out of FHIR/HL7 because not yet verified


def make(station: Station, slug: str, fmt: str, now: dt.datetime | None = None) -> ExportFile:
    """The export of one domain in one format; ExportError (French) if there is none."""
    domain = SLUGS.get(slug)
    if domain is None:
        raise source.ExportError(f"domaine « {slug[:40]} » inconnu ({', '.join(SLUGS)})")
    if fmt not in source.FORMATS[domain]:
        raise source.ExportError(f"pas d'export « {fmt[:10]} » pour « {slug} » "
                                 f"({', '.join(source.FORMATS[domain])})")
    now = now or dt.datetime.now(dt.UTC)
    pending = 0
    if fmt == "csv":
        body, rows = spreadsheet.export(station, domain)
    elif fmt == "fhir":
        bundle, pending = fhir.bundle(station, domain, now)
        body, rows = json.dumps(bundle, ensure_ascii=False, indent=1), len(bundle["entry"])
    else:
        body, pending = hl7v2.export(station, now)
        rows = body.count("\rMSH|") + body.startswith("MSH|")
    _, mimetype, ext = FORMATS[fmt]
    stamp = now.astimezone(PARIS).strftime("%Y%m%d-%H%M")
    return ExportFile(body, f"ressaisie-{slug}-{stamp}.{ext}", mimetype, rows, pending)
