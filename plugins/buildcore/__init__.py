"""buildcore: the build plumbing every plugin shares. Not a plugin (no `register`; never list it
in PLUGINS): a package the plugins import, so that none imports another.

    plugins (strict_content, events, sharing, ...) ──► buildcore ──► thainews (pure, no Pelican)

What lives here:

* Paths: `display_path` (a file as an officer sees it from the project folder) and
  `content_kind` (article, page or event, by folder).
* How a build stops: `stop_on_problems(problems)` prints the bilingual report
  (`thainews.problems.format_report`, or `format_warnings` when there are only warnings) to
  stderr and stops the build: `ContentProblemsError` under `pelican -r` (the dev server logs it
  and waits for the next save; `autoreloading(argv)` tells), `SystemExit(1)` otherwise (the
  report is the message; a traceback would only bury it). Printed, not logged: `--fatal errors`
  would turn a log line into a traceback. Every worker still running (`thainews.parallel`) is
  ended first.
* The one problem report. A plugin hands its problems to it in one of two ways:
  - found while reading: a generator's `problems` list (plugins/events: links between event
    files) or a reader's (plugins/strict_content's reader). `collect_problems` takes them and
    empties the lists, so nothing carries over to the next `pelican -r` rebuild (Pelican makes
    new generators for each build anyway; the readers may be kept);
  - found by looking at the whole site once every file is read: a function connected to the
    `site_checks` signal, `site_checks.connect(fn)` in the plugin's `register`, where
    `fn(generators)` returns a list of problems (plugins/strict_content: stray files, unsafe
    files, duplicate slugs and URLs). Connecting twice is connecting once (a blinker signal,
    like Pelican's own), so building several sites in one process reports nothing twice.
  `collect_problems(generators)` gathers both, sorted and without repeats: the build reports them
  as the first step below ("report", asked for by plugins/strict_content), `make check` prints them
  (newsroom/check.py). A problem found after that (plugins/sharing: a cover picture that cannot
  be decoded) goes straight to `stop_on_problems`.
* The checking reader: plugins/strict_content's reader reads news, pages and event files. It
  says so with `provide_checking_reader(cls)`; plugins/events asks `checking_reader()` for it
  (None without strict_content) rather than importing it.
* The steps whose order matters, run from here rather than in `PLUGINS` order. Once every
  file is read (Pelican's `all_generators_finalized`), buildcore's one receiver, `run_steps`,
  runs the steps plugins registered with `at(step, fn)` (`fn(generators)`), step by step in
  the order of `STEPS`, the one place that order lives:
  - "report": the one problem report, which stops the build on an error
    (plugins/strict_content: `stop_on_problems(collect_problems(generators))`), before anything
    is drawn for content with placeholders and before any later report could hide it;
  - "photos": the copies of every story's photos (plugins/photos), after the report has
    checked the galleries and before "prepare", which may show a story's photos;
  - "prepare": work on the checked content (plugins/sharing: covers, share cards, players);
  - "attachments": each story's documents and their text for search (plugins/attachments),
    after the report has checked them;
  - "after_prepare": plugins/thai_search builds the index beside the pages, once every item is
    final (timing only: the same index as after them).
  Functions of one step must not depend on each other's order.
* What Pelican's StaticGenerator must not copy: `exclude_from_static(fn)`, `fn(generators)`
  returning folders (relative to PATH) found in what was read (plugins/photos: the folders of
  the galleries, whose originals carry GPS positions). The StaticGenerator is always Pelican's
  last generator, so every article, page and event is read when it starts; just before it
  walks STATIC_PATHS, its own copy of the settings gets those folders added to
  STATIC_EXCLUDES (docs/architecture.md, "Patches": its generate_context wrapped per build). `at` connects like blinker
  (twice is once; `run_steps` is connected to Pelican's signal once however many plugins or
  builds ask), so `pelican -r` rebuilds and several builds in one process run each step once.
  A step that raises (the report's `SystemExit`) ends the build there: later steps do not run.

Settings checks are shared too, but they are pure: `thainews.plugin_settings`.

At exit, a build process leaves its heap to the system (`gc.freeze`, registered on import): the
articles, their pages and Pelican's context hold each other in cycles, which Python's last
collections would otherwise walk and free one by one (0.6 s after a 10,000-story build, on one
core, with nothing left to do). Every file is written and closed by then; Python does not
promise finalizers at exit anyway.
"""

import atexit
import gc
import os
import sys

from blinker import signal
from pelican import signals

from thainews import parallel
from thainews.problems import Problem, format_report, format_warnings

__all__ = [
    "STEPS", "ContentProblemsError", "at", "autoreloading", "checking_reader", "collect_problems",
    "content_kind", "display_path", "exclude_from_static", "items_with_field", "provide_checking_reader", "run_steps", "site_checks",
    "stop_on_problems",
]

atexit.register(gc.freeze)  # see above: the objects alive at exit are never collected one by one

# fn(generators) -> list[Problem], called by collect_problems once every file is read.
site_checks = signal("buildcore_site_checks")

_checking_reader: type | None = None

# The steps of `all_generators_finalized`, in the order `run_steps` runs them (see above).
STEPS = ("report", "photos", "prepare", "attachments", "after_prepare")
# fn(generators), one signal a step; their own order within a step is connection order.
_steps = {step: signal(f"buildcore_step_{step}") for step in STEPS}


class ContentProblemsError(Exception):
    """Raised in the dev server, which logs it and waits for the next save."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"พบปัญหา {len(problems)} จุด (ดูรายการด้านบน) / {len(problems)} problem(s) in the content, listed above")
        self.problems = problems


def display_path(source_path: str, settings) -> str:
    """`content/news/2566/x.md`: the path as an officer sees it from the project folder."""
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(source_path), root)


def content_kind(source_path: str, settings) -> str:
    """"page", "event" (EVENT_PATHS, read by plugins/events) or "article", by folder."""
    relative = os.path.relpath(os.path.abspath(source_path), os.path.abspath(settings["PATH"]))
    for kind, setting in (("page", "PAGE_PATHS"), ("event", "EVENT_PATHS")):
        for folder in settings.get(setting, []):
            if relative == folder or relative.startswith(folder.rstrip("/") + "/"):
                return kind
    return "article"


def autoreloading(argv: list[str]) -> bool:
    """`pelican -r` (or `-lr`, `--autoreload`): the dev server must survive a bad save."""
    return "--autoreload" in argv or any(
        arg.startswith("-") and not arg.startswith("--") and "r" in arg[1:] for arg in argv[1:]
    )


def collect_problems(generators) -> list[Problem]:
    """Every problem handed in (generators' and readers' `problems`, emptied as they are taken)
    and every problem the `site_checks` find, sorted, each once."""
    problems: list[Problem] = []
    for generator in generators:
        own = getattr(generator, "problems", None)
        if isinstance(own, list):
            problems.extend(own)
            generator.problems = []
        readers = getattr(generator, "readers", None)
        if readers is None:
            continue
        for reader in readers.readers.values():
            found = getattr(reader, "problems", None)
            if isinstance(found, list):
                problems.extend(found)
                reader.problems = []  # nothing carries over to the next `pelican -r` rebuild
    for _check, found in site_checks.send(generators):
        problems.extend(found)
    return sorted(set(problems))


# Every list of the generators that holds articles, pages or events, drafts and hidden ones too.
ITEM_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations",
              "pages", "hidden_pages", "draft_pages", "draft_translations", "events", "draft_events")


def items_with_field(generators, attribute: str) -> list:
    """Every article, page and event (drafts and hidden ones too) whose field `attribute` (the
    metadata key, lower case: "photos") is set, each once, in the generators' order."""
    seen, items = set(), []
    for generator in generators:
        for name in ITEM_LISTS:
            for item in getattr(generator, name, None) or []:
                if id(item) not in seen and str(getattr(item, attribute, "") or "").strip():
                    seen.add(id(item))
                    items.append(item)
    return items


def stop_on_problems(problems: list[Problem]) -> None:
    """Print the report and stop the build on any error; with warnings only, print them and go on."""
    if not any(problem.severity == "error" for problem in problems):
        if problems:  # warnings only: say what was changed or should be looked at, and go on
            print(format_warnings(problems), file=sys.stderr)
        return
    # Printed, not logged: `--fatal errors` would turn a log line into a traceback.
    print(format_report(problems), file=sys.stderr)
    parallel.cancel_running()  # the build ends here: no worker goes on with work nobody will use
    if autoreloading(sys.argv):
        raise ContentProblemsError(problems)
    # A plain exit: the report above is the message; a traceback would only bury it.
    raise SystemExit(1)


def provide_checking_reader(reader_class: type) -> None:
    """plugins/strict_content, at `register`: the reader that checks every content file."""
    global _checking_reader
    _checking_reader = reader_class


def checking_reader() -> type | None:
    """The reader class that checks content files, or None when strict_content is not loaded."""
    return _checking_reader


def at(step: str, fn) -> None:
    """In a plugin's `register`: run `fn(generators)` at `step` (one of STEPS) once every file is
    read, in the order of STEPS whatever the order of PLUGINS."""
    if step not in _steps:
        raise ValueError(f"buildcore: no step {step!r}; the steps are {', '.join(STEPS)}")
    _steps[step].connect(fn)
    signals.all_generators_finalized.connect(run_steps)  # once, however often asked


_static_exclusions = signal("buildcore_static_exclusions")  # fn(generators) -> folders
_GENERATORS = "_buildcore_generators"  # in a build's context: its generators, in Pelican's order


def exclude_from_static(fn) -> None:
    """In a plugin's `register`: keep the folders `fn(generators)` returns out of the static files."""
    _static_exclusions.connect(fn)
    signals.generator_init.connect(_remember_generator)  # once, however often asked
    signals.static_generator_init.connect(_exclude_before_walking)


def _remember_generator(generator) -> None:
    generator.context.setdefault(_GENERATORS, []).append(generator)


def _exclude_before_walking(static) -> None:
    """Wrap this StaticGenerator's generate_context (this build's instance only): the folders
    are known once the other generators have read everything, which Pelican does first."""
    walk = static.generate_context

    def generate_context() -> None:
        generators = [generator for generator in static.context.get(_GENERATORS, []) if generator is not static]
        folders = sorted({os.path.normpath(folder) for _fn, found in _static_exclusions.send(generators)
                          for folder in found})
        if folders:  # a copy: no other generator's settings, and no later build's, change
            static.settings = {**static.settings,
                               "STATIC_EXCLUDES": [*static.settings.get("STATIC_EXCLUDES", []), *folders]}
        walk()

    static.generate_context = generate_context


def run_steps(generators) -> None:
    """all_generators_finalized: every registered step, in the order of STEPS."""
    for step in STEPS:
        _steps[step].send(generators)
