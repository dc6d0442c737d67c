"""Running rules against a request: per-mock validation (reference §3.9) and resource validation (§4.2).

- `Validator.validate(body, path, query, headers)` checks path params, then query params, then headers,
  then the body (a JSON Schema when one is configured, else `required` then `fields`), as Go does. A
  `None` body (empty, or JSON null) skips the body rules; pass `{}` to check them against nothing.
- `rejects(errors, mode)` says whether a request fails: `strict` (or any unknown mode) on any error,
  `warn` never, `permissive` only when some error is a missing `required` one.
- `StatefulValidator` is a resource's: shared path-param rules plus the merged create/update rules.

Nothing here reads a request: callers pass plain dicts (header names lower-cased), so this package stays
free of HTTP and runtime imports. The schema of `schemaRef` is read from disk once, on first use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import orjson

from mockd.bodyfile import DEFAULT_MAX_BYTES, BodyFileError, BodyFilePolicy
from mockd.validation import errors as E
from mockd.validation.errors import FieldError
from mockd.validation.fields import validate_fields, validate_map, validate_required
from mockd.validation.infer import infer
from mockd.validation.rules import RequestRules, StatefulRules, parse_stateful
from mockd.validation.schema import Schema, SchemaCompileError

STRICT, WARN, PERMISSIVE = "strict", "warn", "permissive"


def rejects(errors: list[FieldError], mode: str) -> bool:
    if not errors or mode == WARN:
        return False
    if mode == PERMISSIVE:
        return any(e.code == E.REQUIRED for e in errors)
    return True


class Validator:
    """One set of request rules, ready to run. `base_dir` anchors a relative `schemaRef`; `files` says how
    that file may be read (mockd/bodyfile.py: regular files only, size cap, and for mocks created over
    the admin API the body-file root; issue 12)."""

    __slots__ = ("_schema", "_schema_error", "base_dir", "files", "rules")

    def __init__(
        self, rules: RequestRules, base_dir: str | None = None, files: BodyFilePolicy | None = None
    ) -> None:
        self.rules = rules
        self.base_dir = base_dir
        self.files = files or BodyFilePolicy(DEFAULT_MAX_BYTES)
        self._schema: Schema | None = None
        self._schema_error = ""

    @property
    def mode(self) -> str:
        return self.rules.mode or STRICT

    @property
    def fail_status(self) -> int:
        return self.rules.fail_status or 400

    def validate(
        self, body: Mapping[str, Any] | None, path: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
    ) -> list[FieldError]:  # fmt: skip
        r = self.rules
        out: list[FieldError] = []
        if r.path_params and path is not None:
            out.extend(validate_map(E.PATH, path, r.path_params))
        if r.query_params and query is not None:
            out.extend(validate_map(E.QUERY, query, r.query_params))
        if r.headers and headers is not None:
            # Go lower-cases the request's header names but looks the configured name up as written, so a
            # rule for `X-Api-Key` could never match; names compare case-insensitively here.
            out.extend(validate_map(E.HEADER, headers, r.headers, fold_case=True))
        if body is not None:
            out.extend(self.validate_body(body))
        return out

    def validate_body(self, body: Mapping[str, Any] | None) -> list[FieldError]:
        """The body rules alone; a None body is checked as an empty object (Go's nil map)."""
        data: Mapping[str, Any] = body if body is not None else {}
        r = self.rules
        if r.schema is not None or r.schema_ref:
            return self._schema_errors(data)  # a schema replaces `required` and `fields`
        out: list[FieldError] = []
        if r.required:
            out.extend(validate_required(E.BODY, data, r.required))
        if r.fields:
            out.extend(validate_fields(E.BODY, data, r.fields))
        return out

    def _schema_errors(self, body: Mapping[str, Any]) -> list[FieldError]:
        if self._schema is None and not self._schema_error:
            try:
                self._schema = Schema(self._load_schema())
            except SchemaCompileError as exc:
                self._schema_error = str(exc)
        if self._schema is None:
            return [FieldError("", E.BODY, E.SCHEMA, f"schema compilation error: {self._schema_error}")]
        try:
            leaves = self._schema.validate(dict(body))
        except SchemaCompileError as exc:
            return [FieldError("", E.BODY, E.SCHEMA, f"schema compilation error: {exc}")]
        return [E.schema(where, message) for where, message in leaves]

    def _load_schema(self) -> Any:
        ref = self.rules.schema_ref
        if not ref:
            return self.rules.schema
        path = ref if os.path.isabs(ref) or not self.base_dir else os.path.join(self.base_dir, ref)
        try:
            # Read once, on the loop: a FIFO or /dev/zero here used to stall the whole mock port (issue 12).
            data = self.files.read(path, shown=ref).encode("utf-8", "surrogateescape")
        except BodyFileError as exc:
            raise SchemaCompileError(f"failed to read schema file: {exc}") from None
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SchemaCompileError(f"failed to parse schema file: {exc}") from None


class StatefulValidator:
    """A resource's validation: Go's `StatefulValidator` (absent when the resource has no rules)."""

    __slots__ = ("create_rules", "mode", "path_rules", "update_rules")

    def __init__(
        self, rules: StatefulRules, base_dir: str | None = None, files: BodyFilePolicy | None = None
    ) -> None:
        self.mode = rules.mode
        create, update = rules.for_create(), rules.for_update()
        self.create_rules = None if create.empty else Validator(create, base_dir, files)
        self.update_rules = None if update.empty else Validator(update, base_dir, files)
        shared = rules.shared.path_params
        self.path_rules = Validator(RequestRules(path_params=shared)) if shared else None

    def path(self, params: Mapping[str, str] | None) -> list[FieldError]:
        if self.path_rules is None:
            return []
        return self.path_rules.validate(None, params if params is not None else {})

    def create(self, body: Mapping[str, Any] | None, params: Mapping[str, str] | None) -> list[FieldError]:
        out = self.path(params)
        if self.create_rules is not None:
            out.extend(self.create_rules.validate_body(body))
        return out

    def update(self, body: Mapping[str, Any] | None, params: Mapping[str, str] | None) -> list[FieldError]:
        out = self.path(params)
        if self.update_rules is not None:
            out.extend(self.update_rules.validate_body(body))
        return out


def stateful_validator(
    config: Any, seed: list[dict[str, Any]], base_path: str = "", base_dir: str | None = None,
    files: BodyFilePolicy | None = None,
) -> StatefulValidator | None:  # fmt: skip
    """A resource's validator from its `validation` block (None when there are no rules). With
    `auto: true`, rules inferred from the seed (and a legacy `basePath`) sit under the explicit ones."""
    rules, _ = parse_stateful(config)
    if rules.empty:
        return None
    if rules.auto:
        inferred = infer(seed, base_path)
        if inferred is not None:
            rules = rules.under(inferred)
    return StatefulValidator(rules, base_dir, files)
