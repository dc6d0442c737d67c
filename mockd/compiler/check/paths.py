"""File paths named in a config (bodyFile, protoFile, wsdlFile, ...), refused as the Go tool refuses them."""

from __future__ import annotations

import posixpath


def unsafe_path(path: str) -> bool:
    """Go's `SafeFilePathAllowAbsolute` refusal: `..` anywhere in the cleaned path (even `a..b`)."""
    return ".." in posixpath.normpath(path)
