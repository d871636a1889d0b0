"""Printed documents: one module per kind, shared layout in base.py, registry below."""

from __future__ import annotations

from typing import Any, Protocol

from pcsauvegarde.documents import admission_kit, labels, patient_summary, wristband
from pcsauvegarde.documents.context import DocumentContext


class Renderer(Protocol):
    """A document kind: its data and the print context in, PDF bytes out (MUST be pure)."""

    def __call__(self, data: Any, ctx: DocumentContext, /) -> bytes: ...


RENDERERS: dict[str, Renderer] = {
    patient_summary.KIND: patient_summary.render,
    labels.KIND: labels.render,
    wristband.KIND: wristband.render,
    admission_kit.KIND: admission_kit.render,
}
TITLES: dict[str, str] = {
    patient_summary.KIND: patient_summary.TITLE,
    labels.KIND: labels.TITLE,
    wristband.KIND: wristband.TITLE,
    admission_kit.KIND: admission_kit.TITLE,
}
