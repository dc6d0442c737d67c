"""Executing one GraphQL operation the way the Go tool does (protocols-reference §3.3).

graphql-core parses and validates; execution is mockd's own because the Go tool's is not GraphQL's:

- only root fields have resolvers (`Query.<field>`, `Mutation.<field>`, `Subscription.<field>`), one per
  field; a resolver whose `match.args` fails gives `null` without an error, as does a field with no resolver;
- a resolver's `response` is pruned to the selection (unselected keys dropped, missing keys omitted), not
  type-checked against the schema, so a partial canned object is fine;
- objects come out with their keys sorted (Go maps), which the caller gets by encoding with sorted keys.

Introspection (`__schema`, `__type`) is answered by graphql-core's own executor, so GraphQL clients that
load the full standard introspection query get a complete answer (docs/differences.md).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute,
    get_named_type,
    parse,
    validate,
)
from graphql.error import GraphQLError
from graphql.type import GraphQLInterfaceType, GraphQLObjectType
from graphql.utilities import value_from_ast_untyped

from mockd.protocols.graphql.resolvers import Resolver
from mockd.templates.gofmt import format_value

_ROOT_NAMES = {
    OperationType.QUERY: "Query",
    OperationType.MUTATION: "Mutation",
    OperationType.SUBSCRIPTION: "Subscription",
}
_INTROSPECTION = ("__schema", "__type")
DOCUMENT_CACHE = 512  # distinct query texts kept parsed and validated per GraphQL mock


@dataclass(slots=True)
class Outcome:
    """One executed request: the JSON answer and what the request log records about it."""

    body: dict[str, Any]
    operation_type: str = ""
    operation_name: str = ""
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return len(self.body.get("errors") or [])


def _failure(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


@dataclass(frozen=True, slots=True)
class Executor:
    schema: GraphQLSchema
    resolvers: dict[str, Resolver]
    introspection: bool
    # query text -> parsed and validated document, or the error body. graphql-core's validation costs
    # milliseconds per query and clients repeat the same few queries, so each distinct text pays it once.
    documents: dict[str, DocumentNode | dict[str, Any]] = field(default_factory=dict)

    def _document(self, query: str) -> DocumentNode | dict[str, Any]:
        found = self.documents.get(query)
        if found is not None:
            return found
        document: DocumentNode | dict[str, Any]
        try:
            parsed = parse(query)
        except GraphQLError as e:
            document = _failure(f"parse error: {_where(e)}", "GRAPHQL_PARSE_FAILED")
        else:
            errors = validate(self.schema, parsed)
            document = (
                _failure(f"parse error: {_where(errors[0])}", "GRAPHQL_PARSE_FAILED") if errors else parsed
            )
        if len(self.documents) >= DOCUMENT_CACHE:
            self.documents.pop(next(iter(self.documents)))  # oldest first: a bounded, FIFO cache
        self.documents[query] = document
        return document

    async def run(self, query: str, operation_name: str, variables: dict[str, Any], render: Any) -> Outcome:
        """Execute `query`; `render(text, args)` templates one response string with the field's args."""
        if not query:
            return Outcome(_failure("query is required", "GRAPHQL_VALIDATION_FAILED"))
        document = self._document(query)
        if isinstance(document, dict):
            return Outcome(document)
        operation = _operation(document, operation_name)
        if operation is None:
            message = f'operation "{operation_name}" not found'
            return Outcome(_failure(message, "GRAPHQL_VALIDATION_FAILED"))
        root = _ROOT_NAMES[operation.operation]
        name = operation.name.value if operation.name else ""
        variables = _with_defaults(operation, variables)
        out = Outcome({}, root.lower(), name, variables)
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        fields = _collect(operation.selection_set, root, fragments, variables)
        only_meta = all(f.name.value.startswith("__") for _, f, _ in fields)
        if fields and only_meta and not self.introspection:
            out.body = _failure("introspection is disabled", "GRAPHQL_VALIDATION_FAILED")
            return out
        meta: dict[str, Any] = {}
        if self.introspection and any(f.name.value in _INTROSPECTION for _, f, _ in fields):
            meta = self._introspect(document, operation, variables)
        data: dict[str, Any] = {}
        errs: list[dict[str, Any]] = []
        parent = self.schema.get_type(root)
        for key, node, _ in fields:
            fname = node.name.value
            if fname == "__typename":
                data[key] = root
            elif fname in _INTROSPECTION:
                data[key] = meta.get(key)
            else:
                data[key] = await self._resolve(
                    f"{root}.{fname}", key, node, parent, fragments, variables, render, errs
                )
        out.body = {"data": data, "errors": errs} if errs else {"data": data}
        return out

    async def _resolve(
        self, rkey: str, key: str, node: FieldNode, parent: Any, fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any], render: Any, errs: list[dict[str, Any]],
    ) -> Any:  # fmt: skip
        resolver = self.resolvers.get(rkey)
        if resolver is None:
            return None
        args = {a.name.value: value_from_ast_untyped(a.value, variables) for a in node.arguments or ()}
        for name, expected in resolver.match_args.items():
            if name not in args or format_value(args[name]) != format_value(expected):
                return None
        if resolver.delay:
            await asyncio.sleep(resolver.delay)
        if resolver.error is not None:
            err: dict[str, Any] = {"message": resolver.error.get("message", "")}
            err["path"] = resolver.error.get("path") or [key]
            if resolver.error.get("extensions"):
                err["extensions"] = resolver.error["extensions"]
            errs.append(err)
            return None
        value = _template(resolver.response, args, render)
        if node.selection_set is None:
            return value
        return self._prune(
            value, node.selection_set, _field_type(parent, node.name.value), fragments, variables
        )

    def _prune(
        self, value: Any, selection: SelectionSetNode, type_name: str | None,
        fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any],
    ) -> Any:  # fmt: skip
        if isinstance(value, list):
            return [self._prune(v, selection, type_name, fragments, variables) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, node, owner in _collect(selection, type_name or "Object", fragments, variables):
            fname = node.name.value
            if fname == "__typename":
                out[key] = owner
            elif fname in value:
                sub = value[fname]
                if node.selection_set is not None:
                    child = _field_type(self.schema.get_type(owner), fname)
                    sub = self._prune(sub, node.selection_set, child, fragments, variables)
                out[key] = sub
        return out

    def _introspect(
        self, document: DocumentNode, operation: OperationDefinitionNode, variables: dict[str, Any]
    ) -> dict[str, Any]:
        name = operation.name.value if operation.name else None
        result = execute(self.schema, document, operation_name=name, variable_values=variables)
        if hasattr(result, "__await__"):  # only with async resolvers, which this schema has none of
            return {}
        return dict(result.data or {})  # type: ignore[union-attr]


def _where(error: GraphQLError) -> str:
    if error.locations:
        loc = error.locations[0]
        return f"{error.message} (line {loc.line}:{loc.column})"
    return error.message


def _operation(document: DocumentNode, name: str) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        return next((o for o in ops if o.name is not None and o.name.value == name), None)
    return ops[0] if ops else None


def _with_defaults(operation: OperationDefinitionNode, variables: dict[str, Any]) -> dict[str, Any]:
    out = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in out and definition.default_value is not None:
            out[name] = value_from_ast_untyped(definition.default_value)
    return out


def _collect(
    selection: SelectionSetNode, type_name: str, fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> list[tuple[str, FieldNode, str]]:  # fmt: skip
    """(response key, field, the type `__typename` names there) for each selected field, fragments merged
    without checking their type conditions (as the Go tool does); a key selected twice keeps its first field
    with the sub-selections of both."""
    out: dict[str, tuple[FieldNode, str]] = {}

    def walk(sel: SelectionSetNode, owner: str) -> None:
        for node in sel.selections:
            if not _included(node, variables):
                continue
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias else node.name.value
                if key in out and out[key][0].selection_set and node.selection_set:
                    first, first_owner = out[key]
                    merged = SelectionSetNode(
                        selections=(*first.selection_set.selections, *node.selection_set.selections)  # type: ignore[union-attr]
                    )
                    out[key] = (
                        FieldNode(
                            alias=first.alias, name=first.name, arguments=first.arguments,
                            directives=first.directives, selection_set=merged,
                        ),
                        first_owner,
                    )  # fmt: skip
                elif key not in out:
                    out[key] = (node, owner)
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set, node.type_condition.name.value if node.type_condition else owner)
            elif isinstance(node, FragmentSpreadNode):
                fragment = fragments.get(node.name.value)
                if fragment is not None:
                    walk(fragment.selection_set, fragment.type_condition.name.value)

    walk(selection, type_name)
    return [(key, node, owner) for key, (node, owner) in out.items()]


def _included(node: Any, variables: dict[str, Any]) -> bool:
    """`@skip(if:)` / `@include(if:)`: `@include(if: null)` drops the field, `@skip(if: null)` keeps it."""
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        arg = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        value = value_from_ast_untyped(arg.value, variables) if arg is not None else None
        if name == "skip" and value is True:
            return False
        if name == "include" and value is not True:
            return False
    return True


def _field_type(parent: Any, name: str) -> str | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) and name in parent.fields:
        return get_named_type(parent.fields[name].type).name
    return None


def _template(value: Any, args: dict[str, Any], render: Any) -> Any:
    """Every string leaf rendered with the field's arguments; numbers and booleans are left alone."""
    if isinstance(value, str):
        if "{{" not in value:
            return value
        for name, arg in args.items():
            value = value.replace("{{args." + name + "}}", format_value(arg))
        return render(value, args)
    if isinstance(value, dict):
        return {k: _template(v, args, render) for k, v in value.items()}
    if isinstance(value, list):
        return [_template(v, args, render) for v in value]
    return value


def args_json(args: dict[str, Any]) -> bytes:
    return orjson.dumps(args)
