"""Exports of re-entry for the restored systems: FHIR R4, HL7 v2.5 (ADT), CSV per domain.

What goes out (``source.py``): the verified current transcriptions of a domain, and the
downtime admissions themselves. A line not yet verified is left out of FHIR and HL7 and
counted (``Export.pending``); the CSV lists every line with its state, for the people who
re-enter by hand.
"""
