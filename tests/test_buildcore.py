"""plugins/buildcore: the one problem report and how a build stops, without building a site."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from blinker import Signal

import buildcore
from thainews.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
ERROR = Problem("content/news/a.md", 3, "Date", "วันที่ผิด", "wrong date")
WARNING = Problem("content/news/b.md", 1, "", "คำเตือน", "a warning", severity="warning")


def test_warnings_only_are_printed_and_the_build_goes_on(capsys):
    buildcore.stop_on_problems([WARNING])
    assert "1 warning(s) in the content" in capsys.readouterr().err
    buildcore.stop_on_problems([])
    assert capsys.readouterr().err == ""


def test_an_error_stops_the_build_with_exit_1_and_the_report(capsys):
    with mock.patch("sys.argv", ["pelican", "content"]), pytest.raises(SystemExit) as stopped:
        buildcore.stop_on_problems([WARNING, ERROR])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Found 1 problem(s) in the content" in err and "content/news/a.md:3: [Date]" in err
    assert "content/news/b.md:1:" in err  # the warnings are in the same report


def test_the_dev_server_gets_an_exception_it_can_survive():
    with mock.patch("sys.argv", ["pelican", "-lr"]), pytest.raises(buildcore.ContentProblemsError) as raised:
        buildcore.stop_on_problems([ERROR])
    assert raised.value.problems == [ERROR]


def test_problems_handed_in_are_collected_once_and_not_kept_for_the_next_build():
    reader = SimpleNamespace(problems=[ERROR])
    generator = SimpleNamespace(problems=[WARNING, ERROR], readers=SimpleNamespace(readers={"md": reader}))
    other = SimpleNamespace()  # no problems, no readers

    calls = []

    def check(generators):
        calls.append(generators)
        return [ERROR]

    # A signal of its own: strict_content's checks stay connected after any build in this process.
    with mock.patch.object(buildcore, "site_checks", Signal()):
        buildcore.site_checks.connect(check)
        buildcore.site_checks.connect(check)  # connected twice, asked once
        assert buildcore.collect_problems([generator, other]) == [ERROR, WARNING]
    assert calls == [[generator, other]]
    assert generator.problems == [] and reader.problems == []


def test_display_path_and_content_kind():
    settings = {"PATH": "/site/content", "PAGE_PATHS": ["pages"], "EVENT_PATHS": ["events/"]}
    assert buildcore.display_path("/site/content/news/2566/a.md", settings) == "content/news/2566/a.md"
    assert buildcore.content_kind("/site/content/pages/about.md", settings) == "page"
    assert buildcore.content_kind("/site/content/events/x.md", settings) == "event"
    assert buildcore.content_kind("/site/content/eventsx/x.md", settings) == "article"
    assert buildcore.content_kind("/site/content/news/a.md", settings) == "article"


_CYCLE_AT_EXIT = """
import sys
sys.path.insert(0, {plugins!r})
if {with_buildcore}:
    import buildcore  # noqa: F401
class Node:
    def __del__(self):
        print("collected", flush=True)
node = Node()
node.itself = node  # a cycle, alive until the module's globals are cleared at exit
"""


@pytest.mark.parametrize("with_buildcore", [False, True])
def test_a_build_process_leaves_what_is_alive_at_exit_to_the_system(with_buildcore):
    """buildcore freezes the heap at exit: Python's last collections do not walk and free a
    build's articles one by one (without buildcore, the cycle is collected: this test can fail)."""
    code = _CYCLE_AT_EXIT.format(plugins=str(ROOT / "plugins"), with_buildcore=with_buildcore)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHAINLP_READ_ONLY": "1"})
    assert done.returncode == 0, done.stderr
    assert ("collected" in done.stdout) is not with_buildcore


@pytest.mark.parametrize("encoding, as_bytes", [("utf-8", True), ("UTF8", True), ("utf_8", True),
                                                ("tis-620", False), ("utf-16", False), (None, False)])
def test_a_page_kept_in_memory_is_bytes_only_when_its_file_is_utf8(encoding, as_bytes):
    """A worker's page crosses as Encoded bytes only when its file would hold UTF-8 (any name
    of it): a page meant for another encoding stays text, for its file to encode."""
    from buildcore.rendering import Encoded, Page

    pages = []
    with Page(pages, encoding) as page:
        page.write("<p>ข่าวจังหวัด</p>")
    assert len(pages) == 1
    if as_bytes:
        assert type(pages[0]) is Encoded and pages[0] == "<p>ข่าวจังหวัด</p>".encode()
    else:
        assert pages == ["<p>ข่าวจังหวัด</p>"]
