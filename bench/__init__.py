"""Benchmarks: `python -m bench` (package pipeline), `python -m bench.<name>` for the others."""
