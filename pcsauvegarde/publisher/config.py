"""publisher.toml: every key declared once (type, required, help) and validated strictly.

The same declaration drives the validator and the reference page ``docs/publisher-toml.md``
(``reference_markdown``), so the documentation cannot list a key the validator refuses or miss
one it accepts. An unknown key is refused with the file, the line and the nearest valid key:
a misspelt ``unit`` must not silently publish every unit.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class PublisherConfigError(ValueError):
    """publisher.toml cannot be used (French message naming the file, line and key)."""


@dataclass(frozen=True)
class Key:
    """One key of publisher.toml."""

    name: str
    kind: type            # str, int or list (of strings)
    help: str
    required: bool = False
    default: Any = None
    example: str = ""


TOP_KEYS = (
    Key("drop_dir", str, "Dossier de dépôt où les paquets (et `index.txt`) sont écrits ; "
        "relatif au dossier de publisher.toml.", required=True, example='"drop"'),
    Key("signing_key", str, "Clé secrète minisign qui signe chaque paquet (créée par "
        "`pcsauvegarde keys --publisher-dir`) ; relative au dossier de publisher.toml.",
        required=True, example='"publisher.key"'),
    Key("state_file", str, "Mémoire de l'émetteur (séquences, empreintes pour les deltas), "
        "SQLite.", default="publisher-state.sqlite"),
    Key("source", str, "Nom de l'émetteur inscrit dans chaque manifeste.",
        default="pcsauvegarde-publisher"),
    Key("full_every_minutes", int, "Avec `--kind auto` : un paquet complet quand le dernier "
        "date de plus de ce nombre de minutes (au moins 1).", default=60),
    Key("hl7v2", dict, "Comment le flux HL7 v2 de l'hôpital porte ses identifiants : un bloc "
        "`[hl7v2]` (clés `hl7v2.*` ci-dessous).", default={}),
    Key("stations", list, "Les stations servies : un bloc `[[stations]]` par station.",
        required=True),
)
HL7_KEYS = (
    Key("ipp_authorities", list, "Espace de noms ou OID (PID-3.4) de l'index patient de "
        "l'hôpital ; vide : accepté tant qu'un message ne porte qu'un identifiant du bon type.",
        default=[]),
    Key("ipp_types", list, "Types d'identifiant (PID-3.5) qui portent l'IPP (`PI` selon IHE PAM "
        "France).", default=["PI"]),
    Key("nda_field", str, "Où se trouve le numéro de séjour (NDA) : `PV1-19` ou `PID-18`.",
        default="PV1-19"),
)
STATION_KEYS = (
    Key("id", str, "Identifiant de la station (minuscules, chiffres, tirets), celui de son "
        "`station_id`.", required=True, example='"rea-1"'),
    Key("recipients", list, "Clés publiques age de la station (`age1…`, affichées par "
        "`pcsauvegarde init` ou `keys`) ; au moins une.", required=True,
        example='["age1…"]'),
    Key("units", list, "Unités servies (codes des unités). Obligatoire : `[\"*\"]` pour "
        "toutes, explicitement.", required=True, example='["REA", "MED"]'),
    Key("group", str, "Groupe de stations partageant un seul paquet par domaine (mêmes "
        "unités) ; les stations l'ajoutent à leur réglage `scopes`.", default=""),
    Key("patients_without_stay", bool, "Reçoit aussi les patients qu'aucune station ne sert "
        "par leurs séjours (sans séjour, ou séjours dans des unités non desservies) : la "
        "station « consultations / urgences ».", default=False),
    Key("heartbeat_key", str, "Clé publique minisign des signaux de vie de la station (ligne "
        "`RW…` affichée par `pcsauvegarde keys` sur le poste) : `pcsauvegarde fleet` refuse "
        "tout signal de vie de cette station signé par une autre clé.", default="",
        example='"RWS…"'),
    Key("location", str, "Où se trouve le poste (bâtiment, étage, bureau), pour le rapport "
        "de parc.", default="", example='"Bât. B, 2e étage, poste de soins"'),
)
_STATION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def read_publisher_toml(path: Path) -> dict[str, Any]:
    """The validated values of publisher.toml, defaults filled in (stations: list of dicts)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PublisherConfigError(f"« {path} » : configuration illisible ({exc})") from None
    where = _Where(path, text)
    values = _check_table(data, TOP_KEYS, where, None)
    values["hl7v2"] = _check_table(values["hl7v2"], HL7_KEYS, where, "hl7v2")
    stations = values["stations"]
    if not stations or not all(isinstance(s, dict) for s in stations):
        raise PublisherConfigError(f"{where.at('stations', None)} : au moins un bloc "
                                   "[[stations]] attendu")
    values["stations"] = [_check_station(s, where, i) for i, s in enumerate(stations)]
    if values["full_every_minutes"] < 1:
        raise PublisherConfigError(f"{where.at('full_every_minutes', None)} : "
                                   "full_every_minutes doit valoir au moins 1")
    return values


def _check_station(station: dict, where: _Where, index: int) -> dict[str, Any]:
    values = _check_table(station, STATION_KEYS, where, index)
    sid = values["id"]
    if not _STATION_ID.match(sid):
        raise PublisherConfigError(f"{where.at('id', index)} : station « {sid} » : id invalide "
                                   "(minuscules, chiffres et tirets)")
    if not values["recipients"]:
        raise PublisherConfigError(f"{where.at('recipients', index)} : station « {sid} » : "
                                   "aucun destinataire")
    units = values["units"]
    if not units or any(not u.strip() for u in units):
        raise PublisherConfigError(f"{where.at('units', index)} : station « {sid} » : liste "
                                   "d'unités vide ; écrire [\"*\"] pour toutes les unités")
    if "*" in units and len(units) > 1:
        raise PublisherConfigError(f"{where.at('units', index)} : station « {sid} » : « * » "
                                   "(toutes les unités) ne se combine pas avec d'autres codes")
    if values["group"] and not _STATION_ID.match(values["group"]):
        raise PublisherConfigError(f"{where.at('group', index)} : station « {sid} » : groupe "
                                   f"« {values['group']} » invalide")
    return values


def _check_table(table: dict, keys: tuple[Key, ...], where: _Where,
                 index: int | str | None) -> dict[str, Any]:
    declared = {k.name: k for k in keys}
    for name in table:
        if name not in declared:
            near = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.5)
            hint = f" ; vouliez-vous dire « {near[0]} » ?" if near else ""
            valid = ", ".join(declared)
            raise PublisherConfigError(f"{where.at(name, index)} : clé inconnue « {name} »"
                                       f"{hint} (clés valides : {valid})")
    values: dict[str, Any] = {}
    for key in keys:
        if key.name not in table:
            if key.required:
                block = ("le fichier" if index is None else f"le bloc [{index}]"
                         if isinstance(index, str) else f"le bloc [[stations]] n° {index + 1}")
                raise PublisherConfigError(f"« {where.path} » : clé « {key.name} » manquante "
                                           f"dans {block}")
            values[key.name] = key.default
            continue
        value = table[key.name]
        ok = isinstance(value, key.kind) and (key.kind is bool or not isinstance(value, bool))
        if ok and isinstance(value, list) and key.name != "stations":
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            wanted = {str: "un texte entre guillemets", int: "un nombre entier",
                      list: "une liste de textes", bool: "true ou false",
                      dict: "un bloc [table]"}[key.kind]
            raise PublisherConfigError(f"{where.at(key.name, index)} : « {key.name} » doit être "
                                       f"{wanted}")
        values[key.name] = value
    return values


class _Where:
    """Finds the line of a key (tomllib gives none) for messages an operator can act on."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def at(self, key: str, station: int | str | None) -> str:
        line = self._line(key, station)
        return f"« {self.path} », ligne {line}" if line else f"« {self.path} »"

    def _line(self, key: str, table: int | str | None) -> int | None:
        """``table``: None (top level), the index of a [[stations]] block, or a table name."""
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        block: int | str | None = None
        seen = -1
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if stripped.startswith("[["):
                seen += stripped.startswith("[[stations]]")
                block = seen if stripped.startswith("[[stations]]") else "?"
                continue
            if stripped.startswith("["):
                block = stripped.strip("[] ").split("]")[0]
                continue
            if pattern.match(line) and block == table:
                return number
        if table is None and key in {k.name for k in TOP_KEYS if k.kind is dict}:
            return next((n for n, line in enumerate(self.lines, 1)
                         if line.strip() == f"[{key}]"), None)
        return None


def reference_markdown() -> str:
    """The key reference of publisher.toml, from the declaration the validator uses."""
    out = ["| Clé | Type | Obligatoire | Défaut | Rôle |", "|---|---|---|---|---|"]
    for prefix, keys in (("", TOP_KEYS), ("hl7v2.", HL7_KEYS), ("stations.", STATION_KEYS)):
        for k in keys:
            kind = {str: "texte", int: "entier", list: "liste", bool: "vrai/faux",
                    dict: "bloc `[hl7v2]`"}[k.kind]
            if k.name == "stations":
                kind = "blocs `[[stations]]`"
            default = "—" if k.required or k.default in (None, {}) else (
                f"`{str(k.default).lower()}`" if isinstance(k.default, bool)
                else f"`{k.default!r}`")
            out.append(f"| `{prefix}{k.name}` | {kind} | {'oui' if k.required else 'non'} | "
                       f"{default.replace(chr(39), chr(34))} | {k.help} |")
    return "\n".join(out) + "\n"
