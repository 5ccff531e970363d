"""strict_content's read cache: a rebuild reads only the files that changed, and loses nothing.

What reading a file found wrong is listed again on every build, whether the file was read or
taken from the cache; what depends on another file (the `Image:` picture) is looked at again;
a changed file, changed settings or code, or a damaged cache mean reading again.
"""

import io
import logging
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import build, copy_site
from strict_content import read_cache, strict_content

STORY = "news/2566/moralcenter-coordination-centre.md"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files read (not taken from the cache), by name, in this process (PROCESSES=1)."""
    read = []
    real = strict_content.ThaiNewsReader.read_checked

    def counting(self, path):
        read.append(Path(path).name)
        return real(self, path)

    monkeypatch.setattr(strict_content.ThaiNewsReader, "read_checked", counting)
    return read


def files_of(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}


def test_a_rebuild_reads_no_unchanged_file_and_writes_the_same_site(tmp_path, reads):
    content = copy_site(tmp_path / "content")
    build(content, tmp_path / "out", PROCESSES=1)
    assert len(reads) == len(list(content.rglob("*.md")))
    first = files_of(tmp_path / "out")
    reads.clear()
    build(content, tmp_path / "out2", PROCESSES=1, CACHE_PATH=str(tmp_path / "out-cache"))
    assert reads == []
    assert files_of(tmp_path / "out2") == first  # the same bytes, page by page

    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("ศูนย์คุณธรรม (องค์การมหาชน) รศ.", "แก้ไขแล้ว รศ.", 1),
                     encoding="utf-8")
    reads.clear()
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == [Path(STORY).name]  # only the file that changed
    assert "แก้ไขแล้ว" in next((tmp_path / "out" / "news").rglob("moralcenter-coordination-centre/index.html")).read_text(
        encoding="utf-8")

    reads.clear()
    os.utime(story, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched, the same bytes (a fresh clone)
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == []


def test_problems_are_listed_on_every_build_and_a_missing_picture_is_looked_for_each_time(tmp_path, reads, capsys):
    content = copy_site(tmp_path / "content")
    (content / "images").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    (content / "images" / "cover.jpg").write_bytes(buffer.getvalue())
    story = content / STORY
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("Category: ข่าวกิจกรรม\n", "Category: ข่าวกิจกรรม\nImage: images/cover.jpg\nImageAlt: ภาพ\n", 1)
                     .replace("Networks: ", "Networks: เครือข่ายที่ไม่มีจริง, ", 1), encoding="utf-8")
    for _ in range(2):  # read, then from the cache: the same report
        with pytest.raises(SystemExit):
            build(content, tmp_path / "out", PROCESSES=1)
        assert "เครือข่ายที่ไม่มีจริง" in capsys.readouterr().err
    assert reads.count(Path(STORY).name) == 1  # read once: the second report came from the cache

    story.write_text(text.replace("Category: ข่าวกิจกรรม\n", "Category: ข่าวกิจกรรม\nImage: images/cover.jpg\nImageAlt: ภาพ\n",
                                  1), encoding="utf-8")
    build(content, tmp_path / "out", PROCESSES=1)  # mended: it builds
    reads.clear()
    (content / "images" / "cover.jpg").unlink()  # another file: the story itself is unchanged
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out", PROCESSES=1)
    assert reads == []  # from the cache...
    assert "images/cover.jpg" in capsys.readouterr().err  # ...and still the picture was looked for


def test_a_warning_is_given_again_from_the_cache(tmp_path, reads, capsys):
    content = copy_site(tmp_path / "content")
    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("รศ.นพ.", "รศ.\x07นพ.", 1), encoding="utf-8")
    for _ in range(2):
        build(content, tmp_path / "out", PROCESSES=1)
        assert "control character" in capsys.readouterr().err
    assert reads.count(Path(STORY).name) == 1


def test_other_settings_mean_reading_again_but_not_where_the_site_goes(tmp_path, reads):
    content = copy_site(tmp_path / "content")
    cache = str(tmp_path / "cache")
    build(content, tmp_path / "out", PROCESSES=1, CACHE_PATH=cache)
    count = len(reads)
    reads.clear()
    build(content, tmp_path / "published", PROCESSES=1, CACHE_PATH=cache, SITEURL="https://news.example",
          FEED_DOMAIN="https://news.example", RELATIVE_URLS=False)
    assert reads == []  # make publish after make html: the same reading
    build(content, tmp_path / "out", PROCESSES=1, CACHE_PATH=cache, STRICT_CONTENT={"SUMMARY_MAX_CHARS": 80})
    assert len(reads) == count  # a setting of reading: everything read again


def test_a_damaged_cache_is_one_warning_and_every_file_read_again(tmp_path, reads, caplog):
    content = copy_site(tmp_path / "content")
    build(content, tmp_path / "out", PROCESSES=1)
    cached = sorted((tmp_path / "out-cache").glob("reading-*.pickle"))
    assert [path.name for path in cached] == ["reading-article.pickle", "reading-event.pickle", "reading-page.pickle"]
    data = cached[0].read_bytes()
    cached[0].write_bytes(data[:-10] + bytes(10))  # cut off and filled with zeros
    reads.clear()
    with caplog.at_level(logging.WARNING, logger="strict_content.read_cache"):
        build(content, tmp_path / "out", PROCESSES=1)
    assert [record.levelname for record in caplog.records if "reading-article" in record.getMessage()] == ["WARNING"]
    assert sorted(set(reads)) == sorted(path.name for path in (content / "news").rglob("*.md"))
    assert cached[0].read_bytes() != data[:-10] + bytes(10)  # written whole again


def test_the_cache_can_be_turned_off(tmp_path, reads):
    content = copy_site(tmp_path / "content")
    for _ in range(2):
        build(content, tmp_path / "out", PROCESSES=1, STRICT_CONTENT={"READ_CACHE": False})
    assert len(reads) == 2 * len(list(content.rglob("*.md")))
    assert not list((tmp_path / "out-cache").glob("reading-*"))


def test_reading_in_workers_fills_the_cache_too(tmp_path, reads):
    import pickle

    from thainews.cache_files import read_cache_body

    content = copy_site(tmp_path / "content")
    build(content, tmp_path / "out", PROCESSES=2, STRICT_CONTENT={"PARALLEL_FROM_FILES": 1})
    body, _ = read_cache_body(tmp_path / "out-cache" / "reading-article.pickle", read_cache.VERSION)
    kept = pickle.loads(body)["files"]
    assert sorted(Path(path).name for path in kept) == sorted(path.name for path in (content / "news").rglob("*.md"))
    reads.clear()
    build(content, tmp_path / "out", PROCESSES=2, STRICT_CONTENT={"PARALLEL_FROM_FILES": 1})
    assert reads == []  # nothing left to read ahead or here


def test_the_fingerprint_follows_the_code_and_the_settings_of_reading(tmp_path, monkeypatch):
    base = {"PATH": "/site/content", "MARKDOWN": {"extensions": ["x"]}, "OUTPUT_PATH": "/a", "SITEURL": ""}
    first = read_cache.fingerprint(base)
    assert read_cache.fingerprint({**base, "OUTPUT_PATH": "/b", "SITEURL": "https://x.example"}) == first
    assert read_cache.fingerprint({**base, "MARKDOWN": {"extensions": ["y"]}}) != first
    assert read_cache.fingerprint({**base, "JINJA_FILTERS": {"f": len}}) == read_cache.fingerprint(
        {**base, "JINJA_FILTERS": {"f": len}})  # a function by its name, not its address
    plugins = tmp_path / "plugins"
    (plugins / "a").mkdir(parents=True)
    (plugins / "a" / "code.py").write_text("x = 1\n")
    monkeypatch.setattr(read_cache, "PLUGINS", plugins)
    before = read_cache.fingerprint(base)
    (plugins / "a" / "code.py").write_text("x = 2\n")
    assert read_cache.fingerprint(base) != before


def test_a_new_story_in_the_record_reads_nothing_again_and_a_hand_edited_record_is_applied(tmp_path, reads):
    import json

    content = copy_site(tmp_path / "content")
    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("Slug: moralcenter-coordination-centre\n", "", 1),
                     encoding="utf-8")
    event = content / "events" / "coordination-meeting-2566.md"  # it names the story by its slug
    event.write_text(event.read_text(encoding="utf-8").replace("Article: moralcenter-coordination-centre\n", "", 1),
                     encoding="utf-8")
    build(content, tmp_path / "out", PROCESSES=1)  # gives the story a slug and records it
    record = json.loads((content / "slugs.json").read_text(encoding="utf-8"))
    key = "news/2566/moralcenter-coordination-centre.md"
    assert key in record["stories"]
    reads.clear()
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == []  # the record changed by a story's entry: nothing read again
    record["stories"][key] = "moral-centre-by-hand"
    (content / "slugs.json").write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                        encoding="utf-8")
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == []
    assert list((tmp_path / "out").rglob("moral-centre-by-hand/index.html"))  # the record, applied from the cache


def test_a_new_tag_reads_only_its_story_again_and_a_hand_edited_name_is_applied(tmp_path, reads):
    """The names' slugs in the record are given again on every build: a story with a new tag
    (the record gains a name) is the only file read again, and a name's slug edited by hand
    in the record reaches every page from the cache."""
    import json

    content = copy_site(tmp_path / "content")
    build(content, tmp_path / "out", PROCESSES=1)  # records the names' slugs
    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("Tags: ", "Tags: ป่าชุมชนแม่สลอง, ", 1), encoding="utf-8")
    reads.clear()
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == [story.name]  # the new tag's story only
    record = json.loads((content / "slugs.json").read_text(encoding="utf-8"))
    assert "ป่าชุมชนแม่สลอง" in record["names"]
    assert record["names"]["สมัชชาคุณธรรม"] != "moral-assembly-by-hand"
    record["names"]["สมัชชาคุณธรรม"] = "moral-assembly-by-hand"
    (content / "slugs.json").write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                        encoding="utf-8")
    reads.clear()
    build(content, tmp_path / "out", PROCESSES=1)
    assert reads == []
    assert (tmp_path / "out" / "tag" / "moral-assembly-by-hand" / "index.html").is_file()
    page = next((tmp_path / "out").rglob("moralcenter-coordination-centre/index.html")).read_text(encoding="utf-8")
    assert "/tag/moral-assembly-by-hand/" in page
