"""The import-direction rule the package layout promises (README "Layout"), checked on the source.

Lower layers never import higher ones:

    gocompat, errors, content_type, bodyfile  <  templates  <  validation  <  chaos  <  plan  <  imports, recording
    <  proxy, compiler  <  runtime  <  cli

`_native` (the Rust extension) may be imported by the compiler's native checks and explain, and by the
runtime. The runtime reaches the compiler only through its public entry point (`mockd.compiler`), and only
from the admin API; the mock-port app imports neither the compiler nor PyYAML (a `--plan` start and every
request stay free of them).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mockd"
RANK = {"gocompat": 0, "errors": 0, "dashboard": 0, "content_type": 0, "bodyfile": 0, "tls": 1, "templates": 1,
        "validation": 2, "chaos": 3, "plan": 4, "imports": 5, "protocols": 5, "recording": 5, "proxy": 6, "compiler": 6,
        "persistence": 6, "runtime": 7, "cli": 8, "client": 8, "mcp": 8, "testing": 9, "schema": 7, "__main__": 9}  # fmt: skip
LAYERS = sorted(RANK)
# Who may import the Rust extension: the compiler (regex and JSONPath checks, --explain), the runtime, and
# gocompat (its `regex` module gives Go regexes to Python code such as chaos rules; `yamlfast` reads big
# imported specs).
NATIVE_USERS = ("compiler", "runtime", "gocompat")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every `mockd.*` module `path` imports (type-checking-only imports included: they are still a
    dependency a reader must follow), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "mockd":
            if node.module == "mockd":
                found += [(f"mockd.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "mockd"]
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        here = rel.parts[0].removesuffix(".py")
        if here == "__init__":
            continue
        for module, line in _imports(path):
            there = _layer(module)
            if there in (None, here, "__version__"):
                continue
            where = f"mockd/{rel}:{line} imports {module}"
            if there == "_native":
                if here not in NATIVE_USERS:
                    out.append(where + " (only the compiler, the runtime and gocompat use the extension)")
                continue
            if there not in RANK:
                out.append(where + " (unknown layer: add it to LAYERS)")
            elif RANK[there] > RANK[here]:
                out.append(where + f" ({here} is below {there})")
            elif here == "runtime" and there == "compiler":
                if module != "mockd.compiler":
                    out.append(where + " (the runtime uses only the compiler's public entry point)")
                elif rel.parts[:2] != ("runtime", "admin"):
                    out.append(where + " (only the admin API compiles at run time)")
    return out


def test_imports_point_down_the_layers() -> None:
    assert _violations() == []


def test_every_top_level_module_has_a_layer() -> None:
    names = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if not p.name.startswith(("_", "."))}
    names.discard("py.typed")
    assert names <= set(LAYERS) | {"__main__"}, names - set(LAYERS)


@pytest.mark.parametrize("module", ["mockd.runtime.app", "mockd.runtime.world", "mockd.plan"])
def test_serving_code_loads_neither_yaml_nor_the_compiler(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic')"
        " or m.startswith('mockd.compiler'))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _module_graph() -> dict[str, set[str]]:
    """module -> the mockd modules it imports (type-checking-only imports included). `from pkg import sub`
    names the submodule `pkg.sub`, so importing a sibling through its package is not a false cycle."""
    modules: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "mockd":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    deps.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name in modules)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_back() -> None:
    # issue 23: two modules that import each other (even only for type checking) cannot be read or tested
    # one at a time; a structural Protocol (runtime/state/tables.py, runtime/chaoshook.MockApp) breaks them.
    assert _cycles(_module_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
