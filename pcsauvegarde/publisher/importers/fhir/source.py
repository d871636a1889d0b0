"""Read FHIR resources from Bulk Data NDJSON files and JSON files (Bundle or single resource)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_MAX_DEPTH = 4  # bundles inside bundles: deeper nesting is not a real export


@dataclass(frozen=True)
class Entry:
    """One resource and where it came from (NDJSON line from 1, Bundle entry index from 0)."""

    file: str
    where: int
    resource: dict
    full_url: str = ""


@dataclass(frozen=True)
class Unreadable:
    """A line, entry or file that holds no usable resource (reason in French)."""

    file: str
    where: int
    reason: str
    resource_type: str = ""
    resource_id: str = ""


def read_paths(paths: list[Path]) -> Iterator[Entry | Unreadable]:
    """Yield every resource of every file, and an Unreadable for each bad line or file."""
    for path in paths:
        name = path.name
        try:
            raw = _read_text(path)
        except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
            yield Unreadable(name, 0, f"fichier illisible ({exc.__class__.__name__})")
            continue
        stem = name.removesuffix(".gz")
        if stem.endswith((".ndjson", ".jsonl")):
            yield from _ndjson(name, raw)
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            if raw.count("\n") > 1:  # NDJSON saved with a .json name
                yield from _ndjson(name, raw)
            else:
                yield Unreadable(name, 0, "JSON invalide")
            continue
        yield from _resource(name, 0, data, "", 0)


def _read_text(path: Path) -> str:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read().decode("utf-8-sig")
    return path.read_bytes().decode("utf-8-sig")


def _ndjson(name: str, raw: str) -> Iterator[Entry | Unreadable]:
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            yield Unreadable(name, number, "ligne JSON invalide")
            continue
        yield from _resource(name, number, data, "", 0)


def _resource(name: str, where: int, data: object, full_url: str,
              depth: int) -> Iterator[Entry | Unreadable]:
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        yield Unreadable(name, where, "objet JSON sans « resourceType »")
        return
    if data["resourceType"] != "Bundle":
        if not data.get("id") and _url_id(full_url):
            # Transaction bundles may name a new resource only by its fullUrl (urn:uuid:…):
            # that is its id, as a server would assign it.
            data = {**data, "id": _url_id(full_url)}
        yield Entry(name, where, data, full_url)
        return
    entries = data.get("entry", [])
    if depth >= _MAX_DEPTH or not isinstance(entries, list):
        yield Unreadable(name, where, "Bundle mal formé (entry)", "Bundle", str(data.get("id", "")))
        return
    for index, item in enumerate(entries):
        # Inside a bundle the entry index locates the resource better than the line.
        spot = index if depth == 0 and where == 0 else where
        if not isinstance(item, dict):
            yield Unreadable(name, spot, f"entrée {index} du Bundle : objet attendu")
            continue
        request = item.get("request")
        if isinstance(request, dict) and request.get("method") == "DELETE":
            continue
        if "resource" not in item:
            yield Unreadable(name, spot, f"entrée {index} du Bundle sans « resource »")
            continue
        url = full if isinstance(full := item.get("fullUrl"), str) else ""
        yield from _resource(name, spot, item["resource"], url, depth + 1)


def _url_id(full_url: str) -> str:
    """The id a fullUrl gives: the uuid of urn:uuid:…, the last segment of …/Type/id."""
    if full_url.startswith("urn:uuid:"):
        return full_url[len("urn:uuid:"):]
    parts = full_url.split("/_history/")[0].rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2][:1].isupper() else ""
