"""Resolve FHIR references: Type/id, absolute URLs, urn:uuid, #contained and conditional ones."""

from __future__ import annotations

from urllib.parse import parse_qs

from pcsauvegarde.publisher.importers.fhir.source import Entry
from pcsauvegarde.publisher.importers.fhir.values import Refused


class Index:
    """Every resource read, findable by key, fullUrl and business identifier."""

    def __init__(self, entries: list[Entry]) -> None:
        self.by_key: dict[str, dict] = {}
        self.by_url: dict[str, dict] = {}
        self.by_identifier: dict[tuple[str, str, str], list[dict]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        res = entry.resource
        rtype: str = res["resourceType"]  # source.py yields only resources that have one
        rid = res.get("id")
        if isinstance(rid, str) and rid:
            self.by_key.setdefault(f"{rtype}/{rid}", res)
        if entry.full_url:
            self.by_url.setdefault(entry.full_url, res)
            tail = _type_id_tail(entry.full_url)
            if tail:
                self.by_key.setdefault(tail, res)
        identifiers = res.get("identifier")
        if isinstance(identifiers, dict):
            identifiers = [identifiers]
        for ident in identifiers if isinstance(identifiers, list) else []:
            if isinstance(ident, dict) and isinstance(ident.get("value"), str):
                system = s if isinstance(s := ident.get("system"), str) else ""
                for key in {(rtype, system, ident["value"]), (rtype, "", ident["value"])}:
                    bucket = self.by_identifier.setdefault(key, [])
                    if all(other is not res for other in bucket):
                        bucket.append(res)

    def replace(self, old: Entry, entry: Entry) -> None:
        """A newer version of a resource: ``old`` is no longer findable, ``entry`` is."""
        res = old.resource
        rtype: str = res["resourceType"]
        rid = res.get("id")
        keys = [f"{rtype}/{rid}"] if isinstance(rid, str) else []
        keys += [_type_id_tail(old.full_url)] if old.full_url else []
        for key in keys:
            if self.by_key.get(key) is res:
                del self.by_key[key]
        if old.full_url and self.by_url.get(old.full_url) is res:
            del self.by_url[old.full_url]
        identifiers = res.get("identifier")
        for ident in identifiers if isinstance(identifiers, list) else [identifiers]:
            if isinstance(ident, dict) and isinstance(ident.get("value"), str):
                system = s if isinstance(s := ident.get("system"), str) else ""
                for ikey in {(rtype, system, ident["value"]), (rtype, "", ident["value"])}:
                    bucket = [r for r in self.by_identifier.get(ikey, []) if r is not res]
                    if bucket:
                        self.by_identifier[ikey] = bucket
                    else:
                        self.by_identifier.pop(ikey, None)
        self.add(entry)

    def resolve(self, ref: object, field: str, container: dict | None = None,
                types: tuple[str, ...] = ()) -> dict | None:
        """The resource a Reference points to, None when it is not in the import.

        Raises Refused when the reference itself is malformed or ambiguous.
        """
        if ref is None:
            return None
        if not isinstance(ref, dict):
            raise Refused(f"{field} : objet Reference attendu")
        target = ref.get("reference")
        if target is None and isinstance(ref.get("identifier"), dict):
            ident = ref["identifier"]
            rtype = t if isinstance(t := ref.get("type"), str) else (types or ("",))[0]
            return self._by_identifier(rtype, ident.get("system") or "", ident.get("value"), field)
        if target is None:
            return None
        if not isinstance(target, str) or not target.strip():
            raise Refused(f"{field}.reference : texte attendu")
        target = target.strip()
        if target.startswith("#"):
            return _contained(container, target[1:])
        if "?" in target:
            return self._conditional(target, field)
        found = self.by_url.get(target) or self.by_key.get(_type_id_tail(target) or target)
        if found is not None and types and found.get("resourceType") not in types:
            raise Refused(f"{field} : « {target} » n'est pas du type attendu ({', '.join(types)})")
        return found

    def _conditional(self, target: str, field: str) -> dict | None:
        rtype, _, query = target.partition("?")
        params = parse_qs(query, keep_blank_values=True)
        values = params.get("identifier")
        if not rtype or not values or len(params) != 1:
            raise Refused(f"{field} : référence conditionnelle non prise en charge « {target} »")
        system, bar, value = values[0].rpartition("|")
        return self._by_identifier(rtype.split("/")[-1], system if bar else "", value, field)

    def _by_identifier(self, rtype: str, system: str, value: object, field: str) -> dict | None:
        if not isinstance(value, str) or not value:
            raise Refused(f"{field} : identifiant de référence vide")
        found = self.by_identifier.get((rtype, system, value), [])
        if len(found) > 1:
            raise Refused(f"{field} : référence ambiguë ({len(found)} ressources {rtype} "
                          f"portent l'identifiant « {value} »)")
        return found[0] if found else None


def _type_id_tail(url: str) -> str:
    """'Type/id' of 'https://x/fhir/Type/id/_history/2' or 'Type/id'; '' when not that shape."""
    parts = url.split("/_history/")[0].rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2][:1].isupper() and parts[-1]:
        return f"{parts[-2]}/{parts[-1]}"
    return ""


def _contained(container: dict | None, local_id: str) -> dict | None:
    contained = container.get("contained") if container else None
    for item in contained if isinstance(contained, list) else []:
        if isinstance(item, dict) and item.get("id") == local_id:
            return item
    return None
