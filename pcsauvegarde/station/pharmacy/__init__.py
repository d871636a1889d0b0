"""Pharmacy (PUI) during an outage: dotations, request forms, inventories, order forms,
active prescriptions per unit, directory; from the extracts."""
