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
    "depth",      # JSON nested beyond the limit
    "expanded_size",  # plaintext larger than the limit (decompression bomb)
    "ratio",      # plaintext too many times the compressed size (decompression bomb)
    "line_count", # more lines than the manifest announces
    "counts",     # more records of a type than the manifest announces (seen while reading)
    "time_budget",  # reading took longer than allowed
    "file_type",  # a FIFO, device, directory or symlink where a file was expected
    "disk",       # the station's disk is full (not the package's fault: not quarantined)
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
