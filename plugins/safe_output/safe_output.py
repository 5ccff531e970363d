"""safe_output: every page and feed Pelican writes appears whole, or not at all.

Pelican's `Writer._open_w` returns `open(filename, "w")`: the file is emptied first and written
piece by piece, so a build stopped midway (Ctrl-C, a full disk, a crash) leaves a half-written
page or feed in output/, and a reader or `make deploy` may get it. This plugin makes that `open`
keep the page in memory and, only when the `with` block ends without an error, write it to a
hidden temporary file in the same folder (`.<name>.<process id>.partial`) and move it onto the final
name with `os.replace` (atomic on the same disk); on an error nothing is written and the previous
file, if any, stays. A page whose file already holds the same bytes is not written again (its
time is kept; an everyday rebuild into output/ replaces only what changed).

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

import pelican.writers
from pelican.writers import Writer

from buildcore.rendering import Encoded, is_utf8

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"


def _named(error: OSError, path: str) -> OSError:
    """Name the final file in the error, not our temporary one."""
    error.filename = path
    return error


class AtomicTextFile(io.TextIOWrapper):
    """A text file kept in memory until `close()` (or a clean `with` exit): then written under a
    temporary name and moved onto the final name, or not written at all when the final file
    already holds exactly these bytes; an exception inside `with` writes nothing."""

    def __init__(self, target, encoding=None, errors=None, newline=None):
        self._done = True  # until everything is checked: nothing to clean up
        target = os.fspath(target)
        folder = os.path.dirname(target) or "."
        try:
            existing = os.stat(target)
        except FileNotFoundError:
            existing = None
        except OSError as error:
            raise _named(error, target) from None
        if existing is not None and not os.access(target, os.W_OK):  # as open() refuses it
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)
        if existing is None and not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)
        super().__init__(io.BytesIO(), encoding=encoding, errors=errors, newline=newline)
        self.target, self.temporary, self._done = target, None, False
        self._existing = existing
        # A page a worker rendered (buildcore.rendering.Encoded) is written as its bytes when
        # they are what writing its text would give: UTF-8, newlines not translated.
        self._as_encoded = is_utf8(self.encoding) and (
            newline in ("", "\n") or (newline is None and os.linesep == "\n"))

    def write(self, text) -> int:
        if isinstance(text, Encoded):
            if self._as_encoded:
                self.flush()
                return self.buffer.write(text)
            text = text.decode("utf-8")
        return super().write(text)

    def close(self):
        if self._done:
            return super().close()
        self._done = True
        try:
            self.flush()
            data = self.buffer.getvalue()
            super().close()
            if not self._unchanged(data):
                self._replace(data)
        except BaseException as error:
            self._discard()
            if isinstance(error, OSError):
                _named(error, self.target)
            raise
        return None

    def _unchanged(self, data: bytes) -> bool:
        """The final file holds these very bytes already (a rebuild of an unchanged page): left
        as it is, with its time, and nothing is written (reading is ~25 times quicker than
        replacing a file on ext4)."""
        if self._existing is None or self._existing.st_size != len(data):
            return False
        try:
            with builtins.open(self.target, "rb") as current:
                return current.read() == data
        except OSError:
            return False

    def _replace(self, data: bytes) -> None:
        folder, name = os.path.split(self.target)
        # One temporary name per file and process, created exclusively (never through a link
        # someone left there): tempfile.mkstemp's random names cost more than the write itself
        # over a first build's 28,000 files. A name left by a build that was killed is removed.
        temporary = os.path.join(folder, f".{name}.{os.getpid()}{PARTIAL_SUFFIX}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            descriptor = os.open(temporary, flags, 0o666)  # less the umask, as open() makes a file
        except FileExistsError:
            os.unlink(temporary)
            descriptor = os.open(temporary, flags, 0o666)
        self.temporary = temporary
        with io.FileIO(descriptor, "w", closefd=True) as raw:
            if self._existing is not None:  # a replaced file keeps its permissions
                os.fchmod(descriptor, stat.S_IMODE(self._existing.st_mode))
            view = memoryview(data)
            while view:  # FileIO.write may write less than asked
                view = view[raw.write(view):]
        os.replace(self.temporary, self.target)
        self.temporary = None

    def abort(self):
        """Write nothing; the final name keeps what it had."""
        if self._done:
            return
        self._done = True
        try:
            super().close()
        except OSError:
            pass
        self._discard()

    def _discard(self):
        if self.temporary is None:
            return
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass
        self.temporary = None

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


atomic_open.takes_encoded = True  # its text files take Encoded pages (buildcore.rendering.takes_encoded)


def install() -> None:
    if "open" not in Writer._open_w.__code__.co_names:
        logger.warning("safe_output: Pelican's Writer._open_w no longer calls open(); pages are "
                       "written in place, not atomically (see docs/architecture.md)")
        return
    pelican.writers.open = atomic_open


def register() -> None:
    install()
