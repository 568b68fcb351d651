"""Plugins used only by the benchmarks."""
