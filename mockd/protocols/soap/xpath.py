"""The path language SOAP mocks match with: Go etree's path syntax, not XPath 1.0 (protocols-reference §5.2).

Supported: `/a/b`, `//b`, `*`, `.`, `..`, `[n]`, `[@a]`, `[@a='v']`, `[tag]`, `[tag='v']`,
`[local-name()='v']`, `[namespace-uri()='v']`, `[text()='v']`, and a final `/@attr` to read an attribute.
An unprefixed name matches that local name in any namespace (so `//a` finds `<ns:a>`); a prefixed name
compares the document's prefix literally. Paths are compiled when the mock is built, so a bad one is a
load error naming it, where the Go tool's etree panics on the request and drops the connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_PRED = re.compile(
    r"""^(?:
        (?P<index>[0-9]+)
      | @(?P<attr>[\w.:-]+)(?:\s*=\s*(?P<aq>['"])(?P<aval>.*?)(?P=aq))?
      | (?P<fn>local-name|namespace-uri|text)\(\)\s*=\s*(?P<fq>['"])(?P<fval>.*?)(?P=fq)
      | (?P<tag>[\w.:-]+)(?:\s*=\s*(?P<tq>['"])(?P<tval>.*?)(?P=tq))?
    )$""",
    re.X,
)
_NAME = re.compile(r"^(?:\*|\.|\.\.|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)$")
_DOC: Any = object()  # the document node: its one child is the root element

Filter = Callable[[list[Any]], list[Any]]


class XPathError(ValueError):
    """A path outside the supported syntax; the message says which part."""


def _local(el: Any) -> str:
    tag: str = el.tag
    return tag.rsplit("}", 1)[-1]


def _ns(el: Any) -> str:
    tag: str = el.tag
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _elements(nodes: Iterable[Any]) -> list[Any]:
    return [n for n in nodes if isinstance(n.tag, str)]  # no comments or processing instructions


def _children(node: Any, root: Any) -> list[Any]:
    return [root] if node is _DOC else _elements(node)


def _text(el: Any) -> str:
    return (el.text or "").strip()


@dataclass(frozen=True, slots=True)
class _Step:
    name: str  # "*", ".", "..", "" (descendant-or-self, from `//`), "local" or "prefix:local"
    filters: tuple[Filter, ...]


def _name_test(name: str) -> Callable[[Any], bool]:
    if name == "*":
        return lambda el: True
    if ":" in name:
        prefix, local = name.split(":", 1)
        return lambda el: el.prefix == prefix and _local(el) == local
    return lambda el: _local(el) == name


def _predicate(text: str, path: str) -> Filter:
    m = _PRED.match(text.strip())
    if m is None:
        raise XPathError(f"unsupported predicate [{text}] in {path!r}")
    if m["index"] is not None:
        n = int(m["index"])
        if n < 1:
            raise XPathError(f"positions start at 1: [{text}] in {path!r}")
        return lambda els: els[n - 1 : n]
    if m["attr"] is not None:
        name, value = m["attr"], m["aval"]
        if value is None:
            return lambda els: [e for e in els if _attr(e, name) is not None]
        return lambda els: [e for e in els if _attr(e, name) == value]
    if m["fn"] is not None:
        fn, value = m["fn"], m["fval"]
        get = {"local-name": _local, "namespace-uri": _ns, "text": _text}[fn]
        return lambda els: [e for e in els if get(e) == value]
    test, tval = _name_test(m["tag"]), m["tval"]
    if tval is None:
        return lambda els: [e for e in els if any(test(c) for c in _elements(e))]
    return lambda els: [e for e in els if any(test(c) and _text(c) == tval for c in _elements(e))]


def _attr(el: Any, name: str) -> str | None:
    if ":" in name:  # a prefixed attribute: resolve the prefix with the element's namespaces
        prefix, local = name.split(":", 1)
        ns = el.nsmap.get(prefix)
        return el.get(f"{{{ns}}}{local}") if ns else None
    value = el.get(name)
    if value is None:  # unprefixed: any namespace, like element names
        value = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == name), None)
    return value  # type: ignore[no-any-return]


class XPath:
    """One compiled path. `value(root)` is what `match.xpath` and `{{xpath:...}}` compare and print."""

    __slots__ = ("attribute", "path", "steps")

    def __init__(self, path: str) -> None:
        self.path = path
        text = path.strip()
        if not text:
            raise XPathError("empty path")
        self.attribute: str | None = None
        head, sep, last = text.rpartition("/")
        if last.startswith("@"):
            if not re.fullmatch(r"@[\w.:-]+", last):
                raise XPathError(f"bad attribute {last!r} in {path!r}")
            self.attribute = last[1:]
            text = head if sep else "."
            if not text:
                text = "."
        self.steps = self._parse(text, path)

    @staticmethod
    def _parse(text: str, path: str) -> tuple[_Step, ...]:
        steps: list[_Step] = []
        if text.startswith("//"):
            steps.append(_Step("", ()))
            text = text[2:]
        elif text.startswith("/"):
            text = text[1:]
        parts = text.split("/")
        for i, part in enumerate(parts):
            if part == "":
                if i == len(parts) - 1:
                    raise XPathError(f"path ends with '/': {path!r}")
                steps.append(_Step("", ()))
                continue
            name, bracket, rest = part.partition("[")
            filters: list[Filter] = []
            if bracket:
                chunks = ("[" + rest).split("]")
                if chunks[-1] != "":
                    raise XPathError(f"unbalanced [ ] in {path!r}")
                for chunk in chunks[:-1]:
                    if not chunk.startswith("["):
                        raise XPathError(f"unbalanced [ ] in {path!r}")
                    filters.append(_predicate(chunk[1:], path))
            if not _NAME.match(name):
                raise XPathError(f"bad step {part!r} in {path!r}")
            steps.append(_Step(name, tuple(filters)))
        return tuple(steps)

    def find(self, root: Any) -> Any | None:
        """The first element the path selects in the document whose root element is `root`."""
        nodes: list[Any] = [_DOC]
        for step in self.steps:
            out: list[Any] = []
            seen: set[int] = set()

            def add(found: Iterable[Any], out: list[Any] = out, seen: set[int] = seen) -> None:
                for n in found:
                    if id(n) not in seen:
                        seen.add(id(n))
                        out.append(n)

            for node in nodes:
                if step.name == "":
                    add([node, *(root.iter() if node is _DOC else node.iterdescendants())])
                    continue
                if step.name == ".":
                    found = [node]
                elif step.name == "..":
                    parent = _DOC if node is root else (None if node is _DOC else node.getparent())
                    found = [parent] if parent is not None else []
                else:
                    test = _name_test(step.name)
                    found = [c for c in _children(node, root) if test(c)]
                for f in step.filters:
                    found = f([n for n in found if n is not _DOC])
                add(found)
            nodes = [n for n in out if isinstance(getattr(n, "tag", None), str) or n is _DOC]
        return next((n for n in nodes if n is not _DOC), None)

    def value(self, root: Any) -> str:
        el = self.find(root)
        if el is None:
            return ""
        if self.attribute is not None:
            return _attr(el, self.attribute) or ""
        return _text(el)
