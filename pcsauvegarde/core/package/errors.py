"""Typed errors of the package format, with French messages naming the file and the reason."""

from __future__ import annotations

#: Machine codes carried by :attr:`PackageError.reason`.
REASONS = (
    "missing",    # the package or its .minisig is absent
    "size",       # 0-byte file or over the size limit
    "name",       # file name does not follow the naming convention
    "key",        # unreadable key file
    "signature",  # signature invalid, unknown key, or made for another file
    "decrypt",    # not encrypted for this station's identity
    "format",     # not age, not gzip, not UTF-8 NDJSON
    "truncated",  # compressed stream ends early
    "manifest",   # manifest invalid, inconsistent with the name, or counts mismatch
    "record",     # a record line is invalid
)


class PackageError(Exception):
    """A package (or key) the station must refuse; ``str()`` is the French message."""

    def __init__(self, file: str, reason: str, detail: str, line: int | None = None):
        self.file = file
        self.reason = reason
        self.detail = detail
        self.line = line
        where = f"ligne {line} : " if line is not None else ""
        super().__init__(f"« {file} » : {where}{detail}")
