"""Source side: importers (FHIR R4, …) turning hospital extracts into canonical records."""
