"""Resources the FHIR importer deliberately leaves out, each with the reason an operator reads.

Counted per resource type and reason in ``ImportResult.ignored`` (key « Type : raison ») and
printed by ``pcsauvegarde publish``: nothing is left out in silence.
"""

from __future__ import annotations

from collections import Counter


class Ignored(Exception):
    """A resource outside the downtime model, left out on purpose (French reason)."""


_HISTORY = "historique, non repris sur les documents de mode dégradé"
# Resource types read by no mapper, with what they are and why they are not imported.
TYPE_REASONS = {
    "Procedure": f"acte réalisé ({_HISTORY})",
    "Immunization": f"vaccination ({_HISTORY})",
    "DocumentReference": "document joint (compte rendu, note) : contenu non imprimable ici",
    "Device": "dispositif médical : hors modèle",
    "DiagnosticReport": "compte rendu regroupant des résultats : les résultats (Observation) "
                        "sont importés un à un",
    "Claim": "facturation : hors soins",
    "ExplanationOfBenefit": "facturation : hors soins",
    "Coverage": "couverture sociale : hors soins",
    "Provenance": "traçabilité de l'export : hors soins",
    "CareTeam": "équipe de soins : hors modèle",
    "Goal": "objectif de soins : hors modèle",
    "SupplyDelivery": "livraison de fournitures : hors soins",
    "MedicationDispense": "dispensation : seules prescriptions et administrations sont importées",
    "MedicationStatement": "traitement déclaré : seules les prescriptions sont importées",
}
UNSUPPORTED = "type de ressource non pris en charge"


def type_reason(rtype: str) -> str:
    """Why a resource type no mapper reads is left out."""
    return TYPE_REASONS.get(rtype, UNSUPPORTED)


def report_lines(ignored: Counter[str]) -> list[str]:
    """French lines for the publish report: the total, then one line per type and reason."""
    if not ignored:
        return []
    lines = [f"{sum(ignored.values())} ressource(s) FHIR ignorée(s) (hors modèle) :"]
    for key, n in sorted(ignored.items()):
        rtype, _, reason = key.partition(" : ")
        lines.append(f"  {rtype} ({n}) : {reason}")
    return lines
