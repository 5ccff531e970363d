"""thai_search: write the static Thai search index into output/search/.

Every published article, page and event (plugins/events) is indexed: title, summary, body text
(from the rendered HTML with BeautifulSoup, without scripts, styles, code or navigation), tags,
networks, category and date. The index format and the query side are in docs/search.md.

Terms are cached by content hash in CACHE_PATH, so a rebuild after editing one article
segments only that article again. On a big site the articles are segmented ahead, in a child
process started as soon as they are read (`segment_ahead`): Pelican then spends seconds sorting
them into its lists on one core, and the other core would be idle.
"""

import gc
import hashlib
import html
import logging
import os
import re
import time
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import signals

from buildcore import at
from thainews import parallel
from thainews.cache_files import read_json_cache, write_json_cache
from thainews.dates import iso_datetime, thai_date
from thainews.networks import NETWORKS
from thainews.parallel import BackgroundJob
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options
from thainews.search_index import SHARD_BYTES, SearchDoc, build_search_files
from thainews.search_text import Lexicon, normalize_display, packed_counts_problem, packed_terms_many, unpack_counts

logger = logging.getLogger(__name__)

SETTINGS_KEY = "THAI_SEARCH"
DEFAULTS = {
    "OUTPUT_DIR": "search",  # under OUTPUT_PATH
    "LEXICON": "lexicon.txt",  # under PATH (content/)
    "SHARD_BYTES": SHARD_BYTES,
    "CACHE": True,
    "AHEAD_FROM": 400,  # articles; from this many, they are segmented ahead (see segment_ahead); 0: never
}
SKIPPED_ELEMENTS = ["script", "style", "code", "pre", "nav", "template", "noscript"]
CACHE_FILE = "thai-search-terms.json"
CACHE_VERSION = 7  # bump when the cached form or the term pipeline changes (7: checksummed, thainews.cache_files)
AHEAD_CHUNK = 32  # articles segmented ahead between two looks at whether to stop
AHEAD_TIMEOUT = 120  # seconds; once asked to stop, the child ends in well under one
INDEX_TIMEOUT = 1800  # seconds the index built beside the pages may take (10,000 articles: ~15 s)


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    check_known_keys("thai_search", pelican.settings, SETTINGS_KEY, DEFAULTS)
    check_whole_numbers("thai_search", SETTINGS_KEY, options(pelican.settings),
                        {"SHARD_BYTES": 1024, "AHEAD_FROM": 0})


_SKIPPED_START = re.compile(rf"<(?:{'|'.join(SKIPPED_ELEMENTS)})\b|<!\[CDATA\[", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def needs_parser(markup: str) -> bool:
    """Does the HTML hold an element whose text is left out (a script, code, a video's
    fallback)? Without one, cutting the tags out reads what the parser reads, ten times faster."""
    return bool(_SKIPPED_START.search(markup))


def body_text(markup: str) -> str:
    """The readable text of an article's HTML, words separated by single spaces."""
    if not needs_parser(markup):  # the usual story: paragraphs, links, emphasis
        return " ".join(html.unescape(_TAG.sub(" ", _COMMENT.sub(" ", markup))).split())
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(SKIPPED_ELEMENTS):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


def plain(html_fragment: str) -> str:
    """The text of an HTML fragment (a summary: Pelican's summaries are HTML)."""
    if "<" not in (html_fragment or ""):  # a summary is mostly escaped text: no parser needed
        return " ".join(html.unescape(html_fragment or "").split())
    return " ".join(BeautifulSoup(html_fragment, "html.parser").get_text(" ").split())


def term_cache_problem(body: dict) -> str:
    """"" when `body` is what TermCache.save writes, else what is wrong: every entry is looked
    at (type checks and a few string operations each), so that no build fails on it later."""
    entries, texts = body.get("entries"), body.get("texts")
    if not isinstance(entries, dict) or not isinstance(texts, dict):
        return "'entries' and 'texts' must be objects"
    for key, entry in entries.items():
        if type(entry) is not list or len(entry) != 2:
            return f"entry {key!r} is not a pair"
        problem = packed_counts_problem(entry[0]) or packed_counts_problem(entry[1])
        if problem:
            return f"entry {key!r}: {problem}"
    for key, text in texts.items():
        if type(text) is not str:
            return f"text {key!r} is not text"
    return ""


class TermCache:
    """Field text → terms, remembered between builds by a hash of the text and the lexicon.

    A cache file that is damaged or of the wrong shape is ignored and written anew at `save`
    (thainews.cache_files); `problem` says what was wrong with it, `stale` that it was of
    another version: `write_index` says so, once (the children that segment ahead and build the
    index beside the pages read the same file, and never log)."""

    def __init__(self, path: Path | None, lexicon: Lexicon, processes: int = 1):
        self.path = path
        self.lexicon = lexicon
        self.processes = processes
        self.old: dict = {}
        self.used: dict = {}
        self.old_texts: dict = {}
        self.used_texts: dict = {}
        self.ahead: dict = {}  # entries computed in this build before the index (segment_ahead)
        self.computed = 0  # texts segmented in this build
        self.computed_ahead = 0  # of which before the index
        self.problem, self.stale = "", False
        if path:
            loaded = read_json_cache(path, CACHE_VERSION, term_cache_problem)
            if loaded.body is not None:
                self.old, self.old_texts = loaded.body["entries"], loaded.body["texts"]
            else:
                self.problem, self.stale = loaded.problem, bool(loaded.stale)

    def text_of(self, html_text: str) -> str:
        """The readable text of rendered HTML. What needed the HTML parser is remembered
        (milliseconds a page); the rest is read again, which is quicker than storing it."""
        if not needs_parser(html_text):
            return body_text(html_text)
        key = hashlib.sha256(html_text.encode()).hexdigest()[:24]
        text = self.used_texts.get(key)
        if text is None:
            text = self.old_texts.get(key)
            if text is None:
                text = body_text(html_text)
            self.used_texts[key] = text
        return text

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.lexicon.version}\0{text}".encode()).hexdigest()[:24]

    def _missing(self, keys: list[str], texts: list[str]) -> dict[str, str]:
        """The texts (by key) that are not in the cache; the others are marked as used."""
        missing = {}
        for key, text in zip(keys, texts, strict=True):
            entry = self.used.get(key) or self.old.get(key)
            if entry is None and key in self.ahead:
                entry = self.ahead.pop(key)
                self.computed += 1
                self.computed_ahead += 1
            if entry is None and text.strip():
                missing[key] = text
            else:
                self.used[key] = entry or ["", ""]
        return missing

    def __call__(self, texts: list[str]) -> list[tuple[Counter, Counter]]:
        keys = [self.key(text) for text in texts]
        missing = self._missing(keys, texts)
        if missing:
            packed = packed_terms_many(list(missing.values()), self.lexicon, self.processes)
            self.used.update(zip(missing, (list(pair) for pair in packed), strict=True))
            self.computed += len(missing)
        self.old = {}  # what was not used in this build is not kept
        return [(unpack_counts(self.used[key][0]), unpack_counts(self.used[key][1])) for key in keys]

    def segment(self, texts: list[str]) -> dict[str, list[str]]:
        """The entries of the texts not cached (nor segmented by an earlier call), computed here,
        in this one process."""
        missing = self._missing([self.key(text) for text in texts], texts)
        packed = packed_terms_many(list(missing.values()), self.lexicon, processes=1)
        entries = dict(zip(missing, (list(pair) for pair in packed), strict=True))
        self.used.update(entries)
        return entries

    def save(self) -> None:
        if self.path:
            write_json_cache(self.path, CACHE_VERSION, {"entries": self.used, "texts": self.used_texts})


CREDIT_FIELDS = ("writer", "reporter", "editor", "source")


def credits(item) -> list[str]:
    """The credits, as the officer wrote them (plain text, like every field)."""
    values = (getattr(item, key, "") for key in CREDIT_FIELDS)
    return [str(value) for value in values if isinstance(value, str) and value]


def search_doc(item, kind: str, text_of=body_text, ahead: bool = False) -> SearchDoc:
    """What the index knows of one article, page or event. `ahead`: as soon as the item is read
    (segment_ahead), from the story as the reader made it: players for videos come later, and
    no summary, for which Pelican would resolve the story's links before it knows every page."""
    # An event (plugins/events) shows its start date; it has no year, so the year filter, which
    # relies on ids following article dates, leaves events out.
    date = {"article": getattr(item, "date", None), "event": getattr(item, "start", None)}.get(kind)
    return SearchDoc(
        url=item.url,
        title=str(item.title),  # plain text, as every field; search.js shows it with textContent
        kind=kind,
        iso_date=iso_datetime(date) if date else "",
        thai_date=thai_date(date) if date else "",
        year=date.year if date and kind == "article" else None,
        networks=[(network.slug, network.name) for network in getattr(item, "networks", [])],
        tags=[tag.name for tag in getattr(item, "tags", [])],
        category=item.category.name if kind == "article" and getattr(item, "category", None) else "",
        summary="" if ahead else plain(getattr(item, "summary", "")),
        # Credits are shown under the story, so a reader may search for an editor's name.
        body=" ".join(filter(None, [getattr(item, "search_extra", ""),
                                    text_of(item._content if ahead else item.content), *credits(item)])),
        # The text of its PDFs (plugins/attachments, by attribute: never imported), set once the
        # content is checked: not there yet when segmenting ahead.
        attachments=str(getattr(item, "search_attachments", "") or ""),
    )


def lexicon_path(settings) -> Path:
    return Path(settings["PATH"]) / options(settings)["LEXICON"]


def cache_path(settings) -> Path | None:
    return Path(settings["CACHE_PATH"]) / CACHE_FILE if options(settings)["CACHE"] else None


_AHEAD: dict[str, BackgroundJob] = {}  # output folder → the child segmenting its articles ahead


def segment_ahead(generator) -> None:
    """article_generator_pretaxonomy: the articles are read. Pelican now sorts them into its
    lists and our plugins prepare their pages, seconds on one core (8 s of 70 at 10,000
    articles); meanwhile a child process segments the articles' texts that are not cached,
    until `index_beside_pages` takes what it has.
    The index finds the results by their hash: a text that changes after this point (a story
    whose video gets a player) is simply segmented again then, like those not reached."""
    settings = generator.settings
    config = options(settings)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    stale = _AHEAD.pop(output, None)
    if stale is not None:  # a build that stopped before its index (pelican -r after an error)
        stale.cancel()
    articles = list(generator.articles)
    if (not config["AHEAD_FROM"] or len(articles) < config["AHEAD_FROM"] or parallel.processes(settings) < 2
            or not BackgroundJob.available()):
        return
    _AHEAD[output] = BackgroundJob(terms_ahead, articles, lexicon_path(settings), cache_path(settings))


def terms_ahead(stop_requested, articles: list, lexicon: Path, cache: Path | None) -> dict[str, list[str]]:
    """In the child process: term cache entries for the articles' texts that are not cached,
    a few articles at a time, until all are done or the build asks it to stop."""
    term_cache = TermCache(cache, Lexicon.from_file(lexicon))
    entries = {}
    for start in range(0, len(articles), AHEAD_CHUNK):
        if stop_requested():
            break
        chunk = articles[start: start + AHEAD_CHUNK]
        docs = [search_doc(article, "article", body_text, ahead=True) for article in chunk]
        entries.update(term_cache.segment([text for doc in docs for text in doc.fields().values()]))
    return entries


def collect_ahead(settings) -> tuple[dict[str, list[str]], float]:
    """What was segmented ahead for this build ({} if nothing), and the seconds waited for it."""
    job = _AHEAD.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    if job is None:
        return {}, 0.0
    started = time.perf_counter()
    job.request_stop()
    entries = {}
    try:
        entries = job.result(timeout=AHEAD_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - only time is lost: every text is segmented now
        logger.warning("thai_search: segmenting ahead failed; segmenting the texts now instead. %s", error)
    return entries, time.perf_counter() - started


_BESIDE: dict[str, BackgroundJob] = {}  # output folder → the child building its index beside the pages


def index_beside_pages(generators) -> None:
    """buildcore's "after_prepare" step (all_generators_finalized, the last): every item is as it
    will be written (bodies with their players, summaries, the attachments' text). On a site
    big enough to segment ahead, the segmenting stops here and a child process builds the whole
    index while the pages are written, instead of after them on one core (5 s of a first build
    at 10,000 articles); `write_index` writes what it made. The child has the build's memory as
    it is now (fork): the same items, so the same index (tested)."""
    settings = generators[0].settings
    output = os.path.abspath(settings["OUTPUT_PATH"])
    stale = _BESIDE.pop(output, None)
    if stale is not None:  # a build that stopped before its index (pelican -r after an error)
        stale.cancel()
    if output not in _AHEAD:  # a small site, one process, or no fork: write_index builds it
        return
    ahead, waited = collect_ahead(settings)
    _BESIDE[output] = BackgroundJob(_index_in_child, settings, generators[0].context, ahead, waited)


def _index_in_child(_stop_requested, settings, context, ahead, waited) -> tuple[dict[str, bytes], dict]:
    """In the child: the index, built as `write_index` would (one process: the pages use the cores)."""
    return index_files(settings, context, ahead, waited, processes=1)


def index_files(settings, context, ahead: dict | None = None, waited: float = 0.0,
                processes: int = 1) -> tuple[dict[str, bytes], dict]:
    """Every file of the index, by name, and what the log says of it (`report`)."""
    config = options(settings)
    started = time.perf_counter()
    lexicon = Lexicon.from_file(lexicon_path(settings))
    cache = TermCache(cache_path(settings), lexicon, processes)
    cache.ahead = ahead or {}

    # Ids: pages first, then articles oldest first. A new article takes the next id, so the
    # ids of all others stay put and an upload after it changes only a few index files.
    pages = sorted(context.get("pages", []), key=lambda page: page.url)
    articles = sorted(context.get("articles", []), key=lambda article: (article.date, article.url))
    docs = ([search_doc(page, "page", cache.text_of) for page in pages]
            + [search_doc(article, "article", cache.text_of) for article in articles])
    # Then events (plugins/events), soonest first: a new article moves only the events' ids.
    events = sorted(context.get("events", []), key=lambda event: (event.start, event.url))
    docs += [search_doc(event, "event", cache.text_of) for event in events]
    extracted = time.perf_counter()
    # Millions of small lists and dicts: without this, the cyclic garbage collector walks all
    # of them again and again, which made indexing 10,000 articles take twice as long.
    collecting = gc.isenabled()
    gc.disable()
    try:
        files = build_search_files(
            docs, cache, [(network.slug, network.name) for network in NETWORKS], normalize_display,
            shard_bytes=config["SHARD_BYTES"], compound_parts=lexicon.compound_parts,
            phrases=frozenset(lexicon.extra), known_words=lexicon.search_words(),
        )
    finally:
        if collecting:
            gc.enable()
    indexed = time.perf_counter()
    cache.save()
    return files, {"docs": len(docs), "computed": cache.computed, "ahead": cache.computed_ahead,
                   "cached": len(cache.used) - cache.computed, "cache_problem": cache.problem,
                   "cache_stale": cache.stale, "text": extracted - started, "waited": waited,
                   "index": indexed - extracted, "saved": time.perf_counter() - indexed}


def write_index(generator, writer) -> None:
    """page_writer_finalized: the index built beside the pages (`index_beside_pages`), or now."""
    settings = generator.settings
    started = time.perf_counter()
    built = None
    job = _BESIDE.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    if job is not None:
        try:
            built = job.result(timeout=INDEX_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - only time is lost: the index is built here instead
            logger.warning("thai_search: building the index beside the pages failed; building it now instead. %s",
                           error)
    beside = built is not None
    if built is None:
        ahead, waited = collect_ahead(settings)
        built = index_files(settings, generator.context, ahead, waited, parallel.processes(settings))
    files, report = built
    if report["cache_problem"]:  # only a cache: every text was segmented again
        logger.warning("thai_search: แคชคำค้น %s เสียหาย (%s) ไม่ได้ใช้ จะสร้างใหม่ / "
                       "the search term cache %s is damaged (%s): ignored and built again",
                       cache_path(settings), report["cache_problem"], cache_path(settings), report["cache_problem"])
    elif report["cache_stale"]:
        logger.info("thai_search: the term cache at %s is of another version: built again", cache_path(settings))
    written = time.perf_counter()
    folder = Path(settings["OUTPUT_PATH"]) / options(settings)["OUTPUT_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json"):  # parts of an older index: nothing links to them now
        if stale.name not in files:
            stale.unlink()
    for name, data in files.items():
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    logger.info("thai_search: %d documents, %d files, %d texts segmented (%d of them ahead), %d from cache, "
                "in %.1f s %s (text %.1f s, of which %.1f s waiting for the texts segmented ahead; "
                "index %.1f s; cache %.1f s); written in %.1f s after %.1f s waiting for it",
                report["docs"], len(files), report["computed"], report["ahead"], report["cached"],
                report["text"] + report["index"] + report["saved"], "beside the pages" if beside else "here",
                report["text"], report["waited"], report["index"], report["saved"],
                time.perf_counter() - written, written - started)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_pretaxonomy.connect(segment_ahead)
    at("after_prepare", index_beside_pages)  # buildcore.STEPS: the last, once every item is final
    signals.page_writer_finalized.connect(write_index)
