"""The lab's test menu (tick boxes of the request form) and texts, from ``lab_request.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.station.documents.templates import TemplateError, read_toml

KIND = "lab_request"
TEXTS = {"number": (), "tubes": ("tubes", "first", "last"),
         "unit": ("unit",), "prescriber": (), "collection": (), "clinical": (), "others": (),
         "urgent": (), "note": ()}
MAX_SECTIONS, MAX_TESTS, MAX_TEXT = 12, 40, 80


@dataclass(frozen=True)
class MenuSection:
    title: str
    tests: tuple[str, ...]


@dataclass(frozen=True)
class RequestTemplate:
    """The request form's title, texts and test menu, checked."""

    title: str
    texts: dict[str, str]
    menu: tuple[MenuSection, ...]

    def text(self, key: str, **values: object) -> str:
        return self.texts[key].format_map(values)


def load(directory: Path | str | None = None) -> RequestTemplate:
    """Read and check ``lab_request.toml``; MUST raise TemplateError naming file and key."""
    path, data = read_toml(KIND, directory)   # the hospital's own file, else the shipped one
    unknown = set(data) - {"document", "texts", "menu"}
    if unknown:
        raise TemplateError(f"{path} : clé « {sorted(unknown)[0]} » inconnue")
    title = (data.get("document") or {}).get("title")
    if not isinstance(title, str) or not title:
        raise TemplateError(f"{path} : clé « document.title » absente")
    texts = data.get("texts") or {}
    for key in set(TEXTS) ^ set(texts):
        which = "absente" if key in TEXTS else "inconnue"
        raise TemplateError(f"{path} : clé « texts.{key} » {which}")
    for key, allowed in TEXTS.items():
        value = texts[key]
        if not isinstance(value, str):
            raise TemplateError(f"{path} : clé « texts.{key} » : texte entre guillemets attendu")
        try:
            value.format_map({name: "" for name in allowed})
        except (KeyError, ValueError, IndexError) as exc:
            raise TemplateError(f"{path} : clé « texts.{key} » : accolade ou champ {exc} "
                                f"non permis (permis : {', '.join(allowed) or 'aucun'})") from None
    return RequestTemplate(title, dict(texts), _menu(path, data.get("menu") or []))


def _menu(path: Path, raw: object) -> tuple[MenuSection, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_SECTIONS:
        raise TemplateError(f"{path} : « menu » : {MAX_SECTIONS} sections [[menu]] au plus")
    sections = []
    for i, item in enumerate(raw):
        where = f"{path} : menu[{i}]"
        if not isinstance(item, dict) or set(item) != {"title", "tests"}:
            raise TemplateError(f"{where} : « title » et « tests » attendus, rien d'autre")
        tests = item["tests"]
        if not isinstance(tests, list) or not 1 <= len(tests) <= MAX_TESTS or not all(
                isinstance(t, str) and 0 < len(t) <= MAX_TEXT for t in tests):
            raise TemplateError(f"{where} : « tests » : 1 à {MAX_TESTS} textes de "
                                f"{MAX_TEXT} caractères au plus")
        if not isinstance(item["title"], str) or not 0 < len(item["title"]) <= MAX_TEXT:
            raise TemplateError(f"{where} : « title » : texte de {MAX_TEXT} caractères au plus")
        sections.append(MenuSection(item["title"], tuple(tests)))
    return tuple(sections)
