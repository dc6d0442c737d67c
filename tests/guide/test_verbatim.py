"""The example files end with the guide's code blocks, byte for byte.

Taken from the integration-testing guide when the examples were written: for each file, the length and
SHA-256 of the guide's blocks joined by a newline, which the file must end with (what comes before them is
the file's header comment). A formatter run over the folder (`ruff format`, `gofmt`) or a hand edit that
"improves" an example fails here: the examples must stay the code users copied from the guide.
"""

from __future__ import annotations

import hashlib

import pytest

from tests.guide.conftest import GUIDE

GUIDE_BLOCKS = {
    "jest.setup.js": (821, "b61e7cee0784fbba4d8732e1e003fd73d36349da6c10e5f7291f9384a56548c2"),  # Jest Setup
    # Example Tests + Testing Error Scenarios
    "user-service.test.js": (2249, "db376453348973365bda6fe452a6786040e397ab6e6236f41ab6fa4cd3324069"),
    "tips.test.js": (607, "7440a371a07565eac612b608b7228bffd0a39984aa6af38468650aa290ed5462"),  # Tips 3 + 4
    # Assert Call Counts + Reset Between Tests
    "verification.test.js": (1038, "cfefa4febc8c7ce2847ecd483b6c5bb02a2d3f76a750111f41a1072ccce25d3d"),
    "conftest.py": (912, "62673108e8d7573d37ba0ddaf3c6a49e0ec25606a78c8dbc3971fcbf167cf643"),  # pytest Setup
    "test_api.py": (
        1539,
        "8a1d3d201695fb37b21667f94d883b5fccabdfc41eeacb6747dfe01dee455afe",
    ),  # Example Tests
    # Go Testing Setup + Example Tests
    "integration_test.go": (2029, "2852008f481560888ad08f9cb9c47e528519853b26144d4c3a9c0bddd32f7fed"),
    "seed-data.json": (221, "347d8ffccf4829d48d9df6aa4854872a1ac62ac96d0c9bc64efd9fd74e97a2f4"),  # Tip 1
}


@pytest.mark.parametrize(("name", "expected"), GUIDE_BLOCKS.items())
def test_example_ends_with_the_guides_code(name: str, expected: tuple[int, str]) -> None:
    length, digest = expected
    content = (GUIDE / name).read_bytes()
    assert hashlib.sha256(content[-length:]).hexdigest() == digest
