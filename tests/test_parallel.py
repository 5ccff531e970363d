"""thainews.parallel, the build's one way to work on several cores: same results in one process
or several, errors that come back whole, and no worker left behind."""

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from thainews import parallel
from thainews.parallel import BackgroundJob, Workers

ROOT = Path(__file__).resolve().parent.parent


def _square_plus_inherited(number: int) -> tuple[int, int]:
    return number * number + parallel.inherited(), os.getpid()


def _full_disk(path: str):
    raise OSError(errno.ENOSPC, "No space left on device", path)


def _slow(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie left for us to reap is gone too
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_results_come_in_order_and_equal_whatever_the_number_of_processes(processes):
    with Workers(processes, inherit=10) as workers:
        results = list(workers.map(_square_plus_inherited, range(50), chunksize=4))
    assert [value for value, _pid in results] == [n * n + 10 for n in range(50)]
    pids = {pid for _value, pid in results}
    if processes == 1:
        assert pids == {os.getpid()}  # serial: in this process
    else:
        assert os.getpid() not in pids and 1 <= len(pids) <= processes


def test_what_workers_inherit_is_not_copied_through_a_pipe():
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("must be inherited, not pickled")

    unpicklable = Unpicklable()
    with Workers(2, inherit=unpicklable) as workers:
        assert list(workers.map(_is_inherited_unpicklable, [1, 2])) == [True, True]
    assert parallel.inherited() is None  # the main process forgot it


def _is_inherited_unpicklable(_item) -> bool:
    return type(parallel.inherited()).__name__ == "Unpicklable"


@pytest.mark.parametrize("processes", [1, 2])
def test_an_error_in_a_worker_comes_back_whole(processes):
    with pytest.raises(OSError) as raised, Workers(processes) as workers:
        list(workers.map(_full_disk, ["/site/news/index.html"]))
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, "/site/news/index.html")


@pytest.mark.parametrize("processes", [1, 2])
def test_submit_gives_a_future(processes):
    with Workers(processes, inherit=1) as workers:
        assert workers.submit(_square_plus_inherited, 3).result()[0] == 10
        failed = workers.submit(_full_disk, "x")
        with pytest.raises(OSError):
            failed.result()


def test_closing_a_pool_leaves_no_worker():
    workers = Workers(2)
    pids = workers.pids
    assert len(pids) == 2 and all(alive(pid) for pid in pids)
    assert list(workers.map(abs, [-1, -2])) == [1, 2]
    workers.close()
    assert not any(alive(pid) for pid in pids) and workers.pids == []


def test_an_error_in_the_block_ends_the_workers_without_waiting_for_their_work(monkeypatch):
    monkeypatch.setattr(parallel, "GRACE", 0.5)
    started = time.monotonic()
    with pytest.raises(KeyError), Workers(2) as workers:
        pids = workers.pids
        workers.map(_slow, [60, 60, 60])
        raise KeyError("the main process failed")
    assert time.monotonic() - started < 10
    assert not any(alive(pid) for pid in pids)


def test_one_process_or_no_fork_means_no_worker(monkeypatch):
    assert not Workers(1).parallel
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    serial = Workers(4, inherit=2)
    assert not serial.parallel and [v for v, _ in serial.map(_square_plus_inherited, [3])] == [11]


@pytest.mark.parametrize(("settings", "expected"), [({}, parallel.default_processes()), ({"PROCESSES": 3}, 3)])
def test_the_processes_setting(settings, expected):
    assert parallel.processes(settings) == expected


@pytest.mark.parametrize("value", [0, -1, "2", 2.0, True, None])
def test_a_bad_processes_setting_is_named(value):
    with pytest.raises(ValueError, match=r"PROCESSES must be a whole number of at least 1"):
        parallel.processes({"PROCESSES": value})


EXITS_WITH_WORK_RUNNING = """
import sys, time
sys.path.insert(0, {plugins!r})
from thainews.parallel import BackgroundJob, Workers

def sleepy(stop_requested):
    time.sleep(60)

job = BackgroundJob(sleepy)
workers = Workers(2)
pending = workers.map(time.sleep, [60, 60, 60])
print(job.pid, *workers.pids, flush=True)
raise SystemExit(3)  # a build that stops on a content problem
"""


@pytest.mark.slow
def test_a_build_that_stops_early_exits_at_once_and_leaves_no_worker():
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", EXITS_WITH_WORK_RUNNING.format(plugins=str(ROOT / "plugins"))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert time.monotonic() - started < 20  # the workers' 60 s of work is not waited for
    pids = [int(pid) for pid in result.stdout.split()]
    assert len(pids) == 3
    time.sleep(0.2)
    assert not [pid for pid in pids if _exists(pid)]


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _until_stopped(stop_requested) -> int:
    rounds = 0
    while not stop_requested():
        rounds += 1
        time.sleep(0.01)
    return rounds


def test_a_background_job_runs_beside_the_main_process_and_stops_when_asked():
    job = BackgroundJob(_until_stopped)
    assert job.pid not in (0, os.getpid())
    time.sleep(0.2)
    job.request_stop()
    assert job.result(timeout=10) > 0


def _niceness(*_args) -> int:
    return os.nice(0)


def test_yielding_workers_run_nicer_and_other_workers_and_background_jobs_do_not():
    """The search index's BackgroundJob and the page workers must keep their share of the
    machine beside the card workers (else the index runs alone at the end of a first build)."""
    own = os.nice(0)
    with Workers(2, yielding=True) as workers:
        niced = set(workers.map(_niceness, range(4)))
    assert niced == {min(own + parallel.WORKER_NICENESS, 19)} and (own == 19 or min(niced) > own)
    with Workers(2) as workers:
        assert set(workers.map(_niceness, range(4))) == {own}
    assert BackgroundJob(_niceness).result(timeout=10) == own
    assert os.nice(0) == own


def test_no_thread_of_a_pool_is_left_once_it_is_closed_or_ended(monkeypatch):
    """newsroom/build.py blocks SIGINT and SIGTERM in the main thread while output/ is swapped:
    a thread left running would receive them instead."""
    import threading

    monkeypatch.setattr(parallel, "GRACE", 0.2)
    before = set(threading.enumerate())
    with Workers(2) as workers:
        list(workers.map(abs, [1, -2]))
    closed = set(threading.enumerate()) - before
    ended = Workers(2)
    ended.map(_slow, [30, 30])  # busy past the grace: killed
    ended.terminate()
    job = BackgroundJob(_until_stopped)
    job.cancel()
    assert closed == set() and set(threading.enumerate()) - before == set()


CHILD_STOPS_BESIDE_ITS_PARENTS_POOL = """
import sys
sys.path.insert(0, {plugins!r})
from thainews import parallel
from thainews.parallel import BackgroundJob, Workers

def stops(stop_requested):  # the preview's fast render, a build that stops on a content problem
    parallel.cancel_running()
    return "stopped"

workers = Workers(2)
job = BackgroundJob(stops)
print(job.result(timeout=30), list(workers.map(abs, [-1, -2])), flush=True)
workers.close()
"""


@pytest.mark.slow
def test_a_forked_child_that_stops_leaves_its_parents_pools_alone():
    result = subprocess.run([sys.executable, "-c", CHILD_STOPS_BESIDE_ITS_PARENTS_POOL.format(
        plugins=str(ROOT / "plugins"))], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(None, 1) == ["stopped", "[1, 2]\n"]
    assert "can only join a child process" not in result.stderr
