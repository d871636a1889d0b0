"""Check characters a laboratory system may expect at the end of its accession numbers.

Each algorithm is computed over the digits of the number (letters of a prefix are not part of
it), as the LIS documentation of the hospital states it; pick the one the LIS validates:

- ``luhn``: mod 10 « Luhn » (ISO/IEC 7812-1 annex B), one digit;
- ``mod11``: ISO 7064 MOD 11-2, one character 0–9 or X (ORCID, ISNI);
- ``mod97``: ISO 7064 MOD 97-10, two digits (IBAN, many LIS).
"""

from __future__ import annotations

from collections.abc import Callable


class CheckError(ValueError):
    """An unknown check algorithm or a number without digits (French message)."""


def _digits(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    if not digits:
        raise CheckError(f"« {number} » : aucun chiffre sur lequel calculer la clé")
    return digits


def luhn(number: str) -> str:
    """Mod 10 Luhn check digit of ``number``'s digits."""
    total = 0
    for i, c in enumerate(reversed(_digits(number))):
        d = int(c)
        if i % 2 == 0:  # from the right, every other digit starting with the rightmost
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def mod11_2(number: str) -> str:
    """ISO 7064 MOD 11-2 check character (0–9 or X)."""
    total = 0
    for c in _digits(number):
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def mod97_10(number: str) -> str:
    """ISO 7064 MOD 97-10 check digits (two)."""
    return f"{98 - int(_digits(number)) * 100 % 97:02d}"


ALGORITHMS: dict[str, tuple[Callable[[str], str], int, str]] = {
    "none": (lambda number: "", 0, "sans clé"),
    "luhn": (luhn, 1, "clé Luhn (mod 10)"),
    "mod11": (mod11_2, 1, "clé ISO 7064 MOD 11-2"),
    "mod97": (mod97_10, 2, "clé ISO 7064 MOD 97-10"),
}


def check_length(algorithm: str) -> int:
    """How many characters ``algorithm`` appends."""
    return _algorithm(algorithm)[1]


def with_check(number: str, algorithm: str) -> str:
    """``number`` followed by its check character(s)."""
    return number + _algorithm(algorithm)[0](number)


def is_valid(full: str, algorithm: str) -> bool:
    """Whether the last character(s) of ``full`` are the check of the rest."""
    size = check_length(algorithm)
    if size == 0:
        return True
    body, check = full[:-size], full[-size:]
    try:
        return bool(body) and _algorithm(algorithm)[0](body) == check
    except CheckError:
        return False


def _algorithm(name: str) -> tuple[Callable[[str], str], int, str]:
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise CheckError(f"algorithme de clé « {name} » inconnu "
                         f"({', '.join(ALGORITHMS)})") from None
