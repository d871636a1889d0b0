"""Pharmacy (PUI) during an outage: ward dotations, supplier order forms, from the extract."""
