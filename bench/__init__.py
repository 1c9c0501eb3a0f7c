"""Benchmarks of opengov_cms at 10k / 100k / 1M catalogue entries, each against a baseline
measured in the same run (never shipped in the wheel)."""
