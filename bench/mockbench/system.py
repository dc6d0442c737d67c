"""What the machine is doing: CPU accounting from /proc/stat, per-process CPU and RSS from /proc/<pid>,
the tools we need (installed from Debian when missing) and the versions that go into every report.

psutil is not a dependency: everything here reads /proc directly (Linux only, like the benchmark itself).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")  # /proc/stat and /proc/<pid>/stat both count in these ticks
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CpuSample:
    """One read of the aggregate `cpu` line of /proc/stat, in clock ticks summed over all cores."""

    busy: int  # user + nice + system: time charged to processes (guest time is already inside user)
    interrupts: (
        int  # irq + softirq: mostly the loopback traffic of the benchmark itself, charged to no process
    )
    steal: int  # time the hypervisor ran someone else while we wanted the CPU
    total: int  # everything, idle and iowait included
    wall: float

    @classmethod
    def read(cls) -> CpuSample:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
        user, nice, system, idle, iowait, irq, softirq, steal = fields
        busy = user + nice + system
        return cls(busy, irq + softirq, steal, busy + irq + softirq + idle + iowait + steal, time.monotonic())


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (nginx and the Granian CLI serve from child processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def cpu_ticks(pids: list[int]) -> int:
    """utime + stime of these processes (all their threads), in clock ticks; vanished processes count 0."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(rest[11]) + int(rest[12])  # fields 14 and 15 of proc(5), counted after "pid (comm)"
    return total


def status_kib(pid: int, key: str = "VmRSS") -> int | None:
    """A `kB` field of /proc/<pid>/status (VmRSS: resident now, VmHWM: peak resident)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def tree_rss_kib(pid: int) -> int | None:
    values = [status_kib(p) for p in process_tree(pid)]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def children_cpu_ticks() -> float:
    """CPU of reaped children (wrk runs), in clock ticks."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * TICK


def self_cpu_ticks() -> float:
    t = os.times()
    return (t.user + t.system) * TICK


# --pin: servers on one CPU, the load generator (and this harness) on the others. None: no pinning.
PINNING: dict[str, set[int]] | None = None


def pin(server_cpus: set[int], load_cpus: set[int]) -> None:
    global PINNING
    PINNING = {"server": server_cpus, "load": load_cpus}
    os.sched_setaffinity(0, load_cpus)  # the harness's own threads (admin churn, RSS sampling) too


def affinity(role: str) -> Callable[[], None] | None:
    """A `preexec_fn` that pins a child to the CPUs of `role` ("server" or "load"), or None."""
    if PINNING is None:
        return None
    cpus = PINNING[role]
    return lambda: os.sched_setaffinity(0, cpus)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_nofile() -> None:
    """1,000 delayed connections need more than the usual 1,024 descriptors in wrk and in the server."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


# --- tools -------------------------------------------------------------------------------------------------

APT_PACKAGES = {"wrk": "wrk", "nginx": "nginx-light"}


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def find_tool(name: str) -> str | None:
    return find_nginx() if name == "nginx" else shutil.which(name)


def ensure_tools(names: list[str], *, install: bool) -> dict[str, str]:
    """Paths of the tools; missing ones are installed from Debian when we are root, else we say how."""
    missing = [n for n in names if find_tool(n) is None]
    if missing and install and os.geteuid() == 0 and shutil.which("apt-get"):
        pkgs = [APT_PACKAGES[n] for n in missing]
        print(f"installing {' '.join(pkgs)} from Debian (apt-get)...", file=sys.stderr, flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *pkgs],
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        missing = [n for n in names if find_tool(n) is None]
    if missing:
        wanted = " ".join(APT_PACKAGES[n] for n in missing)
        raise SystemExit(
            f"bench/run needs {', '.join(missing)}. Install with:\n"
            f"  sudo apt-get update && sudo apt-get install -y {wanted}"
        )
    return {n: str(find_tool(n)) for n in names}


# --- the report header --------------------------------------------------------------------------------------


def _first_line(cmd: list[str]) -> str:
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    text = (res.stdout + res.stderr).strip()
    return text.splitlines()[0] if text else "unavailable"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(python: str, tools: dict[str, str]) -> dict[str, object]:
    """Everything the report opens with; the server side's versions come from the interpreter that runs it."""
    probe = (
        "import sys, importlib.metadata as m; "
        "print(sys.version.split()[0], m.version('granian'), m.version('mockd'), m.version('rloop'))"
    )
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False).stdout.split()
    py, granian, mockd, rloop = (out + ["unknown"] * 4)[:4]
    nginx = _first_line([tools["nginx"], "-v"]) if "nginx" in tools else "not used"
    wrk = _first_line([tools["wrk"], "-v"]) if "wrk" in tools else "not used"
    commit = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "host": socket.gethostname(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": py,
        "granian": granian,
        "rloop": rloop,
        "mockd": mockd,
        "mockd_commit": commit + (" (working tree has uncommitted changes)" if dirty else ""),
        "wrk": re.sub(r"\s+Copyright.*", "", wrk),
        "nginx": nginx.replace("nginx version: ", ""),
        "harness_python": sys.version.split()[0],
    }
