"""Consultations during an outage: each clinic's appointments as call lists for the week."""
