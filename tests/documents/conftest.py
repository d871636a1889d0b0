"""Fixtures of the document tests (data in sample.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from tests.support.sample import make_ctx, make_patient_file


@pytest.fixture(scope="session")
def patient_file() -> PatientFile:
    return make_patient_file()


@pytest.fixture(scope="session")
def ctx() -> DocumentContext:
    return make_ctx()


@pytest.fixture(scope="session")
def context_with() -> Callable[..., DocumentContext]:
    return make_ctx
