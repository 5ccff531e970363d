"""strict_content: read Thai news Markdown, check every file, and stop the build on any problem.

Pelican on its own logs an ERROR and skips an article without a title or date, then exits 0:
an officer's story silently disappears. This plugin replaces the Markdown reader with one that
checks each file with `thainews.metadata.check_metadata`, fills in slugs (the one the site gave
before, kept in content/slugs.json, else one romanised from the title: thainews.slug_record,
thainews.slugs), Buddhist-era-aware dates and Thai summaries, and collects every problem. Once all files are read, the build stops
with one report listing each problem (file, line, field, fix) in Thai and English.

This module reads and checks one file at a time (the reader, and reading on several cores);
site_wide.py checks what only the whole site shows (stray and unsafe files, one slug or URL
for two files, `{static}` links out of content/). The report itself, and how the build stops,
are `buildcore`'s (shared with every plugin): this plugin adds its site-wide checks to it
(`buildcore.site_checks`), offers its reader to plugins/events
(`buildcore.provide_checking_reader`) and makes the report, buildcore's first step once every
file is read (`buildcore.at("report", ...)`, before any other plugin's step whatever the order
of PLUGINS).
"""

import html
import logging
import os
import pickle
import re
from datetime import datetime
from hashlib import sha1
from pathlib import Path

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper

from buildcore import (
    at,
    collect_problems,
    content_kind,
    display_path,
    items_with_field,
    provide_checking_reader,
    site_checks,
    stop_on_problems,
)
from thainews import parallel, slugs
from thainews.faq import TEMPLATE as FAQ_TEMPLATE
from thainews.faq import faq_entries, faq_problems
from thainews.images import image_file_problem
from thainews.metadata import check_metadata, is_remote
from thainews.paths import content_file
from thainews.plaintext import PlainText
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options
from thainews.problems import Problem, line_of_field
from thainews.romanise import LEXICON_NAME
from thainews.sanitize import clean_html, removed_html_problems
from thainews.slug_record import RECORD_NAME, SlugRecord, read_record, relative_key, write_record
from thainews.slugs import slugify_thai
from thainews.summaries import SUMMARY_MAX_CHARS, summarize
from thainews.text import describe_control_chars, has_thai, strip_control_chars
from thainews.youtube import is_video_paragraph

from .read_cache import ReadCache, stamp_around
from .site_wide import site_problems

logger = logging.getLogger(__name__)

DEFAULTS = {
    "READ_CACHE": True,  # a file read by the build before and unchanged is not read again (read_cache.py)
    "SUMMARY_MAX_CHARS": SUMMARY_MAX_CHARS,
    "SLUG_MAX_LENGTH": 60,
    "PARALLEL_FROM_FILES": 64,  # news files are read on PROCESSES cores from this many: a pool costs more than a few files
    # The slugs the site gave, in the content folder (thainews.slug_record; "" = none): read
    # before the files, written after the report. A one-file render of `make devserver` reads
    # it but does not write it (WRITE_SLUG_RECORD False).
    "SLUG_RECORD": RECORD_NAME,
    "WRITE_SLUG_RECORD": True,
    # Officers' romanisations of names and the programme's words, in the content folder
    # (thainews.romanise; "" = none).
    "ROMANISATION_LEXICON": LEXICON_NAME,
}
MINIMUM = {"SUMMARY_MAX_CHARS": 20, "SLUG_MAX_LENGTH": 20, "PARALLEL_FROM_FILES": 1}
SETTINGS_KEY = "STRICT_CONTENT"
_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_HEADER_LINE = re.compile(r"[ ]{0,3}[A-Za-z0-9_-]+\s*:")  # as Markdown's meta extension reads a header
IMAGE_FOLDERS = ("images",)  # where an `Image:` may be: a static folder, copied to the site as it is
# Placeholders keep Pelican from skipping a broken file before our report lists it.
_PLACEHOLDER_DATE = datetime(1970, 1, 1)


def plugin_settings(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    """Name the plugin and the bad key, at start-up, rather than fail mid-build."""
    check_known_keys("strict_content", pelican.settings, SETTINGS_KEY, DEFAULTS)
    check_whole_numbers("strict_content", SETTINGS_KEY, plugin_settings(pelican.settings), MINIMUM)
    parallel.processes(pelican.settings)  # the build's one PROCESSES setting: checked at start-up
    options = plugin_settings(pelican.settings)
    for name, kind in (("SLUG_RECORD", str), ("ROMANISATION_LEXICON", str), ("WRITE_SLUG_RECORD", bool)):
        if not isinstance(options[name], kind):
            raise ValueError(f"strict_content: {SETTINGS_KEY}['{name}'] must be "
                             f"{'a file name in the content folder (or empty)' if kind is str else 'True or False'}"
                             f", got {options[name]!r}")


# The record of given slugs of the site being built, and the problems of it and of the
# romanisation lexicon: read at `initialized`, before any file (the reading workers are forked
# later and inherit them), so that every reader of the build finds them.
_record = SlugRecord()
_record_problems: list[Problem] = []


def _record_path(settings) -> Path | None:
    name = plugin_settings(settings)["SLUG_RECORD"]
    return Path(settings["PATH"]) / name if name else None


def load_slug_record(pelican) -> None:
    """initialized: read the record of given slugs (thainews.slug_record) and the romanisation
    lexicon and cache (thainews.slugs); their problems join the report."""
    global _record, _record_problems
    settings = pelican.settings
    path = _record_path(settings)
    _record, _record_problems = read_record(path, display_path(str(path), settings)) if path else (SlugRecord(), [])
    lexicon = plugin_settings(settings)["ROMANISATION_LEXICON"]
    _record_problems += slugs.use_site(Path(settings["PATH"]), Path(settings["CACHE_PATH"]), lexicon,
                                       display_path(os.path.join(settings["PATH"], lexicon), settings))


def slug_record_problems(_generators) -> list[Problem]:
    """A buildcore.site_checks receiver: a record that cannot be read, a bad line of the
    romanisation lexicon stop the build."""
    return list(_record_problems)


def record_given_slugs(generators) -> None:
    """After the report: keep the slugs this build gave (stories without `Slug:`, Thai tag and
    category names) in the record, written only when it changes."""
    settings = generators[0].settings
    path = _record_path(settings)
    if path is None or not plugin_settings(settings)["WRITE_SLUG_RECORD"]:
        return
    given: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for item in items_with_field(generators, "slug"):
        key = relative_key(item.source_path, settings["PATH"])
        if not getattr(item, "slug_given", False):
            given[key] = None  # its own Slug: wins
        if getattr(item, "status", "published") == "draft":
            continue  # no public URL yet: nothing to keep (an entry it has stays)
        if getattr(item, "slug_given", False):
            given[key] = item.slug
        for wrapper in [getattr(item, "category", None), *(getattr(item, "tags", None) or [])]:
            if wrapper is not None and has_thai(wrapper.name):
                names[wrapper.name] = wrapper.slug
    write_record(path, _record.updated(given, names, Path(settings["PATH"])))


def slug_or_fallback(text: str, max_length: int) -> str:
    return slugify_thai(text, max_length) or "x-" + sha1(text.encode()).hexdigest()[:8]


class _NoMetadata(Preprocessor):
    """A preprocessor that changes nothing: what Pelican's _parse_metadata removes, by name, from
    the Markdown it renders formatted fields with (the real one went on first use)."""

    def run(self, lines):
        return lines


class ThaiNewsReader(MarkdownReader):
    """Markdown reader that checks each file and never lets Pelican skip one silently."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[Problem] = []
        self.options = plugin_settings(self.settings)
        # Reading in parallel (see prefetch): the pool, its results in order, and those taken
        # from it but not yet asked for, by path → (result, its pickle, its stamp) (`_read_one`).
        self._workers = self._results = None
        self._ready: dict[str, tuple] = {}
        self._expected: set[str] = set()
        self._caches: dict[str, ReadCache] = {}  # by kind of content, for this build (read_cache.py)
        self.image_check: tuple | None = None  # set by read_checked: the `Image:` to look for
        self._name_slugs: dict[str, str] = {}  # a name's slug, as `_name_slug` found it in this build

    def process_metadata(self, name, value):
        if name in ("date", "modified"):
            return value  # parsed by check_metadata: CE or BE, Asia/Bangkok
        processed = super().process_metadata(name, value)
        self._give_name_slugs(name, processed)  # readable ASCII slugs for Thai category, tag and author names
        return processed

    def _give_name_slugs(self, name: str, value) -> None:
        if name in ("category", "author") and hasattr(value, "name"):
            value.slug = self._name_slug(value.name)
        elif name in ("tags", "authors") and isinstance(value, list):
            for item in value:
                if hasattr(item, "name"):
                    item.slug = self._name_slug(item.name)

    def _name_slug(self, name: str) -> str:
        """The slug a tag, category or author name had before (the record), else a new one;
        worked out once a build for each name (a name not in the record is romanised)."""
        if name not in self._name_slugs:
            self._name_slugs[name] = _record.name(name) or slug_or_fallback(name, self.options["SLUG_MAX_LENGTH"])
        return self._name_slugs[name]

    def read(self, source_path):
        cache = self._cache_for(source_path)
        result = cache.get(source_path) if cache is not None else None
        if result is None:
            result, pickled, stamp = self._prefetched(source_path) or self._read_one(source_path, cache is not None)
            if cache is not None and pickled is not None and stamp is not None:
                cache.put(source_path, stamp, pickled)
        content, metadata, problems, image_check = result
        if metadata.get("slug_given"):  # the record as it is now, whether the file was read or not
            metadata["slug"] = _record.story(relative_key(source_path, self.settings["PATH"])) \
                or metadata.get("slug_romanised") or metadata["slug"]
        for name in ("category", "author", "tags", "authors"):  # the names' slugs too
            self._give_name_slugs(name, metadata.get(name))
        self.problems.extend(problems)
        if image_check is not None:  # another file: looked for on every build, read from the cache or not
            self.problems.extend(self._missing_image(*image_check))
        _set_wrapper_settings(metadata, self.settings)
        return content, metadata

    def _read_one(self, source_path: str, pickle_it: bool) -> tuple:
        """(content, metadata, problems, image_check) of the file, its pickle (None unless
        `pickle_it`, or when it does not pickle) and its stamp (None if it changed meanwhile):
        what `read` and the reading workers (`_read_batch`) give the cache."""
        kept, self.problems = self.problems, []
        try:
            (content, metadata), stamp = stamp_around(source_path, lambda: self.read_checked(source_path))
            problems, image_check = self.problems, self.image_check
        finally:
            self.problems = kept
        _set_wrapper_settings(metadata, None)  # the settings hold functions, which do not pickle
        result = (content, metadata, problems, image_check)
        pickled = None
        if pickle_it:
            try:
                pickled = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - a value that does not pickle: read again next build
                pickled = None
        return result, pickled, stamp

    def _cache_for(self, source_path: str) -> ReadCache | None:
        if not self.options["READ_CACHE"]:
            return None
        kind = content_kind(source_path, self.settings)
        if kind not in self._caches:  # titles' slugs come from the lexicon: a change reads all again
            # Not the record: the slugs of stories and of names are given again from it on every
            # build (`read`), so a new tag on one story re-reads that story, not the site.
            self._caches[kind] = ReadCache(self.settings, kind, [Path(self.settings["PATH"]) / LEXICON_NAME])
        return self._caches[kind]

    def save_read_caches(self) -> None:
        """Every file is read: keep what was read for the next build (and forget it here)."""
        for cache in self._caches.values():
            cache.save()
        self._caches = {}

    def cached(self, source_path: str) -> bool:
        """Will `read` take this file from the cache (so it need not be read ahead)?"""
        cache = self._cache_for(source_path)
        return cache is not None and cache.has(source_path)

    def prefetch(self, paths: list[str], processes: int) -> None:
        """Start reading these files on several cores; `read` takes the results as they come.

        Reading (Markdown, the checks, Thai slugs and summaries) is most of a build's time
        before writing, and each file is read on its own. `paths` come in the order Pelican
        will ask for them, so the main process (which turns each result into an article)
        works alongside the workers. A file whose reading fails in a worker is left out and
        read again the usual way, so that Pelican reports the error as always.
        """
        chunk = max(1, min(100, len(paths) // (processes * 8)))
        batches = [paths[start:start + chunk] for start in range(0, len(paths), chunk)]
        slugs.prepare()  # once, here: the workers inherit the word lists (and the model, in a first build)
        self._workers = parallel.Workers(processes, inherit=self)  # prefetch_articles checked that fork exists
        self._results = self._workers.map(_read_batch, batches)
        self._expected = set(paths)

    def _prefetched(self, path: str) -> tuple | None:
        if path in self._ready:
            return self._ready.pop(path)
        if self._results is None or path not in self._expected:
            return None
        try:
            for batch, romanised in self._results:
                slugs.adopt(romanised)  # kept in the romanisation cache (slugs.save_cache)
                self._ready.update((path, (pickle.loads(pickled), pickled, stamp)) for path, pickled, stamp in batch)
                if path in self._ready:
                    return self._ready.pop(path)
        except Exception as error:  # noqa: BLE001 - e.g. a value that cannot be pickled: go on alone
            logger.warning("strict_content: reading in parallel stopped (%s); reading on in one process", error)
        self._stop_workers()  # every result is in (a file that failed is read again here), or none will come
        return None

    def _stop_workers(self) -> None:
        if self._workers is not None:
            self._workers.terminate()
        self._workers = self._results = None

    def finish_prefetch(self) -> None:
        """Every file is read: stop the workers and forget what nobody asked for."""
        self._stop_workers()
        self._ready = {}
        self._expected = set()

    def checked(self, source_path: str, raw: bytes, uploading=()) -> tuple[str, dict, list[Problem]]:
        """(HTML, metadata, problems) of one file whose bytes are `raw`, saved or not yet (the
        officers' desk checks a story before writing it: newsroom/desk_check.py): every problem
        `read` would collect for it, the file's own checks, then its cover picture, unless the
        picture is one of `uploading` (file names: written with the story, not there yet)."""
        kept, self.problems = self.problems, []
        try:
            content, metadata = self.read_checked(source_path, raw)
            found = self.problems
        finally:
            self.problems = kept
        if self.image_check is not None and self.image_check[2].rsplit("/", 1)[-1] not in uploading:
            found.extend(self._missing_image(*self.image_check))
        return content, metadata, found

    def read_checked(self, source_path, raw: bytes | None = None):
        """Read and check the file (its bytes `raw` when given: `problems_of`)."""
        shown = display_path(source_path, self.settings)
        if raw is None:
            raw = Path(source_path).read_bytes()
        readable = True
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            readable = False
            self.problems.append(Problem(
                shown, raw.count(b"\n", 0, error.start) + 1, "",
                "ไฟล์นี้ไม่ได้บันทึกเป็น UTF-8: เปิดไฟล์แล้วบันทึกใหม่โดยเลือกการเข้ารหัส UTF-8 (Save with encoding UTF-8)",
                f"this file is not UTF-8 (byte {error.start}): open it and save it again with the UTF-8 encoding",
            ))
            text = raw.decode("utf-8", errors="replace")
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # Before anything reads it: no page, feed or calendar file may hold a control character.
        text, controls = strip_control_chars(text)
        if controls:
            self.problems.append(_control_chars_problem(shown, controls))

        self._source_path = source_path
        content_md, fields_md = self._markdowns()
        # Officers' HTML is cleaned, not trusted; what was removed is named, with its line.
        content, removed = clean_html(content_md.reset().convert(text))
        self.problems.extend(removed_html_problems(shown, text, removed, _body_start(text)))
        # A field left empty (as `make new` writes them) counts as not given.
        meta_lines = {key: values for key, values in getattr(content_md, "Meta", {}).items()
                      if "".join(values).strip()}
        raw_meta = {key.lower(): "\n".join(values) for key, values in meta_lines.items()}
        # Pelican's _parse_metadata renders Summary with self._md after removing its "meta"
        # preprocessor; it gets an instance of its own, with a stand-in to remove.
        if "meta" not in fields_md.preprocessors:
            fields_md.preprocessors.register(_NoMetadata(fields_md), "meta", 0)
        self._md = fields_md
        metadata = self._parse_metadata(meta_lines)
        if isinstance(metadata.get("summary"), str):  # `Summary:`, rendered through Markdown
            metadata["summary"], removed = clean_html(metadata["summary"])
            self.problems.extend(removed_html_problems(
                shown, text, removed, _line_start(text, line_of_field(text, "Summary")), "Summary"))

        kind = content_kind(source_path, self.settings)
        body_text = html.unescape(_TAG.sub("", content))
        checked = check_metadata(shown, text, raw_meta, body_text, kind)
        image = raw_meta.get("image", "").strip()
        self.image_check = None
        if readable:  # in a mis-encoded file every other "problem" is noise from the decoding
            self.problems.extend(checked.problems)
            if image:  # `read` looks for it (another file: not something the read cache may keep)
                self.image_check = (shown, line_of_field(text, "Image"), image)

        # Every field is the officer's plain text; templates escape it (autoescape). The title is
        # marked as text for Pelican's feed writer, which reads it as HTML (thainews.plaintext).
        metadata["title"] = PlainText(raw_meta.get("title", "").strip() or Path(source_path).stem)
        if kind == "article":
            metadata["date"] = checked.date or _PLACEHOLDER_DATE
            metadata["networks"] = checked.networks
            metadata["youtube_id"] = checked.youtube_id
        elif kind == "event":  # a CheckedEvent: plugins/events takes it from here
            metadata.update(start=checked.start, end=checked.end, all_day=checked.all_day,
                            district=checked.district, networks=checked.networks,
                            article=checked.article, link=checked.link)
        if kind == "page" and raw_meta.get("template", "").strip() == FAQ_TEMPLATE:
            # A questions page: its questions and answers as it shows them, for its FAQPage
            # structured data (plugins/sharing); checked here, with the file's other problems.
            metadata["faq"] = faq_entries(content)
            if readable:
                self.problems.extend(faq_problems(shown, text, metadata["faq"]))
        if checked.modified:
            metadata["modified"] = checked.modified
        else:
            metadata.pop("modified", None)
        if not metadata.get("slug"):
            # The URL the site gave this file before (the record), else one made from its title.
            metadata["slug_romanised"] = slug_or_fallback(metadata["title"], self.options["SLUG_MAX_LENGTH"])
            metadata["slug"] = metadata["slug_romanised"]  # `read` puts the recorded one first
            metadata["slug_given"] = True  # kept in the record after the report (record_given_slugs)
        if "summary" not in metadata:
            # A paragraph that is only a video link becomes a player (plugins/sharing): no summary.
            first = next((match for match in _FIRST_PARAGRAPH.finditer(content)
                          if not is_video_paragraph(match.group(0))), None)
            paragraph = html.unescape(_TAG.sub("", first.group(1))) if first else body_text
            # Pelican's summary is HTML (a `Summary:` field is Markdown): this one is escaped text.
            metadata["summary"] = html.escape(summarize(paragraph, self.options["SUMMARY_MAX_CHARS"]))
        return content, metadata

    def _markdowns(self) -> tuple[Markdown, Markdown]:
        """Two Markdown instances kept for all the files this reader reads (one for bodies, one
        for formatted fields), reset between uses: building one loads its extensions again,
        about 0.4 ms, which is seconds for 10,000 articles."""
        if getattr(self, "_kept_markdowns", None) is None:
            self._kept_markdowns = (Markdown(**self.settings["MARKDOWN"]), Markdown(**self.settings["MARKDOWN"]))
        return self._kept_markdowns

    def _missing_image(self, shown: str, line: int, image: str) -> list[Problem]:
        """A cover picture that is not a file of content/images/, or that no browser
        can show, would be a broken image; one outside content/ would publish a file of the
        machine that builds the site."""
        if not image or is_remote(image):
            return []  # a picture on another site is check_metadata's report
        found = content_file(self.settings["PATH"], image, IMAGE_FOLDERS)
        if isinstance(found, tuple):
            return [Problem(shown, line, "Image", *found)]
        if found.is_file():
            # Not a picture, damaged, too big to show, or an SVG that could run script.
            wrong = image_file_problem(found, name=image)
            return [Problem(shown, line, "Image", *wrong)] if wrong else []
        return [Problem(
            shown, line, "Image",
            f"ไม่พบไฟล์รูป '{image}': วางรูปไว้ในโฟลเดอร์ content/images/ แล้วเขียน 'Image: images/ชื่อไฟล์.jpg'",
            f"the picture '{image}' was not found: put it in content/images/ and write 'Image: images/file-name.jpg'",
        )]


def _body_start(text: str) -> int:
    """Where the story begins: after the header's blank line, or at the top without a header."""
    if not _HEADER_LINE.match(text):
        return 0
    blank = text.find("\n\n")
    return blank + 2 if blank >= 0 else len(text)


def _line_start(text: str, line: int) -> int:
    position = 0
    for _ in range(line - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return len(text)
    return position


def _control_chars_problem(shown: str, found: list[tuple[int, int]]) -> Problem:
    where = describe_control_chars(found)
    return Problem(
        shown, found[0][0], "",
        f"ลบอักขระควบคุมที่มองไม่เห็นออกแล้ว {len(found)} ตัว (บรรทัด {where}): มักติดมากับข้อความที่คัดลอกมา"
        " ข่าวยังเผยแพร่ได้ แต่ให้ตรวจข้อความบรรทัดนั้นแล้วบันทึกไฟล์ใหม่",
        f"removed {len(found)} invisible control character(s) (line {where}): they come with copied text."
        " The story is still published; check those lines and save the file again",
        severity="warning",
    )


def _read_batch(paths: list[str]) -> tuple[list[tuple[str, bytes, list | None]], dict[str, str]]:
    """In a worker process: (path, pickled result, stamp) for each file read without error (the
    worker pickles it, as the pool would anyway: the main process keeps those bytes in its read
    cache), and the words romanised for their slugs that the build's process may not know."""
    reader = parallel.inherited()
    results = []
    for path in paths:
        try:
            _result, pickled, stamp = reader._read_one(path, True)
        except Exception:  # noqa: BLE001 - Pelican reads it again in the main process and reports it
            continue
        if pickled is not None:  # else read again in the main process
            results.append((path, pickled, stamp))
    return results, slugs.take_new()


def _set_wrapper_settings(metadata: dict, settings) -> None:
    """Tags, categories and authors carry the settings; the main process gives them back."""
    for value in metadata.values():
        for wrapper in value if isinstance(value, list) else [value]:
            if isinstance(wrapper, URLWrapper):
                wrapper.settings = settings


def prefetch_articles(generator) -> None:
    """article_generator_init: read the news files on every core before Pelican asks for them."""
    config = plugin_settings(generator.settings)
    processes = parallel.processes(generator.settings)
    reader = generator.readers.readers.get("md")
    if processes < 2 or not isinstance(reader, ThaiNewsReader) or not parallel.can_fork():
        return
    settings = generator.settings
    # Pelican walks the same set of names (same elements, same process): same order as here.
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = [os.path.abspath(os.path.join(generator.path, name)) for name in files
             if name.rsplit(".", 1)[-1] in ThaiNewsReader.file_extensions]
    paths = [path for path in paths if not reader.cached(path)]  # unchanged since the last build: not read
    if len(paths) >= config["PARALLEL_FROM_FILES"]:
        reader.prefetch(paths, processes)


def finish_prefetch(generator) -> None:
    """article_generator_finalized: every article is read; stop the workers."""
    reader = generator.readers.readers.get("md")
    if isinstance(reader, ThaiNewsReader):
        reader.finish_prefetch()


def use_reader(readers) -> None:
    for extension in ThaiNewsReader.file_extensions:
        readers.reader_classes[extension] = ThaiNewsReader


def report_problems(generators) -> None:
    """buildcore's "report" step (all_generators_finalized, first): the one report of the build;
    stops it on any error. Every file is read by then: what was read is kept for the next build
    first (a file with a problem too: its problems are kept with it and listed again), and the
    words romanised. Then the record of the slugs given, for content that has none."""
    for generator in generators:
        readers = getattr(generator, "readers", None)
        reader = readers.readers.get("md") if readers is not None else None
        if isinstance(reader, ThaiNewsReader):
            reader.save_read_caches()
    slugs.save_cache()  # the words romanised while the files were read, whatever the report says
    stop_on_problems(collect_problems(generators))
    record_given_slugs(generators)


def register() -> None:
    provide_checking_reader(ThaiNewsReader)  # plugins/events reads event files with it
    site_checks.connect(site_problems)
    site_checks.connect(slug_record_problems)
    signals.initialized.connect(check_settings)
    signals.initialized.connect(load_slug_record)
    signals.readers_init.connect(use_reader)
    signals.article_generator_init.connect(prefetch_articles)
    signals.article_generator_finalized.connect(finish_prefetch)
    at("report", report_problems)  # first of buildcore.STEPS: before sharing draws anything
