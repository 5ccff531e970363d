"""photos: a story's gallery, from `Photos: images/<folder>` on an article, page or event (issue 15).

The Pelican glue of `thainews.photos` (the pure part: listing, captions, checks, what copies a
photo gets) and `thainews.images.renditions` (the copies themselves):

* `initialized` / the first `generator_init` of a build (`start_checking`, `check_ahead`): a
  child process (`thainews.parallel.BackgroundJob`) checks the last build's record of the
  galleries (CACHE_PATH/photos/galleries.json, `thainews.gallery_record`) while Pelican starts
  and reads: which galleries are still exactly as recorded (the folder's files, captions.txt,
  every photo and every copy by size, times and inode), and whether the output folder holds
  exactly their copies. With one process, the main process checks, when the galleries are read.
* `buildcore.site_checks` (`check_galleries`): every story's gallery is read and checked with
  the rest of the content (folder, captions.txt, each photo's header), so its problems join the
  one report (strict_content's "report" step) and `make check`; a gallery still as recorded is
  taken from its record, and none of its files is looked at again (the child did). A rebuild
  of 500 stories with 12 photos each: 6,000 photos and 24,500 copies not looked at.
* buildcore step "photos" (`make_photos`), after "report" and before sharing's "prepare":
  the copies of each photo (upright, no metadata, WebP and JPEG at `WIDTHS`, at most `MAX_SIDE`
  pixels on the long side) are made on `PROCESSES` cores (`thainews.parallel.Workers`) into
  CACHE_PATH/photos, named by a hash of the photo's bytes, so a rebuild with nothing changed
  makes none. In a gallery that changed, what each original's copies are called (its hash) and
  its size come from the record by the photo's path, size, times and inode (`Originals`): a
  photo unchanged since the build before is only stat()ed, neither read, hashed nor its header
  checked again (the rule of `thainews.cache_files.intact_file`). The cache's index (`index.json`, `thainews.cache_files`) holds the size and
  sha256 of each copy: a copy whose bytes no longer match is made again, never published. A
  photo that cannot be decoded (cut off) stops the build (`buildcore.stop_on_problems`). Each
  item gets `gallery`: a sequence of `thainews.photos.GalleryPhoto` for templates
  (theme/templates/partials/gallery.html; a gallery that held makes each when first asked
  for, `gallery_record.Shown`); the first also a share copy (`<key>-share.jpg`, a
  1200×630 JPEG cropped from the middle, cached like the others): its `share`, `share_width`,
  `share_height` are what sharing shows as og:image for a story without `Image` (sharing reads
  the attribute `gallery`, never imports this plugin). The photo folders are taken out of Pelican's static
  files, so the originals (with their GPS position) are never published.
* `finalized` (`write_files`): the copies are hard-linked (or copied) into the output under
  `OUTPUT_DIR`, after Pelican has emptied it; our files there that nothing shows now are removed,
  and so are cached copies this build did not use; the record is saved when it changed. When
  every gallery held and the child found the output folder holding exactly their copies, and
  its times are still those it saw, nothing is done there.

Settings: `PHOTOS` (see DEFAULTS), checked at `initialized`.
"""

import dataclasses
import functools
import logging
import os
import time
from pathlib import Path
from typing import NamedTuple

from pelican import signals
from PIL import Image

from buildcore import at, display_path, exclude_from_static, items_with_field, site_checks, stop_on_problems
from thainews import gallery_record, images, parallel
from thainews import photos as core
from thainews.cache_files import (
    PictureIndex,
    file_status,
    publish_cached,
    read_json_cache,
    write_entered,
    write_json_cache,
)
from thainews.parallel import BackgroundJob
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


def recipe(settings) -> str:
    """What a gallery's record depends on besides its files: a change here reads every gallery."""
    config = options(settings)
    return (f"{core.PLAN_VERSION} {images.RENDITION_VERSION} {tuple(config['WIDTHS'])} {config['MAX_SIDE']} "
            f"{core.MAX_PIXELS} {core.MAX_BYTES} {sorted(core.PHOTO_FORMATS)}")


def read_record(path: Path, recipe_now: str) -> tuple[dict[str, dict], str]:
    """The galleries a build recorded (`thainews.gallery_record`), {} when none or made another
    way; and what is wrong with the file, if anything."""
    loaded = read_json_cache(path, gallery_record.VERSION, gallery_record.record_problem)
    if loaded.body is not None and loaded.body["recipe"] == recipe_now:
        return loaded.body["galleries"], ""
    return {}, loaded.problem


class Record:
    """CACHE_PATH/photos/galleries.json: `galleries` as the last build left them (read when
    first asked: a rebuild whose galleries all held never reads it in the main process, the
    child did), `now` as this build finds them (saved at `finalized`, when they differ)."""

    def __init__(self, settings):
        self.path = Path(settings["CACHE_PATH"]) / CACHE_FOLDER / gallery_record.FILE
        self.recipe = recipe(settings)
        self.now: dict[str, dict] = {}
        self.problem = ""
        self._galleries: dict[str, dict] | None = None

    @property
    def galleries(self) -> dict[str, dict]:
        if self._galleries is None:
            self._galleries, self.problem = read_record(self.path, self.recipe)
        return self._galleries

    def save(self, as_recorded: bool) -> None:
        """`as_recorded`: this build's galleries are known to be the recorded ones."""
        if not as_recorded and (self.now != self.galleries or not self.path.exists()):
            write_json_cache(self.path, gallery_record.VERSION, {"recipe": self.recipe, "galleries": self.now})


class Originals:
    """What `core.photo_key` gave for each original photo the last build used, by its path
    (`gallery_record.originals`): a photo with the same size, modification and change times and
    inode as when it was read is not read again (git's rule for its index, as
    `thainews.cache_files.intact_file`). Replacing a photo, even by one of the same name and
    size, gives it another inode or change time: it is then read, checked and hashed again."""

    def __init__(self, settings, known: dict[str, list]):
        config = options(settings)
        self.widths, self.max_side = tuple(config["WIDTHS"]), config["MAX_SIDE"]
        self.known = known
        self.seen: dict[str, list] = {}  # this build's photos: what the record keeps
        self.status: dict[str, list | None] = {}  # found by `unchanged`, used by `plan`: one stat a photo

    def unchanged(self, path: Path) -> bool:
        """Is the photo at `path` as it was when a build read it (and checked it)?"""
        status = self.status[str(path)] = file_status(path)
        entry = self.known.get(str(path))
        return entry is not None and status == entry[:4]

    def plan(self, path: Path, share: bool) -> core.Plan:
        """The copies of the photo at `path`: from the entry when unchanged, else read (raises
        OSError and the rest when the photo cannot be read)."""
        key = str(path)
        status = self.status.pop(key) if key in self.status else file_status(path)
        entry = self.known.get(key)
        if entry is None or status is None or status != entry[:4]:
            data = path.read_bytes()  # after the stat: a photo changed while read is read again next time
            entry = [*(status or [-1, -1, -1, -1]), *core.photo_key(data, self.widths, self.max_side)]
        self.seen[str(path)] = entry
        return core.plan_of(*entry[4:], self.widths, self.max_side, share)


# ---------------------------------------------------------------------------- the record, checked early


_AHEAD: dict[str, tuple[dict | None, BackgroundJob]] = {}  # output folder -> (the build it is for, the child)
_RECORD = "_photos_record"  # in the build's context: the Record
HOLDING_TIMEOUT = 120  # seconds: checking 6,000 photos and 24,500 copies takes a fraction of one


class Held(NamedTuple):
    """What `_holding` found: the record of each gallery that holds, by its `Photos:` value;
    whether every recorded gallery does; the output folder's status when it holds their copies
    (`gallery_record.holding`); what is wrong with the record file, if anything."""

    entries: dict[str, dict]
    every: bool
    output: list[int] | None
    problem: str


def start_checking(pelican) -> None:
    """initialized: the first build of this process is about to start: check ahead."""
    _start(pelican.settings, None)


def check_ahead(generator) -> None:
    """generator_init: the first of each build claims the child `start_checking` started for it,
    or starts one (`pelican -r`: every rebuild)."""
    context, settings = generator.context, generator.settings
    output = os.path.abspath(settings["OUTPUT_PATH"])
    started = _AHEAD.get(output)
    if started is not None and started[0] is context:
        return  # this build's
    if started is not None and started[0] is None:
        _AHEAD[output] = (context, started[1])
        return
    _start(settings, context)


def _start(settings, context) -> None:
    """While Pelican starts and reads the stories, a child process checks which galleries of the
    last build are still exactly as recorded (a stat a photo and a copy: 30,000 at 500 stories),
    on the core that leaves idle."""
    output = os.path.abspath(settings["OUTPUT_PATH"])
    stale = _AHEAD.pop(output, None)
    if stale is not None:  # a build that stopped before its photos (pelican -r after an error)
        stale[1].cancel()
    record = Path(settings["CACHE_PATH"]) / CACHE_FOLDER / gallery_record.FILE
    if record.exists() and parallel.processes(settings) > 1 and BackgroundJob.available():
        _AHEAD[output] = (context, BackgroundJob(_holding, settings))


def _holding(stop_requested, settings, record: Record | None = None) -> Held:
    """In the child (or here, on one process): `gallery_record.holding` for the recorded galleries."""
    record = record or Record(settings)
    galleries = record.galleries
    if not galleries:
        return Held({}, False, None, record.problem)
    config = options(settings)
    cache = Path(settings["CACHE_PATH"]) / CACHE_FOLDER
    index = PictureIndex(cache, INDEX_VERSION).known
    held, output = gallery_record.holding(galleries, settings["PATH"], cache, index, tuple(config["WIDTHS"]),
                                          config["MAX_SIDE"],
                                          Path(settings["OUTPUT_PATH"]) / config["OUTPUT_DIR"].strip("/"),
                                          stop_requested)
    return Held({value: galleries[value] for value in held}, len(held) == len(galleries), output, record.problem)


def _held(settings, context, record: Record) -> Held:
    """The recorded galleries that still hold, from the child when one was started for this build."""
    started = _AHEAD.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    if started is not None and started[0] is context:
        try:
            return started[1].result(timeout=HOLDING_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - only time is lost: each gallery is checked here
            logger.warning("photos: checking the galleries ahead failed; checking them now instead. %s", error)
    elif started is not None:
        started[1].cancel()
    return _holding(lambda: False, settings, record)


def _read(generators) -> dict[int, tuple]:
    """{id(item): (item, Gallery, its record when it holds, else None)} for every item with
    `Photos:`, read once a build."""
    context = generators[0].context
    if _GALLERIES in context:
        return context[_GALLERIES]
    settings = generators[0].settings
    record = context[_RECORD] = Record(settings)
    held = context[_GALLERIES + "_held"] = _held(settings, context, record)
    if held.problem:
        logger.warning("photos: แคช %s เสียหาย (%s) จะอ่านรูปทั้งหมดใหม่ / the cache %s is damaged (%s): "
                       "every photo is read again", record.path, held.problem, record.path, held.problem)
    originals = None
    galleries = {}
    for item in items_with_photos(generators):
        value = str(item.photos).strip()
        each = held.entries.get(value)
        if each is not None:
            galleries[id(item)] = (item, core.Gallery(value, path=Path(each["folder"])), each)
            continue
        if originals is None:
            originals = context[_GALLERIES + "_originals"] = Originals(settings, gallery_record.originals(record.galleries))
        story = display_path(item.source_path, settings)
        gallery = core.read_gallery(settings["PATH"], value, str(item.title or "").strip(), story, 0,
                                    originals.unchanged)
        if gallery.problems:  # the line of the field, read only to say where
            line = line_of_field(Path(item.source_path).read_text(encoding="utf-8", errors="replace"), core.FIELD)
            gallery.problems = [dataclasses.replace(problem, line=line) for problem in gallery.problems]
        galleries[id(item)] = (item, gallery, None)
    context[_GALLERIES] = galleries
    return galleries


def check_galleries(generators) -> list[Problem]:
    """buildcore.site_checks: the problems of every gallery, in the build's one report."""
    problems = [problem for _item, gallery, _held in _read(generators).values() for problem in gallery.problems]
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
    """The copies one build uses: in the cache, checked against its index (read only when a
    gallery did not hold as recorded), linked into the output at `finalized`."""

    def __init__(self, settings, record: Record, held: Held):
        self.settings = settings
        self.record = record
        self.held_record = held
        self.as_recorded = False  # every gallery held, none new: set by make_photos
        self.config = options(settings)
        self.output_dir = self.config["OUTPUT_DIR"].strip("/")
        self.prefix = f"{settings.get('SITEURL', '')}/{self.output_dir}/"  # the copies' URLs
        self.cache = Path(settings["CACHE_PATH"]) / CACHE_FOLDER
        self.plans: list[core.Plan] = []  # of the photos of galleries read this build
        self.held: list[dict] = []  # the records of galleries that held: their copies checked by `holding`
        self.shown = 0  # photos shown
        self._index: PictureIndex | None = None

    @property
    def index(self) -> PictureIndex:
        """What is intact in the cache, read when first asked."""
        if self._index is None:
            self._index = PictureIndex(self.cache, INDEX_VERSION)
        return self._index

    @property
    def damaged(self) -> list[str]:
        return self._index.damaged if self._index is not None else []

    def cached(self, name: str) -> bool:
        """Is the copy `name` in the cache with the very bytes made (`PictureIndex.intact`)?"""
        return self.index.intact(name)

    def remade(self, names) -> None:
        """Made again by this build: hashed again for the index."""
        for name in names:
            self.index.remade(name)

    def held_plans(self) -> list[core.Plan]:
        widths, max_side = tuple(self.config["WIDTHS"]), self.config["MAX_SIDE"]
        return [plan for each in self.held for plan in gallery_record.plans(each, widths, max_side)]

    def used(self) -> set[str]:
        return {name for plan in self.plans + self.held_plans() for _width, _kind, name in plan.files()}

    def unchanged(self, target: Path) -> bool:
        """Nothing to do at `finalized`: every gallery held (the index never read), as the last
        build had them, and the output folder still as `holding` found it: those very copies."""
        return (self._index is None and self.as_recorded and self.held_record.output is not None
                and gallery_record.folder_status(target) == self.held_record.output)

    def copy_into(self, output: Path) -> None:
        """Link every copy into the output; remove what nothing shows now, here and in the cache."""
        target = output / self.output_dir
        if self.unchanged(target):
            return
        index = self.index
        for plan in self.held_plans():
            for _width, _kind, name in plan.files():
                index.trust(name)
        used = self.used()
        index.save(used)  # first: every copy checked, with its inode
        self.record.save(self.as_recorded)
        publish_cached(index, used, target, Path(self.settings["PATH"]) / self.output_dir,
                       keep=(INDEX_FILE, gallery_record.FILE))


def _shown(each: dict, title: str, files: PhotoFiles, eager: int) -> gallery_record.Shown:
    """What the template shows of a gallery that held: from its record, no file looked at; each
    photo's strings made when a page first asks for them (`gallery_record.Shown`)."""
    files.held.append(each)
    files.shown += len(each["photos"])
    return gallery_record.Shown(each["photos"], title, tuple(files.config["WIDTHS"]), files.config["MAX_SIDE"],
                                files.prefix, eager)


def make_photos(generators) -> None:
    """buildcore step "photos": check (unless the report did), make what is not cached, attach."""
    settings = generators[0].settings
    context = generators[0].context
    galleries = _read(generators)
    _PENDING.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    _keep_originals_out(generators, [gallery.path for _item, gallery, _held in galleries.values() if gallery.path])
    if not context.get(_GALLERIES + "_reported"):  # no report step ran (strict_content not loaded)
        stop_on_problems([problem for _item, gallery, _held in galleries.values() for problem in gallery.problems])
    if not galleries:
        return
    started = time.perf_counter()
    record = context[_RECORD]
    held_record = context[_GALLERIES + "_held"]
    files = PhotoFiles(settings, record, held_record)
    originals = context.get(_GALLERIES + "_originals")
    config = files.config
    widths, max_side, eager = tuple(config["WIDTHS"]), config["MAX_SIDE"], config["EAGER"]
    jobs: dict[str, tuple] = {}  # first copy's name -> job
    whose: dict[str, list] = {}  # first copy's name -> [(item, photo)]
    problems: list[Problem] = []
    for item, gallery, held in galleries.values():
        if held is not None:
            item.gallery = _shown(held, str(item.title or "").strip(), files, eager)
            record.now[gallery.folder] = held
            continue
        shown = []
        for photo in gallery.photos:
            share = not shown  # the first photo: a share copy too, sharing's og:image without `Image`
            try:
                plan = originals.plan(photo.path, share)
            except (OSError, ValueError, SyntaxError, RuntimeError, Image.DecompressionBombError) as error:
                problems.append(_decode_problem(item, photo, str(error), settings))
                continue
            names = [name for _width, _kind, name in plan.files()]
            files.plans.append(plan)
            files.shown += 1
            if names[0] in jobs:
                if share:  # the same photo, first in this gallery only
                    jobs[names[0]] = (*jobs[names[0]][:4], True)
                    files.remade(names)
            elif not all([files.cached(name) for name in names]):
                jobs[names[0]] = (str(photo.path), widths, max_side, str(files.cache), share)
                files.remade(names)
            whose.setdefault(names[0], []).append((item, photo))
            shown.append((photo, plan))
        item.gallery = [core.gallery_photo(photo.number, len(shown), photo.alt, photo.caption, plan, files.prefix,
                                           eager=index < eager)
                        for index, (photo, plan) in enumerate(shown)]
        if len(shown) == len(gallery.photos) and all(problem.severity == "warning" for problem in gallery.problems):
            record.now[gallery.folder] = gallery_record.entry(
                gallery, [originals.seen[str(photo.path)] for photo in gallery.photos], clean=not gallery.problems)
    files.as_recorded = held_record.every and record.now.keys() == held_record.entries.keys()
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
    logger.info("photos: %d photos in %d galleries (%d as recorded), %d made (the rest from the cache) in %.3f s",
                files.shown, len(galleries), sum(held is not None for _i, _g, held in galleries.values()),
                len(jobs), time.perf_counter() - started)
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
    signals.initialized.connect(start_checking)  # the first build, as early as can be
    signals.generator_init.connect(check_ahead)  # the first generator of each build
    site_checks.connect(check_galleries)  # in the one report, and make check's
    exclude_from_static(gallery_folders)  # never read as static files: 6,000 photos cost a rebuild 0.2 s
    at("photos", make_photos)  # after the report, before sharing's "prepare" (buildcore.STEPS)
    signals.finalized.connect(write_files)
