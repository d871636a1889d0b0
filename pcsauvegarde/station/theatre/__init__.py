"""The operating room during the outage: the day's schedule per room, pre-operative sheets."""
