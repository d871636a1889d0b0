"""The laboratory's downtime labels: reserved ranges, allocation, register and exports."""
