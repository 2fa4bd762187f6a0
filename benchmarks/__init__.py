"""Benchmarks of the generator and the generated client against the tools users would pick instead.

``make bench`` runs them all in .venv-bench (where the baselines are installed) and writes
benchmarks/RESULTS.md; ``python -m benchmarks --help`` lists the options. Every figure is a
ratio against a named baseline measured in the same run on the same input.
"""

BENCHMARKS = ("generation", "decoding", "client", "import", "contract", "whole")
"""The benchmark modules, ``benchmarks.bench_<name>``, in the order they run."""
