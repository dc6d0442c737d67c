"""Chaos and latency: faults injected on the mock port (issue 15; docs/chaos.md).

- `spec`: the compiled configuration the plan carries (plain data) and its admin-API rendering;
- `model`: both config shapes validated with pydantic and the Go tool's rules (compiler, admin API, CLI);
- `profiles`: the Go tool's ten built-in profiles;
- `injector`: fault selection from one seeded generator, stats, and the stateful faults;
- `wire`: the faults on the wire over RSGI (streamed trickles, truncation, a real TCP reset).

The mock port imports `injector` and `wire` only: neither loads pydantic or YAML.
"""
