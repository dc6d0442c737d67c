"""The JSON Schema of one mock, as the admin API accepts it, generated from the pydantic models.

The dashboard's editor (issue 22) reads it to name the keys a mock may have and to warn about keys the
server would ignore: the admin API decodes as Go does, so an unknown key (a typo such as `macher`) is
dropped silently there.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mockd.compiler.models import Mock


@cache
def mock_json_schema() -> dict[str, Any]:
    """The schema of `Mock` (JSON Schema 2020-12 as pydantic renders it; parts kept verbatim are open)."""
    schema = Mock.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = "One mockd mock, as POST /mocks and PUT /mocks/{id} accept it."
    return schema
