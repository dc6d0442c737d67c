"""Loading a GraphQL mock's SDL into a graphql-core schema, with errors that say where the SDL is wrong.

graphql-core reports syntax errors with a line and column, but some semantic ones (an unknown type) only by
name; those are located by finding the first reference to that name in the parsed document, so every load
error reads `line L:C: <message>`.
"""

from __future__ import annotations

import re

from graphql import GraphQLError, GraphQLSchema, build_ast_schema, parse, validate_schema
from graphql.language import DocumentNode, NamedTypeNode, Node, visit
from graphql.language.visitor import Visitor

_QUOTED = re.compile(r"'([_A-Za-z][_0-9A-Za-z]*)'")


class SchemaLoadError(ValueError):
    """The SDL cannot be used; the message already carries `line L:C` when known."""


def load_schema(sdl: str) -> GraphQLSchema:
    """A schema built from `sdl`, or SchemaLoadError naming the first problem and where it is."""
    try:
        document = parse(sdl)
    except GraphQLError as e:
        raise SchemaLoadError(_describe(e.message, e)) from None
    try:
        schema = build_ast_schema(document)
    except GraphQLError as e:
        raise SchemaLoadError(_describe(e.message, e)) from None
    except TypeError as e:  # graphql-core raises TypeError for unknown types and similar, without a location
        raise SchemaLoadError(_locate(str(e), document)) from None
    if schema.query_type is None:
        raise SchemaLoadError("schema has no Query type")
    errors = validate_schema(schema)
    if errors:
        raise SchemaLoadError(_describe(errors[0].message, errors[0]))
    return schema


def _describe(message: str, error: GraphQLError) -> str:
    if error.locations:
        loc = error.locations[0]
        return f"SDL line {loc.line}:{loc.column}: {message}"
    return message


def _locate(message: str, document: DocumentNode) -> str:
    """`message` prefixed with the position of the first reference to the name it quotes, when found."""
    quoted = _QUOTED.search(message)
    if quoted is None:
        return message
    name = quoted.group(1)
    found: list[Node] = []

    class _Find(Visitor):
        def enter_named_type(self, node: NamedTypeNode, *_args: object) -> None:
            if not found and node.name.value == name:
                found.append(node)

    visit(document, _Find())
    if not found or found[0].loc is None:
        return message
    loc = found[0].loc.source.get_location(found[0].loc.start)
    return f"SDL line {loc.line}:{loc.column}: {message}"
