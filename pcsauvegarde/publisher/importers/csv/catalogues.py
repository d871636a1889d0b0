"""CSV catalogue importer: pharmacy, sterilisation and directory files → canonical records.

The kind of a file comes from its name (``produits.csv``, ``dotations-2026-11.csv``…, see
:mod:`csv_specs` and docs/csv-catalogues.md). Separator ``;``, ``,`` or tab (sniffed from the
header), UTF-8, UTF-16 or Windows-1252 (see :mod:`textfile`). A missing required column refuses the
file; a bad line is refused alone, naming the file, line and column. MUST NOT raise on content.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.records import Record, RecordError, Tray, TrayLine, record_from_dict
from pcsauvegarde.core.text import clean_data
from pcsauvegarde.publisher.importers.csv.specs import KINDS, CellError, FileKind
from pcsauvegarde.publisher.importers.csv.textfile import (
    FileFormatError,
    decode,
    double_encoded,
    header_problem,
    row_problem,
    sniff_separator,
    split_hint,
)


@dataclass(frozen=True)
class CsvRejection:
    """A refused file (line 0) or line, with the column when one is at fault."""

    file: str
    line: int
    column: str
    reason_fr: str

    def message(self) -> str:
        where = self.file
        if self.line:
            where += f", ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.reason_fr}"

    __str__ = message


@dataclass
class CsvResult:
    records: list[Record] = field(default_factory=list)
    rejections: list[CsvRejection] = field(default_factory=list)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    cleaned: Counter[str] = field(default_factory=Counter)
    """Fields per record type from which control or bidi characters were removed."""

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.TYPE for r in self.records))

    def of_type(self, name: str) -> list[Record]:
        return [r for r in self.records if r.TYPE == name]


def kind_of(path: Path) -> FileKind | None:
    """The file kind named by the start of the file name (accents and case ignored)."""
    stem = normalise(Path(path).stem)
    for name in sorted(KINDS, key=len, reverse=True):
        if stem == name or re.match(rf"{name}[_\-. ]", stem):
            return KINDS[name]
    return None


def normalise(header: str) -> str:
    """« Quantité » → « quantite », « Réf. fournisseur » → « ref_fournisseur »."""
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def import_catalogues(paths: Iterable[Path]) -> CsvResult:
    """Read catalogue files (any order: compositions are joined to trays at the end)."""
    result = CsvResult()
    rows: dict[str, list[tuple[str, int, dict]]] = {}
    for path in paths:
        path = Path(path)
        kind = kind_of(path)
        if kind is None:
            result.rejections.append(CsvRejection(
                path.name, 0, "", "type de fichier inconnu : le nom doit commencer par "
                + ", ".join(sorted(KINDS))))
            continue
        for number, values in _read(path, kind, result):
            rows.setdefault(kind.name, []).append((path.name, number, values))
    trays: dict[str, tuple[str, int, dict]] = {}
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for kind_name in KINDS:
        if kind_name == "compositions":
            continue
        for file, number, values in rows.get(kind_name, []):
            kind = KINDS[kind_name]
            if kind.record_type == "ward_stock":
                values["id"] = f"{values['unit']}-{values['product_id']}"
            elif kind.record_type == "supplier_order_line":
                values["id"] = f"{values['order_number']}-{values['product_id']}"
            elif kind.record_type == "ward_request_line":   # one line per unit, product, day
                values["id"] = (f"{values['unit']}-{values['product_id']}-"
                                f"{values['requested_at']:%Y%m%dT%H%M}")
            elif kind.record_type == "sterilisation_cycle":
                values["id"] = f"{values['sterilizer']}-{values['cycle_number']}"
            key = (kind.record_type, values["id"])
            if key in seen:
                result.rejections.append(CsvRejection(
                    file, number, "", f"« {values['id']} » en double (déjà {seen[key][0]}, "
                    f"ligne {seen[key][1]}) : ligne ignorée"))
                continue
            seen[key] = (file, number)
            if kind.record_type == "tray":
                trays[values["id"]] = (file, number, values)
            else:
                _add(result, file, number, kind.record_type, values)
    lines: dict[str, list[TrayLine]] = {}
    for file, number, values in rows.get("compositions", []):
        if values["tray"] not in trays:
            result.rejections.append(CsvRejection(file, number, "plateau",
                                                  f"plateau « {values['tray']} » inconnu"))
            continue
        lines.setdefault(values["tray"], []).append(
            TrayLine(values["instrument"], values["quantity"], values.get("ref", "")))
    for code, (file, number, values) in trays.items():
        values["composition"] = [line.__dict__ for line in lines.get(code, [])]
        _add(result, file, number, Tray.TYPE, values)
    result.rejections.sort(key=lambda r: (r.file, r.line))  # reads like the files
    return result


def _add(result: CsvResult, file: str, number: int, rtype: str, values: dict) -> None:
    data = {k: v for k, v in values.items() if v not in ("", None)}
    try:
        clean, cleaned = clean_data({"type": rtype, **_json(data)})  # control/bidi chars
        result.records.append(record_from_dict(clean))
        if cleaned:
            result.cleaned[rtype] += cleaned
    except RecordError as exc:
        result.rejections.append(CsvRejection(file, number, "", str(exc)))


def _json(values: dict) -> dict:
    """Values as record_from_dict expects them (datetimes as ISO text, tuples as lists)."""
    from pcsauvegarde.core.records import format_utc

    out = {}
    for k, v in values.items():
        if hasattr(v, "tzinfo"):
            v = format_utc(v)
        elif isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


def _read(path: Path, kind: FileKind, result: CsvResult):
    """Yield (line number, field values) for each good line of one file."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        result.rejections.append(CsvRejection(path.name, 0, "",
                                               f"fichier illisible ({exc.strerror})"))
        return
    except FileFormatError as exc:
        result.rejections.append(CsvRejection(path.name, 0, "", f"{exc} : fichier refusé"))
        return
    text, hinted = split_hint(text)
    separator = hinted or sniff_separator(text.split("\n", 1)[0])
    offset = 1 if hinted else 0   # line numbers stay those of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        raw_header = next(reader)
    except StopIteration:
        result.rejections.append(CsvRejection(path.name, 0, "", "fichier vide"))
        return
    except csv.Error as exc:
        result.rejections.append(CsvRejection(path.name, 0, "", f"en-tête illisible ({exc})"))
        return
    problem = header_problem(raw_header, separator)
    if problem:
        result.rejections.append(CsvRejection(path.name, 0, "", f"{problem} : fichier refusé"))
        return
    garbled = [(h, fixed) for h in raw_header if (fixed := double_encoded(h))]
    if garbled:
        seen, fixed = garbled[0]
        result.rejections.append(CsvRejection(
            path.name, 0, "", f"problème d'encodage : l'en-tête « {seen} » devrait se lire "
            f"« {fixed} » (fichier UTF-8 relu en Windows-1252 puis réenregistré) ; "
            "réexporter le fichier en UTF-8 ou en Windows-1252 : fichier refusé"))
        return
    header = [normalise(h) for h in raw_header]
    missing = [c for c in kind.required() if c not in header]
    if missing:
        result.rejections.append(CsvRejection(
            path.name, 0, "", f"colonne(s) obligatoire(s) absente(s) : {', '.join(missing)} "
            f"(colonnes lues : {', '.join(h for h in header if h) or 'aucune'}) : fichier refusé"))
        return
    known = {c.name for c in kind.columns}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        result.ignored_columns[path.name] = unknown
    index = {h: i for i, h in reversed(list(enumerate(header)))}
    for row in reader:
        number = reader.line_num + offset
        if not any(cell.strip() for cell in row):
            continue
        problem = row_problem(row, len(header), separator)
        if problem:
            result.rejections.append(CsvRejection(path.name, number, "", problem))
            continue
        values = _line(path.name, number, kind, index, row, result)
        if values is not None:
            yield number, values


def _line(file: str, number: int, kind: FileKind, index: dict, row: list[str],
          result: CsvResult) -> dict | None:
    values: dict = {}
    for col in kind.columns:
        pos = index.get(col.name)
        cell = row[pos] if pos is not None and pos < len(row) else ""
        if not cell.strip():
            if col.required:
                result.rejections.append(CsvRejection(file, number, col.name,
                                                      "valeur obligatoire absente"))
                return None
            continue
        try:
            values[col.field] = col.parse(cell)  # type: ignore[operator]
        except CellError as exc:
            result.rejections.append(CsvRejection(file, number, col.name, str(exc)))
            return None
    return values
