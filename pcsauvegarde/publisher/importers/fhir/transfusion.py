"""A transfusion Procedure (SNOMED CT) → transfusion (given); other Procedures stay left out."""

from __future__ import annotations

from pcsauvegarde.core.records import TransfusionFact
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored, type_reason
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    effective_time,
    text,
)

# « Transfusion of blood product », « … of red blood cells », « Transfusion » (procedures)
TRANSFUSION_CODES = frozenset({"116859006", "116863004", "5447007"})


def map_procedure(res: dict, ctx: Context) -> TransfusionFact:
    """A completed transfusion → the patient's transfusion history; any other act Ignored
    with the reason every Procedure had before (history, not on downtime papers)."""
    codes = {text(c, "code") for c in codings(res.get("code"), "code")}
    if not codes & TRANSFUSION_CODES:
        raise Ignored(type_reason("Procedure"))
    if text(res, "status") != "completed":
        raise Ignored(f"transfusion au statut « {text(res, 'status')} » : seules les "
                      "transfusions réalisées sont reprises")
    at = effective_time(res, "performed")
    if at is None:
        raise Refused("performed[x] : date de la transfusion absente")
    return TransfusionFact(id=text(res, "id"), ipp=ctx.ipp(res), kind="given",
                           product=concept_text(res.get("code"), "code") or "transfusion",
                           at=at, note=" ".join(text(n, "text") for n in
                                                res.get("note") or [] if isinstance(n, dict)))
