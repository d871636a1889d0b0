"""Shared state of one FHIR import: the index, identifier systems and what is already mapped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pcsauvegarde.publisher.importers.fhir.index import Index
from pcsauvegarde.publisher.importers.fhir.systems import FhirSystems
from pcsauvegarde.publisher.importers.fhir.values import Refused, human_name, obj, objs, text


@dataclass
class Context:
    """Resolution state; maps are keyed by ``id()`` of the source resource dict."""

    index: Index
    systems: FhirSystems
    ipp_of: dict[int, str] = field(default_factory=dict)
    refused_patients: set[int] = field(default_factory=set)
    nda_of: dict[int, str] = field(default_factory=dict)
    order_of: dict[int, str] = field(default_factory=dict)
    ignored: Counter[str] = field(default_factory=Counter)  # parts of resources left out

    def ipp(self, res: dict, name: str = "subject") -> str:
        """IPP of the patient ``res[name]`` points to; Refused when it is absent or unknown."""
        ref = res.get(name)
        if ref is None:
            raise Refused(f"{name} : patient absent")
        target = self.index.resolve(ref, name, res, ("Patient",))
        if target is None or id(target) not in self.ipp_of:
            shown = ((ref.get("reference") or ref.get("display") or "?")
                     if isinstance(ref, dict) else "?")
            refused = target is not None and id(target) in self.refused_patients
            why = "refusé" if refused else "inconnu"
            raise Refused(f"{name} : patient {why} « {shown} »")
        return self.ipp_of[id(target)]

    def nda(self, res: dict, name: str) -> str:
        """NDA of the encounter ``res[name]`` points to, '' when not imported."""
        target = self.index.resolve(res.get(name), name, res, ("Encounter",))
        return self.nda_of.get(id(target), "") if target is not None else ""

    def person(self, ref: object, name: str, container: dict | None = None) -> str:
        """Display name of a Practitioner/Patient/… reference (display, resolved name or id)."""
        if not isinstance(ref, dict):
            return ""
        if text(ref, "display"):
            return text(ref, "display")
        try:
            target = self.index.resolve(ref, name, container)
        except Refused:
            target = None
        if target is not None:
            for human in objs(target, "name") if isinstance(target.get("name"), list) else []:
                if human_name(human):
                    return human_name(human)
            if isinstance(target.get("name"), str):
                return target["name"]
        ident = obj(ref, "identifier")
        return text(ident, "value") or text(ref, "reference")


def pick_identifier(res: dict, systems: tuple[str, ...], type_codes: tuple[str, ...]) -> str:
    """Identifier value in ``systems``, else typed ``type_codes``, else the first, else id."""
    idents = [i for i in objs(res, "identifier") if text(i, "value")]
    for system in systems:
        for ident in idents:
            if text(ident, "system") == system:
                return text(ident, "value")
    for ident in idents:
        for coding in objs(obj(ident, "type"), "coding"):
            if text(coding, "code") in type_codes:
                return text(ident, "value")
    if idents:
        return text(idents[0], "value")
    return text(res, "id")
