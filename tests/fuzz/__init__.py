"""Fuzzing the parsers: targets, the harness, regression fixtures, a bounded run."""
