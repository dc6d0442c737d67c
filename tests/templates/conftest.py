"""A fixed request for template tests, and fresh sequence counters for every test."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from mockd.templates import Context, compile_template, reset_sequences

BODY = json.dumps(
    {
        "user": {"name": "Ada", "age": 36, "tags": ["x", "y"], "score": 1234567, "tiny": 0.00001, "n": None,
                 "ok": True},
        "items": [{"id": 1}, {"id": 2.5}],
        "": "empty key",
        "a.b": 1,
    }
).encode()  # fmt: skip
HEADERS = {"content-type": "application/json", "x-api-key": "k1", "host": "example.test", "x-empty": ""}
QUERY = "q=hello+world&multi=1&multi=2&plus=a%2Bb&bad=%zz&semi=a;b&=emptykey"


def make_context(
    *, method: str = "POST", path: str = "/api/users/42", query: str = QUERY,
    headers: dict[str, str] | None = None, body: bytes = BODY, params: dict[str, str] | None = None,
    pattern: dict[str, str] | None = None, seed: int | None = None,
) -> Context:  # fmt: skip
    hdrs = HEADERS if headers is None else headers
    return Context(
        method, path, query, hdrs.get, body,
        {"id": "42", "0": "rest/of/path"} if params is None else params,
        {"slug": "s1"} if pattern is None else pattern, seed,
    )  # fmt: skip


def render(text: str, **kwargs: object) -> str:
    return compile_template(text).render(make_context(**kwargs))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _fresh_sequences() -> Iterator[None]:
    reset_sequences()
    yield
    reset_sequences()


@pytest.fixture
def rendered() -> Callable[..., str]:
    return render
