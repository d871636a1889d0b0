"""CSV of re-entry, one per domain: every current line with its state (core/text.csv_text:
BOM, « ; », formula-safe cells), times in UTC ISO 8601 as the other exports of the station."""

from __future__ import annotations

from collections.abc import Iterator

from pcsauvegarde.core.records import format_utc, parse_utc
from pcsauvegarde.core.text import csv_text
from pcsauvegarde.station.reentry.exports import source
from pcsauvegarde.station.reentry.transcription import Transcription
from pcsauvegarde.station.station import Station

TAIL = ("saisi_par", "saisi_le_utc", "verifie_par", "verifie_le_utc", "avertissements")
COLUMNS = {
    "administration": ("document", "ipp", "prescription", "medicament", "code", "prise_prevue_utc",
                       "donne", "motif_non_donne", "dose", "heure_reelle_utc", "initiales"),
    "lab": ("etiquette", "ipp", "preleve_le_utc", "lot", "document", "urgent"),
    "sterilisation": ("numero", "type", "plateau", "cycle", "sterilisateur", "lot", "ipp",
                      "utilise_le_utc", "cycle_saisi"),
    "admission": ("ipp_provisoire", "nda_provisoire", "nom_naissance", "nom_utilise", "prenoms",
                  "date_naissance", "sexe", "unite", "chambre", "lit", "motif", "admis_le_utc",
                  "admis_par", "ipp_definitif"),
    "pharmacy": ("document", "type", "produit", "libelle", "quantite", "remarque"),
}


def _utc(value: str) -> str:
    return format_utc(parse_utc(value)) if value else ""


def _tail(t: Transcription | None) -> list[str]:
    if t is None:
        return ["", "", "", "", ""]
    return [t.entered_by, format_utc(t.entered_at), t.verified_by,
            format_utc(t.verified_at) if t.verified_at else "", " ; ".join(t.warnings)]


def _rows(station: Station, domain: str) -> Iterator[list]:
    if domain == "admission":
        merged = source.merges(station)
        for a in source.admissions(station):
            r, m = a.request, merged.get(a.ipp)
            yield [a.ipp, a.nda, r.birth_name, r.used_name, r.first_names,
                   r.birth_date.isoformat(), r.sex, r.unit, r.room, r.bed, r.reason,
                   format_utc(a.admitted_at), a.admitted_by,
                   m.data["real_ipp"] if m else "", *_tail(m)]
        return
    for t in source.lines(station, domain).all:
        d = t.data
        if domain == "administration":
            row = [t.number, d["ipp"], d["order_id"], d.get("drug", ""), d.get("code", ""),
                   _utc(d["slot"]), "oui" if d["given"] else "non", d["reason"], d["dose"],
                   _utc(d["at"]), d["initials"]]
        elif domain == "lab":
            row = [t.number, d["ipp"], _utc(d["collected_at"]), d.get("batch", ""),
                   d.get("document", ""), "oui" if d.get("urgent") else "non"]
        elif domain == "sterilisation" and t.item_kind == "tray":
            row = [t.number, "plateau", d["tray"], d["cycle"], d.get("sterilizer", ""),
                   d.get("lot", ""), d["ipp"], _utc(d["used_at"]), d.get("cycle_entry") or ""]
        elif domain == "sterilisation":
            row = [t.number, "fiche de cycle", "", "", "", "", "", "", d["cycle_entry"]]
        else:
            row = [t.number, "dotation" if d["kind"] == "dotation" else "commande",
                   d["product_id"], d["label"], d["quantity"], d["note"]]
        yield row + _tail(t)


def export(station: Station, domain: str) -> tuple[str, int]:
    """(CSV text, rows) of one domain."""
    if domain not in COLUMNS:
        raise source.ExportError(f"domaine d'export inconnu : « {domain[:40]} »")
    rows = list(_rows(station, domain))
    return csv_text([COLUMNS[domain] + TAIL, *rows]), len(rows)
