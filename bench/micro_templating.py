"""Per-render cost of response templates, in microseconds (design §1: ~5% throughput per µs per request).

Run: python bench/micro_templating.py [--number N]

Each case builds its renderers once with `compile_renderers` (as a route build does), checks the output
shape once, then times `render_body(text, request)` as `DynamicResponseTarget` calls it. For contrast it
also times Faker's own generator methods, which this engine deliberately does not call per request.
"""

from __future__ import annotations

import argparse
import re
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockd.runtime.targets import RequestView
from mockd.runtime.templating import compile_renderers


class Headers(dict):
    """Stands in for Granian's RSGIHeaders: `.get(lower_name)`."""


def spec(body: str, seed: int | None = None) -> Any:
    return {
        "status": 200, "headers": [("content-type", "application/json")], "body": body, "bodyFile": None,
        "delayMs": 0, "seed": seed, "templated": "{{" in body, "contentTypeSet": True,
    }  # fmt: skip


def request(query: str = "", headers: dict[str, str] | None = None) -> RequestView:
    return RequestView(None, "GET", "/users/42", query, Headers(headers or {}), b"", {"id": "42"})


CASES: list[tuple[str, str, int | None, str, str]] = [
    # (label, body, seed, query, expected output regex)
    ("static body, no expressions", '{"id": 42, "name": "Ada"}', None, "", r'\{"id": 42, "name": "Ada"\}'),
    ("static text with an unknown expression", '{"id": 42{{ nope }}}', None, "", r'\{"id": 42\}'),
    ("path param + uuid", '{"id": "{{request.pathParam.id}}", "req": "{{uuid}}"}', None, "",
     r'\{"id": "42", "req": "[0-9a-f-]{36}"\}'),
    ("path param + uuid, seeded (Go PCG)", '{"id": "{{request.pathParam.id}}", "req": "{{uuid}}"}', 42, "",
     r'\{"id": "42", "req": "[0-9a-f-]{36}"\}'),
    ("faker name + email + city", '{"name": "{{faker.name}}", "email": "{{faker.email}}", '
     '"city": "{{faker.city}}"}', None, "", r'\{"name": ".+", "email": ".+@.+", "city": ".+"\}'),
    ("faker name + email + city, seeded", '{"name": "{{faker.name}}", "email": "{{faker.email}}", '
     '"city": "{{faker.city}}"}', 7, "", r'\{"name": ".+", "email": ".+@.+", "city": ".+"\}'),
    ("query param + upper", '{"q": "{{upper request.query.q}}"}', None, "q=hello&x=1", r'\{"q": "HELLO"\}'),
]  # fmt: skip


def per_call_us(fn: Callable[[], object], number: int) -> float:
    best = min(timeit.repeat(fn, number=number, repeat=5))
    return best / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--number", type=int, default=20000)
    args = parser.parse_args()
    print(f"{'case':48s} {'µs/render':>10s}")
    for label, body, seed, query, expected in CASES:
        render_body, _ = compile_renderers(spec(body, seed))
        req = request(query)
        if render_body is None:  # DynamicResponseTarget's stand-in for an untemplated body

            def render(text: str, _req: RequestView) -> str:
                return text
        else:
            render = render_body
        out = render(body, req)
        assert re.fullmatch(expected, out), (label, out)  # check the answer before timing it
        print(f"{label:48s} {per_call_us(lambda r=render, q=req, b=body: r(b, q), args.number):10.2f}")

    from faker import Faker

    fake = Faker("en_US")
    print("\nFaker's own methods, for contrast (not used per request):")
    for name in ("name", "email", "city", "company", "user_agent"):
        method = getattr(fake, name)
        print(f"  Faker().{name + '()':40s} {per_call_us(method, max(args.number // 20, 200)):10.2f}")


if __name__ == "__main__":
    main()
