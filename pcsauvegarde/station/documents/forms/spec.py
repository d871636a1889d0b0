"""Pre-identified forms declared by the hospital: ``printtemplates/forms/<id>.toml``, validated.

A form is data (title, orientation, sections of ruled tables, hour grids, tick boxes, ruled
free-text areas, pre-filled fields, signature boxes, who sees it); layout.py draws it. Loading
MUST refuse, naming the file and the key, anything that would print badly: an unknown key,
overlapping columns, a table wider than the page, text under 7 pt.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcsauvegarde.station.documents.forms.measure import line_width, lines_at, widest_word
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError

FORMS_DIR = "forms"
MIN_PT = 7.0
PAGE_W = {"portrait": 190.0, "paysage": 277.0}   # A4 minus 10 mm margins, in mm
PAGE_H = {"portrait": 297.0, "paysage": 210.0}
ROLES = ("soins", "laboratoire", "pharmacie", "stérilisation", "imagerie", "admin")
FACTS = ("unite", "poids", "groupe_sanguin", "rai", "allergies", "date_impression")
SECTION_KINDS = ("tableau", "grille_horaire", "cases", "texte", "champs", "signatures",
                 "legende")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
HEAD_LINES = 3       # a column heading may wrap on this many lines


@dataclass(frozen=True)
class FormColumn:
    title: str
    width: float     # mm
    x: float         # mm from the table's left edge


@dataclass(frozen=True)
class FormField:
    label: str
    fact: str = ""   # one of FACTS: printed from the record when it has it


@dataclass(frozen=True)
class Section:
    """One block of a form, drawn top to bottom; ``kind`` says which fields matter."""

    kind: str
    title: str = ""
    size: float = 8.0
    row_height: float = 7.0
    columns: tuple[FormColumn, ...] = ()       # tableau
    rows: int = 0                              # tableau: blank rows
    cells: tuple[tuple[str, ...], ...] = ()    # tableau: pre-printed rows (legends)
    labels: tuple[str, ...] = ()               # grille_horaire rows, cases, signatures
    label_width: float = 40.0                  # grille_horaire
    hour_width: float = 10.0                   # grille_horaire
    hours: int = 24                            # grille_horaire
    step: int = 1                              # grille_horaire: hours per column
    per_line: int = 2                          # cases, champs: items per line
    lines: int = 3                             # texte: ruled lines
    height: float = 20.0                       # signatures: box height
    fields: tuple[FormField, ...] = ()         # champs
    text: str = ""                             # legende


@dataclass(frozen=True)
class FormSpec:
    """A validated form: ``id`` is its file name without ``.toml``."""

    id: str
    path: Path
    title: str
    orientation: str
    units: tuple[str, ...]
    roles: tuple[str, ...]
    kit: bool
    sections: tuple[Section, ...]

    @property
    def landscape(self) -> bool:
        return self.orientation == "paysage"

    def visible(self, unit: str | None, roles: tuple[str, ...] | list[str]) -> bool:
        """Whether someone with ``roles`` printing for ``unit`` is offered this form."""
        unit_ok = "*" in self.units or (unit is not None and unit in self.units)
        return unit_ok and ("admin" in roles or bool(set(self.roles) & set(roles)))


def load_library(directory: Path | str | None = None) -> dict[str, FormSpec]:
    """Every form, by id: the packaged ``printtemplates/forms/`` then the hospital's own
    ``<directory>/forms/`` (settings ``print_templates_dir``), whose file replaces a packaged
    one of the same name. TemplateError names the file and the key.

    Cached while no file of either folder changes (a kit draws a form for every patient).
    """
    folders = [DEFAULT_DIR / FORMS_DIR]
    if directory is not None:
        folders.append(Path(directory) / FORMS_DIR)
    files: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            files[path.stem] = path
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files.values()))
    return _load_library(stamp)


@functools.lru_cache(maxsize=8)
def _load_library(stamp: tuple[tuple[str, int], ...]) -> dict[str, FormSpec]:
    specs = (load_form(Path(path)) for path, _ in stamp)
    return {spec.id: spec for spec in sorted(specs, key=lambda f: f.id)}


def load_form(path: Path) -> FormSpec:
    """One form file, validated (TemplateError: « <file> : clé « <key> » : <what> »)."""
    form_id = path.stem
    if not _ID.match(form_id):
        raise TemplateError(f"{path} : nom de fichier invalide (lettres minuscules sans "
                            "accent, chiffres, - et _, 48 caractères au plus)")
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path} : syntaxe TOML invalide ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path} : lecture impossible ({exc})") from None
    r = _Reader(path, data, "")
    r.only("title", "orientation", "units", "roles", "kit", "sections")
    orientation = r.choice("orientation", ("portrait", "paysage"))
    units = r.strings("units", default=("*",), empty=True)   # []: withdrawn everywhere
    roles = r.strings("roles", default=("soins",))
    for i, role in enumerate(roles):
        if role not in ROLES:
            raise r.error(f"roles[{i}]", f"rôle « {role} » inconnu (rôles : {', '.join(ROLES)})")
    raw_sections = r.get("sections", list)
    if not raw_sections:
        raise r.error("sections", "au moins une section attendue ([[sections]])")
    sections = tuple(_section(path, raw, i, orientation)
                     for i, raw in enumerate(raw_sections))
    return FormSpec(form_id, path, r.text("title"), orientation, units, roles,
                    r.boolean("kit", False), sections)


def _section(path: Path, raw: Any, i: int, orientation: str) -> Section:
    key = f"sections[{i}]"
    if not isinstance(raw, dict):
        raise TemplateError(f"{path} : clé « {key} » : table attendue ([[sections]])")
    r = _Reader(path, raw, f"{key}.")
    kind = r.choice("kind", SECTION_KINDS)
    common = ("kind", "title", "size", "row_height")
    allowed = {
        "tableau": ("columns", "rows", "cells"),
        "grille_horaire": ("labels", "label_width", "hour_width", "hours", "step"),
        "cases": ("labels", "per_line"),
        "texte": ("lines",),
        "champs": ("fields", "per_line"),
        "signatures": ("labels", "height"),
        "legende": ("text",),
    }[kind]
    r.only(*common, *allowed)
    page_w = PAGE_W[orientation]
    size = r.number("size", 8.0, MIN_PT, 14.0, below="texte de moins de 7 pt : illisible")
    row_h = r.number("row_height", 7.0, size * 0.5, 60.0,
                     below=f"ligne trop basse pour un texte de {size:g} pt")
    s: dict[str, Any] = {"kind": kind, "title": r.text("title", required=False),
                         "size": size, "row_height": row_h}
    if kind == "tableau":
        s["columns"] = _columns(r, page_w)
        s["rows"] = int(r.number("rows", 0, 0, 60))
        s["cells"] = _cells(r, len(s["columns"]))
        if not s["rows"] and not s["cells"]:
            raise r.error("rows", "au moins une ligne attendue (rows ou cells)")
        for c, col in enumerate(s["columns"]):
            _check_heading(r, f"columns[{c}].title", col.title, col.width, size)
        for n, row in enumerate(s["cells"]):
            for c, text in enumerate(row):
                _check_words(r, f"cells[{n}][{c}]", text, s["columns"][c].width, size)
    elif kind == "grille_horaire":
        s["labels"] = r.strings("labels")
        s["label_width"] = r.number("label_width", 40.0, 10.0, page_w)
        s["hour_width"] = r.number("hour_width", 10.0, 5.0, 40.0)
        s["hours"] = int(r.number("hours", 24, 1, 48))
        s["step"] = int(r.number("step", 1, 1, 12))
        if s["hours"] % s["step"]:
            raise r.error("step", f"doit diviser hours ({s['hours']})")
        width = s["label_width"] + s["hours"] // s["step"] * s["hour_width"]
        if width > page_w + 1e-6:
            raise r.error("hour_width", f"grille de {width:g} mm plus large que la page "
                                        f"({page_w:g} mm en {orientation})")
        for n, label in enumerate(s["labels"]):
            _check_words(r, f"labels[{n}]", label, s["label_width"], size)
        _check_heading(r, "hour_width", "00h", s["hour_width"], size)
    elif kind in ("cases", "signatures"):
        s["labels"] = r.strings("labels")
        if kind == "cases":
            s["per_line"] = int(r.number("per_line", 2, 1, 6))
            for n, label in enumerate(s["labels"]):
                _check_words(r, f"labels[{n}]", label, page_w / s["per_line"] - 6, size)
        else:
            s["height"] = r.number("height", 20.0, 10.0, 80.0)
            for n, label in enumerate(s["labels"]):
                _check_words(r, f"labels[{n}]", label, page_w / len(s["labels"]) - 2, size)
    elif kind == "texte":
        s["lines"] = int(r.number("lines", 3, 1, 40))
    elif kind == "champs":
        s["per_line"] = int(r.number("per_line", 2, 1, 4))
        s["fields"] = _fields(r)
        for n, f in enumerate(s["fields"]):   # label on one line, in 60 % of its field at most
            if line_width(f"{f.label} :", size, "B") > page_w / s["per_line"] * 0.6:
                raise r.error(f"fields[{n}].label", f"« {f.label} » trop long pour "
                              f"{s['per_line']} champ(s) par ligne : raccourcir ou réduire "
                              "per_line")
    elif kind == "legende":
        s["text"] = r.text("text")
    return Section(**s)


def _columns(r: _Reader, page_w: float) -> tuple[FormColumn, ...]:
    raw = r.get("columns", list)
    if not raw:
        raise r.error("columns", "au moins une colonne attendue")
    out: list[FormColumn] = []
    end = 0.0
    for c, col in enumerate(raw):
        if not isinstance(col, dict):
            raise r.error(f"columns[{c}]", "{ title = \"…\", width = … } attendu")
        cr = _Reader(r.path, col, f"{r.prefix}columns[{c}].")
        cr.only("title", "width", "x")
        width = cr.number("width", None, 4.0, page_w)
        x = cr.number("x", end, 0.0, page_w)
        if x < end - 1e-6:
            raise cr.error("x", f"la colonne commence à {x:g} mm, dans la précédente qui "
                                f"finit à {end:g} mm : colonnes qui se chevauchent")
        end = x + width
        if end > page_w + 1e-6:
            raise cr.error("width", f"tableau de {end:g} mm plus large que la page "
                                    f"({page_w:g} mm)")
        out.append(FormColumn(cr.text("title", required=False), width, x))
    return tuple(out)


def _cells(r: _Reader, columns: int) -> tuple[tuple[str, ...], ...]:
    raw = r.get("cells", list, required=False) or []
    out = []
    for n, row in enumerate(raw):
        if not isinstance(row, list) or len(row) != columns or not all(
                isinstance(v, str) for v in row):
            raise r.error(f"cells[{n}]", f"liste de {columns} textes attendue (une par colonne)")
        out.append(tuple(row))
    return tuple(out)


def _fields(r: _Reader) -> tuple[FormField, ...]:
    raw = r.get("fields", list)
    out = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            raise r.error(f"fields[{n}]", "{ label = \"…\" } attendu")
        fr = _Reader(r.path, item, f"{r.prefix}fields[{n}].")
        fr.only("label", "fact")
        fact = fr.choice("fact", FACTS, required=False)
        out.append(FormField(fr.text("label"), fact))
    return tuple(out)


def _check_heading(r: _Reader, key: str, text: str, width: float, size: float) -> None:
    """A heading MUST fit its column in HEAD_LINES lines at 7 pt or more."""
    _check_words(r, key, text, width, size)
    if lines_at(text, width, MIN_PT, "B") > HEAD_LINES:
        raise r.error(key, f"« {text} » ne tient pas en {HEAD_LINES} lignes dans "
                           f"{width:g} mm même à 7 pt")


def _check_words(r: _Reader, key: str, text: str, width: float, size: float) -> None:
    """Every word MUST fit ``width`` mm at 7 pt at least: else it would print under 7 pt."""
    word, needed = widest_word(text, MIN_PT, "B")
    if needed > width:
        raise r.error(key, f"le mot « {word} » ne tient pas dans {width:g} mm même à 7 pt "
                           "(texte qui tomberait sous 7 pt) : élargir ou raccourcir")


class _Reader:
    """Typed reads of one TOML table, errors naming the file and the dotted key."""

    def __init__(self, path: Path, data: dict, prefix: str) -> None:
        self.path, self.data, self.prefix = path, data, prefix

    def error(self, key: str, what: str) -> TemplateError:
        return TemplateError(f"{self.path} : clé « {self.prefix}{key} » : {what}")

    def only(self, *keys: str) -> None:
        for key in self.data:
            if key not in keys:
                raise self.error(key, f"clé inconnue (clés possibles : {', '.join(keys)})")

    def get(self, key: str, kind: type, required: bool = True) -> Any:
        if key not in self.data:
            if required:
                raise self.error(key, "absente")
            return None
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.error(key, f"{_NAMES.get(kind, kind.__name__)} attendu")
        return value

    def text(self, key: str, required: bool = True) -> str:
        value = self.get(key, str, required)
        if required and not (value or "").strip():
            raise self.error(key, "texte vide")
        return (value or "").strip()

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, bool, required=False)
        return default if value is None else value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True) -> str:
        value = self.get(key, str, required)
        if value is None:
            return ""
        if value not in choices:
            raise self.error(key, f"« {value} » : valeurs possibles : {', '.join(choices)}")
        return value

    def strings(self, key: str, default: tuple[str, ...] | None = None,
                empty: bool = False) -> tuple[str, ...]:
        value = self.get(key, list, required=default is None)
        if value is None:
            return default or ()
        if (not value and not empty) or not all(isinstance(v, str) and v.strip()
                                                for v in value):
            raise self.error(key, "liste de textes non vides attendue")
        return tuple(v.strip() for v in value)

    def number(self, key: str, default: float | None, low: float, high: float,
               below: str = "") -> float:
        value = self.get(key, (int, float), required=default is None)  # type: ignore[arg-type]
        if value is None:
            return float(default or 0)
        if value < low:
            raise self.error(key, below or f"{value:g} : au moins {low:g} attendu")
        if value > high:
            raise self.error(key, f"{value:g} : au plus {high:g} attendu")
        return float(value)


_NAMES = {str: "texte entre guillemets", list: "liste [ … ]", bool: "true ou false",
          dict: "table"}
