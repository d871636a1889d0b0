"""Reading a catalogue file as text: its encoding and separator, and why it cannot be read.

Excel on a French Windows writes Windows-1252 with « ; », « Texte Unicode » writes UTF-16
with tabs, « CSV UTF-8 » adds a BOM, and some exports start with « sep=; »: all are read.
What cannot be read is said in French with what to do, never guessed (FileFormatError).
"""

from __future__ import annotations

SEPARATORS = (";", ",", "\t")
_NAMES = {";": "« ; »", ",": "« , »", "\t": "tabulation", "|": "« | »", ":": "« : »"}
_OTHER = ("|", ":")   # separators some exports use and we refuse, naming them


class FileFormatError(ValueError):
    """A file that is not CSV text we can read (French, without the file name)."""


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; FileFormatError otherwise."""
    if data.startswith(b"PK\x03\x04"):
        raise FileFormatError("classeur Excel (.xlsx) ou archive, pas un fichier CSV : "
                              "« Enregistrer sous » CSV UTF-8 (séparateur point-virgule)")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    head = data[:4096]
    # UTF-16 text has a NUL every other byte; a stray NUL is a control character, cleaned later
    if head and head.count(0) * 5 > len(head):
        raise FileFormatError("octets nuls dans le fichier : UTF-16 sans BOM ou fichier "
                              "binaire ; réexporter en CSV UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileFormatError(
            f"encodage non reconnu : l'octet 0x{data[exc.start]:02X} (ligne {line}) n'est ni "
            "de l'UTF-8 ni du Windows-1252 ; réexporter le fichier en UTF-8") from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileFormatError(f"fichier annoncé {encoding.upper()} (BOM) mais illisible "
                              f"ligne {line} : réexporter le fichier") from None


def double_encoded(text: str) -> str:
    """The text as it was meant when it is UTF-8 read as Windows-1252 (« UnitÃ© »), else ""."""
    if not any(c in text for c in "ÃÂÅ"):
        return ""
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return ""
    return fixed if fixed != text else ""


def split_hint(text: str) -> tuple[str, str]:
    """(text without an Excel « sep=X » first line, X or "")."""
    first, _, rest = text.partition("\n")
    hint = first.strip().lower()
    if hint.startswith("sep=") and len(hint) == 5:
        return rest, first.strip()[4]
    return text, ""


def sniff_separator(header: str) -> str:
    """The separator of a header line: the most frequent of « ; », « , », tab (« ; » on ties)."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] else ";"


def header_problem(header: list[str], separator: str) -> str | None:
    """Why a one-column header is a separator problem (another separator inside), or None."""
    if len(header) != 1:
        return None
    found = [s for s in (*_OTHER, *SEPARATORS) if s != separator and s in header[0]]
    if separator not in SEPARATORS:
        return (f"séparateur {_NAMES.get(separator, repr(separator))} (ligne « sep= ») non "
                "accepté : utiliser « ; », « , » ou une tabulation")
    if not found:
        return None
    return (f"séparateur non reconnu : l'en-tête « {header[0][:60]} » ne forme qu'une colonne "
            f"(séparateur {_NAMES[found[0]]} ?) ; séparer les colonnes par « ; » (Excel "
            "français), « , » ou une tabulation")


def row_problem(row: list[str], columns: int, separator: str) -> str | None:
    """Why a data line does not split like the header (other separator, unquoted comma)."""
    if len(row) == 1 and columns > 1:
        other = [s for s in SEPARATORS if s != separator and s in row[0]]
        if other:
            return (f"une seule valeur : séparateur {_NAMES[other[0]]} dans cette ligne, "
                    f"{_NAMES[separator]} dans l'en-tête ; ligne refusée")
    extra = [c for c in row[columns:] if c.strip()]
    if extra:
        why = (" (virgule décimale sans guillemets dans un fichier séparé par des virgules ?)"
               if separator == "," else "")
        return (f"{len(row)} valeurs pour {columns} colonnes d'en-tête{why} : "
                "ligne refusée plutôt que tronquée")
    return None
