"""Sterilisation during the outage: trays, expiry, circulation numbers, cycles (no Flask here)."""
