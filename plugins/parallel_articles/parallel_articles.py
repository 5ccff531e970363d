"""parallel_articles: render the article pages and the list pages on several cores; Pelican
writes them as always.

Rendering is the longest step of a big build, and each page is rendered on its own: one page
per article (about 19 s of 50 at 10,000 articles), and the pages of the lists, twelve stories a
page (the index, the tags, the categories, the year and month archives: some 9,000 pages at
10,000 articles, which kept the main process busy for the whole build while the other core drew
share cards). Once the articles are read, this plugin gives the generator (on the instance) a
`generate_pages` that does Pelican's own in two halves:

* the list pages' writes are first recorded (Pelican's own `generate_period_archives`,
  `generate_direct_templates`, `generate_tags`, `generate_categories` and `generate_authors`,
  run with a `write` that only notes its arguments); then workers (`thainews.parallel`, forked
  now, so they hold the generator and those calls) render batches of the articles with
  Pelican's own `generate_articles`, and the recorded calls one by one, with Pelican's
  `Writer.write_file` and its signals muted, every page kept in memory instead of written
  (`pelican.writers.open`, in the worker only);
* the main process runs Pelican's own steps again, in Pelican's order, with a `write` that
  hands `Writer.write_file` the pages already rendered for that call.

So every page is written by Pelican's writer in the main process (its bookkeeping of written
files, safe_output's atomic files), and `article_generator_write_article` and
`content_written` are sent there, for every page: a plugin that listens to them (as
pelican-plugins/sitemap does) sees every page. The pages are the same bytes as when rendered
one by one (tests/test_parallel_build.py). A worker's exception is raised again in the main
process (an OSError keeps its errno and file name, for newsroom/build.py to name in one line);
a list page a worker could not render is rendered by the main process, which then meets the
error (or Pelican's own handling of it) itself.

Used from MIN_ARTICLES articles when `PROCESSES` (the build's one setting) is more than 1 and
fork exists.
"""

import logging
from functools import partial

from pelican import signals

from buildcore import rendering
from thainews import parallel
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PARALLEL_ARTICLES"
DEFAULTS = {
    "MIN_ARTICLES": 200,  # with fewer, starting workers costs more than it saves
}
LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")  # what Pelican writes
BATCH = 32  # articles a worker renders before handing the pages back
# Pelican's generate_pages writes the articles, then these lists, in this order, then the drafts.
LIST_STEPS = ("generate_period_archives", "generate_direct_templates", "generate_tags", "generate_categories",
              "generate_authors")


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    check_known_keys("parallel_articles", pelican.settings, SETTINGS_KEY, DEFAULTS)
    check_whole_numbers("parallel_articles", SETTINGS_KEY, options(pelican.settings), {"MIN_ARTICLES": 1})
    parallel.processes(pelican.settings)


def use_workers(generator) -> None:
    """article_generator_finalized: render this build's pages with generate_pages_in_parallel."""
    processes = parallel.processes(generator.settings)
    count = sum(len(getattr(generator, name, [])) for name in LISTS)
    if processes > 1 and count >= options(generator.settings)["MIN_ARTICLES"] and parallel.can_fork():
        # On the instance, not the class: the next `pelican -r` build starts from Pelican's own.
        generator.generate_pages = partial(generate_pages_in_parallel, generator, processes)


def generate_pages_in_parallel(generator, processes: int, writer) -> None:
    """Pelican's `ArticlesGenerator.generate_pages`, the articles' and the lists' pages rendered
    by workers: the same writes, in the same order."""
    write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    lists = [getattr(generator, step) for step in LIST_STEPS]  # bound: quick_lists' own where it set one
    generate_in_parallel(generator, type(generator).generate_articles, processes, write, lists)
    generator.generate_drafts(write)


def generate_in_parallel(generator, generate_articles, processes: int, write, lists=()) -> None:
    """`generate_articles(generator, write)`, then each step of `lists` (a function of `write`),
    every page rendered by workers and written here, in order (`buildcore.rendering`)."""
    items = [(name, item) for name in LISTS for item in getattr(generator, name, [])]
    calls = rendering.record(lists)  # the lists' writes
    tasks = [(_render_batch, (start, min(start + BATCH, len(items)))) for start in range(0, len(items), BATCH)]
    tasks += [(rendering.render_calls, (position, position + 1)) for position in range(len(calls))]  # a call: a list's pages
    shared = rendering.Shared(write, calls, generator=generator, generate_articles=generate_articles, items=items)
    with parallel.Workers(processes, inherit=shared) as workers:
        # {article name or call number: pages}
        results = rendering.Results(rendering.in_order(workers, tasks, rendering.AHEAD * processes))

        def write_rendered(name, template, context, **kwargs):
            pages = results.take(name) if name else None
            return write(name, template if pages is None else rendering.Rendered(pages, template), context, **kwargs)

        generate_articles(generator, write_rendered)
        replay = rendering.replaying(calls, results.take, write)
        for step in lists:
            step(replay)


def _render_batch(bounds: tuple[int, int]) -> dict[str, list[rendering.Encoded | str]]:
    """In a worker: the pages of items[start:stop], by name, as Pelican's writer renders them."""
    shared = parallel.inherited()
    generator = shared.generator
    share = shared.items[bounds[0]:bounds[1]]
    pages: dict[str, list[rendering.Encoded | str]] = {}
    current = [""]

    def write_kept(name, template, context, **kwargs):
        current[0] = name
        pages[name] = []
        return shared.write(name, template, context, **kwargs)

    everything = {name: getattr(generator, name, []) for name in LISTS}
    try:
        for name in LISTS:
            setattr(generator, name, [item for list_name, item in share if list_name == name])
        with rendering.kept_in_memory(lambda path, mode="w", encoding=None: rendering.Page(pages[current[0]], encoding)):
            shared.generate_articles(generator, write_kept)
    finally:
        for name, items_of_list in everything.items():
            setattr(generator, name, items_of_list)
    return pages


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(use_workers)
