"""Benchmarks (UI load test: ``python -m bench.load_ui``)."""
