"""What the tests of long-running commands share (`make devserver`: tests/test_devserver.py,
`make desk`: tests/test_desk_e2e.py): waiting for something they do, with their log on failure,
and the processes still running for a test's folder (none may be left once they are stopped)."""

import os
import time
from pathlib import Path

import pytest

TIMEOUT = 120  # seconds: generous, the machine may be busy; speed is the benchmarks' business


def wait_until(condition, what: str, log: Path, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}; the command said:\n{log.read_text(errors='replace')[-4000:]}")


def processes_using(path: Path) -> list[str]:
    """Command lines of every process whose arguments name `path` (this test's own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(path) in line:
                found.append(f"{entry.name}: {line}")
    return found
