"""Printed documents: one module per kind, shared layout in base.py, registry below."""
