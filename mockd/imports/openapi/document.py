"""An OpenAPI or Swagger document with its `$ref`s resolvable anywhere, including into other files.

Resolution is the `referencing` library's (the resolver `jsonschema` is built on): the root document is
registered under its `file://` URI, and any other file a `$ref` names is read and parsed on first use,
relative to the document that contains the reference. Each resolved node keeps where it came from, so an
error names the file and the JSON pointer of the reference that failed.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import referencing.exceptions
from referencing import Registry, Resource

if TYPE_CHECKING:
    from referencing._core import Resolver

from mockd.imports.errors import ImportFailure, pointer
from mockd.imports.fetch import fetch
from mockd.imports.source import parse_document

_MAX_CHAIN = 32  # a `$ref` to a `$ref` to ...: longer chains are cycles


@dataclass(frozen=True)
class Node:
    """A value of the spec, the resolver for `$ref`s inside it, and its location (file URI, pointer parts)."""

    value: Any
    resolver: Resolver[Any]
    uri: str
    parts: tuple[str | int, ...]

    def child(self, key: str | int) -> Node:
        value = self.value[key] if isinstance(self.value, (dict, list)) else None  # type: ignore[index]
        return Node(value, self.resolver, self.uri, (*self.parts, key))

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict) and key in self.value:
            return self.child(key)
        return None

    @property
    def where(self) -> str:
        return pointer(self.parts)

    @property
    def ref_key(self) -> str:
        """Identity of the node for recursion checks."""
        return f"{self.uri}#{self.where}"


def _uri_for(path: str) -> str:
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def _retriever(*, local_files: bool, remote: bool) -> Any:
    """A `retrieve` callback reading each other file once per import (the registry itself is immutable).

    What a `$ref` may reach depends on who supplied the spec. A spec named by the config file or the command
    line (`local_files`) may point at other local files and at http(s) URLs: whoever wrote it runs the
    server. A spec fetched from a URL (`remote` only) may point at other URLs, never at this machine's
    files, as a browser would not let a web page read them. A spec that came in a request body has neither:
    a `$ref` must not turn the admin API into a way to read the server's files or to make it fetch URLs."""
    cache: dict[str, Resource[Any]] = {}

    def retrieve(uri: str) -> Resource[Any]:
        if uri not in cache:
            parsed = urllib.parse.urlsplit(uri)
            if parsed.scheme == "file" and local_files:
                path = urllib.parse.unquote(parsed.path)
                try:
                    with open(path, "rb") as f:
                        raw = f.read()
                except OSError as exc:
                    raise referencing.exceptions.NoSuchResource(ref=uri) from exc  # type: ignore[call-arg]
                cache[uri] = Resource.opaque(parse_document(raw, path, "openapi"))
            elif parsed.scheme in ("http", "https") and remote:
                cache[uri] = Resource.opaque(parse_document(fetch(uri), uri, "openapi"))
            else:
                raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
        return cache[uri]

    return retrieve


@dataclass(frozen=True)
class Spec:
    """The root document: its node and the name the user knows it by (for messages)."""

    root: Node
    display: str

    def name_of(self, node: Node) -> str:
        if node.uri == self.root.uri:
            return self.display
        return urllib.parse.unquote(urllib.parse.urlsplit(node.uri).path)

    def fail(self, message: str, node: Node, suffix: str = "") -> ImportFailure:
        return ImportFailure(message, file=self.name_of(node), pointer=node.where + suffix)

    def deref(self, node: Node) -> Node:
        """Follow `$ref` until a value without one; `ImportFailure` naming the reference that dangles."""
        for _ in range(_MAX_CHAIN):
            value = node.value
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return node
            ref = value["$ref"]
            try:
                resolved = node.resolver.lookup(ref)
            except referencing.exceptions.Unresolvable as exc:
                cause: BaseException | None = exc
                while cause is not None:  # the other file is there but broken: say so
                    if isinstance(cause, ImportFailure):
                        raise cause from None
                    cause = cause.__cause__
                raise self.fail(f"openapi: $ref {ref!r} cannot be resolved", node, "/$ref") from None
            target = urllib.parse.urljoin(node.uri, ref)
            base, _, fragment = target.partition("#")
            parts = tuple(
                urllib.parse.unquote(p).replace("~1", "/").replace("~0", "~") for p in fragment.split("/")[1:]
            )
            node = Node(resolved.contents, resolved.resolver, base, parts)
        raise self.fail("openapi: $ref chain is circular", node)


def load_spec(data: Any, path: str, display: str, *, url: str = "") -> Spec:
    """`path` (the spec's own file) or `url` (where it was fetched) anchors relative `$ref`s; `display` is how
    messages name it."""
    uri = _uri_for(path) if path else (url or "urn:mockd:request-body")
    retrieve = _retriever(local_files=bool(path), remote=bool(path or url))
    empty: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    registry = empty.with_resource(uri, Resource.opaque(data))
    return Spec(Node(data, registry.resolver(base_uri=uri), uri, ()), display)
