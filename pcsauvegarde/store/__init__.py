"""Station storage: the SQLite read model, kept packages, retention, queries."""

from pcsauvegarde.store.db import SnapshotInfo, Store, fold

__all__ = ["SnapshotInfo", "Store", "fold"]
