"""Response bodies generated from a JSON schema: the Go tool's rules (imports-exports §3.2), made
deterministic.

Per schema node, the first that applies: `example`, `x-mockd-faker`, `const`, `enum` (a member), `default`,
`$ref` (a reference already being expanded on the current branch gives `null`: recursion is cut there),
`allOf` (the members' objects merged, then the node's own properties), `oneOf[0]`, `anyOf[0]`, then by
`type`. Every random choice comes from the `random.Random` passed in, which the caller seeds per operation,
so the same spec and seed give the same bytes on every run and adding an operation changes no other body.
Dates are drawn around a fixed day instead of "now", for the same reason.
"""

from __future__ import annotations

import datetime
import random
import string
import uuid
from typing import Any

from mockd.imports.openapi.document import Node, Spec

_MAX_DEPTH = 12
_WORDS = (
    "alpha", "bravo", "cedar", "delta", "ember", "fable", "grove", "harbor", "island", "juniper",
    "kettle", "lumen", "meadow", "nectar", "orbit", "pepper", "quartz", "river", "summit", "timber",
)  # fmt: skip
_FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Radia", "Edsger")
_LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Perlman")
_CITIES = ("Lisbon", "Oslo", "Kyoto", "Austin", "Lyon", "Dublin", "Porto", "Denver")
_STATES = ("CA", "TX", "NY", "WA", "OR", "CO", "MA", "IL")
_COUNTRIES = ("US", "GB", "DE", "FR", "JP", "PT", "NO", "CA")
_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF")
_COLORS = ("red", "green", "blue", "teal", "amber", "violet")
_COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella Labs", "Hooli")
_TITLES = ("Engineer", "Designer", "Analyst", "Manager", "Architect")
_EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class Generator:
    def __init__(self, spec: Spec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng

    def value(
        self, node: Node, *, name: str = "", expanding: frozenset[str] = frozenset(), depth: int = 0
    ) -> Any:
        schema = node.value
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        if "$ref" in schema:
            target = self.spec.deref(node)
            if target.ref_key in expanding:
                return None
            return self.value(target, name=name, expanding=expanding | {target.ref_key}, depth=depth + 1)
        if "example" in schema:
            return schema["example"]
        faker = schema.get("x-mockd-faker")
        if isinstance(faker, str) and (fake := self._faker(faker)) is not None:
            return fake
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return self.rng.choice(enum)
        if "default" in schema:
            return schema["default"]
        nxt = depth + 1
        all_of = node.get("allOf")
        if all_of is not None and isinstance(all_of.value, list):
            merged: dict[str, Any] = {}
            found = False
            for i in range(len(all_of.value)):
                part = self.value(all_of.child(i), expanding=expanding, depth=nxt)
                if isinstance(part, dict):
                    merged.update(part)
                    found = True
            own = self._properties(node, expanding, nxt)
            if own is not None:
                merged.update(own)
                found = True
            return merged if found else None
        for key in ("oneOf", "anyOf"):
            options = node.get(key)
            if options is not None and isinstance(options.value, list) and options.value:
                return self.value(options.child(0), name=name, expanding=expanding, depth=nxt)
        kind = schema.get("type")
        if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
            kind = next((k for k in kind if k != "null"), None)
        if kind == "object" or (kind is None and "properties" in schema):
            return self._properties(node, expanding, nxt) or {}
        if kind == "array":
            return self._array(node, expanding, nxt)
        if kind == "string":
            return self._string(schema, name)
        if kind == "integer":
            lo, hi = _bounds(schema, 0, 100)
            return self.rng.randint(int(lo), int(hi))
        if kind == "number":
            lo, hi = _bounds(schema, 0, 100)
            return int(self.rng.uniform(lo, hi) * 100) / 100
        if kind == "boolean":
            return self.rng.random() < 0.5
        return None

    def _properties(self, node: Node, expanding: frozenset[str], depth: int) -> dict[str, Any] | None:
        props = node.get("properties")
        if props is None or not isinstance(props.value, dict):
            return None
        return {
            key: self.value(props.child(key), name=key, expanding=expanding, depth=depth)
            for key in props.value
        }

    def _array(self, node: Node, expanding: frozenset[str], depth: int) -> list[Any]:
        schema = node.value
        n = max(1, _int(schema.get("minItems"), 0))
        max_items = _int(schema.get("maxItems"), 0)
        if max_items > 0:
            n = min(n, max_items)
        n = min(n, 3)
        items = node.get("items")
        if items is None:
            return ["item"] * n
        return [self.value(items, expanding=expanding, depth=depth) for _ in range(n)]

    def _string(self, schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        text = self._by_format(fmt) if isinstance(fmt, str) else None
        if text is None and name:
            text = self._by_name(name.lower())
        if text is None:
            min_len = _int(schema.get("minLength"), 0)
            text = "".join(self.rng.choices(string.ascii_lowercase, k=min_len)) if min_len > 6 else "string"
        max_len = _int(schema.get("maxLength"), 0)
        return text[:max_len] if max_len > 0 else text

    def _word(self) -> str:
        return self.rng.choice(_WORDS)

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _when(self) -> datetime.datetime:
        return _EPOCH + datetime.timedelta(seconds=self.rng.randrange(0, 365 * 86400))

    def _by_format(self, fmt: str) -> str | None:
        r = self.rng
        match fmt:
            case "email":
                return f"{r.choice(_FIRST).lower()}.{self._word()}@example.com"
            case "uuid":
                return self._uuid()
            case "uri" | "url":
                return "https://example.com/" + "-".join(self._word() for _ in range(r.randint(2, 3)))
            case "hostname":
                return f"{self._word()}.example.com"
            case "ipv4":
                return ".".join(str(r.randint(0, 255)) for _ in range(4))
            case "ipv6":
                return "2001:0db8:" + ":".join(f"{r.getrandbits(16):04x}" for _ in range(6))
            case "date-time":
                return self._when().strftime("%Y-%m-%dT%H:%M:%SZ")
            case "date":
                return self._when().strftime("%Y-%m-%d")
            case "time":
                return self._when().strftime("%H:%M:%SZ")
            case "phone":
                return f"+1-555-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
            case "password":
                return f"P@ss{self._word()}42!"
            case "byte":
                return "dGVzdA=="
            case "binary":
                return "48656c6c6f"
        return None

    def _by_name(self, name: str) -> str | None:
        r = self.rng
        if name.endswith("email"):
            return self._by_format("email")
        if name in ("phone", "mobile", "tel") or name.endswith("phone"):
            return self._by_format("phone")
        if name in ("name", "full_name", "fullname"):
            return f"{r.choice(_FIRST)} {r.choice(_LAST)}"
        if name in ("first_name", "firstname", "given_name"):
            return r.choice(_FIRST)
        if name in ("last_name", "lastname", "family_name", "surname"):
            return r.choice(_LAST)
        if name in ("address", "street", "street_address"):
            return f"{r.randint(1, 999)} {self._word().title()} Street"
        if name in ("company", "organization", "org"):
            return r.choice(_COMPANIES)
        if name in ("url", "uri", "href", "link", "website"):
            return self._by_format("uri")
        if name in ("ip", "ip_address", "ipaddress"):
            return self._by_format("ipv4")
        if name in ("latitude", "lat"):
            return f"{r.uniform(-90, 90):.6f}"
        if name in ("longitude", "lng", "lon"):
            return f"{r.uniform(-180, 180):.6f}"
        if name in ("price", "amount", "cost", "total"):
            return f"{r.uniform(1, 1000):.2f}"
        if name in ("color", "colour"):
            return r.choice(_COLORS)
        if name in ("title", "job_title", "jobtitle"):
            return r.choice(_TITLES)
        if name in ("description", "bio", "summary", "about"):
            return " ".join(self._word() for _ in range(r.randint(5, 10))).capitalize() + "."
        if name in ("id", "uuid"):
            return self._uuid()
        if name == "ssn":
            return f"{r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}"
        if name == "slug":
            return f"{self._word()}-{self._word()}"
        if name.endswith(("_at", "date")) or name in ("created", "updated", "timestamp"):
            return self._by_format("date-time")
        if name in ("currency", "currency_code"):
            return r.choice(_CURRENCIES)
        if name == "country":
            return r.choice(_COUNTRIES)
        if name == "city":
            return r.choice(_CITIES)
        if name in ("state", "province"):
            return r.choice(_STATES)
        if name in ("zip", "zipcode", "zip_code", "postal_code", "postalcode", "postcode"):
            return f"{r.randint(0, 99999):05d}"
        if name in ("username", "user_name", "login"):
            return f"{r.choice(_FIRST).lower()}{r.randint(10, 99)}"
        return None

    def _faker(self, name: str) -> str | None:
        table = {
            "uuid": lambda: self._uuid(),
            "email": lambda: self._by_format("email"),
            "name": lambda: self._by_name("name"),
            "firstName": lambda: self._by_name("first_name"),
            "lastName": lambda: self._by_name("last_name"),
            "phone": lambda: self._by_format("phone"),
            "address": lambda: self._by_name("address"),
            "company": lambda: self._by_name("company"),
            "ipv4": lambda: self._by_format("ipv4"),
            "ipv6": lambda: self._by_format("ipv6"),
            "sentence": lambda: self._by_name("description"),
            "word": self._word,
            "slug": lambda: self._by_name("slug"),
            "latitude": lambda: self._by_name("lat"),
            "longitude": lambda: self._by_name("lng"),
            "price": lambda: self._by_name("price"),
            "color": lambda: self._by_name("color"),
            "jobTitle": lambda: self._by_name("job_title"),
            "ssn": lambda: self._by_name("ssn"),
            "currencyCode": lambda: self._by_name("currency"),
            "boolean": lambda: "true" if self.rng.random() < 0.5 else "false",
        }
        make = table.get(name)
        return make() if make is not None else None


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _bounds(schema: dict[str, Any], lo: float, hi: float) -> tuple[float, float]:
    low = schema.get("minimum", lo)
    high = schema.get("maximum", hi)
    low = low if isinstance(low, (int, float)) and not isinstance(low, bool) else lo
    high = high if isinstance(high, (int, float)) and not isinstance(high, bool) else hi
    return (high, low) if low > high else (low, high)
