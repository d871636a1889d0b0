"""The INS (identifiant national de santé): NIR or NIA with its control key, Corsica included."""

from __future__ import annotations

import re

_INS = re.compile(r"^(\d)(\d{4})(\d{2}|2A|2B)(\d{6})(\d{2})$")


def ins_problem(value: str, check_key: bool = True) -> str:
    """Why ``value`` is not a valid INS (French), or "" when it is one.

    15 characters: a 13-character NIR (first digit 1–4) or NIA (7 or 8) whose department may
    be 2A/2B (Corsica, counted as 19/18 in the key), then the key 97 - (number mod 97).
    Importers check the key; a record's check (station side, where one bad record would
    refuse a whole package) checks the shape only.
    """
    m = _INS.match(value)
    if not m:
        return "15 caractères attendus (NIR ou NIA : 13 chiffres, 2A/2B pour la Corse, et la clé)"
    if m[1] not in "123478":
        return "premier chiffre 1, 2, 3, 4, 7 ou 8 attendu"
    if not check_key:
        return ""
    department = {"2A": "19", "2B": "18"}.get(m[3], m[3])
    number = int(m[1] + m[2] + department + m[4])
    if 97 - number % 97 != int(m[5]):
        return f"clé de contrôle {m[5]} incorrecte (attendue {97 - number % 97:02d})"
    return ""
