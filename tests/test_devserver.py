"""`make devserver` (newsroom/devserver.py): the pure parts (snapshots, what can be fast-rendered,
the settings of a one-file build, what is copied into output/), then the devserver itself on a
copy of the test site: a saved story shows at its URL, a new one too, a save made during a full
build is not lost, a bad file prints the report and the server goes on, and stopping it leaves
no process behind. The 2 s target is checked by bench/devserver_bench.py, not here.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom import devserver
from running import processes_using, wait_until
from serving import free_port, page_text
from sites import ROOT
from thainews import parallel

ARTICLE_SETTINGS = {"PATH": "/site/content", "ARTICLE_PATHS": ["news"], "PAGE_PATHS": ["pages"],
                    "EVENT_PATHS": ["events"]}


# ---------------------------------------------------------------------------------- pure parts

@pytest.mark.parametrize("name", [".story.md.swp", "story.md~", ".#story.md", ".story.md.a1b2.partial",
                                  "4913.swx", ".DS_Store"])
def test_editor_temporary_files_are_not_changes(name):
    assert devserver.ignored(name)


def test_a_story_is_not_ignored():
    assert not devserver.ignored("story.md") and not devserver.ignored("ข่าว.md")


def test_changes_are_edits_additions_and_deletions_but_not_editor_files(tmp_path):
    (tmp_path / "news").mkdir()
    kept, edited, deleted = (tmp_path / "news" / name for name in ("kept.md", "edited.md", "deleted.md"))
    for path in (kept, edited, deleted):
        path.write_text("a", encoding="utf-8")
    before = devserver.snapshot([tmp_path])
    edited.write_text("b", encoding="utf-8")
    os.utime(edited, ns=(0, before[str(edited)][0] + 1))  # same size, later time
    deleted.unlink()
    (tmp_path / "news" / "new.md").write_text("c", encoding="utf-8")
    (tmp_path / "news" / ".new.md.swp").write_text("editor", encoding="utf-8")
    (tmp_path / "news" / "new.md~").write_text("backup", encoding="utf-8")
    after = devserver.snapshot([tmp_path])
    assert devserver.changes(before, after) == sorted(str(tmp_path / "news" / name)
                                                      for name in ("deleted.md", "edited.md", "new.md"))
    assert devserver.changes(after, devserver.snapshot([tmp_path])) == []


def test_a_settings_file_is_watched_as_a_file(tmp_path):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("A = 1\n")
    before = devserver.snapshot([settings])
    settings.write_text("A = 22\n")
    assert devserver.changes(before, devserver.snapshot([settings])) == [str(settings)]


def test_only_stories_and_pages_that_exist_are_fast_rendered(tmp_path):
    settings = {**ARTICLE_SETTINGS, "PATH": str(tmp_path)}
    for name in ("news/2566/x.md", "pages/about.md", "events/fair.md", "images/x.jpg", "lexicon.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert devserver.renderable(str(tmp_path / "news/2566/x.md"), settings) == "article"
    assert devserver.renderable(str(tmp_path / "pages/about.md"), settings) == "page"
    for name in ("events/fair.md", "images/x.jpg", "lexicon.txt", "news/2566/deleted.md"):
        assert devserver.renderable(str(tmp_path / name), settings) is None, name
    assert devserver.renderable(str(tmp_path.parent / "elsewhere.md"), settings) is None


def test_a_fast_render_reads_one_file_and_writes_its_page_only(tmp_path):
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    overrides = devserver.fast_settings(settings, "article", "news/2566/x.md", str(tmp_path / "out"),
                                        str(tmp_path / "cache"))
    assert overrides["ARTICLE_PATHS"] == ["news/2566/x.md"] and overrides["EVENT_PATHS"] == []
    assert not {"thai_search", "sitemap_xml", "events"} & set(overrides["PLUGINS"])
    assert "strict_content" in overrides["PLUGINS"] and "sharing" in overrides["PLUGINS"]
    for name in ("TAG_SAVE_AS", "CATEGORY_SAVE_AS", "ARCHIVES_SAVE_AS", "YEAR_ARCHIVE_SAVE_AS", "PAGE_SAVE_AS"):
        assert overrides[name] == "", name
    assert overrides["FEED_ALL_ATOM"] is None and overrides["DIRECT_TEMPLATES"] == []
    assert overrides["OUTPUT_PATH"] == str(tmp_path / "out") and overrides["PROCESSES"] == 1
    assert "ARTICLE_SAVE_AS" not in overrides  # the story's own page is written where the site writes it
    page = devserver.fast_settings(settings, "page", "pages/about.md", str(tmp_path / "out"), str(tmp_path / "cache"))
    assert page["PAGE_PATHS"] == ["pages/about.md"] and page["ARTICLE_PATHS"] == [] and "PAGE_SAVE_AS" not in page


def test_local_references_are_the_sites_own_files():
    html = ('<img src="/images/a.jpg" srcset="/images/a-480.webp 480w, /images/a-960.webp 960w">'
            '<meta property="og:image" content="/images/share/card.png?v=1">'
            '<a href="https://example.org/x.png">x</a><script src="//cdn.example.org/x.js"></script>'
            '<a href="/news/2023/03/other/#top">other</a><link href=\'/theme/css/site.css\'>')
    assert devserver.local_references(html) == {
        "/images/a.jpg", "/images/a-480.webp", "/images/a-960.webp", "/images/share/card.png",
        "/news/2023/03/other/", "/theme/css/site.css"}


def test_the_page_and_the_files_output_lacks_are_copied_but_no_list_page(tmp_path):
    rendered, output, content = tmp_path / "rendered", tmp_path / "output", tmp_path / "content"
    page = "news/2023/03/x/index.html"
    for folder, name in ((rendered, page), (rendered, "images/share/new.png"), (rendered, "images/share/old.png"),
                         (output, "images/share/old.png"), (rendered, "tag/t/index.html"),
                         (rendered, "feeds/all.atom.xml"), (content, "images/photo.jpg"), (content, "lexicon.txt")):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    references = {"/images/share/new.png", "/images/share/old.png", "/tag/t/", "/tag/t/index.html",
                  "/feeds/all.atom.xml", "/images/photo.jpg", "/lexicon.txt", "/images/../lexicon.txt",
                  "/theme/css/missing.css"}
    pairs = devserver.files_to_copy(page, references, rendered, output, content, ["images"])
    assert pairs == [(rendered / page, output / page),
                     (content / "images/photo.jpg", output / "images/photo.jpg"),
                     (rendered / "images/share/new.png", output / "images/share/new.png")]


def test_a_new_file_does_not_take_another_files_page(tmp_path):
    (tmp_path / "news/x").mkdir(parents=True)
    (tmp_path / "news/x/index.html").write_text("another story")
    page = "news/x/index.html"
    assert devserver.may_write(page, "/c/edited.md", tmp_path, new=False, written_by={})
    assert not devserver.may_write(page, "/c/new.md", tmp_path, new=True, written_by={})
    assert devserver.may_write(page, "/c/new.md", tmp_path, new=True, written_by={page: "/c/new.md"})
    assert devserver.may_write("news/y/index.html", "/c/new.md", tmp_path, new=True, written_by={})


def test_a_copied_file_replaces_the_old_one_whole(tmp_path):
    source, target = tmp_path / "new.html", tmp_path / "out" / "a" / "index.html"
    source.write_text("new page")
    target.parent.mkdir(parents=True)
    target.write_text("old page")
    devserver.publish_file(source, target)
    assert target.read_text() == "new page"
    assert [path.name for path in target.parent.iterdir()] == ["index.html"]  # no .partial left


def test_the_build_runs_make_htmls_command_with_the_same_options():
    args = devserver.parse_args(["content", "-o", "out", "-t", "theme", "--cache-path", "c", "-p", "9000"])
    assert devserver.build_argv(args) == ["content", "-s", "pelicanconf.py", "-o", "out", "--fatal", "errors",
                                          "-t", "theme", "--cache-path", "c"]
    assert args.port == 9000 and args.bind == "127.0.0.1"


def test_a_fast_render_stopped_by_ctrl_c_leaves_no_child(monkeypatch, tmp_path):
    children = []

    class Recorded(parallel.BackgroundJob):
        def __init__(self, *args):
            super().__init__(*args)
            children.append(self.pid)

    def interrupt(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(devserver.parallel, "BackgroundJob", Recorded)
    monkeypatch.setattr(devserver, "render_one", lambda *args: time.sleep(60))  # a render that takes long
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)  # Ctrl-C while the render runs
    try:
        with pytest.raises(KeyboardInterrupt):
            devserver.fork_render({}, str(tmp_path / "x.md"), "article", tmp_path, False, {})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(children) == 1 and children[0] not in (0, os.getpid())
    with pytest.raises(ChildProcessError):  # killed and reaped: not even a zombie is left
        os.waitpid(children[0], os.WNOHANG)


# ---------------------------------------------------------------------------------- the loop, without processes

class FakeBuild:
    """Stands for `python -m newsroom.build html`: running until the test ends it."""

    def __init__(self, started: list, command, **_options):
        self.command, self.returncode, self.pid = command, None, -1
        started.append(self)

    def poll(self):
        return self.returncode


@pytest.fixture
def looping(content_copy, tmp_path, monkeypatch):
    """A Devserver on a copy of the test site whose builds are FakeBuilds and whose fast renders
    are only noted: (devserver, builds started, files rendered as (path, new))."""
    builds, renders = [], []

    def render(config, path, kind, work, new, written_by, copy=True):
        if copy:  # not the warm-up render
            renders.append((path, new))
        return {"pages": [], "refused": []}

    monkeypatch.delenv(devserver.TEST_BUILD_PAUSE, raising=False)
    monkeypatch.setattr(devserver.subprocess, "Popen", lambda command, **options: FakeBuild(builds, command, **options))
    monkeypatch.setattr(devserver, "fork_render", render)
    args = devserver.parse_args([str(content_copy), "-s", str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "out"),
                                 "-t", str(ROOT / "theme"), "--cache-path", str(tmp_path / "cache")])
    return devserver.Devserver(args), builds, renders


def test_saves_during_a_build_are_shown_at_once_and_built_by_the_next_build(looping, content_copy):
    server, builds, renders = looping
    server.step()
    assert len(builds) == 1 and builds[0].command[2:4] == ["newsroom.build", "html"] and renders == []
    story, new, picture = content_copy / STORY, content_copy / "news/2566/new.md", content_copy / "images/x.png"
    story.write_text(story.read_text(encoding="utf-8") + "\nอีกย่อหน้า\n", encoding="utf-8")  # saved during the build
    new.write_text(NEW_STORY.format(marker="m", slug="new-story"), encoding="utf-8")
    server.step()
    assert renders == [(str(story), False), (str(new), True)]  # shown at once; `new`: not in the build
    picture.parent.mkdir(exist_ok=True)
    picture.write_bytes(b"png")  # no page of its own: built, not rendered
    server.step()
    assert len(builds) == 1 and len(renders) == 2  # one build at a time
    builds[0].returncode = 0
    server.step()  # what was saved since the build's snapshot: rendered again (the build may have
    # written older pages), then one next build for all of it
    assert renders[2:] == [(str(story), False), (str(new), True)]
    assert len(builds) == 2
    builds[1].returncode = 0
    server.step()
    server.step()
    assert len(builds) == 2 and len(renders) == 4  # nothing changed since: no build, no render


def test_a_failed_build_waits_for_the_next_save(looping, content_copy):
    server, builds, renders = looping
    server.step()
    builds[0].returncode = 1  # the report was printed; the server goes on
    server.step()
    server.step()
    assert len(builds) == 1
    story = content_copy / STORY
    story.write_text(story.read_text(encoding="utf-8") + "\nแก้แล้ว\n", encoding="utf-8")
    server.step()
    server.step()
    assert len(builds) == 2 and renders == [(str(story), False)]


# ---------------------------------------------------------------------------------- the devserver

STORY = "news/2566/moralcenter-coordination-centre.md"
STORY_URL = "/news/2023/03/moralcenter-coordination-centre/"
NEW_STORY = """\
Title: ข่าวใหม่ทดสอบการแสดงตัวอย่าง {marker}
Date: 2567-05-01
Slug: {slug}
Networks: เครือข่ายสื่อคุณธรรม

เนื้อหาข่าวใหม่ {marker}
"""
class Running:
    def __init__(self, content: Path, tmp_path: Path, pause: float = 0):
        self.output, self.log = tmp_path / "out", tmp_path / "devserver.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHAINLP_READ_ONLY": "1", devserver.TEST_BUILD_PAUSE: str(pause)}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "newsroom.devserver", str(content), "-s", str(ROOT / "pelicanconf.py"),
                 "-o", str(self.output), "-t", str(ROOT / "theme"), "--cache-path", str(tmp_path / "cache"),
                 "-p", str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def said(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")

    def shows(self, url: str, text: str) -> bool:
        return text in page_text(self.base + url)

    def stop(self, how=signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        return self.process.wait(60)


@pytest.fixture
def running(content_copy, tmp_path):
    started = []

    def start(pause: float = 0) -> Running:
        started.append(Running(content_copy, tmp_path, pause))
        return started[-1]
    yield start
    for server in started:  # a failed test's devserver: stopped as Ctrl-C stops it, killed if need be
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


@pytest.mark.slow
def test_a_saved_story_a_saved_page_a_new_story_and_a_bad_one(running, content_copy, tmp_path):
    server = running()
    wait_until(lambda: server.said("whole site built"), "the first build", server.log)
    assert server.shows(STORY_URL, "moralcenter") and server.shows("/", "</html>")

    story = content_copy / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("Title: ", "Title: EDITED-7f3a ", 1), encoding="utf-8")
    wait_until(lambda: server.shows(STORY_URL, "EDITED-7f3a"), "the edited story at its URL", server.log)

    page = content_copy / "pages/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nPAGE-2e8d\n", encoding="utf-8")
    wait_until(lambda: server.shows("/about/", "PAGE-2e8d"), "the edited page at its URL", server.log)

    (content_copy / "news/2566/brand-new.md").write_text(NEW_STORY.format(marker="NEW-51c9", slug="brand-new-story"),
                                                         encoding="utf-8")
    wait_until(lambda: server.shows("/news/2024/05/brand-new-story/", "NEW-51c9"), "the new story", server.log)
    wait_until(lambda: server.shows("/", "NEW-51c9"), "the new story on the home page", server.log)

    bad = NEW_STORY.format(marker="BAD-0d2e", slug="bad-date-story").replace("2567-05-01", "2567-13-45")
    (content_copy / "news/2566/bad-date.md").write_text(bad, encoding="utf-8")
    wait_until(lambda: server.said("content/news/2566/bad-date.md not shown"), "the report of the bad date", server.log)
    text = server.log.read_text(encoding="utf-8")
    assert "content/news/2566/bad-date.md:2: [Date]" in text  # strict_content's report, with the line
    assert server.shows("/", "NEW-51c9") and server.shows(STORY_URL, "EDITED-7f3a")  # still serving
    assert not (server.output / "news/2025").exists() and "BAD-0d2e" not in page_text(server.base + "/")
    assert server.process.poll() is None

    # Stopped while a build runs (the bad file just asked for one): nothing is left behind.
    wait_until(lambda: processes_using(server.output) and len(processes_using(server.output)) >= 2,
               "the devserver's processes", server.log)
    assert server.stop() == 0
    deadline = time.monotonic() + 20
    while processes_using(server.output) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(server.output) == []
    assert processes_using(tmp_path / "cache") == []


@pytest.mark.slow
def test_the_server_ends_when_the_devserver_is_killed(running, tmp_path):
    server = running()
    wait_until(lambda: server.shows("/", "</html>") or server.said("whole site built"), "the server", server.log)
    server.process.kill()  # SIGKILL: no clean-up in the devserver
    server.process.wait()
    deadline = time.monotonic() + 30
    while processes_using(server.output) and time.monotonic() < deadline:
        time.sleep(0.2)  # the build may take a moment to notice; the server ends within 0.2 s
    assert not [line for line in processes_using(server.output) if "newsroom.devserver" in line]


@pytest.mark.slow
def test_a_save_made_during_a_full_build_is_not_lost(running, content_copy, tmp_path):
    # The first build is held 8 s after Pelican is done (the test hook): the save lands after
    # the build has read every file, as a save during a long build does. Pelican's own
    # autoreload would lose it (it starts watching after its first build).
    server = running(pause=8)
    wait_until(lambda: server.said("Done: Processed"), "the end of the first build's Pelican run", server.log)
    assert not server.said("whole site built")  # still "building": the pause
    (content_copy / "news/2566/during.md").write_text(NEW_STORY.format(marker="DURING-9b1c", slug="saved-during"),
                                                      encoding="utf-8")
    wait_until(lambda: server.shows("/news/2024/05/saved-during/", "DURING-9b1c"),
               "the story saved during the build, at its URL", server.log)
    wait_until(lambda: server.said("whole site built"), "the end of the first build", server.log)
    assert not server.shows("/", "DURING-9b1c")  # the first build did not see it ...
    wait_until(lambda: server.shows("/", "DURING-9b1c"), "the next build, with the story on the home page",
               server.log)  # ... the next one does
    assert server.stop(signal.SIGTERM) == 0
    deadline = time.monotonic() + 20
    while processes_using(server.output) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(server.output) == []


def test_the_settings_of_a_fast_render_pass_every_plugins_checks(tmp_path):
    """Each plugin checks its settings at `initialized` (a plugin added later must not refuse a
    one-file render's settings: the attachments plugin once did, and every save failed). In a
    process of its own, as a render's: Pelican's signals keep every plugin any earlier build of
    this test process registered."""
    script = f"""
import sys
sys.path[:0] = [{str(ROOT / "tests")!r}, {str(ROOT)!r}]
from pathlib import Path
from pelican import Pelican
from conftest import SITE_CONTENT, site_settings
from newsroom import devserver
tmp = Path({str(tmp_path)!r})
settings = site_settings(SITE_CONTENT, tmp / "out")
settings.update(devserver.fast_settings(settings, "article", "news/2566/x.md", str(tmp / "render"), str(tmp / "cache")))
sys.argv = ["pelican", str(SITE_CONTENT)]
Pelican(settings)  # sends `initialized`: raises on a refused setting
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
