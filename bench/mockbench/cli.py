"""`bench/run`: options, tool checks, the scenarios in order, and the JSON + markdown results."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mockbench import compare, report, system, targets
from mockbench.context import Context, Peer
from mockbench.measure import FOREIGN_NOISY_PCT, STEAL_NOISY_PCT, Settings, log
from mockbench.scenarios import SCENARIOS
from mockbench.scenarios import run as run_scenario

RESULTS = Path(__file__).resolve().parents[1] / "results"
SMOKE_SCENARIOS = ["1", "7"]


def _readable_file(value: str) -> Path:
    """Checked when the arguments are parsed: a wrong path must not cost a whole run's figures at the end."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value!r} is not a file (it takes the path of a markdown file)")
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run",
        description="mockd macro-benchmarks: each scenario interleaves mockd with its baselines and reports "
        "ratios from the same run (bench/README.md).",
    )
    p.add_argument("-d", "--duration", type=float, default=10.0, help="seconds per measured wrk run (10)")
    p.add_argument("-t", "--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("-c", "--connections", type=int, default=64, help="wrk connections (64)")
    p.add_argument(
        "-r", "--runs", type=int, default=3, help="interleaved rounds per scenario, at least 3 (3)"
    )
    p.add_argument(
        "--extra-rounds",
        type=int,
        default=2,
        help="rounds added when fewer than --runs rounds were quiet (2)",
    )
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per subject, not recorded (3)")
    p.add_argument("--primer", type=float, default=1.0, help="primer seconds per subject, not recorded (1)")
    p.add_argument(
        "-s",
        "--scenarios",
        default=",".join(SCENARIOS),
        help="comma-separated scenario numbers (all: " + ",".join(SCENARIOS) + ")",
    )
    p.add_argument("--mocks", type=int, default=10_000, help="mock count of scenarios 2 and 7 (10000)")
    p.add_argument("--verify-requests", type=int, default=1_000_000, help="requests counted in scenario 5")
    p.add_argument("--startup-reps", type=int, default=5, help="start-ups per case in scenario 7 (5)")
    p.add_argument("--admin-rate", type=float, default=20.0, help="admin create+delete cycles/s, scenario 8")
    p.add_argument("--inflight", type=int, default=1000, help="delayed requests in flight, scenario 6 (1000)")
    p.add_argument(
        "--go-mockd",
        action="append",
        default=[],
        metavar="PATH",
        help="a Go mockd binary to compare against (scenarios 1, 2, 7); repeatable",
    )
    p.add_argument(
        "--wiremock", metavar="JAR", help="a WireMock standalone jar to compare against (scenario 1)"
    )
    p.add_argument(
        "--peer",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="any server serving GET /api/hello with 200; COMMAND has {port} (scenario 1)",
    )
    p.add_argument(
        "--pin",
        action="store_true",
        help="lower-variance mode: every server on CPU 0, wrk and the harness on the other CPUs "
        "(not the design's setting: figures are not comparable with unpinned runs)",
    )
    p.add_argument(
        "--smoke",
        action="store_true",
        help="about 10 s: one short interleaved round of scenario 1 and one start-up; asserts only "
        "that figures were produced",
    )
    p.add_argument("--out", type=Path, default=RESULTS, help="results directory (bench/results)")
    p.add_argument("--python", default=sys.executable, help="interpreter with mockd and granian (this one)")
    p.add_argument("--no-install", action="store_true", help="never apt-get install wrk/nginx")
    p.add_argument("--keep-scratch", action="store_true", help="keep configs, scripts and server logs")
    p.add_argument(
        "--closing-note",
        type=_readable_file,
        help="markdown file appended to the report as its closing note",
    )
    p.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("OLD", "NEW"),
        help="only compare the ratios of two results JSON files; exit 1 if one moved past --threshold",
    )
    p.add_argument("--threshold", type=float, default=5.0, help="percent change flagged by --compare (5)")
    p.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only re-render the markdown of an existing results JSON (with --closing-note)",
    )
    a = p.parse_args(argv)
    if a.smoke:
        a.duration, a.runs, a.extra_rounds, a.warmup, a.primer = 1.0, 1, 0, 0.0, 0.5
        a.scenarios = ",".join(SMOKE_SCENARIOS)
    elif a.runs < 3:
        p.error("--runs must be at least 3 (medians of at least 3 runs); use --smoke for a quick check")
    a.scenarios = [s.strip() for s in str(a.scenarios).split(",") if s.strip()]
    unknown = [s for s in a.scenarios if s not in SCENARIOS]
    if unknown:
        p.error(f"unknown scenario(s) {unknown}; choose from {list(SCENARIOS)}")
    return a


def _peers(a: argparse.Namespace) -> list[Peer]:
    peers = [
        Peer("go-mockd", "go-mockd" if i == 0 else f"go-mockd-{i + 1}", str(Path(b).resolve()))
        for i, b in enumerate(a.go_mockd)
    ]
    if a.wiremock:
        peers.append(Peer("wiremock", "wiremock", str(Path(a.wiremock).resolve())))
    for spec in a.peer:
        name, sep, cmd = spec.partition("=")
        if not sep or not name or not cmd:
            raise SystemExit(f"--peer {spec!r}: expected NAME=COMMAND")
        peers.append(Peer("command", name, cmd))
    for peer in peers:
        if peer.kind == "go-mockd" and not os.access(peer.value, os.X_OK):
            raise SystemExit(f"--go-mockd {peer.value}: not an executable file")
    return peers


def _stem(a: argparse.Namespace, host: str) -> str:
    stem = f"{time.strftime('%Y-%m-%d', time.gmtime())}-{host}"
    if a.smoke:
        return stem + "-smoke"
    if set(a.scenarios) != set(SCENARIOS):
        return stem + "-partial"
    return stem


def _missing_figures(doc: dict[str, Any]) -> list[str]:
    """What the smoke run must have produced: every scenario ok, a ratio per comparison, a start-up time."""
    missing = []
    for key, s in doc["scenarios"].items():
        if s.get("status") != "ok":
            missing.append(f"scenario {key}: {s.get('status')}")
            continue
        for c in s.get("comparisons", []):
            if c.get("ratio") is None:
                missing.append(f"scenario {key}: {c['key']}")
        for sk, sv in s.get("subjects", {}).items():
            if not (sv.get("rps") or sv.get("startup_ms")):
                missing.append(f"scenario {key}: {sk} has no figure")
    return missing


def write(doc: dict[str, Any], out: Path, stem: str, *, latest: bool) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    j, m = out / f"{stem}.json", out / f"{stem}.md"
    j.write_text(json.dumps(doc, indent=1) + "\n")
    md = report.markdown(doc)
    m.write_text(md)
    if latest:
        (out / "latest.md").write_text(md)
    return j, m


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.compare:
        lines, flagged = compare.compare(a.compare[0], a.compare[1], a.threshold)
        print("\n".join(lines))
        return 1 if flagged else 0
    if a.render:
        rendered = json.loads(a.render.read_text())
        if a.closing_note:
            rendered["closing_note"] = a.closing_note.read_text().strip()
            a.render.write_text(json.dumps(rendered, indent=1) + "\n")
        md = report.markdown(rendered)
        a.render.with_suffix(".md").write_text(md)
        if rendered["mode"] == "full" and a.render.parent.resolve() == RESULTS.resolve():
            (RESULTS / "latest.md").write_text(md)
        print(a.render.with_suffix(".md"))
        return 0
    peers = _peers(a)
    needs = ["wrk", "nginx"] if "1" in a.scenarios else ["wrk"]
    tools = system.ensure_tools(needs, install=not a.no_install)
    system.raise_nofile()
    if a.pin:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            raise SystemExit("--pin needs at least 2 CPUs")
        system.pin({cpus[0]}, set(cpus[1:]))
    scratch = Path(tempfile.mkdtemp(prefix="mockbench-"))
    # Servers start from cached bytecode, as an installed wheel does: a PYTHONDONTWRITEBYTECODE environment
    # (this project's shared machines set it) would otherwise recompile mockd's modules at every start-up.
    # The cache lives in the scratch directory, so nothing is written into the source tree.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    settings = Settings(
        wrk=tools["wrk"],
        threads=a.threads,
        connections=a.connections,
        duration_s=a.duration,
        primer_s=a.primer,
        warmup_s=a.warmup,
        runs=a.runs,
        extra_rounds=a.extra_rounds,
        scratch=scratch,
    )
    ctx = Context(
        settings,
        a.python,
        tools,
        scratch,
        a.smoke,
        mocks=a.mocks,
        verify_requests=a.verify_requests,
        startup_reps=a.startup_reps,
        delayed_inflight=a.inflight,
        admin_rate=a.admin_rate,
        peers=peers,
    )
    machine = system.machine_info(a.python, tools)
    log(f"mockbench: {machine['cpu']}, load {machine['load_average_at_start']}, scratch {scratch}")

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    results: dict[str, Any] = {}
    failed = False
    try:
        for key in a.scenarios:
            results[key] = run_scenario(ctx, key)
    except KeyboardInterrupt:
        log("interrupted: stopping servers")
        failed = True
    finally:
        ctx.stop_all()
    doc: dict[str, Any] = {
        "schema": 1,
        "mode": "smoke" if a.smoke else ("full" if set(a.scenarios) == set(SCENARIOS) else "partial"),
        "command": "bench/run "
        + " ".join(shlex.quote(x) for x in (argv if argv is not None else sys.argv[1:])),
        "machine": machine,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "settings": {
            "pinned": a.pin,
            "threads": a.threads,
            "connections": a.connections,
            "duration_s": a.duration,
            "runs": a.runs,
            "extra_rounds": a.extra_rounds,
            "warmup_s": a.warmup,
            "primer_s": a.primer,
            "mocks": a.mocks,
            "verify_requests": a.verify_requests,
            "startup_reps": a.startup_reps,
            "admin_rate": a.admin_rate,
            "inflight": a.inflight,
        },
        "thresholds": {"steal_pct": STEAL_NOISY_PCT, "foreign_pct": FOREIGN_NOISY_PCT},
        "peers": [f"{p.name} ({p.kind})" for p in peers],
        "features": ctx._features,
        "scenarios": results,
        "targets": targets.judge(results, [p.name for p in peers if p.kind == "go-mockd"]),
    }
    if a.closing_note:
        doc["closing_note"] = a.closing_note.read_text().strip()
    j, m = write(doc, a.out, _stem(a, str(machine["host"])), latest=doc["mode"] == "full")
    log(f"results: {j}\n         {m}")
    failed = failed or any(s.get("status", "").startswith("failed") for s in results.values())
    if a.smoke:
        missing = _missing_figures(doc)
        if missing:
            log("smoke run produced no figure for: " + "; ".join(missing))
            failed = True
    if not failed and not a.keep_scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    elif failed:
        log(f"scratch kept for inspection: {scratch}")
    with contextlib.suppress(Exception):
        print(m)
    return 1 if failed else 0
