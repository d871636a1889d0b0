"""Benchmark of the package pipeline on a large synthetic hospital (see bench/README.md)."""
