"""High-water marks of the reserved ranges, kept in a file outside station.sqlite.

A station restored from a backup gets an older station.sqlite whose ranges would give again
numbers already stuck on tubes and wristbands. The next number of every range is therefore
also written (atomically, fsynced) to a small file that the hospital keeps out of the backup
set (setting ``numbering_high_water_file``): allocation starts from the higher of the two and
never goes back. The file is written while SQLite's write lock is held, before the commit, so
it can only be ahead of the database (a gap of unused numbers), never behind it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write

FORMAT = "pcsauvegarde-high-water/1"


class HighWaterError(RuntimeError):
    """A high-water file that cannot be trusted: allocation stops (French message)."""


class HighWater:
    """Next number of each range, per range name, in one JSON file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> dict[str, int]:
        """Range name → next number; {} when the file does not exist yet."""
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise HighWaterError(
                f"« {self.path} » : registre des numéros déjà émis illisible ({exc}). Aucun "
                "numéro n'est attribué tant qu'il n'est pas réparé (l'administrateur le "
                "restaure ou le recrée avec les derniers numéros imprimés).") from None
        nexts = data.get("next") if isinstance(data, dict) else None
        if data.get("format") != FORMAT or not isinstance(nexts, dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in nexts.values()):
            raise HighWaterError(f"« {self.path} » : registre des numéros déjà émis "
                                 "invalide (format inattendu) : aucun numéro n'est attribué.")
        return {str(k): v for k, v in nexts.items()}

    def next(self, name: str) -> int:
        return self.read().get(name, 0)

    def advance(self, name: str, value: int) -> None:
        """Record that ``name`` will next give ``value`` (never lowers a mark)."""
        marks = self.read()
        if marks.get(name, 0) >= value:
            return
        marks[name] = value
        atomic_write(self.path, json.dumps({"format": FORMAT, "next": marks},
                                           sort_keys=True).encode(), mode=0o600)
