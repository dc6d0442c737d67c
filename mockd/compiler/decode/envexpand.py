"""`$VAR` / `${VAR}` expansion over a config file's raw text, exactly as Go's `os.ExpandEnv` does it.

The Go tool expands the whole file before parsing (reference §2.1 step 2), so users' files rely on Go's
rules, which differ from Python's `os.path.expandvars` in ways that change served bodies:

- an unset variable becomes the empty string (expandvars leaves `$NAME` in place);
- `$` followed by a digit or one of `*#$@!?-` is a one-character "special" name (`$5`, `$$` -> value of the
  variable literally named `5` or `$`, normally unset, so empty);
- `$` followed by anything else that cannot start a name (`$.a`, `$[0]`, `$ `, a trailing `$`) is kept;
- `${}` is eaten, an unterminated `${` loses those two characters;
- `${...}` takes everything up to the first `}` as the name: there is no `${X:-default}` syntax, that is the
  variable named `X:-default`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

_SPECIAL = frozenset("*#$@!?-0123456789")
_ALNUM = frozenset("_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _shell_name(s: str, start: int) -> tuple[str, int]:
    """The name after a `$` at `start - 1` and how many characters it spans (Go's `getShellName`).

    A width > 0 with an empty name means "bad syntax, eat those characters"; width 0 means "not a name,
    keep the dollar".
    """
    first = s[start]
    if first == "{":
        if len(s) - start > 2 and s[start + 1] in _SPECIAL and s[start + 2] == "}":
            return s[start + 1], 3
        close = s.find("}", start + 1)
        if close == -1:
            return "", 1  # unterminated: eat "${"
        if close == start + 1:
            return "", 2  # "${}"
        return s[start + 1 : close], close - start + 1
    if first in _SPECIAL:
        return first, 1
    end = start
    while end < len(s) and s[end] in _ALNUM:
        end += 1
    return s[start:end], end - start


def expand_env(text: str, lookup: Callable[[str], str | None] | Mapping[str, str] | None = None) -> str:
    """Expand `$NAME` and `${NAME}` in `text` with Go `os.ExpandEnv` semantics.

    `lookup` defaults to the process environment; a mapping or a function returning None for "unset" can be
    given for tests and for callers that sandbox the environment.
    """
    if "$" not in text:
        return text
    if lookup is None:
        get: Callable[[str], str | None] = os.environ.get
    elif isinstance(lookup, Mapping):
        get = lookup.get
    else:
        get = lookup
    out: list[str] = []
    copied = 0  # text[copied:j] is still to be copied
    j = 0
    n = len(text)
    while True:
        j = text.find("$", j)
        if j == -1 or j + 1 >= n:  # no more dollars, or a trailing one (kept)
            break
        out.append(text[copied:j])
        name, width = _shell_name(text, j + 1)
        if name:
            out.append(get(name) or "")
        elif width == 0:
            out.append("$")
        j += width + 1
        copied = j
    out.append(text[copied:])
    return "".join(out)
