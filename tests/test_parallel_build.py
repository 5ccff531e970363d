"""Reading and writing on several cores gives the same site, and loses no problem or failure."""

import os
import re
from pathlib import Path

import pytest

from conftest import SITE_CONTENT, build
from parallel_articles import parallel_articles
from quick_lists.quick_lists import MembershipList
from strict_content import strict_content

SENTENCES = ["ศูนย์คุณธรรมจัดประชุมเครือข่ายทางสังคม", "เยาวชนร่วมกิจกรรมจิตอาสาที่แม่สาย",
             "ชุมชนคุณธรรมปลูกผักปลอดสารพิษ", "โรงเรียนสอนภาษาไทยและวัฒนธรรมล้านนา"]
SERIAL = {"STRICT_CONTENT": {"PROCESSES": 1}, "PARALLEL_ARTICLES": {"PROCESSES": 1}}
PARALLEL = {"STRICT_CONTENT": {"PROCESSES": 2, "PARALLEL_FROM_FILES": 1},
            "PARALLEL_ARTICLES": {"PROCESSES": 2, "MIN_ARTICLES": 1}}


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
    used = {"prefetch": 0, "fork": 0}
    prefetch, fork, generate = strict_content.ThaiNewsReader.prefetch, os.fork, parallel_articles.generate_in_parallel
    writing = []

    def counting_prefetch(self, paths, processes):
        used["prefetch"] += 1
        return prefetch(self, paths, processes)

    def counting_fork():  # only the forks of generate_in_parallel (the search and cards use pools too)
        used["fork"] += bool(writing)
        return fork()

    def generate_in_parallel(*args):
        writing.append(True)
        try:
            return generate(*args)
        finally:
            writing.clear()

    monkeypatch.setattr(strict_content.ThaiNewsReader, "prefetch", counting_prefetch)
    monkeypatch.setattr(parallel_articles.os, "fork", counting_fork)
    monkeypatch.setattr(parallel_articles, "generate_in_parallel", generate_in_parallel)
    build(content_copy, tmp_path / "parallel", **PARALLEL)
    assert used == {"prefetch": 1, "fork": 1}  # the parallel paths ran: read in a pool, one writer forked
    serial, parallel = files_of(tmp_path / "serial"), files_of(tmp_path / "parallel")
    assert sorted(serial) == sorted(parallel)
    assert [name for name in serial if serial[name] != parallel[name]] == []
    assert sum(name.startswith("news/2023/") and name.endswith("index.html") for name in parallel) >= 40


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


def test_each_article_is_written_once_by_some_process(tmp_path):
    def generate_articles(generator, write):
        for article in generator.articles:
            write(article)

    def write(article):
        (tmp_path / f"{article}.{os.getpid()}").write_text("x")

    generator = FakeGenerator(range(9))
    parallel_articles.generate_in_parallel(generator, generate_articles, 3, write)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert sorted(int(name.split(".")[0]) for name in written) == list(range(9))
    assert len({name.split(".")[1] for name in written}) == 3  # three processes wrote
    assert generator.articles == list(range(9))  # the main process has its full list back


def test_a_worker_that_fails_stops_the_build(tmp_path):
    def generate_articles(generator, write):
        for article in generator.articles:
            if article == 5:  # in the second share of two (1, 3, 5): a worker process
                raise ValueError("a template error")
            write(article)

    with pytest.raises(RuntimeError, match="1 worker process"):
        parallel_articles.generate_in_parallel(FakeGenerator(range(6)), generate_articles, 2, lambda article: None)


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
    ({"PARALLEL_ARTICLES": {"PROCESSES": 0}}, "PARALLEL_ARTICLES['PROCESSES'] must be a whole number of at least 1"),
    ({"STRICT_CONTENT": {"PROCESSES": "2"}}, "STRICT_CONTENT['PROCESSES'] must be a whole number of at least 1"),
    ({"THAI_SEARCH": {"SHARD_BYTES": 10}}, "thai_search: THAI_SEARCH['SHARD_BYTES'] must be a whole number of at least 1024"),
    ({"THAI_SEARCH": {"PROCESSES": True}}, "THAI_SEARCH['PROCESSES'] must be a whole number of at least 1, got True"),
])
def test_bad_settings_name_the_plugin_and_the_key(settings, message, tmp_path):
    with pytest.raises(ValueError) as error:
        build(SITE_CONTENT, tmp_path / "out", **settings)
    assert message in str(error.value)
