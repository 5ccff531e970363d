"""What reading a content file gave, kept between builds: a rebuild reads only what changed.

Reading a news file (Markdown, the checks, the Thai slug and summary) is the largest part of
an everyday rebuild: at 10,000 stories about 20 s of CPU, every build, for files nobody
touched. `ReadCache` keeps, for each file read, what `ThaiNewsReader.read_checked` returned
(the HTML, the metadata, and the problems found, which the report lists again on every build)
in CACHE_PATH/reading-<kind>.pickle, one file per kind of content (article, page, event: each
read by its own generator).

A file is read again unless it is the very file read before: the same size, modification and
change times and inode (git's rule for its index, as `thainews.cache_files.intact_file`), or,
when those differ (a fresh clone, a copy), the same bytes (sha256). Everything else that
reading depends on is in the `fingerprint`: this code and every plugin's, the versions of
Pelican, Markdown, PyThaiNLP, nlpo3 and nh3, what gives slugs (content/romanisation.txt, and
the tag and category names of content/slugs.json: a story's own entry there is applied on every
build, cached or not, so a new story in the record reads nothing again), and the settings (but those that only say where
the output goes or how it is served, `OUTPUT_ONLY`, so that `make html` and `make publish`
share the cache). A fingerprint that differs, a damaged file, a value that does not unpickle:
the file is read again, never a wrong page. What depends on other files (is the `Image:`
there?) is checked by the reader on every build, from the cache or not.
"""

import hashlib
import importlib.metadata
import logging
import os
import pickle
from pathlib import Path

from thainews.cache_files import cache_bytes, file_status, read_cache_body, write_atomically

logger = logging.getLogger(__name__)

VERSION = 1
PLUGINS = Path(__file__).resolve().parent.parent  # every plugin's code is in the fingerprint
PACKAGES = ("pelican", "markdown", "pythainlp", "nlpo3", "nh3")
# Settings that say where the output goes or how it is linked and served, never how a file reads.
OUTPUT_ONLY = frozenset({
    "OUTPUT_PATH", "CACHE_PATH", "SITEURL", "FEED_DOMAIN", "RELATIVE_URLS", "DELETE_OUTPUT_DIRECTORY",
    "OUTPUT_RETENTION", "DRAFT_SAVE_AS", "DRAFT_PAGE_SAVE_AS", "TEMPLATE_PAGES", "LOAD_CONTENT_CACHE",
    "CACHE_CONTENT", "WRITE_SELECTED", "PROCESSES", "BIND", "PORT",
})


def _canonical(value):
    """A stable, comparable form of a setting (functions and classes by name, not address)."""
    if isinstance(value, dict):
        return sorted((str(key), _canonical(item)) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{getattr(value, '__module__', '')}.{name}>"


def fingerprint(settings, inputs=()) -> str:
    """Of everything reading depends on but the file: the code, packages, settings and `inputs`
    (content files, by their bytes, or bytes: the romanisation lexicon)."""
    digest = hashlib.sha256(f"{VERSION}".encode())
    for item in inputs:  # a content file (its bytes), or bytes
        if isinstance(item, bytes):
            digest.update(b"\0" + item)
            continue
        try:
            digest.update(Path(item).name.encode() + b"\0" + Path(item).read_bytes())
        except OSError:
            digest.update(Path(item).name.encode() + b"\0-")
    for package in PACKAGES:
        try:
            digest.update(f"{package} {importlib.metadata.version(package)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    for path in sorted(PLUGINS.rglob("*.py")):
        digest.update(path.relative_to(PLUGINS).as_posix().encode() + b"\0" + path.read_bytes())
    wanted = {key: value for key, value in settings.items() if key not in OUTPUT_ONLY and key.isupper()}
    digest.update(repr(_canonical(wanted)).encode())
    return digest.hexdigest()


def stamp_around(path: str, read):
    """(read(), the file's stamp: [size, mtime_ns, ctime_ns, inode, sha256]), or (read(), None)
    when the file changed while it was read (then what was read is not kept)."""
    before = file_status(path)
    result = read()
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return result, None
    after = file_status(path)
    return result, ([*before, digest] if before is not None and before == after else None)


class ReadCache:
    """The results of reading one kind of content file, by path, for one build.

    `get(path)`: what reading the file gave last time, if it is unchanged (else None);
    `put(path, result)`: what reading it gave now; `save()`: only the files this build read are
    kept (the cache never grows with files that are gone); written only when it changed."""

    def __init__(self, settings, kind: str, inputs=()):
        self.path = Path(settings["CACHE_PATH"]) / f"reading-{kind}.pickle"
        self.fingerprint = fingerprint(settings, inputs)
        self.known: dict[str, list] = {}  # path -> [size, mtime_ns, ctime_ns, inode, sha256, pickled result]
        self.used: dict[str, list] = {}
        self.changed = False
        body, why_not = read_cache_body(self.path, VERSION)
        if body is None:
            if why_not.problem:
                self._damaged(why_not.problem)
            return
        try:
            loaded = pickle.loads(body)
            if loaded["fingerprint"] == self.fingerprint:
                self.known = loaded["files"]
        except Exception as error:  # noqa: BLE001 - whatever is wrong with it, read the files again
            self._damaged(f"{type(error).__name__}: {error}")

    def _damaged(self, problem: str) -> None:
        logger.warning("strict_content: แคช %s เสียหาย (%s) จะอ่านไฟล์ทั้งหมดใหม่ / the cache %s is damaged (%s): "
                       "every file is read again", self.path, problem, self.path, problem)

    def _current(self, path: str) -> list | None:
        """The entry of `path` if the file is the one read then, else None."""
        entry = self.used.get(path) or self.known.get(path)
        if entry is None:
            return None
        stamp = file_status(path)
        if stamp == entry[:4]:
            return entry
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            return None
        if stamp is None or digest != entry[4]:
            return None
        self.changed = True  # the same bytes in another file (a clone, a copy): trusted by its stamp next time
        return [*stamp, digest, entry[5]]

    def has(self, path: str) -> bool:
        return self._current(path) is not None

    def get(self, path: str) -> tuple | None:
        entry = self._current(path)
        if entry is None:
            return None
        try:
            result = pickle.loads(entry[5])
        except Exception:  # noqa: BLE001 - a class that changed shape under an unchanged fingerprint
            return None
        self.used[path] = entry
        return result

    def put(self, path: str, stamp: list, pickled: bytes) -> None:
        """What reading the file with this `stamp` (`stamp_around`) gave, pickled."""
        self.used[path] = [*stamp, pickled]
        self.changed = True

    def save(self) -> None:
        if not self.changed and self.used.keys() == self.known.keys():
            return
        body = pickle.dumps({"fingerprint": self.fingerprint, "files": dict(sorted(self.used.items()))},
                            pickle.HIGHEST_PROTOCOL)
        try:
            write_atomically(self.path, cache_bytes(VERSION, body))
        except OSError as error:
            logger.warning("strict_content: เขียนแคช %s ไม่ได้ (%s) / cannot write the cache %s (%s)",
                           self.path, error.strerror or error, self.path, error.strerror or error)
        self.known, self.changed = self.used, False
