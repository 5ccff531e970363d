"""Worker processes for the build's heavy, independent work (segmenting text, drawing pictures)."""

import atexit
import contextlib
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import traceback


def fork_pool(processes: int, initializer=None, initargs=()):
    """A multiprocessing pool, forked where the platform allows (the workers then start with
    the build's memory: fonts, dictionaries, settings) and started otherwise."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with frozen_for_fork():
        return context.Pool(processes, initializer=initializer, initargs=initargs)


@contextlib.contextmanager
def frozen_for_fork():
    """Around a fork: children share the build's memory until they write to it, and a child's
    garbage collector would write to every object of a 10,000-article site. Frozen objects it
    leaves alone (the parent's collector takes them back afterwards)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # in the parent; a forked child keeps them frozen


class Done:
    """The result of work already done, shaped like multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class BackgroundJobFailed(RuntimeError):
    """A background job's child process ended without a result; the message says why."""


class BackgroundJob:
    """`function(stop_requested, *args)` computed in a forked child process while the build goes on.

    For work that can start before its result is needed, at a moment when Pelican's main process
    runs alone and a core is idle. The child starts with the build's memory (no copying of the
    arguments), writes its result to a file in a private temporary folder and ends at once, so
    it gives its memory back as soon as it is done; `result()` waits for it if need be. Once
    `request_stop()` is called, `stop_requested()` is true in the child, which should then
    return what it has done so far. The child never logs (a thread of the parent may have held
    the console's lock at the fork): its error comes back with the result. Only where fork is
    available (`available()`).
    """

    def __init__(self, function, *args):
        self.folder = tempfile.mkdtemp(prefix="thainews-job-")
        self.pid = 0
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            with frozen_for_fork():
                pid = os.fork()
                if pid == 0:
                    self._run_child(function, args)  # never returns
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.pid = pid
        _RUNNING.add(self)

    @staticmethod
    def available() -> bool:
        return hasattr(os, "fork")

    def _run_child(self, function, args) -> None:
        status = 1
        try:
            gc.disable()  # short-lived: the memory goes back whole when it ends
            result = function(self.stop_requested, *args)
            partial = os.path.join(self.folder, "result.partial")
            with open(partial, "wb") as file:
                pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, os.path.join(self.folder, "result.pickle"))
            status = 0
        except BaseException:  # noqa: BLE001 - the parent reports it
            try:
                with open(os.path.join(self.folder, "error.txt"), "w", encoding="utf-8") as file:
                    file.write(traceback.format_exc())
            except BaseException:  # noqa: BLE001 - nothing more can be done in the child
                pass
        finally:
            os._exit(status)

    def request_stop(self) -> None:
        """Ask the child to return what it has done so far (it checks when it can)."""
        if self.pid:
            open(os.path.join(self.folder, "stop"), "w").close()

    def stop_requested(self) -> bool:
        return os.path.exists(os.path.join(self.folder, "stop"))

    def result(self, timeout: float | None = None):
        """Wait for the child (at most `timeout` seconds) and return its result, or raise
        BackgroundJobFailed."""
        if not self.pid:  # waitpid(0) would wait for any child of the build
            raise BackgroundJobFailed("the job was already collected or cancelled")
        try:
            status = self._wait(timeout)
            self.pid = 0
            result_file = os.path.join(self.folder, "result.pickle")
            if os.waitstatus_to_exitcode(status) == 0 and os.path.isfile(result_file):
                with open(result_file, "rb") as file:
                    return pickle.load(file)
            error_file = os.path.join(self.folder, "error.txt")
            if os.path.isfile(error_file):
                with open(error_file, encoding="utf-8") as file:
                    raise BackgroundJobFailed(file.read().strip())
            raise BackgroundJobFailed(f"the child process ended with status {os.waitstatus_to_exitcode(status)}")
        finally:
            self.cancel()

    def _wait(self, timeout: float | None) -> int:
        if timeout is None:
            return os.waitpid(self.pid, 0)[1]
        deadline = time.monotonic() + timeout
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            if time.monotonic() > deadline:  # a child that hangs must not hang the build
                raise BackgroundJobFailed(f"the child process did not finish within {timeout:g} s")
            time.sleep(0.01)

    def cancel(self) -> None:
        """Stop the child if it still runs, and remove its folder."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        shutil.rmtree(self.folder, ignore_errors=True)
        _RUNNING.discard(self)


_RUNNING: set[BackgroundJob] = set()


@atexit.register
def _cancel_running() -> None:
    """A build that stops early (a content problem) leaves no child and no folder behind."""
    for job in list(_RUNNING):
        job.cancel()
