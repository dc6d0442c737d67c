"""Go's `%q` (`strconv.Quote`): how the Go tool quotes values inside its error messages and near-miss reasons.

Double quotes around the text; `"` and `\\` escaped; `\\a \\b \\f \\n \\r \\t \\v` for those controls; other
non-printable characters as `\\xNN` (ASCII), `\\uNNNN` or `\\UNNNNNNNN`; printable Unicode kept as it is.
Python's `str.isprintable` and Go's `unicode.IsPrint` agree on what is printable (letters, marks, numbers,
punctuation, symbols and the ASCII space), so the output is Go's byte for byte.
"""

from __future__ import annotations

_GO_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
    "\\": "\\\\", '"': '\\"',
}  # fmt: skip


def go_quote(text: str) -> str:
    """Go's `%q` for a string."""
    out = []
    for ch in text:
        esc = _GO_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'
