"""parallel_articles: render the article pages on several cores; Pelican writes them as always.

Rendering one page per article is the longest step of a big build (about 19 s of 50 at 10,000
articles) and each page is rendered on its own. Once the articles are read, this plugin gives
the generator (on the instance) a `generate_articles` that works in two halves:

* workers (`thainews.parallel`, forked when the articles are about to be written, so they
  hold the generator as it is then) render batches of the articles with Pelican's own
  `generate_articles` and `Writer.write_file`, with Pelican's signals muted and the page kept
  in memory instead of written (`pelican.writers.open`, in the worker only);
* the main process runs Pelican's own `generate_articles` over every article, in order, with a
  `write` that hands `Writer.write_file` the page already rendered for that name.

So every page is written by Pelican's writer in the main process (its bookkeeping of written
files, safe_output's atomic files), and `article_generator_write_article` and
`content_written` are sent there, for every article: a plugin that listens to them (as
pelican-plugins/sitemap does) sees every page. The pages are the same bytes as when rendered
one by one (tests/test_parallel_build.py). A worker's exception is raised again in the main
process (an OSError keeps its errno and file name, for newsroom/build.py to name in one line).

Used from MIN_ARTICLES articles when `PROCESSES` (the build's one setting) is more than 1 and
fork exists.
"""

import io
import logging
from functools import partial

import pelican.writers
from blinker import Signal
from pelican import signals

from thainews import parallel
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PARALLEL_ARTICLES"
DEFAULTS = {
    "MIN_ARTICLES": 200,  # with fewer, starting workers costs more than it saves
}
LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")  # what Pelican writes
BATCH = 32  # articles a worker renders before handing the pages back
MUTED: tuple[Signal, ...] = (signals.article_generator_write_article, signals.content_written)


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    check_known_keys("parallel_articles", pelican.settings, SETTINGS_KEY, DEFAULTS)
    check_whole_numbers("parallel_articles", SETTINGS_KEY, options(pelican.settings), {"MIN_ARTICLES": 1})
    parallel.processes(pelican.settings)


def use_workers(generator) -> None:
    """article_generator_finalized: render this build's article pages with generate_in_parallel."""
    processes = parallel.processes(generator.settings)
    count = sum(len(getattr(generator, name, [])) for name in LISTS)
    if processes > 1 and count >= options(generator.settings)["MIN_ARTICLES"] and parallel.can_fork():
        # On the instance, not the class: the next `pelican -r` build starts from Pelican's own.
        generator.generate_articles = partial(generate_in_parallel, generator,
                                              type(generator).generate_articles, processes)


class Rendered:
    """Stands for the template of a page the workers rendered: `render` gives that page."""

    def __init__(self, page: str):
        self.page = page

    def render(self, *args, **kwargs) -> str:
        return self.page


def generate_in_parallel(generator, generate_articles, processes: int, write) -> None:
    items = [(name, item) for name in LISTS for item in getattr(generator, name, [])]
    batches = [(start, min(start + BATCH, len(items))) for start in range(0, len(items), BATCH)]
    with parallel.Workers(processes, inherit=(generator, generate_articles, write, items)) as workers:
        results = workers.map(_render_batch, batches)  # dicts name → page, in the order of the articles
        rendered: dict[str, str] = {}

        def write_rendered(name, template, context, **kwargs):
            while name and name not in rendered:
                batch = next(results, None)
                if batch is None:
                    break
                rendered.update(batch)
            page = rendered.pop(name, None) if name else None
            return write(name, template if page is None else Rendered(page), context, **kwargs)

        generate_articles(generator, write_rendered)


def _render_batch(bounds: tuple[int, int]) -> dict[str, str]:
    """In a worker: the pages of items[start:stop], by name, as Pelican's writer renders them."""
    generator, generate_articles, write, items = parallel.inherited()
    share = items[bounds[0]:bounds[1]]
    pages: dict[str, str] = {}
    current = [""]

    def keep(path, mode="w", encoding=None):  # stands for `open` in Writer._open_w
        return _Page(pages, current[0])

    def write_kept(name, template, context, **kwargs):
        current[0] = name
        return write(name, template, context, **kwargs)

    everything = {name: getattr(generator, name, []) for name in LISTS}
    # pelican.writers has its own `open` only when safe_output put it there: else the builtin
    opened, writes_log = vars(pelican.writers).get("open"), logging.getLogger("pelican.writers").disabled
    try:
        for name in LISTS:
            setattr(generator, name, [item for list_name, item in share if list_name == name])
        pelican.writers.open = keep
        logging.getLogger("pelican.writers").disabled = True  # 'Writing ...' is said by the main process
        with MUTED[0].muted(), MUTED[1].muted():
            generate_articles(generator, write_kept)
    finally:
        if opened is None:
            del pelican.writers.open
        else:
            pelican.writers.open = opened
        logging.getLogger("pelican.writers").disabled = writes_log
        for name, items_of_list in everything.items():
            setattr(generator, name, items_of_list)
    return pages


class _Page(io.StringIO):
    """A page written to memory: kept under its name when closed."""

    def __init__(self, pages: dict, name: str):
        super().__init__()
        self.pages, self.name = pages, name

    def close(self) -> None:
        if not self.closed:
            self.pages[self.name] = self.getvalue()
        super().close()


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(use_workers)
