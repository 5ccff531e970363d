"""The build's one way to work on several cores: `Workers` and `BackgroundJob`.

Both are `concurrent.futures.ProcessPoolExecutor`s whose processes are started with the
explicit start method "fork", at the moment the pool is made: a worker starts with the build's
memory as it is then (the reader, the articles, fonts, dictionaries), so what it needs is
*inherited* (`inherited()`), never pickled; only the small arguments of each call (paths,
positions, texts) and the results cross between processes. With one process, or where fork
does not exist (Windows), the same calls run in this process, one after the other, and give
the same results: every user must produce byte-identical output either way (tested).

Priority: the workers of a pool made with `yielding=True` (work wanted only at the end of the
build: the share cards) run `WORKER_NICENESS` nicer than the main process; every other worker
and every BackgroundJob at the main process's own, so that the cards do not starve the pages
and the search index (a job left to run alone at the end otherwise).

How many processes: the one Pelican setting `PROCESSES` (`processes(settings)` reads and checks
it; default `default_processes()`), for every plugin. Rules for users:
- make the pool when what the workers need is ready, and close it when done (`with`);
- a worker never sends Pelican signals and never logs what the main process must know:
  results, exceptions and problems come back as return values (an exception in a worker is
  raised again by the main process, an `OSError` keeps its errno and file name);
- on Python 3.12+ forking beside another pool's manager thread gives a DeprecationWarning:
  the workers never take that thread's locks (logging re-creates its own locks at a fork).
"""

import atexit
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool

START_METHOD = "fork"
# Workers made with `yielding=True` (work wanted only at the end: the share cards) run this much
# nicer than the process that made them. The search index (a BackgroundJob, the build's longest
# single task) is built beside the page and card workers: at one priority for all it got a
# small share while they ran, then ran alone for the last 4.5 s of a 10,000-story first build,
# one core idle. Cards that yield leave it and the pages the cores; they are drawn in the gaps.
# Not every pool: niced page workers made a rebuild slower (docs/benchmarks.md, seventh session).
WORKER_NICENESS = 5
GRACE = 5.0  # seconds a worker gets to finish its task when a pool is ended early
# Ctrl-C and a polite kill: newsroom/build.py holds them while output/ is swapped.
HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def threads_without_signals():
    """Around code that starts native threads (numpy's OpenBLAS and onnxruntime start them on
    import): they inherit a mask that blocks HELD_SIGNALS, so those signals always reach the
    main thread, and holding them there (newsroom/build.py's `Blocked`) holds them for the
    whole process. Any thread left able to take them would let Python run the handler anyway."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def default_processes() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def processes(settings) -> int:
    """The setting `PROCESSES`: how many processes the build may use (1: everything in this one)."""
    value = settings.get("PROCESSES", default_processes())
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"PROCESSES must be a whole number of at least 1 (1: build in one process), got {value!r}")
    return value


def can_fork() -> bool:
    return START_METHOD in multiprocessing.get_all_start_methods()


_INHERITED: list = [None]  # what the pool being started hands its workers (set only around the fork)


def inherited():
    """In a worker: the `inherit` object its pool was made with (in serial mode: the same object)."""
    return _INHERITED[0]


@contextlib.contextmanager
def _handing(inherit):
    previous = _INHERITED[0]
    _INHERITED[0] = inherit
    try:
        yield
    finally:
        _INHERITED[0] = previous  # the parent forgets; a forked worker keeps its copy


@contextlib.contextmanager
def frozen_for_fork():
    """Around a fork: children share the build's memory until they write to it, and a child's
    garbage collector would write to every object of a 10,000-article site. Frozen objects it
    leaves alone (the parent's collector takes them back afterwards)."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # in the parent; a forked child keeps them frozen


def _ready() -> None:
    """Submitted once when a pool is made: with "fork", submitting starts every worker now."""


def _worker_starts(initializer, initargs, niceness: int = 0) -> None:
    """In each worker, first: Ctrl-C and SIGTERM reach the whole process group, and a worker
    stopped halfway through sending a result would leave the pool waiting for the rest of it
    for ever. Workers ignore them; the main process ends the pools (`_terminate`). Then the
    worker's priority (`WORKER_NICENESS`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if niceness:
        with contextlib.suppress(OSError):  # a system that refuses: the same work, at the same priority
            os.nice(niceness)
    if initializer is not None:
        initializer(*initargs)


def _start_pool(processes: int, inherit, initializer, initargs, niceness: int = 0) -> ProcessPoolExecutor:
    executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(START_METHOD),
                                   initializer=_worker_starts, initargs=(initializer, initargs, niceness))
    with _handing(inherit), frozen_for_fork():
        executor.submit(_ready)  # forks all `processes` workers, which inherit `inherit`
    _LIVE[executor] = os.getpid()
    return executor


def _close(executor: ProcessPoolExecutor) -> None:
    """Wait for the work submitted, then let the workers end."""
    executor.shutdown(wait=True)
    _LIVE.pop(executor, None)


def _worker_pids(executor: ProcessPoolExecutor | None) -> list[int]:
    """The pool's worker processes. With `_terminate_all`, the only code that reads the
    executor's internals (`_processes`, `_executor_manager_thread`, `_result_queue`: Python
    3.11 to 3.14; tests/test_parallel.py fails if they go)."""
    return sorted(getattr(executor, "_processes", None) or {}) if executor is not None else []


def _terminate(executor: ProcessPoolExecutor, grace: float | None = None) -> None:
    _terminate_all([executor], grace)


def _terminate_all(executors: list[ProcessPoolExecutor], grace: float | None = None) -> None:
    """Forget the work not started; let the workers finish what they are doing (at most `grace`
    seconds in all), kill the rest, and wait for the pools' own threads to end: afterwards
    nothing runs beside the main thread (newsroom/build.py blocks signals in it while output/
    is swapped, which another thread would receive instead)."""
    processes, threads, results = [], [], []
    for executor in executors:  # shutdown() forgets these: taken first
        _LIVE.pop(executor, None)
        processes += (getattr(executor, "_processes", None) or {}).values()
        threads.append(getattr(executor, "_executor_manager_thread", None))
        results.append(getattr(executor, "_result_queue", None))
        executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + (GRACE if grace is None else grace)
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    killed = [process for process in processes if process.exitcode is None]  # hung, or busy past the grace
    for process in killed:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
        process.join()
    for thread, result_queue in zip(threads, results, strict=True):
        if killed and result_queue is not None:
            # One killed while sending its result leaves its pool reading the rest: with the
            # pool's writing end closed here too, it reads the end of the pipe and gives up.
            with contextlib.suppress(AttributeError, OSError):
                result_queue._writer.close()
        if thread is not None:
            thread.join()


class Workers:
    """`processes` worker processes, forked now with `inherit`; or, for 1 process, this one.

    `map(function, items)` starts the work at once and returns an iterator over the results in
    the order of `items`; `submit(function, *args)` returns a Future. `function` must be a
    module-level function (it is named, not copied, to the workers); it gets `inherit` with
    `inherited()`. Use as a context manager: leaving the block normally waits for the workers
    to end; leaving it by an exception stops them at once.
    """

    def __init__(self, processes: int, inherit=None, initializer: Callable | None = None, initargs: tuple = (),
                 yielding: bool = False):
        self.inherit = inherit
        self.processes = processes if processes > 1 and can_fork() else 1
        self._executor: Executor | None = None
        if self.processes > 1:
            self._executor = _start_pool(self.processes, inherit, initializer, initargs,
                                         WORKER_NICENESS if yielding else 0)
        elif initializer is not None:
            initializer(*initargs)

    @property
    def parallel(self) -> bool:
        return self._executor is not None

    @property
    def pids(self) -> list[int]:
        return _worker_pids(self._executor)

    def map(self, function: Callable, items: Iterable, chunksize: int = 1) -> Iterator:
        if self._executor is None:
            with _handing(self.inherit):
                return iter([function(item) for item in items])
        return self._executor.map(function, items, chunksize=chunksize)

    def submit(self, function: Callable, *args) -> Future:
        if self._executor is None:
            future = Future()
            try:
                with _handing(self.inherit):
                    future.set_result(function(*args))
            except Exception as error:  # noqa: BLE001 - as a worker's: raised by result()
                future.set_exception(error)
            return future
        return self._executor.submit(function, *args)

    def close(self) -> None:
        """Wait for the work submitted, then let the workers end."""
        if self._executor is not None:
            _close(self._executor)
            self._executor = None

    def terminate(self) -> None:
        """Stop the workers now and forget the work not done."""
        if self._executor is not None:
            _terminate(self._executor)
            self._executor = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


class BackgroundJobFailed(RuntimeError):
    """A background job ended without a result; the message says why."""


def _run_job():
    function, args, stop_event = inherited()
    gc.disable()  # a short-lived process: its memory goes back whole when it ends
    return function(stop_event.is_set, *args)


class BackgroundJob:
    """`function(stop_requested, *args)` computed in one forked worker while the build goes on.

    For work that can start before its result is needed, at a moment when Pelican's main process
    runs alone and a core is idle. `function` and `args` are inherited (not copied). Once
    `request_stop()` is called, `stop_requested()` is true in the worker, which should then
    return what it has done so far. `result(timeout)` waits for it and ends the worker; a
    worker that fails, dies or overruns the timeout raises BackgroundJobFailed. Only where
    fork is available (`available()`); `cancel()` (and `cancel_running()`, when a build stops
    early) ends it at once.
    """

    def __init__(self, function: Callable, *args):
        context = multiprocessing.get_context(START_METHOD)
        self._stop = context.Event()
        self._executor = _start_pool(1, (function, args, self._stop), None, ())
        self._future = self._executor.submit(_run_job)

    @staticmethod
    def available() -> bool:
        return can_fork()

    @property
    def pid(self) -> int:
        """The worker's process id; 0 once the job is collected or cancelled."""
        pids = _worker_pids(self._executor)
        return pids[0] if pids else 0

    def request_stop(self) -> None:
        """Ask the worker to return what it has done so far (it checks when it can)."""
        self._stop.set()

    def result(self, timeout: float | None = None):
        if self._executor is None:
            raise BackgroundJobFailed("the job was already collected or cancelled")
        grace = 1.0
        try:
            return self._future.result(timeout)
        except FuturesTimeout:  # a worker that hangs must not hang the build
            raise BackgroundJobFailed(f"the worker did not finish within {timeout:g} s") from None
        except BrokenProcessPool:
            raise BackgroundJobFailed("the worker process ended without a result (killed?)") from None
        except Exception as error:
            cause = error.__cause__  # concurrent.futures gives the worker's traceback as the cause
            raise BackgroundJobFailed(f"{cause or ''}{type(error).__name__}: {error}".strip()) from error
        except BaseException:  # Ctrl-C, SIGTERM while waiting: what the job does is not wanted now
            grace = 0.0
            raise
        finally:
            self.cancel(grace)

    def cancel(self, grace: float = 1.0) -> None:
        """End the worker if it still runs (a job that checks `stop_requested` returns at once;
        after `grace` seconds it is killed)."""
        if self._executor is not None:
            self._stop.set()
            _terminate(self._executor, grace=grace)
            self._executor = None


_LIVE: dict[ProcessPoolExecutor, int] = {}  # pools not closed or terminated yet → the process that made each


def cancel_running() -> None:
    """At exit, a build that stopped early (a content problem, Ctrl-C, an error) leaves no worker
    behind and does not wait for work nobody will use: every pool it opened and did not close is
    terminated. A forked child (a BackgroundJob, the preview's fast render) leaves its parent's
    pools alone: they are not its children (joining one raised "can only join a child process")."""
    _terminate_all([executor for executor, owner in list(_LIVE.items()) if owner == os.getpid()])


# At exit, concurrent.futures joins its pools, so work still running would hold the exit until
# it ends (and, after Ctrl-C, workers that survived it go on with the rest). Python runs threading's exit hooks before atexit's, last registered first: this one
# runs before concurrent.futures' own (Python 3.9 to 3.14; plain atexit where it is missing).
getattr(threading, "_register_atexit", atexit.register)(cancel_running)
