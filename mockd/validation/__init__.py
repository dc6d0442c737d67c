"""Request validation (reference §3.9 per-mock `http.validation`, §4.2/§4.6 resource `validation`).

Pure rules and checks with the Go tool's error codes, messages and problem+json body; no HTTP, no runtime.
The runtime reads the request and hands plain dicts in (`mockd.runtime.validated`, the stateful engine);
the compiler calls `parse_request`/`parse_stateful` to report ill-typed rules when a config loads.

Modules: `rules` (config → frozen rules, merging), `fields` (field rules, dotted names), `formats`,
`schema` (JSON Schema subset), `infer` (`auto`), `validator` (running them, modes), `errors` (codes,
messages, the problem body).
"""

from mockd.validation.errors import FieldError, invalid_json, problem
from mockd.validation.rules import (
    FieldRule,
    Problem,
    RequestRules,
    StatefulRules,
    parse_request,
    parse_stateful,
)
from mockd.validation.validator import StatefulValidator, Validator, rejects, stateful_validator

__all__ = [
    "FieldError",
    "FieldRule",
    "Problem",
    "RequestRules",
    "StatefulRules",
    "StatefulValidator",
    "Validator",
    "invalid_json",
    "parse_request",
    "parse_stateful",
    "problem",
    "rejects",
    "stateful_validator",
]
