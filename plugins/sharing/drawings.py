"""SiteDrawings: every picture one build draws (share cards, video posters, the logo, cover
copies), kept in a cache under CACHE_PATH and copied into the output.

Drawings are named by a hash of what they show, so a rebuild draws only what changed. The
cache's index (`index.json`) holds the size and sha256 of each file as drawn: a cached file
whose bytes no longer match (cut off, replaced) is drawn again, never published. Cover copies
are made at `prepare` (a picture that cannot be decoded stops the build with a `Problem`);
cards and posters are drawn by a pool of worker processes while Pelican writes the pages, and
`copy_into` waits for them at `finalized`, after Pelican has emptied the output.
"""

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from PIL import Image

from buildcore import display_path
from thainews import card_text, cards, palette_png, parallel
from thainews import images as pictures
from thainews.cache_files import PictureIndex, publish_cached, write_entered
from thainews.metadata import is_remote
from thainews.paths import content_file
from thainews.problems import Problem, line_of_field

from .options import font_files, options

logger = logging.getLogger(__name__)

SUBFOLDERS = {"card": "share", "logo": "share", "poster": "video", "cover": "sizes"}
PARALLEL_FROM = 24  # drawings; fewer are quicker in this process than starting workers
INDEX_FILE = PictureIndex.FILE  # in CACHE_PATH/sharing: "share/<name>.png" -> [size, sha256, mtime_ns, inode]
INDEX_VERSION = 1


@dataclass(frozen=True)
class ShareImage:
    """What og:image shows. `alt` is plain text (templates escape it), as in `Cover`."""

    url: str
    width: int
    height: int
    alt: str
    type: str = "image/png"


@dataclass(frozen=True)
class Cover:
    src: str
    alt: str
    width: int | None = None
    height: int | None = None
    webp_srcset: str = ""
    jpeg_srcset: str = ""


# ---------------------------------------------------------------------------- drawing

def _draw(job: tuple) -> tuple[str | None, list]:
    """Draw one job into the cache: (for a cover, the error that stopped decoding it, if any;
    the files written with their index entries)."""
    kind, target, args = job
    if kind == "cover":
        source, widths, targets = args
        try:
            renditions = pictures.cover_renditions(Path(source).read_bytes(), widths)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            return str(error) or type(error).__name__, []
        return None, [write_entered(Path(targets[(rendition.width, rendition.kind)]), rendition.data)
                      for rendition in renditions]
    if kind == "card":
        data = cards.card_png(*args)
    elif kind == "poster":
        data = cards.poster_png(*args)
    else:
        data = palette_png.png_bytes(cards.draw_logo())
    return None, [write_entered(Path(target), data)]


def _workers_for(jobs: list[tuple], processes: int) -> parallel.Workers:
    """Other cores draw when there are many jobs; a few are quicker here than starting workers.
    They yield (`parallel.WORKER_NICENESS`): the cards are wanted at the end, the pages and
    the search index beside them are not to wait."""
    return parallel.Workers(processes if len(jobs) >= PARALLEL_FROM else 1, yielding=True)


class SiteDrawings:
    """Everything one build draws or copies: jobs for what is not cached, files for the output."""

    def __init__(self, settings):
        self.settings = settings
        self.config = options(settings)
        self.siteurl = settings.get("SITEURL", "")
        self.output_dir = self.config["OUTPUT_DIR"].strip("/")
        self.fonts = font_files(settings)
        self.engine, raqm = card_text.layout_engine()
        # What a drawing looks like depends on the fonts and on the layout engine as well.
        self.drawing_inputs = (self.fonts.fingerprint(), "raqm" if raqm else "basic")
        self.site_name = settings.get("SITENAME", "")
        self.site_name_en = settings.get("SITENAME_EN", "")
        if self.config["CACHE"]:
            self.cache = Path(settings["CACHE_PATH"]) / "sharing"
            self.temporary = None
        else:
            self.temporary = tempfile.mkdtemp(prefix="sharing-")
            self.cache = Path(self.temporary)
        self.index = PictureIndex(self.cache, INDEX_VERSION)  # what is intact in the cache
        self.files: dict[str, Path] = {}  # output path (relative) -> file in the cache
        self.jobs: dict[str, tuple] = {}  # first target -> job
        self.covers: dict[str, tuple] = {}  # cover job target -> (content path, field line source)
        self.counts = {"card": 0, "poster": 0, "cover": 0, "logo": 0}
        self.workers: parallel.Workers | None = None  # drawing cards and posters until copy_into
        self.drawn = iter(())  # their results (an error for a cover; the files written), in order
        self.made: dict[str, list] = {}  # cache file -> its index entry, for those drawn in this build
        self.started = time.perf_counter()

    # -- the cache

    def _cached(self, cached: Path) -> bool:
        """Is `cached` in the cache with the very bytes drawn (`PictureIndex.intact`)? A size
        check alone would let through a picture replaced by another of the same size, and
        decoding it with Pillow costs more and says nothing about whether it is the right
        picture. A file that the index does not know (a build stopped before writing the index,
        a cache from before it) is drawn again."""
        return self.index.intact(cached.relative_to(self.cache).as_posix())

    def save_index(self) -> None:
        """The entries of every file this build uses, the ones drawn now hashed now."""
        for kind, target, args in self.jobs.values():  # drawn in this build, maybe over a checked file
            for path in (args[2].values() if kind == "cover" else [target]):
                name = Path(path).relative_to(self.cache).as_posix()
                if path in self.made:  # hashed by the worker that wrote it
                    self.index.made(name, self.made[path])
                else:
                    self.index.remade(name)
        self.index.save(cached.relative_to(self.cache).as_posix() for cached in self.files.values())

    # -- files

    def _add(self, kind: str, name: str) -> tuple[str, Path]:
        relative = f"{self.output_dir}/{SUBFOLDERS[kind]}/{name}"
        cached = self.cache / SUBFOLDERS[kind] / name
        self.files[relative] = cached
        return relative, cached

    def url(self, relative: str) -> str:
        return f"{self.siteurl}/{relative}"

    def drawing(self, kind: str, name: str, args: tuple) -> str:
        relative, cached = self._add(kind, name)
        if str(cached) not in self.jobs and not self._cached(cached):
            self.jobs[str(cached)] = (kind, str(cached), args)
            self.counts[kind] += 1
        return relative

    # -- what each page shows

    def card(self, title: str) -> ShareImage:
        key = cards.drawing_key("card", title, self.site_name, self.site_name_en, *self.drawing_inputs)
        relative = self.drawing("card", f"{key}.png", (title, self.site_name, self.fonts, self.site_name_en, self.engine))
        width, height = cards.CARD_SIZE
        alt = f"{title} · {self.site_name}" if title != self.site_name else title
        return ShareImage(self.url(relative), width, height, alt)

    def poster(self, video_id: str, title: str) -> tuple[str, tuple[int, int]]:
        key = cards.drawing_key("poster", video_id, title, self.site_name, *self.drawing_inputs)
        relative = self.drawing("poster", f"{video_id}-{key[:10]}.png", (title, self.site_name, self.fonts, self.engine))
        return self.url(relative), cards.POSTER_SIZE

    def logo(self) -> ShareImage:
        key = cards.drawing_key("logo", str(cards.LOGO_SIZE))
        relative = self.drawing("logo", f"logo-{key[:10]}.png", ())
        return ShareImage(self.url(relative), cards.LOGO_SIZE, cards.LOGO_SIZE, self.site_name)

    def cover(self, image: str, alt: str, source_path: str | None) -> tuple[Cover | None, ShareImage | None]:
        """The cover picture `image` (as written in `Image:` of the file at `source_path`, or in
        the DEFAULT_IMAGE setting when None) and its large copy for og:image."""
        # Nothing from another site (privacy; img-src 'self'), nothing read from outside
        # content/, even if strict_content's report (which names both) were bypassed.
        path = None if is_remote(image) else content_file(self.settings["PATH"], image)
        if not isinstance(path, Path):
            return None, None
        original = Cover(self.url(image.lstrip("/")), alt)
        if path.suffix.lower() == ".svg" or image.lower().endswith(".svg") or not path.is_file():
            return original, None  # browsers show SVG as it is; a missing file is strict_content's report
        data = path.read_bytes()
        try:
            width, height = pictures.cover_size(data)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return original, None  # strict_content has reported it already
        widths = tuple(self.config["COVER_WIDTHS"])
        key = sha256(data + f"\0{pictures.RENDITION_VERSION}\0{widths}".encode()).hexdigest()[:16]
        sizes = pictures.rendition_sizes(width, height, widths)
        targets, srcsets = {}, {"webp": [], "jpeg": []}
        for each_width, _height in sizes:
            for kind, suffix in (("webp", "webp"), ("jpeg", "jpg")):
                relative, cached = self._add("cover", f"{key}-{each_width}.{suffix}")
                targets[(each_width, kind)] = str(cached)
                srcsets[kind].append(f"{self.url(relative)} {each_width}w")
        first = targets[(sizes[0][0], "webp")]
        if first not in self.jobs and not all([self._cached(Path(target)) for target in targets.values()]):
            self.jobs[first] = ("cover", first, (str(path), widths, targets))
            self.covers[first] = (source_path, image)
            self.counts["cover"] += 1
        # The <img> fallback: the copy nearest 960 pixels wide; og:image: the widest copy.
        middle = min(sizes, key=lambda size: abs(size[0] - 960))
        middle_url = srcsets["jpeg"][sizes.index(middle)].rsplit(" ", 1)[0]
        largest_url = srcsets["jpeg"][-1].rsplit(" ", 1)[0]
        cover = Cover(middle_url, alt, middle[0], middle[1], ", ".join(srcsets["webp"]), ", ".join(srcsets["jpeg"]))
        return cover, ShareImage(largest_url, sizes[-1][0], sizes[-1][1], alt, "image/jpeg")

    def default_image(self) -> ShareImage:
        alt = self.config["DEFAULT_IMAGE_ALT"] or " · ".join(
            part for part in (self.site_name, self.settings.get("SITE_DESCRIPTION", "")) if part)
        if self.config["DEFAULT_IMAGE"]:
            _, large = self.cover(self.config["DEFAULT_IMAGE"], alt, None)
            if large:
                return large
        card = self.card(self.settings.get("SITE_DESCRIPTION", "") or self.site_name)
        return ShareImage(card.url, card.width, card.height, alt)

    # -- drawing

    def draw(self) -> list[Problem]:
        """Make the cover copies now (a picture that cannot be decoded stops the build before
        any page is written), and start drawing cards and posters: on other cores, while Pelican
        writes the pages, when there are many; `copy_into` waits for them."""
        started = time.perf_counter()
        jobs = list(self.jobs.values())
        covers = [job for job in jobs if job[0] == "cover"]
        drawings = [job for job in jobs if job[0] != "cover"]
        processes = parallel.processes(self.settings)
        problems = []
        with _workers_for(covers, processes) as workers:
            results = list(workers.map(_draw, covers, chunksize=16))
        for job, (error, written) in zip(covers, results, strict=True):
            self.made.update(written)
            if error is not None:
                source_path, image = self.covers[job[1]]
                problems.append(_cover_problem(source_path, image, error, self.settings))
        if not problems:
            self.workers = _workers_for(drawings, processes)
            self.drawn = self.workers.map(_draw, drawings, chunksize=16)
        damaged = self.index.damaged
        if damaged:  # once for the whole cache, however many files
            logger.warning("sharing: แคชรูปภาพ %s เสียหาย %d รายการ เช่น %s ไม่ได้ใช้ จะวาดใหม่ / "
                           "the picture cache %s has %d damaged entries, e.g. %s: ignored and drawn again",
                           self.cache, len(damaged), damaged[0], self.cache, len(damaged), damaged[0])
        logger.info("sharing: %d files: %d cards, %d video posters, %d cover pictures to draw "
                    "(the rest from the cache); covers done in %.1f s", len(self.files), self.counts["card"],
                    self.counts["poster"], self.counts["cover"], time.perf_counter() - started)
        self.started = started
        return problems

    def abandon(self) -> None:
        """A build that stopped before `finalized` (under `pelican -r`): stop drawing for it."""
        if self.workers is not None:
            self.workers.terminate()
            self.workers = None
        self.drawn = iter(())

    def wait(self) -> None:
        for _error, written in self.drawn:  # re-raises a worker's exception, if any
            self.made.update(written)
        self.drawn = iter(())
        if self.workers is not None:
            self.workers.close()
            self.workers = None
        if self.counts["card"] + self.counts["poster"]:
            logger.info("sharing: %d cards and %d video posters drawn in %.1f s (while the pages were written)",
                        self.counts["card"], self.counts["poster"], time.perf_counter() - self.started)

    def copy_into(self, output: Path) -> None:
        """Copy every drawing into the output, and remove our files that nothing shows now."""
        self.wait()
        if not self.temporary:
            self.save_index()  # first: every drawing checked, with its inode
        publish_cached(self.index, (cached.relative_to(self.cache).as_posix() for cached in self.files.values()),
                       output / self.output_dir, Path(self.settings["PATH"]) / self.output_dir,
                       sorted(set(SUBFOLDERS.values())), keep=None if self.temporary else ())
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)


def _cover_problem(source_path: str | None, image: str, error: str, settings) -> Problem:
    if source_path:
        text = Path(source_path).read_text(encoding="utf-8", errors="replace")
        shown, line, field = display_path(source_path, settings), line_of_field(text, "Image"), "Image"
    else:  # the SHARING DEFAULT_IMAGE setting
        shown, line, field = "pelicanconf.py", 1, "SHARING['DEFAULT_IMAGE']"
    return Problem(
        shown, line, field,
        f"อ่านรูป '{image}' ไม่ได้ ({error}): ไฟล์อาจเสียหรือคัดลอกมาไม่ครบ ส่งออกรูปใหม่เป็น JPEG หรือ PNG แล้ววางแทน",
        f"cannot decode the picture '{image}' ({error}): the file may be damaged or cut off; "
        f"export it again as JPEG or PNG and replace it",
    )
