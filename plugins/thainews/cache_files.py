"""Build caches that heal themselves: read back only what is whole and of the expected shape.

A cache is only ever a shortcut, so whatever is wrong with one (a file that cannot be read, cut
off, of another shape, bytes that are not what was written) must cost time, never a failed
build or a wrong file in output/. The callers ignore what this module rejects, say so once, and
build it again.

A JSON cache file is one header line, then the body:

    {"sha256": "<hex of the body's bytes>", "version": 7}
    {...the body, one line of JSON...}

The checksum catches a file cut off or altered after it was written (a digit changed in a term
count would otherwise be read as a valid, wrong count); the caller's `check` then looks at the
body's shape (a list where a dict is expected, missing keys, wrong types), so that a file that
is whole but not what this code writes is rejected too. Both are linear in the file's size and
done in C (hashlib, json), apart from the caller's checks of each entry.
"""

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Loaded:
    """What `read_json_cache` found: `body` (None when nothing usable), and why not: `problem`
    (damaged: say so) or `stale` (another version of the cache: expected after an upgrade)."""

    body: dict | None
    problem: str = ""
    stale: bool = False


def read_cache_body(path: Path, version: int) -> tuple[bytes | None, Loaded]:
    """The body's bytes of the cache file at `path` (written by `cache_bytes` with `version`),
    checked against the header's checksum; else (None, why not, as `read_json_cache` says it)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Loaded(None)
    except OSError as error:  # permissions, an I/O error, a folder in its place
        return None, Loaded(None, f"unreadable ({error.strerror or type(error).__name__})")
    head, newline, body_bytes = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:  # also a bad encoding (UnicodeDecodeError is a ValueError)
        return None, Loaded(None, "not a cache file (unreadable header)")
    if not isinstance(header, dict) or "version" not in header:
        return None, Loaded(None, "not a cache file (no version)")
    if header["version"] != version:
        return None, Loaded(None, stale=True)
    digest = header.get("sha256")
    if not newline or not isinstance(digest, str) or hashlib.sha256(body_bytes).hexdigest() != digest:
        return None, Loaded(None, "damaged (its bytes do not match their checksum)")
    return body_bytes, Loaded(None)


def cache_bytes(version: int, body: bytes) -> bytes:
    """A cache file: one header line (the body's sha256 and the version), then the body."""
    header = json.dumps({"sha256": hashlib.sha256(body).hexdigest(), "version": version}, sort_keys=True)
    return header.encode("ascii") + b"\n" + body


def read_json_cache(path: Path, version: int, check: Callable[[dict], str]) -> Loaded:
    """The body of the cache file at `path` written by `write_json_cache` with this `version`.

    `check(body)` returns "" when the body has the expected shape, else what is wrong. Never
    raises for a bad file: a missing file is Loaded(None); anything else unusable says why.
    """
    body_bytes, why_not = read_cache_body(path, version)
    if body_bytes is None:
        return why_not
    try:
        body = json.loads(body_bytes)
    except ValueError:
        return Loaded(None, "damaged (not JSON)")
    if not isinstance(body, dict):
        return Loaded(None, f"wrong shape (a {type(body).__name__}, not an object)")
    try:
        problem = check(body)
    except (TypeError, ValueError, AttributeError, KeyError) as error:  # a check that met the unexpected
        problem = f"{type(error).__name__}: {error}"
    return Loaded(None, f"wrong shape ({problem})") if problem else Loaded(body)


def json_cache_bytes(version: int, body: dict) -> bytes:
    """The bytes `write_json_cache` writes: the same body gives the same bytes."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return cache_bytes(version, data)  # no newline inside the body: json.dumps escapes it


def write_json_cache(path: Path, version: int, body: dict) -> None:
    """Write the cache file unless it holds these bytes already, through a temporary file
    renamed into place: a build stopped half-way leaves the old file or the new, never half."""
    data = json_cache_bytes(version, body)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, data)


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """A new file (a new inode) renamed over `path`: nothing that links to the old one changes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if temporary.is_dir():  # left by someone: never the reason a build fails
        temporary.rmdir()
    temporary.write_bytes(data)
    if mode is not None:
        os.chmod(temporary, mode)
    if path.is_dir():  # a folder where the file belongs (os.replace cannot replace it)
        shutil.rmtree(path)
    os.replace(temporary, path)


# ---------------------------------------------------------------------------- picture caches
# plugins/sharing (drawings) and plugins/photos (copies of photos) keep their pictures in a
# folder of CACHE_PATH with an index of each file's size, sha256, time and inode, and link them
# into output/.


def files_index_problem(body: dict) -> str:
    """"" when `body` is a picture cache's index, {"files": {name: entry}}, else what is wrong.
    An entry is [size, sha256, mtime_ns, inode] (`file_entry`), or [size, sha256] as written
    before the file's time and inode were kept (then checked by its bytes once)."""
    files = body.get("files")
    if not isinstance(files, dict):
        return "'files' must be an object"
    for name, entry in files.items():  # written out, no generator an entry: 24,500 entries a gallery rebuild
        if (type(entry) is not list or len(entry) not in (2, 4) or type(entry[0]) is not int
                or type(entry[1]) is not str or len(entry[1]) != 64
                or (len(entry) == 4 and (type(entry[2]) is not int or type(entry[3]) is not int))):
            return f"{name!r} is not [size, sha256, mtime_ns, inode]"
    return ""


def file_status(path) -> list[int] | None:
    """[size, mtime_ns, ctime_ns, inode] of a file, None when there is none: what a cache keeps
    to know a file unchanged next time without reading it (git's rule for its index: the read
    cache's stamps, the photos' originals and galleries)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def file_entry(path: Path, data: bytes | None = None) -> list:
    """The index entry of a cached file as it is now: [size, sha256, mtime_ns, inode]."""
    data = path.read_bytes() if data is None else data
    status = path.stat()
    return [len(data), hashlib.sha256(data).hexdigest(), status.st_mtime_ns, status.st_ino]


def write_entered(path: Path, data: bytes) -> tuple[str, list]:
    """`write_atomically`, then the file and its index entry (`file_entry`, hashed from the bytes
    in hand): the worker that makes a cached picture says what it wrote (`PictureIndex.made`),
    so the main process need not read back and hash thousands of new files after the pages."""
    write_atomically(path, data)
    return str(path), file_entry(path, data)


def intact_file(path: str | Path, entry: list | None) -> tuple[list | None, str]:
    """Does the file at `path` hold the bytes its index `entry` says? Its entry to keep in the
    index; else (None, what is damaged), the reason "" for a file simply missing or not in the
    index.

    A file with the size, modification time and inode it had when its bytes were hashed is
    trusted without reading it (git's rule for its index: reading and hashing 10,000 cards took
    5 to 20 s of a rebuild). Anything that rewrites a file changes its time or, renamed over it,
    its inode: its bytes are then read and hashed again."""
    if entry is None:
        return None, ""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None, ""
    except OSError as error:
        return None, f"{path} ({error.strerror or type(error).__name__})"
    if len(entry) == 4 and [status.st_size, status.st_mtime_ns, status.st_ino] == [entry[0], *entry[2:]]:
        return entry, ""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, f"{path} ({error.strerror or type(error).__name__})"
    if len(data) != entry[0] or hashlib.sha256(data).hexdigest() != entry[1]:
        return None, f"{path} (its bytes do not match the index)"
    return [entry[0], entry[1], status.st_mtime_ns, status.st_ino], ""


class PictureIndex:
    """A picture cache's index (`folder`/index.json): which files of the cache hold the very
    bytes made, so that none that is cut off or replaced is ever linked into a site.

    `intact(name)` checks a file once a build (`intact_file`: its size, time and inode, or its
    bytes); what it found damaged is kept in `damaged`, for one warning. `remade(name)`: the
    file was made again in this build. `save(names)` writes the entries of the files this build
    uses (those made or not checked are hashed now), and only those: the index does not grow."""

    FILE = "index.json"

    def __init__(self, folder: Path, version: int):
        self.folder, self.version = folder, version
        self.known: dict[str, list] = {}  # as the last build left it
        self.checked: dict[str, list] = {}  # found intact (or made) by this build
        self.damaged: list[str] = []
        loaded = read_json_cache(folder / self.FILE, version, files_index_problem)
        if loaded.body is not None:
            self.known = loaded.body["files"]
        elif loaded.problem:  # every file is made again: without the index none can be trusted
            self.damaged.append(f"{folder / self.FILE} ({loaded.problem})")

    def intact(self, name: str) -> bool:
        if name in self.checked:
            return True
        path, known = os.path.join(self.folder, name), self.known.get(name)  # a str: 15,000 names a build
        if known is not None and len(known) == 4:  # the common case, inline: `intact_file`'s first test
            try:
                status = os.stat(path)
            except OSError:
                status = None
            if status is not None and (status.st_size, status.st_mtime_ns, status.st_ino) == (known[0], *known[2:]):
                self.checked[name] = known
                return True
        entry, damage = intact_file(path, known)
        if damage:
            self.damaged.append(damage)
        if entry is not None:
            self.checked[name] = entry
        return entry is not None

    def remade(self, name: str) -> None:
        """Made again by this build: hashed at `save`."""
        self.checked.pop(name, None)

    def trust(self, name: str) -> None:
        """Found intact by another look this build (`gallery_record.holding`: its size, time and
        inode as the index has them): as `intact`, without a second stat."""
        if name not in self.checked and name in self.known:
            self.checked[name] = self.known[name]

    def made(self, name: str, entry: list) -> None:
        """Made again by this build, by whoever wrote it: its entry (`file_entry`) as it said."""
        self.checked[name] = entry

    def save(self, names) -> None:
        names = sorted(set(names))
        if len(names) == len(self.known) and all(self.checked.get(name, False) is self.known.get(name) for name in names):
            return  # every file used was found as the index has it: nothing to write (15,000 entries)
        for name in names:
            if name not in self.checked:
                self.checked[name] = file_entry(self.folder / name)
        write_json_cache(self.folder / self.FILE, self.version, {"files": {name: self.checked[name] for name in names}})


def publish_cached(index: PictureIndex, used, target: Path, content: Path, folders=("",),
                   keep: tuple[str, ...] | None = ()) -> None:
    """Make `target` hold the cached files this build uses, and only those.

    Each `used` name of the index ("share/x.png", or "x.webp" in the folder "") is linked to
    `target`/name unless it is that very file already (its inode as `index` checked it); the
    files of `target`'s `folders` that nothing uses now are removed, but those Pelican copied
    from `content` (a folder of the same name); so are the cache's, but the names in `keep`
    (its index; `keep=None`: the cache is left as it is). One listing of each folder tells what
    is there and its inode, so a rebuild into an output that holds every file already makes no
    system call a file (12 photos a story, 10,000 cards)."""
    wanted: dict[str, dict[str, int]] = {folder: {} for folder in folders}
    for key in used:
        folder, _slash, name = key.rpartition("/")
        wanted.setdefault(folder, {})[name] = index.checked.get(key, (-1, "", -1, -1))[3]
    for folder, inodes in sorted(wanted.items()):
        present = _link_folder(index.folder / folder, target / folder, inodes)
        _remove_unused(target / folder, present - inodes.keys(), content / folder)
        if keep is not None:  # what this build did not use: no cache grows for ever
            _remove_unused(index.folder / folder, _names(index.folder / folder) - inodes.keys() - set(keep), None)


def _link_folder(cache: Path, target: Path, inodes: dict[str, int]) -> set[str]:
    """Link what is not there; the names that were there before."""
    target.mkdir(parents=True, exist_ok=True)
    same_disk = inodes and os.stat(cache).st_dev == os.stat(target).st_dev
    try:
        with os.scandir(target) as entries:
            present = {entry.name: entry for entry in entries}
    except FileNotFoundError:
        present = {}
    for name in sorted(inodes):
        entry = present.get(name)
        if entry is not None and same_disk and entry.inode() == inodes[name]:
            continue  # linked by an earlier build: the cached file itself (d_ino, no stat)
        cached, linked = os.path.join(cache, name), os.path.join(target, name)  # str: 15,000 a build
        if entry is not None and not same_disk and same_bytes(Path(linked), Path(cached)):
            continue
        if entry is None:
            try:
                os.link(cached, linked)
                continue
            except OSError:
                pass
        link_or_copy(Path(cached), Path(linked))
    return set(present)


def _names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()


def _remove_unused(folder: Path, unused: set[str], content: Path | None) -> None:
    """Remove the files `unused` of `folder` (not folders), but those `content` holds too."""
    for name in sorted(unused):
        path = folder / name
        if path.is_file() and not (content is not None and (content / name).exists()):
            path.unlink()


def same_bytes(target: Path, cached: Path) -> bool:
    """Is the regular file `target` a copy of `cached` (the cache on another disk)?"""
    try:
        have, want = target.stat(), cached.stat()
    except OSError:
        return False
    return stat.S_ISREG(have.st_mode) and have.st_size == want.st_size and target.read_bytes() == cached.read_bytes()


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the cache and the output share a disk: 10,000 cards, no copying.

    Safe because neither name is ever written in place: a changed picture has a new name, a
    picture made again is a new file renamed over the old name (`write_atomically`), and each
    build checks every cached file's bytes before linking it and links again an output file that
    is not the checked file. Copying instead would take five times as long (about 3 s more at
    10,000 cards) and twice the disk (docs/sharing.md).
    """
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
