"""Content-Type inference for response bodies that do not set one (reference §3.7 step 6).

Shared by the compiler (static bodies are inferred once, at compile time) and the runtime (bodies from files
or templates are inferred after rendering), so both give the same answer.
"""

from __future__ import annotations


def infer_content_type(body: str) -> str:
    text = body.strip()
    if (text.startswith("{") and text.endswith("}")) or (text.startswith("[") and text.endswith("]")):
        return "application/json"
    if text.startswith("<"):
        return "application/xml"
    return "text/plain"
