"""docs/package-format.md stays in step with the code it specifies."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pcsauvegarde.core import records

ROOT = Path(__file__).parents[2]
SPEC = (ROOT / "docs" / "package-format.md").read_text(encoding="utf-8")


def _row(first_cell: str) -> str:
    match = re.search(rf"^\| {re.escape(first_cell)} \|.*$", SPEC, re.MULTILINE)
    assert match, f"no row for {first_cell} in docs/package-format.md"
    return match.group(0)


def _documented_fields(row: str) -> list[str]:
    return re.findall(r"`(\w+)`\??", row.split("|")[-2])


def test_every_record_type_and_field_is_documented():
    for name, cls in records.RECORD_TYPES.items():
        row = _row(f"`{name}`")
        assert f"`{cls.DOMAIN}`" in row
        assert _documented_fields(row) == [f.name for f in dataclasses.fields(cls)], name


def test_nested_objects_are_documented():
    for cls in (records.Timing, records.TrayLine):
        row = _row(f"*{cls.__name__}*")
        assert _documented_fields(row) == [f.name for f in dataclasses.fields(cls)]


def test_shell_recipe_in_doc_is_the_tested_script():
    script = (ROOT / "tests" / "vectors" / "package" / "make-package.sh").read_text()
    body = script[script.index("set -eu"):]
    assert body in SPEC
