"""The CLI surface: exit codes, the bad-config report (every error, positioned), help texts, version."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockd import __version__
from tests.conftest import EXAMPLES
from tests.harness import run_cli

BROKEN_YAML = """\
version: "1.0"
mocks:
  - id: a
    http:
      matcher: { method: GETT, path: api/x }
      response: { statusCode: 700 }
  - id: a
    http:
      matcher: { path: /ok }
      respnse: { statusCode: 200 }
"""


def test_version() -> None:
    r = run_cli("version")
    assert (r.returncode, r.stdout) == (0, f"mockd {__version__}\n")


def test_help_lists_every_command() -> None:
    r = run_cli("--help")
    assert r.returncode == 0
    for command in ("start", "compile", "validate", "version"):
        assert command in r.stdout


def test_every_start_option_explains_itself() -> None:
    r = run_cli("start", "--help")
    for option in ("--config", "--plan", "--port", "--admin-port", "--host", "--no-auth", "--log-level"):
        assert option in r.stdout
    for env in ("MOCKD_PORT", "MOCKD_ADMIN_PORT", "MOCKD_CONFIG"):
        assert env in r.stdout


def test_validate_accepts_the_bundled_example() -> None:
    r = run_cli("validate", str(EXAMPLES / "quickstart.yaml"))
    assert (r.returncode, r.stdout, r.stderr) == (0, "valid: 6 mocks and 0 stateful resources\n", "")


@pytest.mark.parametrize("command", ["validate", "start", "compile"])
def test_a_bad_config_reports_every_error_with_position(command: str, tmp_path: Path) -> None:
    (tmp_path / "mocks.yaml").write_text(BROKEN_YAML)
    args = {"validate": ["validate", "mocks.yaml"], "start": ["start", "-c", "mocks.yaml"],
            "compile": ["compile", "mocks.yaml", "-o", "out.plan"]}[command]  # fmt: skip
    r = run_cli(*args, cwd=tmp_path)
    summary = {
        "validate": "validation failed",
        "start": "failed to load config file",
        "compile": "compile failed",
    }
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        "mocks.yaml:5:26: mocks[0].http.matcher.method: invalid HTTP method: GETT",
        "mocks.yaml:5:38: mocks[0].http.matcher.path: path must start with /",
        "mocks.yaml:6:31: mocks[0].http.response.statusCode: statusCode must be between 100-599, got 700",
        "mocks.yaml:7:9: mocks[1].id: duplicate mock ID: a (also defined at mocks.yaml:3:9)",
        "mocks.yaml:8:5: mocks[1].http.response: one of response, sse, chunked, statefulOperation, or "
        "statefulBinding is required",
        "mocks.yaml:10:7: mocks[1].http.respnse: warning: unknown key 'respnse' is ignored. "
        "Did you mean 'response'?",
        f"{summary[command]}: 5 errors",
    ]
    assert not (tmp_path / "out.plan").exists()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (None, "missing.yaml: configuration file not found: missing.yaml"),
        ("", "missing.yaml: configuration file is empty: missing.yaml"),
        (
            'version: "2.0"\nmocks: []\n',
            "missing.yaml:1:10: version: unsupported version: 2.0 (expected 1.0)",
        ),
    ],
)
def test_go_load_errors(setup: str | None, expected: str, tmp_path: Path) -> None:
    if setup is not None:
        (tmp_path / "missing.yaml").write_text(setup)
    r = run_cli("validate", "missing.yaml", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == expected
    assert "Traceback" not in r.stderr


def test_a_directory_is_not_a_config(tmp_path: Path) -> None:
    r = run_cli("validate", str(tmp_path))
    assert r.returncode == 1
    assert r.stderr.splitlines()[0].endswith(f"path is a directory, not a file: {tmp_path}")


def test_an_unwritable_plan_path_is_reported_not_raised(tmp_path: Path) -> None:
    r = run_cli(
        "compile", str(EXAMPLES / "quickstart.yaml"), "-o", str(tmp_path / "no" / "such" / "dir.plan")
    )
    assert r.returncode == 1
    assert r.stderr.startswith(f"cannot write plan {tmp_path / 'no' / 'such' / 'dir.plan'}: ")
    assert "Traceback" not in r.stderr


def test_invalid_log_level_is_a_usage_error() -> None:
    r = run_cli("start", "--log-level", "loud")
    assert (r.returncode, r.stderr) == (
        1,
        "invalid --log-level 'loud': expected one of debug, info, warn, error\n",
    )


def test_validate_warns_about_template_mistakes_with_position(tmp_path: Path) -> None:
    """Issue 5: bad template syntax is not an error (Go blanks it), but `validate` says where it is."""
    (tmp_path / "t.yaml").write_text(
        'version: "1.0"\nmocks:\n  - id: t\n    http:\n      matcher: { path: /t }\n'
        '      response:\n        headers: { X-Id: "{{uuidd}}" }\n        body: "ok {{ now }}"\n'
    )
    r = run_cli("validate", "t.yaml", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "valid: 1 mocks and 0 stateful resources\n")
    assert r.stderr.splitlines() == [
        "t.yaml:7:26: mocks[0].http.response.headers.X-Id: warning: template line 1, column 1: unknown "
        'expression "uuidd"; did you mean "uuid"?; it renders as an empty string'
    ]
