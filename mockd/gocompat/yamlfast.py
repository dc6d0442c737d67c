"""Big YAML documents read fast: the Rust extension's loader, with PyYAML's answers.

An imported spec can be several megabytes of YAML (Stripe's is 6 MB); PyYAML, even with libyaml, spent two
seconds building it, most of a start. The extension reads it in a tenth of the time and gives exactly what
`mockd.imports.source` gets from PyYAML's safe loader (YAML 1.1 scalars, no timestamps, every key a string,
aliases copied out). It answers None for whatever it leaves to PyYAML (tags, merge keys, complex keys,
several documents, any syntax error), so the error messages users see are PyYAML's, from one place.
"""

from __future__ import annotations

from typing import Any

from mockd._native import load_yaml

__all__ = ["load_fast"]


def load_fast(text: str, max_nodes: int) -> Any | None:
    """The document as plain data, or None: then PyYAML must read it (a null document also gives None)."""
    return load_yaml(text, max_nodes)
