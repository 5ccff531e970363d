"""Pelican's writes rendered in worker processes and written here, in their order.

A page of Pelican is a `write(name, template, context, **kwargs)` call on its writer's
`write_file`, which renders the template (once a page: a paginated list is several pages) and
writes the file. Rendering is the costly half, and each call stands alone: so a step that makes
such calls (a function of `write`) is run once with a `write` that only records its arguments;
workers (`thainews.parallel`, forked then, so they hold the calls) render the recorded calls
with Pelican's own `write_file`, its signals muted and its files kept in memory; then the step
runs again here with a `write` that hands `write_file` the pages already rendered for that
call. Every file is written by Pelican's writer in the main process (its bookkeeping, safe_output's
atomic files) and `content_written` is sent here, for every page, in the step's order.

A worker hands its pages back as the UTF-8 bytes their files will hold (`Encoded`): safe_output's
file writes them as they are, so the main process neither decodes nor encodes them again (at
500 stories with galleries, 30 MB of Thai pages: ~60 ms of the main process). A writer whose
file takes only text (safe_output not loaded) gets each page decoded.

plugins/parallel_articles renders the articles and Pelican's list pages with these pieces;
plugins/networks its network pages with `write_in_parallel`.
"""

import codecs
import contextlib
import io
import logging
from collections import deque
from itertools import islice

import pelican.writers
from blinker import Signal
from pelican import signals

from thainews import parallel

MUTED: tuple[Signal, ...] = (signals.article_generator_write_article, signals.content_written)
AHEAD = 4  # tasks a worker may have rendered ahead of the main process (the pages wait in memory)


class Encoded(bytes):
    """A page a worker rendered, as the UTF-8 bytes its file will hold. Only a file that says it
    takes them (its opener has `takes_encoded`: safe_output's) is handed one."""


def is_utf8(encoding: str | None) -> bool:
    """Is `encoding` (any of its names: "utf8", "UTF-8", ...) UTF-8, the encoding of `Encoded`?"""
    return encoding is not None and codecs.lookup(encoding).name == "utf-8"


def takes_encoded() -> bool:
    """Does the `open` Pelican's writer calls give files that take `Encoded` pages?"""
    return getattr(vars(pelican.writers).get("open"), "takes_encoded", False)


class Rendered:
    """Stands for the template of a write the workers rendered: each `render` gives its next
    page (a list is several pages); the template itself renders any page beyond them."""

    def __init__(self, pages: list[Encoded | str], template=None):
        self.pages, self.template = deque(pages), template

    def render(self, *args, **kwargs) -> Encoded | str:
        if self.pages:
            page = self.pages.popleft()
            return page.decode("utf-8") if isinstance(page, Encoded) and not takes_encoded() else page
        return self.template.render(*args, **kwargs)


def record(steps) -> list[tuple]:
    """The writes each step (a function of `write`) makes, as (name, template, context, kwargs)."""
    calls: list[tuple] = []
    for step in steps:
        step(lambda name, template, context, **kwargs: calls.append((name, template, context, kwargs)))
    return calls


def in_order(workers: parallel.Workers, tasks: list[tuple], ahead: int):
    """The results of `tasks` ((function, argument) each) in their order, no more than `ahead`
    of them sent to the workers before the main process takes the first (the pages of those
    not taken yet wait in memory)."""
    pending = deque()
    waiting = iter(tasks)
    for function, argument in islice(waiting, ahead):
        pending.append(workers.submit(function, argument))
    while pending:
        future = pending.popleft()
        for function, argument in islice(waiting, 1):
            pending.append(workers.submit(function, argument))
        yield future.result()


class Results:
    """The pages of finished tasks by key (an item's name, a call's number), taken in order."""

    def __init__(self, results):
        self.results, self.rendered = results, {}

    def take(self, key) -> list[Encoded | str] | None:
        while key not in self.rendered:
            batch = next(self.results, None)
            if batch is None:
                break
            self.rendered.update(batch)
        return self.rendered.pop(key, None)


def replaying(calls: list[tuple], take, write):
    """A `write` for running the recorded steps again: the n-th call gets the pages rendered for
    call n when it is the same write (same name) as recorded, else renders itself."""
    position = iter(range(len(calls)))

    def write_listed(name, template, context, **kwargs):
        number = next(position, None)
        same = number is not None and calls[number][0] == name  # the call recorded in that place
        pages = take(number) if same else None
        return write(name, template if pages is None else Rendered(pages, template), context, **kwargs)

    return write_listed


@contextlib.contextmanager
def kept_in_memory(keep):
    """Pelican's writer, in a worker: each file it opens is `keep(path)`, its signals muted and
    its 'Writing ...' unsaid (the main process writes and says it)."""
    # pelican.writers has its own `open` only when safe_output put it there: else the builtin
    opened, writes_log = vars(pelican.writers).get("open"), logging.getLogger("pelican.writers").disabled
    try:
        pelican.writers.open = keep
        logging.getLogger("pelican.writers").disabled = True
        with MUTED[0].muted(), MUTED[1].muted():
            yield
    finally:
        if opened is None:
            del pelican.writers.open
        else:
            pelican.writers.open = opened
        logging.getLogger("pelican.writers").disabled = writes_log


class Page(io.StringIO):
    """A page written to memory: added to `pages` when closed, `Encoded` when its file is UTF-8
    (as Pelican's writer opens every page), so it crosses to the main process as bytes."""

    def __init__(self, pages: list, encoding: str | None = None):
        super().__init__()
        self.pages, self.utf8 = pages, is_utf8(encoding)

    def close(self) -> None:
        if not self.closed:
            text = self.getvalue()
            self.pages.append(Encoded(text.encode("utf-8")) if self.utf8 else text)
        super().close()


def render_calls(bounds: tuple[int, int]) -> dict[int, list[Encoded | str] | None]:
    """In a worker: the pages of the recorded writes calls[start:stop], by call number; None for
    a write that failed (the main process renders it again and meets the error). The workers
    inherit an object with `write` and `calls`."""
    shared = parallel.inherited()
    pages: dict[int, list[Encoded | str] | None] = {}
    for number in range(*bounds):
        name, template, context, kwargs = shared.calls[number]
        pages[number] = []
        try:
            with kept_in_memory(lambda path, mode="w", encoding=None, kept=pages[number]: Page(kept, encoding)):
                shared.write(name, template, context, **kwargs)
        except Exception:  # noqa: BLE001 - said by the main process, which renders this write itself
            pages[number] = None
    return pages


class Shared:
    """What the workers inherit: the writer's `write` and the recorded `calls`, and whatever else
    a caller passes by name."""

    def __init__(self, write, calls, **more):
        self.write, self.calls = write, calls
        self.__dict__.update(more)


def write_in_parallel(steps, write, processes: int) -> None:
    """Run `steps` (functions of `write`) as they would run alone, their pages rendered by
    `processes` workers, one task a call (a paginated list is one call), and written here in
    order. Alone, in this process, when `processes` is 1, fork is missing or nothing is written."""
    calls = record(steps) if processes > 1 and parallel.can_fork() else []
    if len(calls) < 2:
        for step in steps:
            step(write)
        return
    tasks = [(render_calls, (number, number + 1)) for number in range(len(calls))]
    with parallel.Workers(min(processes, len(calls)), inherit=Shared(write, calls)) as workers:
        results = Results(in_order(workers, tasks, AHEAD * processes))
        replay = replaying(calls, results.take, write)
        for step in steps:
            step(replay)
