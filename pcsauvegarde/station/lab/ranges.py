"""The laboratory's reserved range of a station: prefix, serial digits, check, tube suffix.

A lab number is ``prefix + serial + check``, exactly as long as the numbers the LIS assigns
(``lab_number_length``), from a block the hospital reserved for this station so that it never
collides with the LIS or another station. A patient's tubes share the number and add a tube
suffix (``01``, ``02``…) when the LIS reads one; the barcode carries number and suffix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pcsauvegarde.core.numberrange import exercise_range
from pcsauvegarde.station.lab.checkchar import ALGORITHMS, CheckError, check_length, with_check
from pcsauvegarde.station.state.numbering import NumberingError, NumberRange, parse_range

RANGE_NAME = "labo"
MIN_SIZE = 100   # fewer numbers than this is a typo, not a downtime reserve


@dataclass(frozen=True)
class LabRange:
    """A validated lab range: the serial numbers (NumberRange), their check and tube suffix."""

    serial: NumberRange
    check: str = "none"
    suffix_digits: int = 2

    @property
    def length(self) -> int:
        """Length of a lab number (without tube suffix): the LIS accession length."""
        return self.serial.width + check_length(self.check)

    def number(self, serial: str) -> str:
        """The printed lab number of an allocated serial (check appended)."""
        return with_check(serial, self.check)

    def tube(self, number: str, tube: int) -> str:
        """What a tube's label and barcode carry: number plus tube suffix (1-based)."""
        if self.suffix_digits == 0:
            return number
        return f"{number}{tube:0{self.suffix_digits}d}"

    @property
    def max_tubes(self) -> int:
        """Tubes a patient may get: as many as the suffix can number (none: one number each)."""
        return 10 ** self.suffix_digits - 1 if self.suffix_digits else 1

    def describe(self) -> str:
        """« 9000001–9099999 (8 caractères, clé Luhn (mod 10), suffixe tube 2 chiffres) »."""
        suffix = (f", suffixe tube {self.suffix_digits} chiffre(s)" if self.suffix_digits
                  else ", sans suffixe tube")
        return (f"{self.serial.describe()} ({self.length} caractères, "
                f"{ALGORITHMS[self.check][2]}{suffix})")


def parse_lab_range(spec: str, length: int = 0, check: str = "none",
                    suffix_digits: int = 2) -> LabRange:
    """Check a configured lab range; MUST raise NumberingError (French) when unusable.

    ``length`` is the LIS accession length (0: not checked); a range whose numbers would be
    longer or shorter than that is refused, so that labels never carry a number the LIS
    cannot read.
    """
    serial = parse_range(RANGE_NAME, spec)
    if check not in ALGORITHMS:
        raise NumberingError(f"plage « {RANGE_NAME} » : lab_check « {check} » inconnu "
                             f"({', '.join(ALGORITHMS)})")
    if not 0 <= suffix_digits <= 2:
        raise NumberingError(f"plage « {RANGE_NAME} » : lab_tube_suffix_digits "
                             f"{suffix_digits} hors limites (0 à 2)")
    rng = LabRange(serial, check, suffix_digits)
    if length and rng.length != length:
        raise NumberingError(
            f"plage « {RANGE_NAME} » : « {spec} » donne des numéros de {rng.length} "
            f"caractères ({serial.width} + clé {check_length(check)}) alors que le "
            f"laboratoire en attend {length} (lab_number_length)")
    if serial.size < MIN_SIZE:
        raise NumberingError(f"plage « {RANGE_NAME} » : « {spec} » trop courte "
                             f"({serial.size} numéros, {MIN_SIZE} au moins)")
    if serial.width - len(serial.prefix) > 0 and check != "none":
        try:
            rng.number(serial.format(serial.first))
        except CheckError as exc:
            raise NumberingError(f"plage « {RANGE_NAME} » : {exc}") from None
    return rng


def exercise_lab_range(rng: LabRange, prefix: str) -> LabRange:
    """The lab range of an exercise: labels as long as the real ones (check included) but
    starting with the exercise letters, so the LIS can never take one for a real number."""
    serial = exercise_range(replace(rng.serial, width=rng.length), prefix, "labo")
    return LabRange(serial, "none", rng.suffix_digits)
