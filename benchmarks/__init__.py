"""Benchmarks kept with the project; each prints a table of measured figures."""
