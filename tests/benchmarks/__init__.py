"""Benchmarks (`make bench`): figures printed with their goals; not part of `make test`."""
