"""Re-entry after recovery: outage window, worklist, statuses, reconciliation, retention."""
