"""photos: a story's gallery, from `Photos: images/<folder>` on an article, page or event (issue 15).

The Pelican glue of `thainews.photos` (the pure part: listing, captions, checks, what copies a
photo gets) and `thainews.images.renditions` (the copies themselves):

* `buildcore.site_checks` (`check_galleries`): every story's gallery is read and checked with
  the rest of the content (folder, captions.txt, each photo's header), so its problems join the
  one report (strict_content's "report" step) and `make check`.
* buildcore step "photos" (`make_photos`), after "report" and before sharing's "prepare":
  the copies of each photo (upright, no metadata, WebP and JPEG at `WIDTHS`, at most `MAX_SIDE`
  pixels on the long side) are made on `PROCESSES` cores (`thainews.parallel.Workers`) into
  CACHE_PATH/photos, named by a hash of the photo's bytes, so a rebuild with nothing changed
  makes none. What each original's copies are called (its hash) and its size are kept in
  `originals.json` by the photo's path, size, times and inode (`Originals`): a photo unchanged
  since the build before is only stat()ed, neither read, hashed nor its header checked again
  (the rule of `thainews.cache_files.intact_file`). The cache's index (`index.json`, `thainews.cache_files`) holds the size and
  sha256 of each copy: a copy whose bytes no longer match is made again, never published. A
  photo that cannot be decoded (cut off) stops the build (`buildcore.stop_on_problems`). Each
  item gets `gallery`: a list of `thainews.photos.GalleryPhoto` for templates
  (theme/templates/partials/gallery.html); the first also a share copy (`<key>-share.jpg`, a
  1200×630 JPEG cropped from the middle, cached like the others): its `share`, `share_width`,
  `share_height` are what sharing shows as og:image for a story without `Image` (sharing reads
  the attribute `gallery`, never imports this plugin). The photo folders are taken out of Pelican's static
  files, so the originals (with their GPS position) are never published.
* `finalized` (`write_files`): the copies are hard-linked (or copied) into the output under
  `OUTPUT_DIR`, after Pelican has emptied it; our files there that nothing shows now are removed,
  and so are cached copies this build did not use.

Settings: `PHOTOS` (see DEFAULTS), checked at `initialized`.
"""

import functools
import logging
import os
import time
from pathlib import Path

from pelican import signals
from PIL import Image

from buildcore import at, display_path, exclude_from_static, items_with_field, site_checks, stop_on_problems
from thainews import images, parallel
from thainews import photos as core
from thainews.cache_files import PictureIndex, publish_cached, read_json_cache, write_entered, write_json_cache
from thainews.plugin_settings import check_known_keys, plugin_options
from thainews.problems import Problem, line_of_field

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PHOTOS"
DEFAULTS = {
    "WIDTHS": core.WIDTHS,  # copies of each photo, pixels wide (the largest: MAX_SIDE on the long side)
    "MAX_SIDE": core.MAX_SIDE,  # the largest copy, on its long side, in pixels
    "OUTPUT_DIR": "images/photos",  # where the copies go in the output
    "EAGER": 3,  # the first photos of a gallery load at once; the rest when scrolled to
}
CACHE_FOLDER = "photos"  # in CACHE_PATH
INDEX_FILE = PictureIndex.FILE  # file name -> [size, sha256, mtime_ns, inode] of each copy as made
INDEX_VERSION = 1
ORIGINALS_FILE = "originals.json"  # photo path -> [size, mtime_ns, ctime_ns, inode, key, width, height]
ORIGINALS_VERSION = 1
_GALLERIES = "_photos_galleries"  # in the build's context: what check_galleries read
_PENDING: dict[str, "PhotoFiles"] = {}  # output folder -> what `finalized` copies there


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    """Name the plugin and the bad key at start-up, rather than fail mid-build."""
    check_known_keys("photos", pelican.settings, SETTINGS_KEY, DEFAULTS)
    config = options(pelican.settings)
    widths = config["WIDTHS"]
    if isinstance(widths, (str, int)) or not widths or not all(
            isinstance(w, int) and not isinstance(w, bool) and 100 <= w <= 4000 for w in widths):
        raise ValueError(f"photos: {SETTINGS_KEY}['WIDTHS'] must be a list of widths in pixels (100 to 4000), "
                         f"got {widths!r}")
    side = config["MAX_SIDE"]
    if not isinstance(side, int) or isinstance(side, bool) or not 320 <= side <= 4000:
        raise ValueError(f"photos: {SETTINGS_KEY}['MAX_SIDE'] must be a whole number of pixels from 320 to 4000, "
                         f"got {side!r}")
    eager = config["EAGER"]
    if not isinstance(eager, int) or isinstance(eager, bool) or eager < 0:
        raise ValueError(f"photos: {SETTINGS_KEY}['EAGER'] must be a whole number of at least 0, got {eager!r}")
    folder = config["OUTPUT_DIR"]
    if not isinstance(folder, str) or not folder.strip("/") or ".." in Path(folder).parts:
        raise ValueError(f"photos: {SETTINGS_KEY}['OUTPUT_DIR'] must be a folder inside the output, got {folder!r}")


# ---------------------------------------------------------------------------- reading and checks


def items_with_photos(generators) -> list:
    return items_with_field(generators, "photos")


def _status(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def _originals_problem(body: dict) -> str:
    photos = body.get("photos")
    if not isinstance(body.get("recipe"), str) or not isinstance(photos, dict):
        return "'recipe' must be a string and 'photos' an object"
    for path, entry in photos.items():
        if (type(entry) is not list or len(entry) != 7 or any(type(n) is not int for n in entry[:4] + entry[5:])
                or type(entry[4]) is not str):
            return f"{path!r} is not [size, mtime_ns, ctime_ns, inode, key, width, height]"
    return ""


class Originals:
    """What `core.photo_key` gave for each original photo, by its path, size, times and inode,
    kept in CACHE_PATH/photos/originals.json: a photo with the same size, modification and change
    times and inode as when it was read is not read again (git's rule for its index, as
    `thainews.cache_files.intact_file`). Replacing a photo, even by one of the same name and
    size, gives it another inode or change time: it is then read, checked and hashed again.
    Entries are kept for the `recipe` they were made with (widths, largest side, limits)."""

    def __init__(self, settings):
        config = options(settings)
        self.widths, self.max_side = tuple(config["WIDTHS"]), config["MAX_SIDE"]
        self.path = Path(settings["CACHE_PATH"]) / CACHE_FOLDER / ORIGINALS_FILE
        self.recipe = (f"{core.PLAN_VERSION} {images.RENDITION_VERSION} {self.widths} {self.max_side} "
                       f"{core.MAX_PIXELS} {core.MAX_BYTES} {sorted(core.PHOTO_FORMATS)}")
        self.known: dict[str, list] = {}
        self.seen: dict[str, list] = {}  # this build's photos: what is saved
        self.status: dict[str, list | None] = {}  # found by `unchanged`, used by `plan`: one stat a photo
        loaded = read_json_cache(self.path, ORIGINALS_VERSION, _originals_problem)
        if loaded.body is not None and loaded.body["recipe"] == self.recipe:
            self.known = loaded.body["photos"]
        elif loaded.problem:
            logger.warning("photos: แคช %s เสียหาย (%s) จะอ่านรูปทั้งหมดใหม่ / the cache %s is damaged (%s): "
                           "every photo is read again", self.path, loaded.problem, self.path, loaded.problem)

    def unchanged(self, path: Path) -> bool:
        """Is the photo at `path` as it was when a build read it (and checked it)?"""
        status = self.status[str(path)] = _status(path)
        entry = self.known.get(str(path))
        return entry is not None and status == entry[:4]

    def plan(self, path: Path, share: bool) -> core.Plan:
        """The copies of the photo at `path`: from the entry when unchanged, else read (raises
        OSError and the rest when the photo cannot be read)."""
        key = str(path)
        status = self.status.pop(key) if key in self.status else _status(path)
        entry = self.known.get(key)
        if entry is None or status is None or status != entry[:4]:
            data = path.read_bytes()  # after the stat: a photo changed while read is read again next time
            entry = [*(status or [-1, -1, -1, -1]), *core.photo_key(data, self.widths, self.max_side)]
        self.seen[str(path)] = entry
        return core.plan_of(*entry[4:], self.widths, self.max_side, share)

    def save(self) -> None:
        write_json_cache(self.path, ORIGINALS_VERSION, {"recipe": self.recipe, "photos": self.seen})


def _read(generators) -> dict[int, tuple]:
    """{id(item): (item, Gallery)} for every item with `Photos:`, read once a build."""
    context = generators[0].context
    if _GALLERIES in context:
        return context[_GALLERIES]
    settings = generators[0].settings
    originals = context[_GALLERIES + "_originals"] = Originals(settings)
    galleries = {}
    for item in items_with_photos(generators):
        source = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
        gallery = core.read_gallery(settings["PATH"], str(item.photos), str(item.title or "").strip(),
                                    display_path(item.source_path, settings), line_of_field(source, core.FIELD),
                                    originals.unchanged)
        galleries[id(item)] = (item, gallery)
    context[_GALLERIES] = galleries
    return galleries


def check_galleries(generators) -> list[Problem]:
    """buildcore.site_checks: the problems of every gallery, in the build's one report."""
    problems = [problem for _item, gallery in _read(generators).values() for problem in gallery.problems]
    generators[0].context[_GALLERIES + "_reported"] = True
    return problems


def gallery_folders(generators) -> list[str]:
    """buildcore.exclude_from_static: the folders `Photos:` names, not walked for static files
    (a folder as written, under images/; any other value is the report's error)."""
    folders = []
    for item in items_with_photos(generators):
        folder = os.path.normpath(str(item.photos).strip().strip("/"))
        if folder.startswith("images" + os.sep) and ".." not in folder.split(os.sep):
            folders.append(folder)
    return folders


def _keep_originals_out(generators, folders: list[Path]) -> None:
    """The photo folders are not static files: the originals carry GPS positions. Most never
    became one (`gallery_folders`); this catches a folder reached by another name (a symlink)."""
    if not folders:
        return
    folders = set(folders)  # a static file's folders looked up, not every gallery tried (6,000 photos)

    @functools.cache  # a folder of photos resolved once, not once a photo
    def outside(folder: str) -> bool:
        resolved = Path(folder).resolve()
        return resolved not in folders and folders.isdisjoint(resolved.parents)

    for generator in generators:
        files = getattr(generator, "staticfiles", None)
        if not isinstance(files, list):
            continue
        kept = [static for static in files if outside(os.path.dirname(static.source_path))]
        files[:] = kept
        if isinstance(generator.context.get("staticfiles"), list):
            ids = {id(static) for static in kept}  # a set: thousands of photos are thousands of files
            generator.context["staticfiles"][:] = [static for static in generator.context["staticfiles"]
                                                   if id(static) in ids]


# ---------------------------------------------------------------------------- the copies


def _make(job: tuple) -> tuple[str | None, list]:
    """In a worker: make the copies of one photo into the cache: (the error when it cannot be
    decoded; the copies written, with their index entries: `write_entered`)."""
    source, widths, max_side, folder, share = job
    try:
        copies = core.make_copies(Path(source).read_bytes(), widths, max_side, share)
    except (OSError, ValueError, SyntaxError, RuntimeError, Image.DecompressionBombError) as error:
        return str(error) or type(error).__name__, []
    # A new inode each: a linked output file is untouched.
    return None, [write_entered(Path(folder) / name, data) for name, data in copies.items()]


class PhotoFiles:
    """The copies one build uses: in the cache, checked against its index, copied at `finalized`."""

    def __init__(self, settings, originals: Originals):
        self.settings = settings
        self.originals = originals
        self.config = options(settings)
        self.output_dir = self.config["OUTPUT_DIR"].strip("/")
        self.cache = Path(settings["CACHE_PATH"]) / CACHE_FOLDER
        self.index = PictureIndex(self.cache, INDEX_VERSION)  # what is intact in the cache
        self.damaged = self.index.damaged
        self.used: set[str] = set()  # file names in the cache

    def cached(self, name: str) -> bool:
        """Is the copy `name` in the cache with the very bytes made (`PictureIndex.intact`)?"""
        return self.index.intact(name)

    def remade(self, names) -> None:
        """Made again by this build: hashed again for the index."""
        for name in names:
            self.index.remade(name)

    def url(self, name: str) -> str:
        return f"{self.settings.get('SITEURL', '')}/{self.output_dir}/{name}"

    def save_index(self) -> None:
        self.index.save(self.used)
        self.originals.save()

    def copy_into(self, output: Path) -> None:
        """Link every copy into the output; remove what nothing shows now, here and in the cache."""
        self.save_index()  # first: every copy checked, with its inode
        publish_cached(self.index, self.used, output / self.output_dir, Path(self.settings["PATH"]) / self.output_dir,
                       keep=(INDEX_FILE, ORIGINALS_FILE))


def make_photos(generators) -> None:
    """buildcore step "photos": check (unless the report did), make what is not cached, attach."""
    settings = generators[0].settings
    context = generators[0].context
    galleries = _read(generators)
    _PENDING.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    _keep_originals_out(generators, [gallery.path for _item, gallery in galleries.values() if gallery.path])
    if not context.get(_GALLERIES + "_reported"):  # no report step ran (strict_content not loaded)
        stop_on_problems([problem for _item, gallery in galleries.values() for problem in gallery.problems])
    if not galleries:
        return
    started = time.perf_counter()
    files = PhotoFiles(settings, context[_GALLERIES + "_originals"])
    config = files.config
    widths, max_side = tuple(config["WIDTHS"]), config["MAX_SIDE"]
    jobs: dict[str, tuple] = {}  # first copy's name -> job
    whose: dict[str, list] = {}  # first copy's name -> [(item, photo)]
    problems: list[Problem] = []
    for item, gallery in galleries.values():
        shown = []
        for photo in gallery.photos:
            share = not shown  # the first photo: a share copy too, sharing's og:image without `Image`
            try:
                plan = files.originals.plan(photo.path, share)
            except (OSError, ValueError, SyntaxError, RuntimeError, Image.DecompressionBombError) as error:
                problems.append(_decode_problem(item, photo, str(error), settings))
                continue
            names = [name for _width, _kind, name in plan.files()]
            files.used.update(names)
            if names[0] in jobs:
                if share:  # the same photo, first in this gallery only
                    jobs[names[0]] = (*jobs[names[0]][:4], True)
                    files.remade(names)
            elif not all([files.cached(name) for name in names]):
                jobs[names[0]] = (str(photo.path), widths, max_side, str(files.cache), share)
                files.remade(names)
            whose.setdefault(names[0], []).append((item, photo))
            shown.append((photo, plan))
        item.gallery = [core.gallery_photo(photo, len(shown), plan, files.url, eager=index < config["EAGER"])
                        for index, (photo, plan) in enumerate(shown)]
    with parallel.Workers(parallel.processes(settings) if len(jobs) > 1 else 1) as workers:
        results = list(workers.map(_make, list(jobs.values()), chunksize=1))
    for first, (error, written) in zip(jobs, results, strict=True):
        for path, entry in written:  # hashed by the worker that wrote it
            files.index.made(Path(path).name, entry)
        if error is not None:
            problems += [_decode_problem(item, photo, error, settings) for item, photo in whose[first]]
    if files.damaged:
        logger.warning("photos: แคชรูป %s เสียหาย %d รายการ เช่น %s ไม่ได้ใช้ จะทำใหม่ / "
                       "the photo cache %s has %d damaged entries, e.g. %s: ignored and made again",
                       files.cache, len(files.damaged), files.damaged[0],
                       files.cache, len(files.damaged), files.damaged[0])
    if problems:
        stop_on_problems(sorted(set(problems)))
    logger.info("photos: %d photos in %d galleries, %d made (the rest from the cache) in %.1f s",
                sum(len(whose_list) for whose_list in whose.values()), len(galleries), len(jobs),
                time.perf_counter() - started)
    _PENDING[os.path.abspath(settings["OUTPUT_PATH"])] = files


def _decode_problem(item, photo: core.Photo, error: str, settings) -> Problem:
    source = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
    return Problem(display_path(item.source_path, settings), line_of_field(source, core.FIELD), core.FIELD,
                   *core.unreadable_problem(photo.written, error))


def write_files(pelican) -> None:
    files = _PENDING.pop(os.path.abspath(pelican.output_path), None)
    if files is not None:
        files.copy_into(Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(check_settings)
    site_checks.connect(check_galleries)  # in the one report, and make check's
    exclude_from_static(gallery_folders)  # never read as static files: 6,000 photos cost a rebuild 0.2 s
    at("photos", make_photos)  # after the report, before sharing's "prepare" (buildcore.STEPS)
    signals.finalized.connect(write_files)
