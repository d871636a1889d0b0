"""French medicinal product codes (CIP7, CIP13, UCD7, UCD13): kind and EAN-13 check key."""

from __future__ import annotations

# CIP13 and UCD13 are EAN-13 numbers in the « 3400 » prefix of the CIP club: « 34009 » then
# the CIP (officine packs), « 34008 » then the UCD (hospital dispensing units).
_PREFIX_KINDS = {"34009": "CIP13", "34008": "UCD13"}


class ProductCodeError(ValueError):
    """A product code that is not a valid CIP/UCD (French message, naming the code)."""


def ean13_check_digit(first12: str) -> int:
    """The EAN-13 key of 12 digits: weights 1, 3, 1, 3… from the left, to the next ten."""
    if len(first12) != 12 or not first12.isdigit():
        raise ProductCodeError(f"« {first12} » : 12 chiffres attendus pour calculer la clé")
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return (10 - total % 10) % 10


def code_kind(code: str) -> str:
    """« CIP13 », « UCD13 », « EAN13 » (another 3400 code), or « CIP7/UCD7 » (7 digits)."""
    code = code.strip()
    if len(code) == 7 and code.isdigit():
        return "CIP7/UCD7"   # 7-digit codes carry no EAN key: only their shape is checked
    if len(code) == 13 and code.isdigit():
        return _PREFIX_KINDS.get(code[:5], "EAN13")
    raise ProductCodeError(f"code produit « {code} » : 7 ou 13 chiffres attendus")


def check_product_code(code: str) -> str:
    """The kind of a valid code; ProductCodeError (French) for a bad shape or a wrong key."""
    kind = code_kind(code)
    code = code.strip()
    if len(code) == 13:
        expected = ean13_check_digit(code[:12])
        if int(code[12]) != expected:
            raise ProductCodeError(f"code {kind} « {code} » : clé de contrôle fausse "
                                   f"({code[12]} lu, {expected} attendu)")
        if not code.startswith("3400"):
            raise ProductCodeError(f"code « {code} » : un CIP13/UCD13 commence par 3400")
    return kind


def product_code_problem(code: str) -> str | None:
    """None for a valid code, else the French reason (for pages that list, not refuse)."""
    try:
        check_product_code(code)
    except ProductCodeError as exc:
        return str(exc)
    return None
