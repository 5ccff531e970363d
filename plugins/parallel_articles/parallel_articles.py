"""parallel_articles: write the article pages on several cores.

Rendering one page per article is the longest step of a big build (about 19 s of 50 at 10,000
articles) and each page is rendered on its own. Once the articles are read, this plugin makes
the generator's `generate_articles` fork worker processes: each runs Pelican's own
`generate_articles` over its share of the articles (every n-th), the main process over the
first share, and the build goes on when all are done. The pages are the same bytes as when
written one by one; a worker that fails stops the build. A worker's OSError (a full disk, a
read-only folder) is raised again in the main process, for newsroom/build.py to name in one line.

Not used when fork is unavailable, with fewer than MIN_ARTICLES articles, for PROCESSES 1, or
when a thread other than the main one and daemon threads runs (forking beside a busy thread is
unsafe). The daemon threads of a normal build are Pelican's "Generating..." spinner (plain
`pelican`; newsroom/build.py runs none), which may hold the console's lock at the moment of the
fork, so a worker logs through a handler of its own; and, when sharing draws on several cores,
the three handler threads of its multiprocessing pool, which a worker never uses.
"""

import json
import logging
import os
import sys
import tempfile
import threading
from functools import partial

from pelican import signals

from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PARALLEL_ARTICLES"
DEFAULTS = {
    "PROCESSES": min(4, os.cpu_count() or 1),
    "MIN_ARTICLES": 200,  # with fewer, forking costs more than it saves
}
LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")  # what Pelican writes


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    check_known_keys("parallel_articles", pelican.settings, SETTINGS_KEY, DEFAULTS)
    check_whole_numbers("parallel_articles", SETTINGS_KEY, options(pelican.settings), {"PROCESSES": 1, "MIN_ARTICLES": 1})


def use_workers(generator) -> None:
    """article_generator_finalized: write this build's article pages with generate_in_parallel."""
    config = options(generator.settings)
    processes = config["PROCESSES"]
    count = sum(len(getattr(generator, name, [])) for name in LISTS)
    if processes > 1 and count >= config["MIN_ARTICLES"] and hasattr(os, "fork"):
        # On the instance, not the class: the next `pelican -r` build starts from Pelican's own.
        generator.generate_articles = partial(generate_in_parallel, generator,
                                              type(generator).generate_articles, processes)


def generate_in_parallel(generator, generate_articles, processes: int, write) -> None:
    if any(thread is not threading.main_thread() and not thread.daemon for thread in threading.enumerate()):
        return generate_articles(generator, write)
    everything = {name: list(getattr(generator, name, [])) for name in LISTS}

    def keep_share(share: int) -> None:
        for name, items in everything.items():
            setattr(generator, name, items[share::processes])

    sys.stdout.flush()
    sys.stderr.flush()
    children = []
    faults = tempfile.TemporaryFile("a+b")  # a worker's OSError (a full disk, a read-only folder), for the main process
    for share in range(1, processes):
        pid = os.fork()
        if pid == 0:  # a worker: write this share, then leave without running any cleanup
            status = 1
            try:
                log_on_own()
                keep_share(share)
                generate_articles(generator, write)
                status = 0
            except OSError as error:  # the machine's fault: the main process raises it, to be named once
                os.write(faults.fileno(), (json.dumps([error.errno, error.strerror, error.filename]) + "\n").encode())
            except KeyboardInterrupt:
                pass  # Ctrl-C reaches every process: the main one says it stopped
            except BaseException:
                logger.exception("parallel_articles: writing articles failed in worker %d", share)
            finally:
                for handler in logging.getLogger().handlers:
                    handler.flush()
                os._exit(status)
        children.append(pid)
    try:
        keep_share(0)
        generate_articles(generator, write)
    finally:
        for name, items in everything.items():
            setattr(generator, name, items)
        failed = [pid for pid in children if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
    with faults:
        faults.seek(0)
        reported = faults.read().decode().splitlines()
    if reported:
        raise OSError(*json.loads(reported[0]))
    if failed:
        raise RuntimeError(f"parallel_articles: {len(failed)} worker process(es) failed to write "
                           "their articles; the errors are above")


def log_on_own() -> None:
    """In a worker: log to a new handler on a new file of stderr, sharing no lock with the parent."""
    handler = logging.StreamHandler(os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace"))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(use_workers)
