"""Reading and writing on several cores gives the same site, and loses no problem or failure."""

import os
import re
import time
from pathlib import Path

import pelican.writers
import pytest
from pelican import signals
from pelican.paginator import PaginationRule
from pelican.writers import Writer

from conftest import SITE_CONTENT, build
from parallel_articles import parallel_articles
from quick_lists.quick_lists import MembershipList
from safe_output.safe_output import atomic_open
from strict_content import strict_content
from thainews import parallel

SENTENCES = ["ศูนย์คุณธรรมจัดประชุมเครือข่ายทางสังคม", "เยาวชนร่วมกิจกรรมจิตอาสาที่แม่สาย",
             "ชุมชนคุณธรรมปลูกผักปลอดสารพิษ", "โรงเรียนสอนภาษาไทยและวัฒนธรรมล้านนา"]
SERIAL = {"PROCESSES": 1}
PARALLEL = {"PROCESSES": 2, "STRICT_CONTENT": {"PARALLEL_FROM_FILES": 1}, "PARALLEL_ARTICLES": {"MIN_ARTICLES": 1},
            "THAI_SEARCH": {"AHEAD_FROM": 1}}


def add_articles(content: Path, count: int) -> None:
    folder = content / "news" / "many"
    folder.mkdir(parents=True)
    for number in range(count):
        sentence = SENTENCES[number % len(SENTENCES)]
        tags = ", ".join(["จิตอาสา", "เยาวชน", "ภาษาไทย"][: 1 + number % 3])
        (folder / f"{number}.md").write_text(
            f"Title: ข่าวที่ {number} {sentence}\nDate: 2566-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
            f"Networks: เครือข่ายศาสนา\nTags: {tags}\n\n{sentence} ครั้งที่ {number}\n\n{SENTENCES[0]}\n",
            encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(content_copy, tmp_path, monkeypatch):
    add_articles(content_copy, 40)
    build(content_copy, tmp_path / "serial", **SERIAL)
    used = {"prefetch": 0, "rendering pools": 0}
    prefetch, start_pool, generate = (strict_content.ThaiNewsReader.prefetch, parallel._start_pool,
                                      parallel_articles.generate_in_parallel)
    writing = []

    def counting_prefetch(self, paths, processes):
        used["prefetch"] += 1
        return prefetch(self, paths, processes)

    def counting_start_pool(*args):  # only the pools of generate_in_parallel (search and cards have theirs)
        used["rendering pools"] += bool(writing)
        return start_pool(*args)

    def generate_in_parallel(*args):
        writing.append(True)
        try:
            return generate(*args)
        finally:
            writing.clear()

    monkeypatch.setattr(strict_content.ThaiNewsReader, "prefetch", counting_prefetch)
    monkeypatch.setattr(parallel, "_start_pool", counting_start_pool)
    monkeypatch.setattr(parallel_articles, "generate_in_parallel", generate_in_parallel)
    build(content_copy, tmp_path / "parallel", **PARALLEL)
    assert used == {"prefetch": 1, "rendering pools": 1}  # the parallel paths ran: read in a pool, rendered in one
    serial, in_parallel = files_of(tmp_path / "serial"), files_of(tmp_path / "parallel")
    assert sorted(serial) == sorted(in_parallel)
    assert [name for name in serial if serial[name] != in_parallel[name]] == []
    assert sum(name.startswith("news/2023/") and name.endswith("index.html") for name in in_parallel) >= 40


@pytest.mark.slow
def test_pelicans_signals_fire_in_the_main_process_for_every_page_of_a_parallel_build(content_copy, tmp_path):
    """A plugin that listens to Pelican's per-page signals (as pelican-plugins/sitemap does)
    sees every page of a build on several cores, in the process it was connected in."""
    add_articles(content_copy, 40)
    heard: dict[str, list] = {"written": [], "article": [], "page": []}

    def on_written(path, context):
        heard["written"].append((os.path.relpath(path, tmp_path / "out"), os.getpid()))

    def on_article(generator, content):
        heard["article"].append((content.save_as, os.getpid()))

    def on_page(generator, content):
        heard["page"].append((content.save_as, os.getpid()))

    listeners = ((signals.content_written, on_written), (signals.article_generator_write_article, on_article),
                 (signals.page_generator_write_page, on_page))
    for signal, listener in listeners:
        signal.connect(listener)
    try:
        build(content_copy, tmp_path / "out", **PARALLEL)
    finally:
        for signal, listener in listeners:
            signal.disconnect(listener)
    output = tmp_path / "out"
    main = os.getpid()
    assert {pid for entries in heard.values() for _name, pid in entries} == {main}
    written = {name for name, _pid in heard["written"]}
    articles = {name for name, _pid in heard["article"]}
    assert len(articles) >= 42 and articles <= written  # every article, its page written here
    assert {name for name, _pid in heard["page"]} <= written and heard["page"]
    # every page Pelican's writer made is announced: all the HTML but what our plugins write themselves
    pages = {str(path.relative_to(output)) for path in output.rglob("*.html")}
    assert {name for name in pages if name.startswith("news/")} <= written


def test_a_problem_in_a_file_read_by_a_worker_is_reported(content_copy, tmp_path, capsys):
    add_articles(content_copy, 30)
    (content_copy / "news" / "many" / "broken.md").write_text("Title: ไม่มีวันที่\n\nเนื้อหาข่าว\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out", **PARALLEL)
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    assert any(line.startswith("content/news/many/broken.md") and "[Date]" in line for line in report.splitlines())
    assert "Found 1 problem" in report


@pytest.mark.slow
def test_a_file_a_worker_fails_to_read_is_read_again_by_the_main_process(content_copy, tmp_path, monkeypatch):
    add_articles(content_copy, 30)
    main, read_checked = os.getpid(), strict_content.ThaiNewsReader.read_checked

    def fails_in_workers(self, path):
        if os.getpid() != main and path.endswith("/7.md"):
            raise RuntimeError("trouble in a worker")
        return read_checked(self, path)

    monkeypatch.setattr(strict_content.ThaiNewsReader, "read_checked", fails_in_workers)
    build(content_copy, tmp_path / "out", **PARALLEL)
    pages = (path.read_text(encoding="utf-8") for path in (tmp_path / "out" / "news" / "2023").glob("*/*/index.html"))
    numbers = {int(match.group(1)) for page in pages if (match := re.search(r"<title>ข่าวที่ (\d+) ", page))}
    assert numbers == set(range(30))  # every story, number 7 too


class FakeGenerator:
    """What generate_in_parallel uses of an ArticlesGenerator: the four lists of articles."""

    def __init__(self, articles):
        self.translations, self.articles = [], list(articles)
        self.hidden_translations, self.hidden_articles = [], []


class PidTemplate:
    """A template whose page names the process that rendered it."""

    def render(self, context):
        # A page takes a moment, as a real one does: otherwise the first worker forked may render
        # every batch before the second one asks for work (which made the two-worker test flaky).
        time.sleep(0.02)
        return f"{context['article']} rendered by {os.getpid()}"


def fake_generate_articles(generator, write):
    """As Pelican's: one write per article of the four lists, in order, each signalled first."""
    for article in generator.translations + generator.articles + generator.hidden_translations + generator.hidden_articles:
        signals.article_generator_write_article.send(generator, content=article)
        write(f"{article}.html", PidTemplate(), {}, article=article)


@pytest.fixture
def heard():
    """What Pelican's per-article signals deliver, and in which process."""
    heard = []

    def on_write_article(generator, content):
        heard.append(("write_article", content, os.getpid()))

    def on_content_written(path, context):
        heard.append(("content_written", Path(path).name, os.getpid()))

    signals.article_generator_write_article.connect(on_write_article)
    signals.content_written.connect(on_content_written)
    yield heard
    signals.article_generator_write_article.disconnect(on_write_article)
    signals.content_written.disconnect(on_content_written)


@pytest.mark.parametrize("safe_output", [False, True])
def test_workers_render_the_pages_and_the_main_process_writes_and_signals_each(tmp_path, monkeypatch, heard,
                                                                              safe_output):
    monkeypatch.setattr(parallel_articles, "BATCH", 4)
    # with or without safe_output's `open` in pelican.writers (the bench's foundation build has none)
    monkeypatch.delattr(pelican.writers, "open", raising=False)
    if safe_output:
        monkeypatch.setattr(pelican.writers, "open", atomic_open, raising=False)
    writer = Writer(str(tmp_path), {"RELATIVE_URLS": False})
    generator = FakeGenerator(range(20))
    parallel_articles.generate_in_parallel(generator, fake_generate_articles, 2, writer.write_file)
    pages = {path.name: path.read_text() for path in tmp_path.iterdir()}
    assert sorted(pages) == sorted(f"{number}.html" for number in range(20))
    renderers = {int(page.rsplit(" ", 1)[1]) for page in pages.values()}
    assert os.getpid() not in renderers and len(renderers) == 2  # two workers rendered, none in here
    # Every article signalled and written in this process, in Pelican's order.
    main = os.getpid()
    assert [entry for entry in heard if entry[0] == "write_article"] == [("write_article", n, main) for n in range(20)]
    assert [entry for entry in heard if entry[0] == "content_written"] == [
        ("content_written", f"{n}.html", main) for n in range(20)]
    assert generator.articles == list(range(20))  # the main process has its full list
    assert writer._written_files == {str(tmp_path / f"{n}.html") for n in range(20)}  # Pelican's bookkeeping
    assert vars(pelican.writers).get("open") is (atomic_open if safe_output else None)  # as it was


def test_a_worker_that_fails_stops_the_build_with_its_error(tmp_path):
    main = os.getpid()

    def failing_generate_articles(generator, write):
        for article in generator.articles:
            if article == 5 and os.getpid() != main:
                raise OSError(28, "No space left on device", "/out/5.html")
            write(f"{article}.html", PidTemplate(), {}, article=article)

    writer = Writer(str(tmp_path), {"RELATIVE_URLS": False})
    with pytest.raises(OSError) as raised:
        parallel_articles.generate_in_parallel(FakeGenerator(range(6)), failing_generate_articles, 2, writer.write_file)
    assert (raised.value.errno, raised.value.filename) == (28, "/out/5.html")  # for newsroom/build.py's one line


def test_membership_lists_answer_by_identity_and_refuse_changes():
    first, second, equal_to_first = ["a"], ["b"], ["a"]
    articles = MembershipList([first, second])
    assert first in articles and second in articles
    assert equal_to_first not in articles  # one article is not another with equal fields
    assert articles == [first, second] and articles[1:] == [second]
    with pytest.raises(TypeError, match="quick_lists"):
        articles.append(equal_to_first)


@pytest.mark.parametrize(("settings", "message"), [
    ({"PARALLEL_ARTICLES": {"PROCESS": 2}}, "parallel_articles: unknown key(s) in PARALLEL_ARTICLES: PROCESS"),
    ({"PARALLEL_ARTICLES": {"MIN_ARTICLES": 0}}, "PARALLEL_ARTICLES['MIN_ARTICLES'] must be a whole number of at least 1"),
    ({"PROCESSES": 0}, "PROCESSES must be a whole number of at least 1 (1: build in one process), got 0"),
    ({"PROCESSES": "2"}, "PROCESSES must be a whole number of at least 1"),
    ({"PROCESSES": True}, "PROCESSES must be a whole number of at least 1 (1: build in one process), got True"),
    ({"THAI_SEARCH": {"SHARD_BYTES": 10}}, "thai_search: THAI_SEARCH['SHARD_BYTES'] must be a whole number of at least 1024"),
    ({"STRICT_CONTENT": {"PROCESSES": 2}}, "the number of processes is the one setting PROCESSES now, for every plugin"),
])
def test_bad_settings_name_the_plugin_and_the_key(settings, message, tmp_path):
    with pytest.raises(ValueError) as error:
        build(SITE_CONTENT, tmp_path / "out", **settings)
    assert message in str(error.value)


class PagedTemplate:
    """A list's template: each page names its number and the process that rendered it."""

    def render(self, context):
        time.sleep(0.01)
        return f"{context['output_file']} {context['articles_page'].number} rendered by {os.getpid()}"


def test_the_lists_pages_are_rendered_by_workers_and_written_and_signalled_here_in_order(tmp_path, heard):
    """Tag, category, archive and index pages (several pages a write) go the way of the articles."""
    writer = Writer(str(tmp_path), {"RELATIVE_URLS": False, "PAGINATED_TEMPLATES": {"tag": None},
                                    "DEFAULT_PAGINATION": 2, "PAGINATION_PATTERNS": [
                                        PaginationRule(1, "{name}{extension}", "{name}{extension}"),
                                        PaginationRule(2, "{name}-{number}{extension}", "{name}-{number}{extension}")],
                                    "DEFAULT_ORPHANS": 0, "SITEURL": ""})
    main = os.getpid()
    worker_failures = []

    def tags(write):  # as Pelican's generate_tags: one write a tag, its articles paginated
        for tag in ("a", "b", "c"):
            write(f"{tag}.html", PagedTemplate(), {}, articles=list(range(5)), template_name="tag", url=f"{tag}.html")

    def broken_in_workers(write):  # a template that fails in a worker only: rendered here instead
        class Fragile:
            def render(self, context):
                if os.getpid() != main:
                    worker_failures.append(True)
                    raise RuntimeError("only in a worker")
                return "rendered here"
        write("fragile.html", Fragile(), {})

    parallel_articles.generate_in_parallel(FakeGenerator(range(4)), fake_generate_articles, 2, writer.write_file,
                                           [tags, broken_in_workers])
    pages = {path.name: path.read_text() for path in tmp_path.iterdir()}
    tag_pages = [f"{tag}{suffix}.html" for tag in "abc" for suffix in ("", "-2", "-3")]
    assert sorted(pages) == sorted([f"{n}.html" for n in range(4)] + tag_pages + ["fragile.html"])
    for tag in "abc":
        for number, suffix in enumerate(("", "-2", "-3"), 1):
            text, renderer = pages[f"{tag}{suffix}.html"].rsplit(" rendered by ", 1)
            assert text == f"{tag}{suffix}.html {number}" and int(renderer) != main  # each page its own
    assert pages["fragile.html"] == "rendered here"
    written = [entry[1] for entry in heard if entry[0] == "content_written"]
    assert written == [f"{n}.html" for n in range(4)] + tag_pages + ["fragile.html"]  # Pelican's order
    assert {entry[2] for entry in heard} == {main}


@pytest.mark.parametrize("processes", [1, 2])
def test_write_in_parallel_renders_a_steps_pages_in_workers_and_writes_them_here_in_order(tmp_path, heard, processes):
    """buildcore.rendering.write_in_parallel (plugins/networks' pages): the same files whatever
    the processes, each page rendered by a worker when there are two, every one written and
    signalled in the main process in the step's order."""
    from buildcore import rendering

    writer = Writer(str(tmp_path), {"RELATIVE_URLS": False, "PAGINATED_TEMPLATES": {"network": None},
                                    "DEFAULT_PAGINATION": 2, "PAGINATION_PATTERNS": [
                                        PaginationRule(1, "{name}{extension}", "{name}{extension}"),
                                        PaginationRule(2, "{name}-{number}{extension}", "{name}-{number}{extension}")],
                                    "DEFAULT_ORPHANS": 0, "SITEURL": ""})
    main = os.getpid()

    def networks(write):
        for network in ("youth", "schools", "temples"):
            write(f"{network}.html", PagedTemplate(), {}, articles=list(range(3)), template_name="network",
                  url=f"{network}.html")

    rendering.write_in_parallel([networks], writer.write_file, processes)
    pages = {path.name: path.read_text() for path in tmp_path.iterdir()}
    expected = [f"{network}{suffix}.html" for network in ("youth", "schools", "temples") for suffix in ("", "-2")]
    assert sorted(pages) == sorted(expected)
    renderers = {int(page.rsplit(" rendered by ", 1)[1]) for page in pages.values()}
    assert (renderers == {main}) == (processes == 1)
    assert [entry[1] for entry in heard if entry[0] == "content_written"] == expected
    assert {entry[2] for entry in heard} == {main}
