"""sharing: what a link to the site shows on Facebook, LINE and X; share links; YouTube videos
that ask YouTube for nothing until the reader presses play; cover pictures in several sizes.

For every article and page, after strict_content has checked the content (buildcore's "prepare"
step at `all_generators_finalized`, after its "report"), this plugin sets on the content object:

* `share_image`: what og:image and twitter:image show (a `ShareImage`, absolute URL, size, alt):
  the large copy of the cover picture, else (articles) a card drawn with the headline
  (`thainews.cards`), else the site's default image (`SHARE_DEFAULT_IMAGE` in every template);
* `cover`: the cover picture with its WebP and JPEG copies for `srcset` (a `Cover`), or None;
* `video_html`: the player for the `YouTube:` field, unless the story itself shows that video;
  a paragraph holding only a YouTube link becomes a player in the story (`thainews.youtube`);
* `has_video`, `share_url`, `share_links`, `crossposts` and, on articles, `structured_data`
  (schema.org NewsArticle; templates write it with the `jsonld` filter).

Drawings (cards, video posters, the logo, cover copies) are named by a hash of what they show
and kept in CACHE_PATH, so a rebuild draws only what changed; they are copied into the output
at `finalized`, after Pelican has emptied it. The cache's index (`index.json`) holds the size
and sha256 of each file as drawn: a cached file whose bytes no longer match (cut off, replaced)
is drawn again, never published. A cover picture that cannot be decoded stops the build with a
report like strict_content's (`buildcore.stop_on_problems`).

Settings: `SHARING` (see DEFAULTS), checked at `initialized`.
"""

import html
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article
from PIL import Image, ImageFont

from buildcore import at, display_path, stop_on_problems
from thainews import card_text, cards
from thainews import images as pictures
from thainews.cache_files import read_json_cache, write_atomically, write_json_cache
from thainews.dates import iso_datetime
from thainews.metadata import is_remote
from thainews.paths import content_file
from thainews.plugin_settings import check_known_keys, plugin_options
from thainews.problems import Problem, line_of_field
from thainews.share import (
    SHARE_TARGETS,
    facebook_link_kind,
    image_object,
    json_for_script,
    news_article,
    organisation,
    share_links,
)
from thainews.workers import Done, fork_pool
from thainews.youtube import facade_html, replace_video_paragraphs, video_paragraphs, watch_url

logger = logging.getLogger(__name__)

SETTINGS_KEY = "SHARING"
DEFAULTS = {
    "CARDS": True,  # draw a share card for each article without a cover picture
    "VIDEO_EMBEDS": True,  # a paragraph holding only a YouTube link becomes a player
    "SHARE_TARGETS": ("facebook", "line", "x"),  # share links under each article, in order
    "COVER_WIDTHS": pictures.COVER_WIDTHS,  # copies of cover pictures, pixels wide
    "DEFAULT_IMAGE": "",  # a picture in content/ for pages without one; "" draws a card
    "DEFAULT_IMAGE_ALT": "",  # its description; "" gives the site's name and description
    "FONT_THAI": "fonts/sarabun-thai-700-normal.woff2",  # in the theme's static/ folder
    "FONT_LATIN": "fonts/sarabun-latin-700-normal.woff2",
    "OUTPUT_DIR": "images",  # drawings go to share/, video/ and sizes/ under it
    "CACHE": True,  # keep drawings in CACHE_PATH/sharing between builds
    "PROCESSES": min(2, os.cpu_count() or 1),  # drawing on several cores when there is much to draw
}
SUBFOLDERS = {"card": "share", "logo": "share", "poster": "video", "cover": "sizes"}
PARALLEL_FROM = 24  # drawings; fewer are quicker in this process than starting workers
VIDEO_TITLE = "วิดีโอ YouTube"
_PENDING: dict[str, "SiteDrawings"] = {}  # output folder -> what `finalized` copies there
INDEX_FILE = "index.json"  # in CACHE_PATH/sharing: "share/<name>.png" -> [size, sha256] of each file
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


# ---------------------------------------------------------------------------- settings


def plain_title(item) -> str:
    """The title, the officer's text as it is (templates escape it when they print it)."""
    return str(item.title or "").strip()

def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def font_files(settings) -> card_text.FontFiles:
    config = options(settings)
    static = Path(settings["THEME"]) / "static"
    return card_text.FontFiles(str(static / config["FONT_THAI"]), str(static / config["FONT_LATIN"]))


def check_settings(pelican) -> None:
    """Name the plugin and the bad key at start-up, rather than fail mid-build."""
    check_fonts_exist(pelican)  # first: a missing font is one line, before the fonts are opened
    check_known_keys("sharing", pelican.settings, SETTINGS_KEY, DEFAULTS)
    config = options(pelican.settings)
    for key in ("CARDS", "VIDEO_EMBEDS", "CACHE"):
        if not isinstance(config[key], bool):
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}'] must be True or False, got {config[key]!r}")
    targets = config["SHARE_TARGETS"]
    if isinstance(targets, str) or not all(target in SHARE_TARGETS for target in targets):
        raise ValueError(f"sharing: {SETTINGS_KEY}['SHARE_TARGETS'] must be a list of {', '.join(SHARE_TARGETS)}, "
                         f"got {targets!r}")
    widths = config["COVER_WIDTHS"]
    if isinstance(widths, (str, int)) or not widths or not all(isinstance(w, int) and 100 <= w <= 4000 for w in widths):
        raise ValueError(f"sharing: {SETTINGS_KEY}['COVER_WIDTHS'] must be a list of widths in pixels "
                         f"(100 to 4000), got {widths!r}")
    if not isinstance(config["PROCESSES"], int) or config["PROCESSES"] < 1:
        raise ValueError(f"sharing: {SETTINGS_KEY}['PROCESSES'] must be a whole number of at least 1")
    for key in ("DEFAULT_IMAGE", "DEFAULT_IMAGE_ALT", "OUTPUT_DIR", "FONT_THAI", "FONT_LATIN"):
        if not isinstance(config[key], str):
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}'] must be text, got {config[key]!r}")
    if not config["OUTPUT_DIR"].strip("/") or ".." in Path(config["OUTPUT_DIR"]).parts:
        raise ValueError(f"sharing: {SETTINGS_KEY}['OUTPUT_DIR'] must be a folder inside the output, "
                         f"got {config['OUTPUT_DIR']!r}")
    files = font_files(pelican.settings)
    for key, path in (("FONT_THAI", files.thai), ("FONT_LATIN", files.latin)):
        try:
            ImageFont.truetype(path, 20)
        except OSError as error:
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}']: cannot read the font {path} ({error}); "
                             f"give a TTF, OTF, WOFF or WOFF2 file in the theme's static folder") from None
    default = config["DEFAULT_IMAGE"]
    found = content_file(pelican.settings["PATH"], default) if default and not is_remote(default) else None
    if default and not (isinstance(found, Path) and found.is_file()):
        raise ValueError(f"sharing: {SETTINGS_KEY}['DEFAULT_IMAGE']: no file {default} in {pelican.settings['PATH']}")
    if not card_text.layout_engine()[1]:
        logger.warning("sharing: Pillow has no libraqm here (it needs the system's libfribidi), so Thai "
                       "vowels and tone marks on share cards and video posters may overlap. "
                       "Install libfribidi (apt-get install libfribidi0) for correct Thai.")
    pelican.settings.setdefault("JINJA_FILTERS", {})
    pelican.settings["JINJA_FILTERS"].setdefault("jsonld", jsonld)


def check_fonts_exist(pelican) -> None:
    """A missing font file (a theme copied without its fonts): one line naming it, exit 1."""
    config = options(pelican.settings)
    if not all(isinstance(config[key], str) for key in ("FONT_THAI", "FONT_LATIN")):
        return  # check_settings names the bad setting
    files = font_files(pelican.settings)
    for path in (files.thai, files.latin):
        if not Path(path).is_file():
            print(f"ไม่พบฟอนต์ {path} ที่ใช้วาดภาพสำหรับแชร์: เอาคืนด้วย git checkout -- theme/static/fonts "
                  f"หรือตั้ง {SETTINGS_KEY}['FONT_THAI'] / ['FONT_LATIN'] เป็นไฟล์ฟอนต์ในโฟลเดอร์ static ของธีม / "
                  f"the font {path} for share cards is missing: restore it with git checkout -- theme/static/fonts, "
                  f"or set {SETTINGS_KEY}['FONT_THAI'] / ['FONT_LATIN'] to a font file in the theme's static folder",
                  file=sys.stderr)
            raise SystemExit(1)  # printed, not raised as an error: a traceback would bury the line


def jsonld(data) -> Markup:
    """Jinja filter: `{{ article.structured_data|jsonld }}` inside <script type="application/ld+json">.

    Markup, so that autoescape leaves it alone: JSON is not HTML, and `json_for_script` writes
    <, > and & as \\u escapes, so no value can end the script element."""
    return Markup(json_for_script(data))


# ---------------------------------------------------------------------------- drawing

def _write(path: Path, data: bytes) -> None:
    # A new inode each time: the copy hard-linked into output/ by an earlier build is untouched.
    write_atomically(path, data)


def index_problem(body: dict) -> str:
    """"" when `body` is an index as `SiteDrawings.save_index` writes it, else what is wrong."""
    files = body.get("files")
    if not isinstance(files, dict):
        return "'files' must be an object"
    for name, entry in files.items():
        if (type(entry) is not list or len(entry) != 2 or type(entry[0]) is not int
                or type(entry[1]) is not str or len(entry[1]) != 64):
            return f"{name!r} is not [size, sha256]"
    return ""


def _draw(job: tuple) -> str | None:
    """Draw one job into the cache; for a cover, the error that stopped decoding it, if any."""
    kind, target, args = job
    if kind == "cover":
        source, widths, targets = args
        try:
            renditions = pictures.cover_renditions(Path(source).read_bytes(), widths)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            return str(error) or type(error).__name__
        for rendition in renditions:
            _write(Path(targets[(rendition.width, rendition.kind)]), rendition.data)
        return None
    if kind == "card":
        data = cards.card_png(*args)
    elif kind == "poster":
        data = cards.poster_png(*args)
    else:
        data = cards.png_bytes(cards.draw_logo())
    _write(Path(target), data)
    return None


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
        self.known: dict[str, list] = {}  # the cache's index as the last build left it
        self.checked: dict[str, list] = {}  # what this build found intact: name in the cache -> [size, sha256]
        self.damaged: list[str] = []
        if self.config["CACHE"]:
            self.cache = Path(settings["CACHE_PATH"]) / "sharing"
            self.temporary = None
            self._read_index()
        else:
            self.temporary = tempfile.mkdtemp(prefix="sharing-")
            self.cache = Path(self.temporary)
        self.files: dict[str, Path] = {}  # output path (relative) -> file in the cache
        self.jobs: dict[str, tuple] = {}  # first target -> job
        self.covers: dict[str, tuple] = {}  # cover job target -> (content path, field line source)
        self.counts = {"card": 0, "poster": 0, "cover": 0, "logo": 0}
        self.pools: list = []
        self.drawn = Done([])
        self.started = time.perf_counter()

    # -- the cache

    def _read_index(self) -> None:
        path = self.cache / INDEX_FILE
        loaded = read_json_cache(path, INDEX_VERSION, index_problem)
        if loaded.body is not None:
            self.known = loaded.body["files"]
        elif loaded.problem:  # every file is drawn again: without the index none can be trusted
            self.damaged.append(f"{path} ({loaded.problem})")

    def _cached(self, cached: Path) -> bool:
        """Is `cached` in the cache with the very bytes drawn? Its sha256 is checked (25 ms for
        400 cards, about 0.6 s for 10,000: docs/sharing.md): a size check alone would let through a
        picture replaced by another of the same size, and decoding it with Pillow costs more
        and says nothing about whether it is the right picture. A file that the index does not
        know (a build stopped before writing the index, a cache from before it) is drawn again."""
        name = cached.relative_to(self.cache).as_posix()
        if name in self.checked:
            return True
        entry = self.known.get(name)
        if entry is None:
            return False
        try:
            data = cached.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as error:
            self.damaged.append(f"{cached} ({error.strerror or type(error).__name__})")
            return False
        if len(data) != entry[0] or sha256(data).hexdigest() != entry[1]:
            self.damaged.append(f"{cached} (its bytes do not match the index)")
            return False
        self.checked[name] = entry
        return True

    def save_index(self) -> None:
        """The size and sha256 of every file this build uses, the new ones hashed now."""
        for kind, target, args in self.jobs.values():  # drawn in this build, maybe over a checked file
            for path in (args[2].values() if kind == "cover" else [target]):
                self.checked.pop(Path(path).relative_to(self.cache).as_posix(), None)
        for cached in self.files.values():
            name = cached.relative_to(self.cache).as_posix()
            if name not in self.checked:
                data = cached.read_bytes()
                self.checked[name] = [len(data), sha256(data).hexdigest()]
        used = {cached.relative_to(self.cache).as_posix() for cached in self.files.values()}
        write_json_cache(self.cache / INDEX_FILE, INDEX_VERSION,
                         {"files": {name: self.checked[name] for name in sorted(used)}})

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
        processes = self.config["PROCESSES"]
        problems = []
        for job, error in zip(covers, self._run(covers, processes).get(), strict=True):
            if error is not None:
                source_path, image = self.covers[job[1]]
                problems.append(_cover_problem(source_path, image, error, self.settings))
        self.drawn = self._run(drawings, processes) if not problems else Done([])
        if self.damaged:  # once for the whole cache, however many files
            logger.warning("sharing: แคชรูปภาพ %s เสียหาย %d รายการ เช่น %s ไม่ได้ใช้ จะวาดใหม่ / "
                           "the picture cache %s has %d damaged entries, e.g. %s: ignored and drawn again",
                           self.cache, len(self.damaged), self.damaged[0],
                           self.cache, len(self.damaged), self.damaged[0])
        logger.info("sharing: %d files: %d cards, %d video posters, %d cover pictures to draw "
                    "(the rest from the cache); covers done in %.1f s", len(self.files), self.counts["card"],
                    self.counts["poster"], self.counts["cover"], time.perf_counter() - started)
        self.started = started
        return problems

    def _run(self, jobs: list[tuple], processes: int):
        if processes <= 1 or len(jobs) < PARALLEL_FROM:
            return Done([_draw(job) for job in jobs])
        pool = fork_pool(processes)
        self.pools.append(pool)
        result = pool.map_async(_draw, jobs, chunksize=16)
        pool.close()
        return result

    def wait(self) -> None:
        self.drawn.get()  # re-raises a worker's exception, if any
        for pool in self.pools:
            pool.join()
        self.pools = []
        if self.counts["card"] + self.counts["poster"]:
            logger.info("sharing: %d cards and %d video posters drawn in %.1f s (while the pages were written)",
                        self.counts["card"], self.counts["poster"], time.perf_counter() - self.started)

    def copy_into(self, output: Path) -> None:
        """Copy every drawing into the output, and remove our files that nothing shows now."""
        self.wait()
        for relative, cached in self.files.items():
            target = output / relative
            if not _same_file(target, cached):
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(cached, target)
        content = Path(self.settings["PATH"])
        for folder in sorted(set(SUBFOLDERS.values())):
            relative_folder = f"{self.output_dir}/{folder}"
            for path in sorted((output / relative_folder).glob("*")):
                relative = f"{relative_folder}/{path.name}"
                # Never a file that Pelican copied from content/ (a folder of the same name).
                if path.is_file() and relative not in self.files and not (content / relative).exists():
                    path.unlink()
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
        elif self.config["CACHE"]:
            used = {cached for cached in self.files.values()}
            for folder in sorted(set(SUBFOLDERS.values())):
                for path in (self.cache / folder).glob("*"):
                    if path.is_file() and path not in used:
                        path.unlink()  # what this build did not use: no cache grows for ever
            self.save_index()


def _same_file(target: Path, cached: Path) -> bool:
    """Is the output's `target` the cached file (checked this build) itself, or a copy of it?"""
    try:
        have, want = target.stat(), cached.stat()
    except OSError:
        return False
    if (have.st_ino, have.st_dev) == (want.st_ino, want.st_dev):
        return True
    if not stat.S_ISREG(have.st_mode):
        return False
    # A copy (the cache on another disk) or an older drawing's file: only the bytes tell.
    return have.st_size == want.st_size and target.read_bytes() == cached.read_bytes()


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the cache and the output share a disk: 10,000 cards, no copying.

    Safe because neither name is ever written in place: a changed drawing has a new name, a
    drawing made again is a new file renamed over the old name (`_write`), and each build
    checks every cached file's bytes before linking it and links again an output file that is
    not the checked file. Copying instead would take five times as long (about 3 s more at
    10,000 cards) and twice the disk (docs/sharing.md).
    """
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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


# ---------------------------------------------------------------------------- content

_ITEM_LISTS = ("articles", "translations", "drafts", "drafts_translations", "pages", "hidden_pages",
               "hidden_translations", "draft_pages", "draft_translations")


def content_items(generators) -> list:
    seen, items = set(), []
    for generator in generators:
        for attribute in _ITEM_LISTS:
            for item in getattr(generator, attribute, None) or []:
                # publishconf.py writes no drafts (no save_as): nothing to draw for them.
                if id(item) not in seen and item.save_as:
                    seen.add(id(item))
                    items.append(item)
    return items


def _credits(item) -> list[str]:
    """The people or offices the file names: Author(s), else Writer, else Reporter."""
    metadata = item.metadata
    names = [str(name) for name in metadata.get("authors", [])]
    if not names and metadata.get("author"):
        names = [str(metadata["author"])]
    for key in ("writer", "reporter"):
        if not names and metadata.get(key):
            names = [str(metadata[key])]
    return [name.strip() for name in names if name.strip()]


def _add_videos(item, drawings: SiteDrawings, enabled: bool) -> None:
    """Players for the video paragraphs of the story and for the `YouTube:` field."""
    title = plain_title(item) or VIDEO_TITLE
    field_id = getattr(item, "youtube_id", None)
    content = item._content or ""
    in_story = [paragraph.video_id for paragraph in video_paragraphs(content)] if enabled else []
    shown = in_story + ([field_id] if field_id and field_id not in in_story else [])
    # Each player is named after the story; with several, each gets its number too.
    facades = []
    for index, video_id in enumerate(shown):
        video_title = title if len(shown) == 1 else f"{title} (วิดีโอที่ {index + 1})"
        poster_url, size = drawings.poster(video_id, video_title)
        facades.append(facade_html(video_id, video_title, poster_url, size))
    if in_story:
        item._content = replace_video_paragraphs(content, lambda index, _paragraph: facades[index])
    item.video_html = Markup(facades[-1]) if len(shown) > len(in_story) else ""
    item.has_video = bool(shown)


def _crossposts(item) -> list[tuple[str, str]]:
    links = []
    facebook = (getattr(item, "facebook", "") or "").strip()
    if facebook:
        label = "ดูโพสต์ข่าวนี้บน Facebook" if facebook_link_kind(facebook) == "post" else "เพจ Facebook ของผู้เผยแพร่ข่าวนี้"
        links.append((label, facebook))
    if getattr(item, "youtube_id", None):
        links.append(("ดูวิดีโอข่าวนี้บน YouTube", watch_url(item.youtube_id)))
    return links


def prepare(generators) -> None:
    settings = generators[0].settings
    context = generators[0].context
    drawings = SiteDrawings(settings)
    config = drawings.config
    siteurl = drawings.siteurl

    default = drawings.default_image()
    logo = drawings.logo()
    context["SHARE_DEFAULT_IMAGE"] = default
    context["SITE_LOGO"] = logo
    publisher = organisation(
        settings.get("AUTHOR") or drawings.site_name, f"{siteurl}/",
        image_object(logo.url, logo.width, logo.height),
        [link for _label, link in settings.get("SOCIAL_LINKS", ())],
    )

    for item in content_items(generators):
        is_article = isinstance(item, Article)
        _add_videos(item, drawings, config["VIDEO_EMBEDS"])
        image = (getattr(item, "image", "") or "").strip()
        alt = str(getattr(item, "imagealt", "") or "").strip()  # text: templates escape it
        item.cover, large = drawings.cover(image, alt, item.source_path) if image else (None, None)
        if large:
            item.share_image = large
        elif is_article and config["CARDS"]:
            item.share_image = drawings.card(plain_title(item))
        else:
            item.share_image = default
        item.share_url = f"{siteurl}/{item.url}"
        item.crossposts = _crossposts(item)
        if not is_article:
            continue
        item.share_links = share_links(item.share_url, plain_title(item), config["SHARE_TARGETS"])
        modified = getattr(item, "modified", None) or item.date
        category = getattr(item, "category", None)
        item.structured_data = news_article(
            url=item.share_url,
            headline=plain_title(item),
            description=_plain(getattr(item, "summary", "")),
            published=iso_datetime(item.date),
            modified=iso_datetime(modified),
            authors=_credits(item),
            publisher=publisher,
            images=[image_object(item.share_image.url, item.share_image.width, item.share_image.height)],
            section=category.name if category else "",
            keywords=[tag.name for tag in getattr(item, "tags", [])],
        )

    problems = drawings.draw()
    if problems:
        drawings.wait()
        if drawings.temporary:
            shutil.rmtree(drawings.temporary, ignore_errors=True)
        stop_on_problems(problems)  # the build's report, as for problems in the content
    _PENDING[os.path.abspath(settings["OUTPUT_PATH"])] = drawings


def _plain(html_text: str) -> str:
    """The text of an HTML summary (Pelican's summaries are HTML)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text or "")).split())


def write_files(pelican) -> None:
    drawings = _PENDING.pop(os.path.abspath(pelican.output_path), None)
    if drawings is not None:
        drawings.copy_into(Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(check_settings)  # which checks the fonts exist first
    at("prepare", prepare)  # after strict_content's report (buildcore.STEPS)
    signals.finalized.connect(write_files)
