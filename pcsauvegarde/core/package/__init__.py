"""The extract package format: gzip NDJSON, age encryption, minisign signature (see docs)."""

from pcsauvegarde.core.package.errors import PackageError
from pcsauvegarde.core.package.manifest import (
           DELETED,
           FORMAT,
           Deletion,
           Item,
           Manifest,
           parse_file_name,
)
from pcsauvegarde.core.package.reader import (
           DEFAULT_MAX_SIZE,
           OpenedPackage,
           open_package,
           read_package,
)
from pcsauvegarde.core.package.seal import (
    EncodedLines,
    EncodedRecord,
    compress,
    seal,
    sign_package,
    write_package,
)

__all__ = ["DEFAULT_MAX_SIZE", "DELETED", "FORMAT", "Deletion", "EncodedLines", "EncodedRecord",
           "Item", "Manifest",
           "OpenedPackage", "PackageError", "compress", "open_package", "parse_file_name",
           "read_package", "seal", "sign_package", "write_package"]
