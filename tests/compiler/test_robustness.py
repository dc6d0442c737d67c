"""Whatever a config contains, compiling ends in a plan or a ConfigError, never an unexpected exception."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.compiler import ConfigError, MockValidationError, compile_files, compile_mock

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 700)
    | st.floats(allow_nan=False)
    | st.sampled_from(
        ["", "/x", "x", "GET", "get", "{{uuid}}", "$.a", "^/a(", "..", "http", "websocket", "list", "users"]
    )
)
values = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8,
)
KEYS = ["id", "type", "http", "matcher", "response", "method", "path", "pathPattern", "headers", "queryParams",
        "bodyJsonPath", "statusCode", "body", "bodyFile", "delayMs", "statefulBinding", "table", "action", "sse",
        "enabled", "priority", "name", "websocket", "seedData", "basePath", "mock", "exists"]  # fmt: skip
shaped = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(KEYS), c, max_size=5),
    max_leaves=20,
)
collections = st.fixed_dictionaries(
    {},
    optional={
        "version": st.sampled_from(["1.0", "2", ""]) | values,
        "mocks": st.lists(shaped, max_size=4) | values,
        "statefulResources": st.lists(shaped, max_size=2),
        "tables": st.lists(shaped, max_size=2),
        "extend": st.lists(shaped, max_size=2),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=collections)
def test_compile_files_never_crashes(tmp_path, doc):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(doc))
    with contextlib.suppress(ConfigError):
        compile_files([path], env={})


@settings(max_examples=150, deadline=None)
@given(mock=shaped)
def test_compile_mock_never_crashes(mock):
    with contextlib.suppress(MockValidationError):
        compile_mock(json.dumps(mock).encode(), id_style="admin")
