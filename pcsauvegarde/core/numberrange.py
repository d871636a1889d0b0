"""Reserved number ranges as configured (``"90000001-90999999"``): parsing and overlaps.

Shared by the station (allocation) and the source side (the fleet report flags two stations
whose ranges overlap), hence in core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPEC = re.compile(r"^([A-Z]{0,4})(\d{1,17})-([A-Z]{0,4})(\d{1,17})$")


class NumberingError(ValueError):
    """A range that is misconfigured or cannot give numbers any more (French message)."""


@dataclass(frozen=True)
class NumberRange:
    """Numbers ``prefix`` + ``first..last`` zero-padded so that every number is ``width`` long."""

    name: str
    prefix: str
    first: int
    last: int
    width: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def format(self, value: int) -> str:
        return f"{self.prefix}{value:0{self.width - len(self.prefix)}d}"

    def holds(self, number: str) -> bool:
        """Whether ``number`` is one this range gives (prefix, width, value in bounds)."""
        digits = number[len(self.prefix):]
        return (len(number) == self.width and number.startswith(self.prefix)
                and digits.isdigit() and self.first <= int(digits) <= self.last)

    def describe(self) -> str:
        return f"{self.format(self.first)}–{self.format(self.last)}"

    def contains(self, number: str) -> bool:
        """Whether ``number`` is one this range gives (prefix, width and serial bounds)."""
        digits = number[len(self.prefix):]
        return (len(number) == self.width and number.startswith(self.prefix)
                and digits.isdigit() and self.first <= int(digits) <= self.last)


def parse_range(name: str, spec: str) -> NumberRange:
    """``"90000001-90999999"`` → a NumberRange; MUST raise NumberingError when inconsistent."""
    m = _SPEC.match(spec.strip().replace(" ", ""))
    if not m:
        raise NumberingError(f"plage « {name} » : « {spec} » illisible (attendu par exemple "
                             "90000001-90999999, même longueur que les numéros réels)")
    prefix, first, prefix2, last = m.groups()
    if prefix != prefix2 or len(first) != len(last):
        raise NumberingError(f"plage « {name} » : « {spec} » : début et fin doivent avoir le même "
                             "préfixe et la même longueur")
    if int(first) > int(last):
        raise NumberingError(f"plage « {name} » : « {spec} » : début après la fin")
    return NumberRange(name, prefix, int(first), int(last), len(prefix) + len(first))


EXERCISE_SUFFIX = "-exercice"
# The first digit after the exercise letters tells the kinds apart (EX1… an IPP, EX4… a tray):
# the exercise ranges never overlap one another either.
EXERCISE_BLOCKS = {"ipp": 1, "nda": 2, "labo": 3, "plateaux": 4}


def exercise_range(real: NumberRange, prefix: str, kind: str) -> NumberRange:
    """The range an exercise draws from instead of ``real``: as wide as the real numbers, but
    starting with the exercise letters (``EX``) then the kind's digit, so it never gives a real
    number and never advances the real range; MUST raise NumberingError when too short."""
    if not re.fullmatch(r"[A-Z]{1,4}", prefix):
        raise NumberingError(f"préfixe d'exercice « {prefix} » invalide (1 à 4 lettres "
                             "majuscules, par exemple EX)")
    digits = real.width - len(prefix)
    if digits < 2:
        raise NumberingError(f"plage « {real.name} » : numéros de {real.width} caractères, "
                             f"trop courts pour le préfixe d'exercice « {prefix} »")
    block = 10 ** (digits - 1)
    first = EXERCISE_BLOCKS[kind] * block
    return NumberRange(real.name + EXERCISE_SUFFIX, prefix, first + 1, first + block - 1,
                       real.width)



def overlap(a: NumberRange, b: NumberRange) -> bool:
    """Whether two ranges can give the same number (same prefix and width, serials meet)."""
    return (a.prefix == b.prefix and a.width == b.width
            and a.first <= b.last and b.first <= a.last)


def overlapping(ranges: Iterable[tuple[str, NumberRange]]) -> list[tuple[str, str]]:
    """Pairs of owners (station, setting…) whose ranges overlap, each pair once."""
    items = list(ranges)
    return [(na, nb) for i, (na, ra) in enumerate(items) for nb, rb in items[i + 1:]
            if overlap(ra, rb)]
