"""attachments: a story's documents, from `Attachments: documents/<file>, …` on an article, page
or event (issue 15, point 4).

The Pelican glue of `thainews.attachments` (the pure part: the field, the checks, reading a
PDF, the Thai labels):

* `buildcore.site_checks` (`check_attachments`): every attachment is checked with the rest of
  the content (a file of content/documents/, of a known type; a PDF that pypdf can read), so
  its problems join the one report (strict_content's "report" step) and `make check`. A PDF
  without text (a scan) is a warning: published, but readers and search cannot read it.
* A PDF's pages and text are read once per content: cached by the sha256 of the file in
  CACHE_PATH/attachments.json (`thainews.cache_files`, healing itself; written by a build, at
  the "attachments" step, never by `make check`), so a rebuild reads no PDF again. From `PARALLEL_FROM` PDFs not in the cache, on `PROCESSES` cores
  (`thainews.parallel.Workers`); fewer are read here, in one process.
* buildcore step "attachments" (`attach`): each item gets `documents`, a list of
  `thainews.attachments.Attachment` for templates (theme/templates/partials/attachments.html),
  and `search_attachments`, the text of its PDFs, which plugins/thai_search indexes with the
  story (read by attribute: thai_search never imports this plugin).

The files themselves are published by Pelican: content/documents/ is one of `STATIC_PATHS`
(checked at `initialized`), so each goes to the output as it is, at `documents/<file>`.

Settings: `ATTACHMENTS` (see DEFAULTS), checked at `initialized`.
"""

import hashlib
import logging
import time
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from pelican import signals

from buildcore import at, display_path, items_with_field, site_checks, stop_on_problems
from thainews import attachments as core
from thainews import parallel
from thainews.cache_files import read_json_cache, write_json_cache
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options
from thainews.problems import Problem, line_of_field

logger = logging.getLogger(__name__)

SETTINGS_KEY = "ATTACHMENTS"
DEFAULTS = {
    "CACHE": True,  # keep what was read of each PDF in CACHE_PATH (by the file's sha256)
    "PARALLEL_FROM": 8,  # PDFs not in the cache; from this many they are read on PROCESSES cores
}
CACHE_FILE = "attachments.json"  # in CACHE_PATH
CACHE_VERSION = 1
_READ = "_attachments_read"  # in the build's context: what check_attachments read


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    """Name the plugin and the bad key at start-up, rather than fail mid-build."""
    check_known_keys("attachments", pelican.settings, SETTINGS_KEY, DEFAULTS)
    config = options(pelican.settings)
    check_whole_numbers("attachments", SETTINGS_KEY, config, {"PARALLEL_FROM": 1})
    if not isinstance(config["CACHE"], bool):
        raise ValueError(f"attachments: {SETTINGS_KEY}['CACHE'] must be True or False, got {config['CACHE']!r}")
    static = [str(folder).strip("/") for folder in pelican.settings.get("STATIC_PATHS", [])]
    if core.FOLDER not in static:
        raise ValueError(f"attachments: STATIC_PATHS must include '{core.FOLDER}' (the documents are published "
                         f"from content/{core.FOLDER}/), got {static!r}")


# ---------------------------------------------------------------------------- the cache of PDFs


def facts_cache_problem(body: dict) -> str:
    facts = body.get("facts")
    if not isinstance(facts, dict):
        return "'facts' must be an object"
    for key, entry in facts.items():
        if (type(entry) is not list or len(entry) != 2 or type(entry[0]) is not int or entry[0] < 1
                or type(entry[1]) is not str):
            return f"{key!r} is not [pages, text]"
    return ""


class FactsCache:
    """sha256 of a PDF's bytes → [pages, text]; what a build did not use is dropped at `save`."""

    def __init__(self, settings):
        config = options(settings)
        self.path = Path(settings["CACHE_PATH"]) / CACHE_FILE if config["CACHE"] else None
        self.old: dict[str, list] = {}
        self.used: dict[str, list] = {}
        if self.path:
            loaded = read_json_cache(self.path, CACHE_VERSION, facts_cache_problem)
            if loaded.body is not None:
                self.old = loaded.body["facts"]
            elif loaded.problem:
                logger.warning("attachments: แคชเอกสารแนบ %s เสียหาย (%s) ไม่ได้ใช้ จะอ่าน PDF ใหม่ / "
                               "the attachments cache %s is damaged (%s): ignored, the PDFs are read again",
                               self.path, loaded.problem, self.path, loaded.problem)

    def get(self, key: str) -> list | None:
        entry = self.used.get(key) or self.old.get(key)
        if entry is not None:
            self.used[key] = entry
        return entry

    def save(self) -> None:
        if self.path:
            write_json_cache(self.path, CACHE_VERSION, {"facts": dict(sorted(self.used.items()))})


def _read_pdf(path: str) -> list | str:
    """In this process or a worker: [pages, text] of one PDF, or why it cannot be read."""
    try:
        facts = core.pdf_facts(Path(path).read_bytes())
    except core.UnreadableDocument as error:
        return str(error)
    except OSError as error:
        return error.strerror or type(error).__name__
    return [facts.pages, facts.text]


# ---------------------------------------------------------------------------- reading and checks


def items_with_attachments(generators) -> list:
    return items_with_field(generators, "attachments")


def _read(generators) -> dict:
    """{"items": {id(item): (item, [Attachment], [text])}, "problems": [Problem], "cache": FactsCache},
    read once a build."""
    context = generators[0].context
    if _READ in context:
        return context[_READ]
    settings = generators[0].settings
    root = Path(settings["PATH"])
    siteurl = settings.get("SITEURL", "")
    started = time.perf_counter()
    cache = FactsCache(settings)
    problems: list[Problem] = []
    found: list[tuple] = []  # (item, story, line, written, path, size, kind, label, key)
    to_read: dict[str, str] = {}  # sha256 -> path of a PDF not in the cache
    for item in items_with_attachments(generators):
        story = display_path(item.source_path, settings)
        source = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
        line = line_of_field(source, core.FIELD)
        for written in core.parse_field(item.attachments):
            path = core.find_file(root, written)
            if isinstance(path, tuple):
                problems.append(core.problem(story, line, path))
                continue
            kind, label = core.kind_of(written)
            try:
                data = path.read_bytes()
            except OSError as error:
                problems.append(core.problem(story, line, core.unreadable_message(written, error.strerror or "")))
                continue
            key = ""
            if kind == "pdf":
                key = hashlib.sha256(data + f"\0{core.FACTS_VERSION}".encode()).hexdigest()
                if cache.get(key) is None:
                    to_read[key] = str(path)
            found.append((item, story, line, written, path, len(data), kind, label, key))
    keys = list(to_read)
    count = parallel.processes(settings) if len(keys) >= options(settings)["PARALLEL_FROM"] else 1
    with parallel.Workers(count) as workers:
        results = list(workers.map(_read_pdf, [to_read[key] for key in keys], chunksize=1))
    errors = {}
    for key, result in zip(keys, results, strict=True):
        if isinstance(result, str):
            errors[key] = result
        else:
            cache.used[key] = result
    read: dict[int, tuple] = {}
    for item, story, line, written, path, size, kind, label, key in found:
        if key in errors:
            problems.append(core.problem(story, line, core.unreadable_message(written, errors[key])))
            continue
        pages, text = cache.get(key) if key else (0, "")
        if kind == "pdf" and not text:
            problems.append(core.problem(story, line, core.no_text_message(written), "warning"))
        relative = PurePosixPath(path.relative_to(root.resolve()).as_posix())
        url = f"{siteurl}/{quote(relative.as_posix())}"
        attachment = core.Attachment(relative.name, url, kind, label, core.size_text(size), pages,
                                     bool(text) or kind != "pdf")
        entry = read.setdefault(id(item), (item, [], []))
        if attachment.url not in [each.url for each in entry[1]]:  # one file named twice (two spellings)
            entry[1].append(attachment)
            if text:
                entry[2].append(text)
    if keys:
        logger.info("attachments: %d PDFs read (%d from the cache) in %.1f s",
                    len(keys), len({key for *_rest, key in found if key}) - len(keys), time.perf_counter() - started)
    # Saved by `attach`, in a build: `make check` writes nothing.
    context[_READ] = {"items": read, "problems": sorted(set(problems)), "cache": cache}
    return context[_READ]


def check_attachments(generators) -> list[Problem]:
    """buildcore.site_checks: the problems of every attachment, in the build's one report."""
    problems = _read(generators)["problems"]
    generators[0].context[_READ + "_reported"] = True
    return problems


def attach(generators) -> None:
    """buildcore step "attachments": give each item its documents and the text search indexes."""
    context = generators[0].context
    found = _read(generators)
    if not context.get(_READ + "_reported"):  # no report step ran (strict_content not loaded)
        stop_on_problems(found["problems"])
    for item, documents, texts in found["items"].values():
        item.documents = documents
        item.search_attachments = " ".join(texts)
    found["cache"].save()


def register() -> None:
    signals.initialized.connect(check_settings)
    site_checks.connect(check_attachments)  # in the one report, and make check's
    at("attachments", attach)  # after the report (buildcore.STEPS)
