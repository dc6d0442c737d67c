"""Workers are children of the owner: they stop with it, are restarted when they die, and never outlive it.
PIDs are read from /proc (the owner's children), and every process is signalled by its own PID."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

import pytest
import requests

from tests.harness import MockdProcess, run_cli
from tests.workers.conftest import WORKERS, alive, errors_so_far, fresh_get, poll, worker_pids


def test_sigterm_stops_every_worker_and_exits_0(start: Callable[..., MockdProcess]):
    proc = start()
    pids = worker_pids(proc)
    assert len(pids) == WORKERS
    assert proc.stop(signal.SIGTERM) == 0
    assert [p for p in pids if alive(p)] == []
    out, _ = proc.output()
    assert out.rstrip().endswith("Server stopped")


def test_a_killed_worker_is_restarted_and_logged_while_under_load(start: Callable[..., MockdProcess]):
    proc = start()
    victim = worker_pids(proc)[0]
    stop = threading.Event()
    answered: list[int] = []

    def load() -> None:  # keeps requests coming on fresh connections, through the crash
        while not stop.is_set():
            try:
                answered.append(fresh_get(proc.url + "/hello").status_code)
            except requests.ConnectionError:
                answered.append(0)  # a connection the dying worker had accepted

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        poll(lambda: len(answered) > 50, "load reached the server")
        os.kill(victim, signal.SIGKILL)
        poll(lambda: "worker 1 restarted (pid " in errors_so_far(proc), "the restart logged")
        restarted = worker_pids(proc)
        seen = len(answered)
        poll(lambda: len(answered) > seen + 200, "the load continued after the restart")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert len(restarted) == WORKERS
    assert victim not in restarted
    # Once restarted, every new connection is answered (whichever worker takes it).
    assert {fresh_get(proc.url + "/hello").status_code for _ in range(40)} == {200}
    assert proc.stop() == 0
    _, err = proc.output()
    assert f"worker 1 (pid {victim}) exited with signal SIGKILL; restarting it" in err
    assert "worker 1 restarted (pid " in err


def test_kill_9_of_the_owner_leaves_no_orphan_worker(start: Callable[..., MockdProcess]):
    proc = start()
    pids = worker_pids(proc)
    assert len(pids) == WORKERS
    assert proc.stop(signal.SIGKILL) == -signal.SIGKILL
    poll(lambda: not any(alive(p) for p in pids), "every worker gone after the owner was killed")


def test_one_worker_is_todays_single_process(start: Callable[..., MockdProcess]):
    proc = start(workers=1)
    assert worker_pids(proc) == []
    assert "workers)" not in proc.printed()
    assert fresh_get(proc.url + "/hello").text == "hi"


def test_auto_means_the_usable_cores(start: Callable[..., MockdProcess]):
    proc = start("--workers", "auto", workers=1)  # the later flag wins
    cores = len(os.sched_getaffinity(0))
    if cores == 1:
        assert worker_pids(proc) == []
    else:
        assert len(worker_pids(proc)) == cores


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "invalid --workers '0': expected a whole number >= 1, or auto"),
        (["--workers", "many"], "invalid --workers 'many': expected a whole number >= 1, or auto"),
        (["--workers", "2", "--https-port", "8443"],
         "--https-port cannot be used with --workers above 1 yet: use one worker (docs/workers.md)"),
        (["--workers", "2", "--upstream", "http://localhost:9"],
         "--upstream cannot be used with --workers above 1 yet: use one worker (docs/workers.md)"),
    ],
)  # fmt: skip
def test_bad_worker_settings_are_refused(args: list[str], message: str):
    result = run_cli("start", "--pid-file", "", "-p", "1", "-a", "2", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
