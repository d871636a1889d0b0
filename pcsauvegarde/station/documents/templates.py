"""Fixed texts of printed documents, read from ``printtemplates/<kind>.toml`` and validated.

The templates ship inside the package (installed data); a hospital MAY put its own
``<kind>.toml`` files in an override directory (setting ``print_templates_dir``): a file there
replaces the packaged file of the same name, the others stay the packaged ones.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


def _packaged_dir() -> Path:
    # The package is installed as files (fonts are read the same way), never zipped.
    return Path(str(resources.files(__package__ or __name__).joinpath("printtemplates")))


DEFAULT_DIR = _packaged_dir()
"""The templates shipped with the package, wherever it is installed."""

Schema = Mapping[str, tuple[str, ...]]  # dotted key → placeholders its text MAY use


class TemplateError(ValueError):
    """A template file that cannot be used (French message naming the file and the key)."""


@dataclass(frozen=True)
class Template:
    """The validated texts of one document kind, by dotted key (``"allergies.title"``)."""

    path: Path
    texts: Mapping[str, str]

    def text(self, key: str, **values: Any) -> str:
        """The text of ``key`` with its ``{placeholders}`` filled from ``values``."""
        return self.texts[key].format_map(values)

    def number(self, key: str, low: int, high: int) -> int:
        """The whole number written as text at ``key``, between ``low`` and ``high``."""
        raw = self.texts[key].strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise TemplateError(f"{self.path} : clé « {key} » : nombre entier de {low} à {high} "
                                f"attendu entre guillemets, trouvé « {raw} »")
        return int(raw)


def template_path(kind: str, directory: Path | str | None = None) -> Path:
    """The file of ``kind``: ``<directory>/<kind>.toml`` when the hospital has one, else packaged.

    ``directory`` is the hospital's override directory (None: the packaged templates only).
    """
    if directory is not None:
        own = Path(directory) / f"{kind}.toml"
        if own.exists() or not (DEFAULT_DIR / f"{kind}.toml").exists():
            return own
    return DEFAULT_DIR / f"{kind}.toml"


def read_toml(kind: str, directory: Path | str | None = None) -> tuple[Path, dict[str, Any]]:
    """The path and parsed TOML of ``kind``'s template (French errors naming the file)."""
    path = template_path(kind, directory)
    try:
        with path.open("rb") as f:
            return path, tomllib.load(f)
    except FileNotFoundError:
        raise TemplateError(f"{path} : fichier de modèle introuvable") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path} : syntaxe TOML invalide ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path} : lecture impossible ({exc})") from None


def load_template(kind: str, schema: Schema, directory: Path | str | None = None) -> Template:
    """Load ``kind``'s template (see template_path); every schema key MUST be there, only them."""
    path, data = read_toml(kind, directory)
    texts = _flatten(path, data, "")
    for key in schema:
        if key not in texts:
            raise TemplateError(f"{path} : clé « {key} » absente")
    for key, text in texts.items():
        if key not in schema:
            raise TemplateError(f"{path} : clé « {key} » inconnue")
        _check_placeholders(path, key, text, schema[key])
    return Template(path, texts)


def _flatten(path: Path, data: Mapping[str, Any], prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(_flatten(path, value, f"{key}."))
        elif isinstance(value, str):
            out[key] = value
        else:
            raise TemplateError(f"{path} : clé « {key} » : texte entre guillemets attendu")
    return out


def _check_placeholders(path: Path, key: str, text: str, allowed: tuple[str, ...]) -> None:
    try:
        fields = [f for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError:
        raise TemplateError(f"{path} : clé « {key} » : accolades mal formées "
                            "(écrire {{ et }} pour une accolade littérale)") from None
    for name in fields:
        if name not in allowed:
            hint = ", ".join(f"{{{a}}}" for a in allowed) or "aucun"
            raise TemplateError(f"{path} : clé « {key} » : champ « {{{name}}} » inconnu "
                                f"(champs possibles : {hint})")
