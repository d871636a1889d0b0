"""docs/publisher.md documents every publisher.toml setting the code reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pcsauvegarde.publisher.importers.hl7v2.events import ADT_EVENTS
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.publisher import PublisherConfig, StationScope

DOC = (Path(__file__).parents[2] / "docs" / "publisher.md").read_text(encoding="utf-8")
NOT_SETTINGS = {"stations", "hl7"}  # tables of their own


def test_every_setting_is_documented():
    for cls in (PublisherConfig, StationScope, Hl7Options):
        for f in dataclasses.fields(cls):
            if f.name not in NOT_SETTINGS:
                assert f"| `{f.name}` |" in DOC, f"{cls.__name__}.{f.name}"


def test_every_adt_event_is_in_the_table():
    for event in ADT_EVENTS:
        assert event in DOC, event
