"""Go `os.ExpandEnv` semantics over the raw config text (reference §2.1 step 2)."""

from __future__ import annotations

import pytest

from mockd.compiler.decode.envexpand import expand_env

ENV = {"HOST": "example.com", "PORT": "8080", "EMPTY": "", "A_1": "x", "5": "five", "$": "dollar",
       "X:-default": "weird"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no dollars at all", "no dollars at all"),
        ("$HOST", "example.com"),
        ("${HOST}", "example.com"),
        ("http://$HOST:$PORT/x", "http://example.com:8080/x"),
        ("${HOST}name", "example.comname"),
        ("$HOSTname", ""),  # the name runs to the last alphanumeric: HOSTname is unset
        ("$A_1-b", "x-b"),
        # unset => empty string (Python's expandvars would keep "$MISSING")
        ("[$MISSING]", "[]"),
        ("[${MISSING}]", "[]"),
        ("[$EMPTY]", "[]"),
        # `$` + digit or one of *#$@!?- is a one-character special name
        ("$5x", "fivex"),
        ("$55", "five5"),
        ("$$", "dollar"),
        ("a$#b", "ab"),
        ("a$*b$@c$!d$?e$-f", "abcdef"),
        ("${5}", "five"),
        ("${$}", "dollar"),
        # `$` + a character that cannot start a name is left untouched (JSONPath keys survive)
        ("$.items[0]", "$.items[0]"),
        ("$[0]", "$[0]"),
        ("cost: $ 5", "cost: $ 5"),
        ("ends with $", "ends with $"),
        ('"$"', '"$"'),
        ("$/path", "$/path"),
        ("$é", "$é"),
        # `${}` is eaten; an unterminated `${` loses its two characters
        ("a${}b", "ab"),
        ("a${HOST", "aHOST"),
        # no `:-default` syntax: that is a variable literally named "X:-default"
        ("${X:-default}", "weird"),
        ("${Y:-fallback}", ""),
        # braces take everything up to the first "}"
        ("${HOST}}", "example.com}"),
        ("${A B}", ""),
        # the expansion result is not expanded again
        ("$$HOST", "dollarHOST"),
    ],
)
def test_expand_env_follows_go_os_expandenv(text, expected):
    assert expand_env(text, ENV) == expected


def test_expand_env_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("MOCKD_TEST_VALUE", "from-env")
    monkeypatch.delenv("MOCKD_TEST_UNSET", raising=False)
    assert expand_env("$MOCKD_TEST_VALUE/${MOCKD_TEST_UNSET}") == "from-env/"


def test_expand_env_accepts_a_lookup_function():
    assert expand_env("$A-$B", lambda name: {"A": "1"}.get(name)) == "1-"
