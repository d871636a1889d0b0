"""HL7 v2 as events: messages landing over time replay onto the state the earlier ones left."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.records import Record
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.importers.hl7v2.importer import (
    Hl7Rejection,
    Hl7Result,
    _Importer,
    split_messages,
)


class _Touched(dict):
    """The importer's state, noting every key a message writes."""

    def __init__(self) -> None:
        super().__init__()
        self.touched: dict[tuple[str, str], None] = {}

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.touched[key] = None

    def pop(self, key, *default):
        self.touched[key] = None  # cancelled (A11…) or merged away (A40): gone if not re-added
        return super().pop(key, *default)


class Hl7Session:
    """One importer kept across batches: an A03 finds the stay its A01 opened an hour ago."""

    def __init__(self, options: Hl7Options | None = None) -> None:
        self.importer = _Importer(options or Hl7Options())
        self.state = _Touched()
        self.importer.state = self.state

    def apply(self, paths: Iterable[Path]) -> tuple[Hl7Result, list[tuple[str, str]]]:
        """Replay the messages of ``paths`` (in that order): (the records they wrote and the
        refusals, the keys they removed)."""
        self.importer.result = Hl7Result()
        self.state.touched = {}
        for path in paths:
            path = Path(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.importer.result.rejections.append(
                    Hl7Rejection(path.name, 0, 0, "", "", f"fichier illisible ({exc.strerror})"))
                continue
            for raw in split_messages(path.name, data):
                self.importer.message(raw)
        result = self.importer.result
        written: list[Record] = [self.state[k] for k in self.state.touched if k in self.state]
        result.records = written
        return result, [k for k in self.state.touched if k not in self.state]
