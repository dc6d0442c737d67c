"""docs/integration-testing.md shows the examples that CI runs, not copies that can drift from them.

Every JavaScript, Python and Go block on the page must appear verbatim in an example file (which the guide
suites execute); the config block must be test-mocks.json; the compose block must parse.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import ROOT
from tests.guide.conftest import GUIDE

PAGE = (ROOT / "docs" / "integration-testing.md").read_text()
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", PAGE, re.S | re.M)
SOURCES = {"javascript": "*.js", "python": "*.py", "go": "*.go"}
CODE = [(lang, body) for lang, body in BLOCKS if lang in SOURCES]


def test_the_page_has_code_in_each_language() -> None:
    assert {lang for lang, _ in CODE} == set(SOURCES)


@pytest.mark.parametrize(("lang", "body"), CODE, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(CODE)])
def test_code_block_is_in_an_example_file(lang: str, body: str) -> None:
    files = GUIDE.glob(SOURCES[lang])
    assert any(body in f.read_text() for f in files), f"not found verbatim in any {SOURCES[lang]} example"


def test_config_block_is_test_mocks_json() -> None:
    configs = [json.loads(body) for lang, body in BLOCKS if lang == "json" and "statefulResources" in body]
    assert configs == [json.loads((GUIDE / "test-mocks.json").read_text())]


def test_compose_block_runs_mockd_without_admin_keys() -> None:
    (compose,) = [yaml.safe_load(body) for lang, body in BLOCKS if lang == "yaml"]
    assert compose["services"]["mockd"]["command"] == "start --config /mocks/config.json --no-auth"
    assert "API_BASE_URL=http://mockd:4280" in compose["services"]["app-tests"]["environment"]


def test_links_resolve() -> None:
    for page in ("integration-testing.md", "differences.md"):
        text = (ROOT / "docs" / page).read_text()
        for target in re.findall(r"\]\(([^)#]+\.md)", text):
            assert (ROOT / "docs" / target).exists(), f"{page} links to missing {target}"
