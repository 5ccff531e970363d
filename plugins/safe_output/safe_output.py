"""safe_output: every page and feed Pelican writes appears whole, or not at all.

Pelican's `Writer._open_w` returns `open(filename, "w")`: the file is emptied first and written
piece by piece, so a build stopped midway (Ctrl-C, a full disk, a crash) leaves a half-written
page or feed in output/, and a reader or `make deploy` may get it. This plugin makes that `open`
write a hidden temporary file in the same folder (`.<name>.<random>.partial`) and move it onto
the final name with `os.replace` (atomic on the same disk) only when the `with` block ends
without an error; on an error the temporary file is deleted and the previous file, if any, stays.

A patch of a Pelican internal (checked with Pelican 4.12.0): `open` is replaced in the module
`pelican.writers` only, the one name `_open_w` calls; Pelican's own bookkeeping of which files
were written (and overwritten) is untouched. tests/test_publish.py fails if `_open_w` changes.
See docs/architecture.md, "Patches of Pelican internals".

Kept as they were: a file that exists and may not be written (no write permission) is refused
with PermissionError as `open` would refuse it; new files get the usual permissions (0666 less
the umask), replaced files keep theirs. An OSError names the final file, not the temporary one.
"""

import builtins
import errno
import io
import logging
import os
import stat
import tempfile

import pelican.writers
from pelican.writers import Writer

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
_UMASK = os.umask(0)
os.umask(_UMASK)


def _named(error: OSError, path: str) -> OSError:
    """Name the final file in the error, not our temporary one."""
    error.filename = path
    return error


class AtomicTextFile(io.TextIOWrapper):
    """A text file written under a temporary name; `close()` (or a clean `with` exit) moves it
    onto the final name, an exception inside `with` deletes it."""

    def __init__(self, target, encoding=None, errors=None, newline=None):
        self._done = True  # until the temporary file exists: nothing to clean up
        target = os.fspath(target)
        folder, name = os.path.split(target)
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=PARTIAL_SUFFIX, dir=folder or ".")
        except OSError as error:
            raise _named(error, target) from None
        try:
            if os.path.exists(target) and not os.access(target, os.W_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)
            mode = stat.S_IMODE(os.stat(target).st_mode) if os.path.exists(target) else 0o666 & ~_UMASK
            os.fchmod(descriptor, mode)
            raw = io.FileIO(descriptor, "w", closefd=True)
        except BaseException:
            os.close(descriptor)
            os.unlink(temporary)
            raise
        super().__init__(io.BufferedWriter(raw), encoding=encoding, errors=errors, newline=newline)
        self.target, self.temporary, self._done = target, temporary, False

    def close(self):
        if self._done:
            return super().close()
        self._done = True
        try:
            super().close()  # the last buffered bytes: a full disk shows here
            os.replace(self.temporary, self.target)
        except BaseException as error:
            self._discard()
            if isinstance(error, OSError):
                _named(error, self.target)
            raise
        return None

    def abort(self):
        """Delete the temporary file; the final name keeps what it had."""
        if self._done:
            return
        self._done = True
        try:
            super().close()
        except OSError:
            pass
        self._discard()

    def _discard(self):
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
            return False
        self.abort()
        if isinstance(error, OSError) and error.filename is None:
            _named(error, self.target)
        return False

    def __del__(self):
        self.abort()  # never publish a file nobody closed


def atomic_open(file, mode="r", *args, **kwargs):
    """`open` as pelican.writers sees it: writing text ("w") goes through AtomicTextFile."""
    if mode != "w" or args or os.fspath(file) == os.devnull or set(kwargs) - {"encoding", "errors", "newline"}:
        return builtins.open(file, mode, *args, **kwargs)
    return AtomicTextFile(file, **kwargs)


def install() -> None:
    if "open" not in Writer._open_w.__code__.co_names:
        logger.warning("safe_output: Pelican's Writer._open_w no longer calls open(); pages are "
                       "written in place, not atomically (see docs/architecture.md)")
        return
    pelican.writers.open = atomic_open


def register() -> None:
    install()
