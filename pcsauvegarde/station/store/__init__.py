"""Station storage: the SQLite read model, kept packages, retention, queries."""

from pcsauvegarde.station.store.db import SnapshotInfo, SnapshotMoved, Store, fold

__all__ = ["SnapshotInfo", "SnapshotMoved", "Store", "fold"]
