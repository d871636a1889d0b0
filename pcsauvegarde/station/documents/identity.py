"""The identity band's texts (``printtemplates/identity.toml``), read once per file version."""

from __future__ import annotations

import functools
from pathlib import Path

from pcsauvegarde.station.documents.templates import DEFAULT_DIR, Template, load_template

KIND = "identity"
ALLERGY_KEYS = ("title", "anaphylaxis", "none_known", "none_known_drug", "none_known_food",
                "none_known_environment", "unknown", "unknown_short", "severity_severe", "severity_moderate",
                "severity_mild", "criticality_high", "criticality_low", "criticality_unknown",
                "status_suspected", "status_unconfirmed", "status_resolved", "status_inactive")
SCHEMA: dict[str, tuple[str, ...]] = {
    **{f"allergies.{k}": () for k in ALLERGY_KEYS},
    "allergies.present": ("list",), "allergies.more": ("count",),
}


def load(directory: Path | str | None = None) -> Template:
    """The identity texts; TemplateError names file and key. Cached while the file is unchanged
    (the band is drawn on every page of every document of a bundle)."""
    folder = Path(directory) if directory is not None else DEFAULT_DIR
    try:
        version = (folder / f"{KIND}.toml").stat().st_mtime_ns
    except OSError:
        version = -1
    return _load(str(folder), version)


@functools.lru_cache(maxsize=8)
def _load(folder: str, version: int) -> Template:
    return load_template(KIND, SCHEMA, folder)
