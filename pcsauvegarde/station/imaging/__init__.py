"""Imaging during an outage: exam schedules per modality, room and day; paper report forms."""
