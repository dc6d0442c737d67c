"""Plan files: round trip, relative baseDir, refusal of plans from another mockd (style 7: PlanError)."""

from __future__ import annotations

import json
import shutil

import orjson
import pytest

from mockd import __version__
from mockd.compiler import compile_files
from mockd.plan import PlanError, empty_plan, read_plan, write_plan
from mockd.plan.model import PLAN_FORMAT

from .helpers import write

CONFIG = """
version: "1.0"
mocks:
  - id: hello
    http:
      matcher: {method: GET, path: /hello, headers: {X-A: b}, bodyJsonPath: {"$.a": 1}}
      response: {statusCode: 200, body: {hello: world}}
  - id: file
    http: {matcher: {path: /file}, response: {bodyFile: data/user.json}}
statefulResources:
  - {name: users, basePath: /api/users, seedData: [{id: 1}]}
customOperations:
  - {name: Noop, steps: [{type: set, var: x, value: "1"}]}
serverConfig: {chaos: {enabled: true}}
"""


def test_plan_round_trips(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "user.json").write_text("{}")
    plan = compile_files([write(tmp_path, CONFIG)], env={}).plan
    out = tmp_path / "plan.json"
    write_plan(plan, out)
    assert read_plan(out) == plan


def test_plan_header_comes_first(tmp_path):
    out = tmp_path / "plan.json"
    write_plan(empty_plan(), out)
    assert list(orjson.loads(out.read_bytes()))[:3] == ["kind", "planFormat", "mockdVersion"]


def test_base_dir_is_stored_relative_so_plans_move_with_their_configs(tmp_path):
    project = tmp_path / "project"
    (project / "configs").mkdir(parents=True)
    config = write(project / "configs", CONFIG)
    plan = compile_files([config], env={}).plan
    write_plan(plan, project / "plan.json")
    assert json.loads((project / "plan.json").read_text())["sources"][0]["baseDir"] == "configs"

    moved = tmp_path / "elsewhere"
    shutil.move(project, moved)
    assert read_plan(moved / "plan.json")["sources"][0]["baseDir"] == str(moved / "configs")


@pytest.mark.parametrize(
    ("change", "was"),
    [
        ({"mockdVersion": "0.0.1"}, f"mockd 0.0.1 (plan format {PLAN_FORMAT})"),
        ({"planFormat": 99}, f"mockd {__version__} (plan format 99)"),
        # issue 15: plans from before `chaos` was compiled (format 1) are refused, so they get rebuilt
        ({"planFormat": 1}, f"mockd {__version__} (plan format 1)"),
    ],
)
def test_plans_from_another_version_are_refused_with_the_rebuild_command(tmp_path, change, was):
    config = write(tmp_path, CONFIG)
    out = tmp_path / "plan.json"
    write_plan(compile_files([config], env={}).plan, out)
    data = json.loads(out.read_text())
    out.write_text(json.dumps({**data, **change}))
    with pytest.raises(PlanError) as info:
        read_plan(out)
    assert str(info.value) == (
        f"{out} was compiled by {was}; this is mockd {__version__} (plan format {PLAN_FORMAT}) "
        f"and only reads its own plans. Rebuild it with: mockd compile {config} -o {out}"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "is not a mockd plan (not JSON"),
        (b'{"version": "1.0", "mocks": []}', 'is not a mockd plan (no "kind": "mockd-plan" header)'),
    ],
)
def test_non_plans_are_refused(tmp_path, content, message):
    out = tmp_path / "config.json"
    out.write_bytes(content)
    with pytest.raises(PlanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_plan(out)


def test_missing_plan_file(tmp_path):
    with pytest.raises(PlanError, match="plan file not found"):
        read_plan(tmp_path / "nope.json")


def test_route_pairs_are_tuples_again_after_reading(tmp_path):
    out = tmp_path / "plan.json"
    write_plan(compile_files([write(tmp_path, CONFIG)], env={}).plan, out)
    route = read_plan(out)["mocks"][0]["route"]
    assert route is not None
    assert (route["headers"], route["bodyJsonPath"]) == ([("X-A", "b")], [("$.a", "eq", "1")])
