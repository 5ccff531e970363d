"""What a build found in each story's photo folder, kept for the next build, and whether it
still holds (issue 15, point 6). No Pelican in here: plugins/photos is the glue.

A rebuild with nothing changed should cost next to nothing a photo: 500 stories of 12 photos
are 6,000 originals and 24,500 copies, and looking at each of them in the main process took
half a second of a 2.5 s rebuild. The record (CACHE_PATH/photos/galleries.json) says, for each
`Photos:` value, what its folder held: the files' names, captions.txt's and each photo's size,
modification and change times and inode (git's rule for its index, as
`cache_files.intact_file`: anything that rewrites a file changes one of them), and what each
photo gave (its key and size, its caption). `holding` tells which galleries are still exactly
so, their copies in the photo cache included (size, time and inode as the cache's index has
them); plugins/photos runs it in a child process while Pelican reads, and takes those
galleries whole from the record. Anything else (a photo added, replaced or touched, captions
edited, a copy damaged, the settings changed) and the gallery is read and checked as on a
first build. A gallery with a warning (a file that is no photo) is recorded, for its photos'
keys, but never taken whole: its warning is reported again each build.

When every gallery holds, `holding` also looks at the output folder the copies are linked
into: if it holds exactly those copies (each the cached file itself, by its inode), the build
need not link or remove anything there, as long as the folder's times are still those seen
(plugins/photos checks them once, when it would publish).
"""

import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from . import photos as core
from .cache_files import file_status

FILE = "galleries.json"
VERSION = 1
PHOTO_FIELDS = 9  # [name, size, mtime_ns, ctime_ns, inode, key, width, height, caption]


def entry(gallery: core.Gallery, photo_entries: list[list], clean: bool) -> dict:
    """The record of `gallery` as read: `photo_entries` are [size, mtime_ns, ctime_ns, inode,
    key, width, height] of each of its photos, in order."""
    return {"folder": str(gallery.path), "files": gallery.files, "captions": gallery.captions_status,
            "clean": clean,
            "photos": [[photo.name, *each, photo.caption] for photo, each in zip(gallery.photos, photo_entries,
                                                                                 strict=True)]}


def record_problem(body: dict) -> str:
    """"" when `body` has the record's shape (cache_files.read_json_cache), else what is wrong."""
    galleries = body.get("galleries")
    if not isinstance(body.get("recipe"), str) or not isinstance(galleries, dict):
        return "'recipe' must be a string and 'galleries' an object"
    for value, each in galleries.items():
        if (not isinstance(each, dict) or not isinstance(each.get("folder"), str)
                or not isinstance(each.get("files"), list) or not isinstance(each.get("clean"), bool)
                or not _status_or_none(each.get("captions")) or not isinstance(each.get("photos"), list)):
            return f"the gallery {value!r} is not {{folder, files, captions, clean, photos}}"
        for photo in each["photos"]:  # written out, no generator a photo: 6,000 photos a rebuild
            if (type(photo) is not list or len(photo) != PHOTO_FIELDS or type(photo[0]) is not str
                    or type(photo[1]) is not int or type(photo[2]) is not int or type(photo[3]) is not int
                    or type(photo[4]) is not int or type(photo[5]) is not str or type(photo[6]) is not int
                    or type(photo[7]) is not int or type(photo[8]) is not str):
                return f"a photo of {value!r} is not [name, size, mtime_ns, ctime_ns, inode, key, width, height, caption]"
    return ""


def _status_or_none(value) -> bool:
    return value is None or (type(value) is list and len(value) == 4 and all(type(n) is int for n in value))


def originals(galleries: dict) -> dict[str, list]:
    """{photo path: [size, mtime_ns, ctime_ns, inode, key, width, height]} of every recorded photo."""
    return {os.path.join(each["folder"], photo[0]): photo[1:8] for each in galleries.values()
            for photo in each["photos"]}


def plans(each: dict, widths: tuple[int, ...], max_side: int) -> list[core.Plan]:
    """The copies of each photo of a recorded gallery (the first: a share copy too)."""
    return [core.plan_of(photo[5], photo[6], photo[7], widths, max_side, share=number == 0)
            for number, photo in enumerate(each["photos"])]


class Shown(Sequence):
    """What a template shows of a gallery taken whole from its record: the `GalleryPhoto` of
    each photo (`photos.recorded_photo`), made when first asked for. The main process asks
    only for the first (sharing's cover and og:image); the worker that renders the story's page
    makes the rest, all at once, so a rebuild does not make 6,000 of them one after another
    before the pages."""

    __slots__ = ("_all", "_eager", "_first", "_max_side", "_photos", "_prefix", "_title", "_widths")

    def __init__(self, photos: list[list], title: str, widths: tuple[int, ...], max_side: int, prefix: str,
                 eager: int):
        self._photos, self._title, self._widths, self._max_side = photos, title, widths, max_side
        self._prefix, self._eager = prefix, eager
        self._first: core.GalleryPhoto | None = None
        self._all: list[core.GalleryPhoto] | None = None

    def __len__(self) -> int:
        return len(self._photos)

    def __getitem__(self, index):
        if index == 0 and self._all is None and self._photos:
            if self._first is None:
                self._first = self._make(0)
            return self._first
        return self.made()[index]

    def __iter__(self) -> Iterator[core.GalleryPhoto]:
        return iter(self.made())

    def __repr__(self) -> str:
        return f"Shown({len(self)} photos of {self._title!r})"

    def made(self) -> list[core.GalleryPhoto]:
        """Every photo's GalleryPhoto, in order (made once)."""
        if self._all is None:
            self._all = [self._first if index == 0 and self._first is not None else self._make(index)
                         for index in range(len(self._photos))]
        return self._all

    def _make(self, index: int) -> core.GalleryPhoto:
        _name, _size, _mtime, _ctime, _inode, key, width, height, caption = self._photos[index]
        number, count = index + 1, len(self._photos)
        return core.recorded_photo(number, count, caption or core.default_alt(number, count, self._title), caption,
                                   key, width, height, self._widths, self._max_side, number == 1, self._prefix,
                                   eager=number <= self._eager)


def holding(galleries: dict, content_root, copies: Path, index: dict[str, list], widths: tuple[int, ...],
            max_side: int, output: Path | None = None,
            stop_requested: Callable[[], bool] = lambda: False) -> tuple[list[str], list[int] | None]:
    """(The `Photos:` values whose gallery is exactly as recorded: the folder it names, the
    files in it, captions.txt and every photo as they were (size, times, inode), every copy of
    every photo in the folder `copies` as the cache's `index` has it; the `folder_status` of
    `output` when, every gallery holding, that folder holds those very copies and nothing
    else, else None). Never raises."""
    held, inodes = [], {}
    for value, each in galleries.items():
        if stop_requested():
            return held, None
        try:
            if each["clean"] and _holds(value, each, content_root, copies, index, widths, max_side, inodes):
                held.append(value)
        except (OSError, ValueError):  # a folder gone or unreadable: the build reads it and says so
            continue
    if output is None or len(held) != len(galleries):
        return held, None
    return held, _output_holds(output, inodes)


def _holds(value: str, each: dict, content_root, copies: Path, index: dict[str, list], widths, max_side,
           inodes: dict[str, int]) -> bool:
    """Every file looked at through the folder as `value` names it now (a link re-pointed to
    another folder gives other files: other inodes), with plain strings: 30,000 of them."""
    written = value.strip().strip("/")
    if not written or "\\" in written or "\x00" in written or ".." in written.split("/"):
        return False  # never recorded so; as `content_file`
    folder = f"{content_root}/{written}/"
    if core.folder_files(folder) != each["files"] or file_status(folder + core.CAPTIONS_FILE) != each["captions"]:
        return False
    for photo in each["photos"]:
        if file_status(folder + photo[0]) != photo[1:5]:
            return False
    cache = f"{copies}/"
    for number, photo in enumerate(each["photos"]):
        for copy in core.copy_names(photo[5], photo[6], photo[7], widths, max_side, number == 0):
            known = index.get(copy)
            if known is None or len(known) != 4:
                return False
            try:
                now = os.stat(cache + copy)
            except OSError:
                return False
            if now.st_size != known[0] or now.st_mtime_ns != known[2] or now.st_ino != known[3]:
                return False
            inodes[copy] = known[3]
    return True


RACY_NS = 200_000_000  # a folder changed this recently may change again within the same clock tick (git's "racy" files)


def _output_holds(folder: Path, inodes: dict[str, int]) -> list[int] | None:
    """`folder_status(folder)` when it holds exactly the files `inodes` names, each that very
    file (its inode: a link to the cache), and was last changed long enough ago that a change
    after this look would show in its times; else None."""
    before = folder_status(folder)
    if before is None or time.time_ns() - before[2] < RACY_NS:  # its modification time: files added or removed
        return None
    try:
        with os.scandir(folder) as entries:
            present = {entry.name: entry.inode() for entry in entries}
    except OSError:
        return None
    return before if present == inodes and folder_status(folder) == before else None


def folder_status(folder: Path) -> list[int] | None:
    """[device, inode, mtime_ns, ctime_ns] of a folder, or None when there is none. A file added,
    removed or renamed in it changes its times; one replaced in place is a cached copy (a hard
    link) whose own times `holding` checks."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return [status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns]
