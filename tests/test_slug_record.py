"""Published URLs never move (issue 16, point 2): the record of the slugs the site gave
(content/slugs.json, thainews.slug_record), read before the files and written by the build."""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SITE_CONTENT, build, copy_site
from newsroom import devserver
from sites import HOSTILE_CONTENT
from thainews import slugs
from thainews.slug_record import RECORD_NAME, SlugRecord, read_record, write_record

NEW_STORY = "Title: งานประเพณีลอยกระทงที่แม่สาย\nDate: 2567-11-15\nTags: ลอยกระทง\n\nชาวบ้านร่วมงานประเพณี\n"
SECOND_STORY = "Title: ชาวบ้านปลูกป่าต้นน้ำ\nDate: 2567-11-20\nTags: ต้นน้ำ\n\nชาวบ้านปลูกป่า\n"


# ---------------------------------------------------------------------------- the record alone

def test_the_record_keeps_given_slugs_drops_gone_files_and_lets_slug_win(tmp_path):
    for name in ("kept.md", "own-slug.md", "not-read.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    before = SlugRecord({"kept.md": "kept", "gone.md": "gone", "own-slug.md": "old", "not-read.md": "not-read"},
                        {"ปีใหม่": "pihaim"})
    after = before.updated({"kept.md": "changed-would-be-wrong-but-is-what-was-given", "own-slug.md": None,
                            "new.md": "new"}, {"ลอยกระทง": "loikrathong"}, tmp_path)
    assert after.stories == {"kept.md": "changed-would-be-wrong-but-is-what-was-given", "not-read.md": "not-read",
                             "new.md": "new"}
    assert after.names == {"ปีใหม่": "pihaim", "ลอยกระทง": "loikrathong"}  # a name's entry stays for ever


def test_the_record_file_is_sorted_deterministic_and_written_only_when_it_changes(tmp_path):
    path = tmp_path / RECORD_NAME
    assert not write_record(path, SlugRecord())  # nothing to keep: no file
    assert not path.exists()
    record = SlugRecord({"news/b.md": "b", "news/a.md": "a"}, {"ข": "kho", "ก": "ko"})
    assert write_record(path, record)
    text = path.read_text(encoding="utf-8")
    assert list(json.loads(text)["stories"]) == ["news/a.md", "news/b.md"]
    assert text.index('"ก"') < text.index('"ข"') and text.endswith("}\n") and "news/a.md" in text.splitlines()[-4]
    assert text == SlugRecord({"news/a.md": "a", "news/b.md": "b"}, {"ก": "ko", "ข": "kho"}).text()
    stat = path.stat()
    assert not write_record(path, SlugRecord(dict(record.stories), dict(record.names)))
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino)
    assert write_record(path, SlugRecord({"news/a.md": "a"}, {}))
    assert path.stat().st_ino != stat.st_ino  # a new file renamed into place, never written in place
    assert [name for name in os.listdir(tmp_path)] == [RECORD_NAME]  # no temporary file left


def test_a_record_that_cannot_be_read_is_an_error_with_its_line(tmp_path):
    path = tmp_path / RECORD_NAME
    path.write_text('{\n  "stories": {\n<<<<<<< HEAD\n    "a.md": "a"\n=======\n', encoding="utf-8")
    record, problems = read_record(path, "content/slugs.json")
    assert record.stories == {} and len(problems) == 1
    problem = problems[0]
    assert problem.path == "content/slugs.json" and problem.line == 3
    assert "merge conflict" in problem.english and "git checkout -- content/slugs.json" in problem.english
    assert "git checkout" in problem.thai and "JSON" in problem.thai

    path.write_text('{"stories": {"a.md": "Not A Slug", "b.md": "b"},\n "names": {"ก": 3}}\n', encoding="utf-8")
    record, problems = read_record(path, "content/slugs.json")
    assert record.stories == {"b.md": "b"}
    assert [(p.line, "a-z" in p.english) for p in problems] == [(1, True), (2, True)]
    assert read_record(tmp_path / "none.json", "x") == (SlugRecord(), [])


# ---------------------------------------------------------------------------- in a build

def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def urls(output: Path) -> set[str]:
    return {path.parent.relative_to(output).as_posix() for path in output.rglob("index.html")}


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_site(tmp_path / "content", SITE_CONTENT, {"news/2567/new-story.md": NEW_STORY})


@pytest.fixture
def fake_romaniser(monkeypatch):
    """`fake_romaniser(prefix)` stands for a new romaniser: every Thai word comes out differently."""
    def use(prefix: str) -> None:
        real = slugs.romanize_word
        monkeypatch.setattr(slugs, "romanize_word", lambda word: prefix + real(word) if real(word) else "")
        slugs.clear_caches()

    yield use
    slugs.clear_caches()  # no slug of the fake one is left for the next test


@pytest.mark.slow
def test_an_upgrade_of_the_romaniser_moves_no_published_url(content, tmp_path, fake_romaniser):
    build(content, tmp_path / "out1")
    record = read_json(content / RECORD_NAME)
    story_slug = record["stories"]["news/2567/new-story.md"]
    tag_slug = record["names"]["ลอยกระทง"]
    assert f"news/2024/11/{story_slug}" in urls(tmp_path / "out1") and f"tag/{tag_slug}" in urls(tmp_path / "out1")
    assert set(record["stories"]) == {"news/2567/new-story.md"}  # the test site's stories have their Slug:
    assert record["names"] == {**read_json(SITE_CONTENT / RECORD_NAME)["names"], "ลอยกระทง": tag_slug}
    stat = (content / RECORD_NAME).stat()

    fake_romaniser("v")  # "upgrade" the romaniser; a new story comes in
    (content / "news" / "2567" / "second.md").write_text(SECOND_STORY, encoding="utf-8")
    build(content, tmp_path / "out2")
    assert urls(tmp_path / "out1") <= urls(tmp_path / "out2")  # every page of the first build is still there
    after = read_json(content / RECORD_NAME)
    assert after["stories"]["news/2567/new-story.md"] == story_slug and after["names"]["ลอยกระทง"] == tag_slug
    new_slug, new_tag = after["stories"]["news/2567/second.md"], after["names"]["ต้นน้ำ"]
    assert new_slug == slugs.slugify_thai("ชาวบ้านปลูกป่าต้นน้ำ") and new_slug.startswith("v")  # the new romaniser's
    assert f"news/2024/11/{new_slug}" in urls(tmp_path / "out2") and f"tag/{new_tag}" in urls(tmp_path / "out2")
    assert new_tag.startswith("v")
    assert (content / RECORD_NAME).stat().st_ino != stat.st_ino  # rewritten: a story came in

    stat = (content / RECORD_NAME).stat()
    build(content, tmp_path / "out3")  # nothing new: the record is not written again
    assert (content / RECORD_NAME).stat().st_mtime_ns == stat.st_mtime_ns
    assert (content / RECORD_NAME).stat().st_ino == stat.st_ino


@pytest.mark.slow
def test_slug_wins_over_the_record_and_a_deleted_story_leaves_it(content, tmp_path):
    build(content, tmp_path / "out1")
    assert "news/2567/new-story.md" in read_json(content / RECORD_NAME)["stories"]
    story = content / "news" / "2567" / "new-story.md"
    story.write_text(NEW_STORY.replace("Tags:", "Slug: loi-krathong-mae-sai\nTags:"), encoding="utf-8")
    (content / "news" / "2567" / "second.md").write_text(SECOND_STORY, encoding="utf-8")
    build(content, tmp_path / "out2")
    assert "news/2024/11/loi-krathong-mae-sai" in urls(tmp_path / "out2")
    assert set(read_json(content / RECORD_NAME)["stories"]) == {"news/2567/second.md"}  # Slug: says it itself
    (content / "news" / "2567" / "second.md").unlink()
    build(content, tmp_path / "out3")
    assert read_json(content / RECORD_NAME)["stories"] == {}


@pytest.mark.slow
def test_a_story_keeps_its_recorded_slug_when_its_title_changes(content, tmp_path):
    (content / RECORD_NAME).write_text(SlugRecord({"news/2567/new-story.md": "ngan-loi-krathong"},
                                                  read_json(SITE_CONTENT / RECORD_NAME)["names"]).text(),
                                       encoding="utf-8")
    build(content, tmp_path / "out")
    assert "news/2024/11/ngan-loi-krathong" in urls(tmp_path / "out")


@pytest.mark.slow
def test_a_one_file_render_reads_the_record_but_never_writes_it(content, tmp_path):
    build(content, tmp_path / "out", STRICT_CONTENT={"WRITE_SLUG_RECORD": False})
    assert not (content / RECORD_NAME).exists() or read_json(content / RECORD_NAME)["stories"] == {}
    overrides = devserver.fast_settings({"PLUGINS": [], "JINJA_ENVIRONMENT": {}, "STRICT_CONTENT": {"SLUG_MAX_LENGTH": 50}},
                                        "article", "news/x.md", str(tmp_path / "o"), str(tmp_path / "c"))
    assert overrides["STRICT_CONTENT"] == {"SLUG_MAX_LENGTH": 50, "WRITE_SLUG_RECORD": False}


@pytest.mark.slow
def test_a_broken_record_stops_the_build_and_is_not_overwritten(content, tmp_path, capsys):
    (content / RECORD_NAME).write_text('{"stories": {"news/2567/new-story.md": "x",}}', encoding="utf-8")
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out")
    report = capsys.readouterr().err
    assert "content/slugs.json:1:" in report and "is not valid JSON" in report
    assert (content / RECORD_NAME).read_text(encoding="utf-8") == '{"stories": {"news/2567/new-story.md": "x",}}'


def test_the_devserver_does_not_watch_the_record_it_makes_the_build_write(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "x.md").write_text("x", encoding="utf-8")
    (tmp_path / RECORD_NAME).write_text("{}", encoding="utf-8")
    skip = frozenset([str(tmp_path / RECORD_NAME)])
    assert set(devserver.snapshot([tmp_path], skip)) == {str(tmp_path / "news" / "x.md")}
    assert str(tmp_path / RECORD_NAME) in devserver.snapshot([tmp_path])


@pytest.mark.slow
@pytest.mark.parametrize("site", [SITE_CONTENT, HOSTILE_CONTENT], ids=["site", "hostile"])
def test_the_test_sites_records_are_what_their_build_gives(site, tmp_path):
    """The tests build tests/data/ in place: its committed record must be the one its build
    keeps, or a test run would write into the repository (conftest's guard fails it too)."""
    copy = tmp_path / "content"
    shutil.copytree(site, copy)
    build(copy, tmp_path / "out")
    assert (copy / RECORD_NAME).read_bytes() == (site / RECORD_NAME).read_bytes()


@pytest.mark.slow
def test_two_stories_with_one_slug_still_stop_the_build_whichever_way_they_got_it(content, tmp_path, capsys):
    build(content, tmp_path / "out1")
    recorded = read_json(content / RECORD_NAME)["stories"]["news/2567/new-story.md"]
    (content / "news" / "2567" / "copy.md").write_text(SECOND_STORY.replace("Tags:", f"Slug: {recorded}\nTags:"),
                                                     encoding="utf-8")
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out2")
    report = capsys.readouterr().err
    assert f"this article has the Slug '{recorded}'" in report and "content/news/2567/copy.md" in report
    assert "news/2567/copy.md" not in read_json(content / RECORD_NAME)["stories"]  # not written: the build stopped
