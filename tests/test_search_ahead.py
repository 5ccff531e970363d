"""Segmenting ahead and the index beside the pages: the same index, nothing lost when they fail.

On a big site a child process segments the articles as soon as they are read
(thai_search.segment_ahead); once every item is final, another builds the index while the pages
are written (index_beside_pages), taking those results by text hash. These builds turn both on
for the few articles of content/.
"""

import logging
import os
import re
import time
from types import SimpleNamespace

import pytest
from pelican.log import LimitFilter

from conftest import build
from test_parallel_build import add_articles
from thai_search import thai_search
from thainews.parallel import BackgroundJob, BackgroundJobFailed

AHEAD = {"AHEAD_FROM": 1}
SEGMENTED = re.compile(r"(\d+) texts segmented \((\d+) of them ahead\), (\d+) from cache")


def search_files(output) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((output / "search").glob("*.json"))}


def where_built(caplog) -> str:
    """"beside the pages" or "here" (after them, in the main process), from the plugin's log line."""
    found = [re.search(r"in [\d.]+ s (beside the pages|here) \(", record.getMessage()) for record in caplog.records]
    places = [match.group(1) for match in found if match]
    assert len(places) == 1, places
    return places[0]


def segmented(caplog) -> tuple[int, int, int]:
    """(texts segmented, of them ahead, from cache) from the plugin's log line."""
    found = [SEGMENTED.search(record.getMessage()) for record in caplog.records]
    numbers = [tuple(map(int, match.groups())) for match in found if match]
    assert len(numbers) == 1, [record.getMessage() for record in caplog.records if "thai_search" in record.getMessage()]
    return numbers[0]


@pytest.fixture
def info_logs(caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="thai_search.thai_search")
    # Pelican logs a message only once per process: a second build with the same counts would
    # leave no line to read.
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    return caplog


@pytest.fixture
def whole_jobs(monkeypatch) -> list:
    """The jobs started (segmenting ahead, then the index beside the pages), each left to finish:
    on a site this small the first would be asked to stop before it has loaded the dictionary."""
    jobs = []

    class Whole(BackgroundJob):
        def __init__(self, *args):
            super().__init__(*args)
            jobs.append(self)

        def request_stop(self):
            pass

    monkeypatch.setattr(thai_search, "BackgroundJob", Whole)
    return jobs


@pytest.mark.slow
def test_segmenting_ahead_gives_the_same_index(content_copy, tmp_path, info_logs, whole_jobs):
    add_articles(content_copy, 12)
    build(content_copy, tmp_path / "now", THAI_SEARCH={"AHEAD_FROM": 0})
    total, ahead, empty = segmented(info_logs)  # an empty text (a page's tags) counts as cached
    assert ahead == 0
    info_logs.clear()

    build(content_copy, tmp_path / "ahead", THAI_SEARCH=AHEAD, PROCESSES=2)
    assert len(whole_jobs) == 2 and [job.pid for job in whole_jobs] == [0, 0]  # both collected, no child left
    assert where_built(info_logs) == "beside the pages"
    assert search_files(tmp_path / "ahead") == search_files(tmp_path / "now")
    total_ahead, ahead, cached = segmented(info_logs)
    assert (total_ahead, cached) == (total, empty)
    # Every article's title and body come from the child (and some tag lists), except the body
    # of the story whose video gets a player later; pages and events are read after it.
    articles = len(list((content_copy / "news").rglob("*.md")))
    assert articles == 14
    assert 2 * articles - 1 <= ahead < total


@pytest.mark.slow
def test_segmenting_ahead_skips_what_the_cache_has(content_copy, tmp_path, info_logs, whole_jobs):
    add_articles(content_copy, 3)
    build(content_copy, tmp_path / "first", THAI_SEARCH=AHEAD, PROCESSES=2)
    info_logs.clear()
    (content_copy / "news" / "2566" / "extra.md").write_text(
        "Title: ข่าวใหม่ที่แม่สลอง\nDate: 2566-05-01\nNetworks: เครือข่ายศาสนา\nTags: จิตอาสา\n\n"
        "ชาวบ้านร่วมกันปลูกป่าที่แม่สลอง\n",
        encoding="utf-8")
    build(content_copy, tmp_path / "first", THAI_SEARCH=AHEAD, PROCESSES=2)
    total, ahead, _cached = segmented(info_logs)
    # The new story's title and body, both ahead; its tags and network are those of story 0.
    assert (total, ahead) == (2, 2)


@pytest.mark.slow
@pytest.mark.parametrize(("child", "error", "warning", "where"), [
    ("terms_ahead", ValueError("the dictionary is missing"), "segmenting ahead failed", "beside the pages"),
    ("_index_in_child", MemoryError("no room for the postings"), "building the index beside the pages failed", "here"),
])
def test_a_child_that_fails_loses_nothing(content_copy, tmp_path, info_logs, monkeypatch, child, error, warning, where):
    """Segmenting ahead fails: the index (still beside the pages) segments everything; the
    index fails beside the pages: it is built after them, in the main process."""
    build(content_copy, tmp_path / "now", THAI_SEARCH={"AHEAD_FROM": 0})

    def failing(*_args):
        raise error

    monkeypatch.setattr(thai_search, child, failing)
    info_logs.clear()
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    build(content_copy, tmp_path / "ahead", THAI_SEARCH=AHEAD, PROCESSES=2)
    assert search_files(tmp_path / "ahead") == search_files(tmp_path / "now")
    warnings = [record.getMessage() for record in info_logs.records if record.levelno == logging.WARNING]
    assert any(warning in message and str(error) in message for message in warnings), warnings
    assert where_built(info_logs) == where
    assert segmented(info_logs)[1] == 0  # nothing came from ahead
    output = os.path.abspath(tmp_path / "ahead")  # (another test's stopped build may have left its own)
    assert output not in thai_search._BESIDE and output not in thai_search._AHEAD


def _wait_for_stop(stop_requested, *_args):
    for _ in range(3000):
        if stop_requested():
            return {}
        time.sleep(0.01)
    raise RuntimeError("never asked to stop")


@pytest.mark.slow
def test_the_child_stops_when_the_pages_are_written(content_copy, tmp_path, info_logs, monkeypatch):
    monkeypatch.setattr(thai_search, "terms_ahead", _wait_for_stop)
    build(content_copy, tmp_path / "ahead", THAI_SEARCH=AHEAD, PROCESSES=2)
    problems = [record for record in info_logs.records if record.levelno >= logging.WARNING]
    assert not [record for record in problems if record.name.startswith("thai_search")]
    assert segmented(info_logs)[1] == 0  # it was stopped before it did anything: all segmented then


@pytest.mark.slow
def test_a_damaged_term_cache_is_reported_once_when_the_index_is_built_beside(content_copy, tmp_path, info_logs):
    cache = tmp_path / "cache"
    build(content_copy, tmp_path / "first", THAI_SEARCH=AHEAD, PROCESSES=2, CACHE_PATH=str(cache))
    (cache / thai_search.CACHE_FILE).write_text("[]", encoding="utf-8")
    info_logs.clear()
    LimitFilter._raised_messages.clear()  # the fixture's own set
    build(content_copy, tmp_path / "second", THAI_SEARCH=AHEAD, PROCESSES=2, CACHE_PATH=str(cache))
    warnings = [record.getMessage() for record in info_logs.records
                if record.levelno == logging.WARNING and record.name.startswith("thai_search")]
    assert len(warnings) == 1 and "the search term cache" in warnings[0], warnings
    assert where_built(info_logs) == "beside the pages"
    assert search_files(tmp_path / "second") == search_files(tmp_path / "first")


@pytest.mark.slow
def test_no_child_for_a_small_site_or_one_process(content_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(thai_search, "BackgroundJob", None)  # calling it would fail the build
    build(content_copy, tmp_path / "small", THAI_SEARCH={"AHEAD_FROM": 400})
    build(content_copy, tmp_path / "serial", THAI_SEARCH={"AHEAD_FROM": 1}, PROCESSES=1)
    assert search_files(tmp_path / "small") == search_files(tmp_path / "serial")


def test_a_job_left_by_a_stopped_build_is_ended_by_the_next(tmp_path):
    output = os.path.abspath(tmp_path / "out")
    stale = BackgroundJob(_sleep, 60)
    thai_search._AHEAD[output] = stale

    generator = SimpleNamespace(settings={"OUTPUT_PATH": output, "THAI_SEARCH": {"AHEAD_FROM": 0}}, articles=[])
    thai_search.segment_ahead(generator)
    assert stale.pid == 0 and output not in thai_search._AHEAD


def test_an_index_left_beside_the_pages_by_a_stopped_build_is_ended_by_the_next(tmp_path):
    output = os.path.abspath(tmp_path / "out")
    stale = BackgroundJob(_sleep, 60)
    thai_search._BESIDE[output] = stale
    settings = {"OUTPUT_PATH": output, "THAI_SEARCH": {"AHEAD_FROM": 0}}
    thai_search.index_beside_pages([SimpleNamespace(settings=settings, context={})])
    assert stale.pid == 0 and output not in thai_search._BESIDE  # ended, and no new job: nothing was ahead


def _sleep(_stop_requested, seconds):
    time.sleep(seconds)


def _until_stopped(stop_requested):
    rounds = 0
    while not stop_requested():
        rounds += 1
        time.sleep(0.01)
    return ["stopped", rounds]


def _double(_stop_requested, value):
    return value * 2


def _fail(_stop_requested):
    raise KeyError("no such word")


def test_a_background_job_returns_its_result_and_cleans_up():
    job = BackgroundJob(_double, ["ข่าว"])
    pid = job.pid
    assert job.result() == ["ข่าว", "ข่าว"]
    assert job.pid == 0
    with pytest.raises(ChildProcessError):  # the worker has ended and was reaped
        os.waitpid(pid, 0)
    with pytest.raises(BackgroundJobFailed, match="already collected"):
        job.result()  # never waitpid(0), which would wait for any child


def test_a_background_job_reports_the_childs_error():
    job = BackgroundJob(_fail)
    with pytest.raises(BackgroundJobFailed, match="KeyError: 'no such word'"):
        job.result()
    assert job.pid == 0


def test_a_background_job_killed_from_outside_is_reported():
    job = BackgroundJob(_sleep, 60)
    os.kill(job.pid, 9)
    with pytest.raises(BackgroundJobFailed, match="ended without a result"):
        job.result()


def test_cancelling_a_background_job_ends_the_child_at_once():
    job = BackgroundJob(_sleep, 60)
    pid = job.pid
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 5
    assert job.pid == 0
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left
        os.waitpid(pid, 0)


def test_a_background_job_asked_to_stop_returns_what_it_has():
    job = BackgroundJob(_until_stopped)
    time.sleep(0.2)
    job.request_stop()
    started = time.perf_counter()
    word, rounds = job.result()
    assert word == "stopped" and rounds > 0
    assert time.perf_counter() - started < 5


def test_a_background_job_that_does_not_finish_in_time_is_ended():
    job = BackgroundJob(_sleep, 60)
    pid = job.pid
    started = time.perf_counter()
    with pytest.raises(BackgroundJobFailed, match=r"did not finish within 0\.3 s"):
        job.result(timeout=0.3)
    assert time.perf_counter() - started < 5
    assert job.pid == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
