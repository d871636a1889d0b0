"""Station side: transports, pulls, ingest gates, the schedule."""
