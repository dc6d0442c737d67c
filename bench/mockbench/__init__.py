"""mockbench: the macro-benchmark harness behind `bench/run` (see bench/README.md for the method)."""
