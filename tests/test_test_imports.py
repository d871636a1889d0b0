"""Tests share helpers through tests/support/ only: no test module imports another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_test_modules(source: str, package: str) -> list[str]:
    """The modules of tests/ (outside tests/support/) that ``source``, in ``package``, imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
            base = base if node.level else ""
            module = ".".join(x for x in (base, node.module or "") if x)
            names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
        found += [n for n in names if n.split(".")[0] == "tests"
                  and not n.startswith("tests.support")]
    return found


def test_no_test_module_imports_another():
    offenders = {}
    for path in TESTS.rglob("*.py"):
        if "support" not in path.relative_to(TESTS).parts:
            package = ".".join(path.relative_to(TESTS.parent).parent.parts)
            offenders[str(path)] = imported_test_modules(path.read_text(encoding="utf-8"),
                                                         package)
    assert {p: m for p, m in offenders.items() if m} == {}


def test_the_check_sees_absolute_and_relative_imports():
    source = ("from .sample import IPP\nfrom ..pdfcheck import barcodes\nfrom . import sample\n"
              "import tests.web.test_routes\nfrom tests.support.pdfcheck import page_texts\n")
    assert imported_test_modules(source, "tests.documents") == [
        "tests.documents.sample", "tests.pdfcheck", "tests.documents.sample",
        "tests.web.test_routes"]
