"""The galleries' record (issue 15, point 6; `thainews.gallery_record`): a gallery is taken whole
from the last build's record only when nothing of it changed, and the output folder is left
alone only when it holds exactly the copies. Every way a gallery can change is tried here on
a small folder: each must be noticed."""

import os
import time
from pathlib import Path

import pytest

from test_photos import camera_jpeg, folder
from thainews import cache_files
from thainews import gallery_record as record
from thainews import photos as core
from thainews.cache_files import file_status

WIDTHS, MAX_SIDE = (320, 640), 2048
VALUE = "images/visit"


def recorded(content: Path, value: str = VALUE) -> dict:
    """The record of the gallery `value`, as a build that read it keeps it."""
    gallery = core.read_gallery(content, value, "ข่าว", "content/news/x.md", 4)
    entries = [[*file_status(photo.path), *core.photo_key(photo.path.read_bytes(), WIDTHS, MAX_SIDE)]
               for photo in gallery.photos]
    return record.entry(gallery, entries, clean=not gallery.problems)


@pytest.fixture
def site(tmp_path) -> dict:
    """A content folder with one gallery, the cache holding its copies (any bytes: only their
    size, time and inode are looked at) with its index, and an output folder linking them; the
    output folder's times set back, as a build long past left them."""
    content, cache, output = tmp_path / "content", tmp_path / "cache", tmp_path / "out" / "images" / "photos"
    folder(content, "visit", {"p01.jpg": camera_jpeg((800, 600)), "p02.jpg": camera_jpeg((500, 375), colour="blue"),
                              "captions.txt": "p02.jpg: ผู้ว่าราชการจังหวัดกล่าวเปิดงาน\n"})
    galleries = {VALUE: recorded(content)}
    cache.mkdir()
    output.mkdir(parents=True)
    index = {}
    for plan in record.plans(galleries[VALUE], WIDTHS, MAX_SIDE):
        for _width, _kind, name in plan.files():
            (cache / name).write_bytes(name.encode())
            index[name] = cache_files.file_entry(cache / name)
            os.link(cache / name, output / name)
    past = time.time() - 60
    os.utime(output, (past, past))
    return {"content": content, "cache": cache, "output": output, "galleries": galleries, "index": index}


def holding(site: dict) -> tuple[list[str], list[int] | None]:
    return record.holding(site["galleries"], site["content"], site["cache"], site["index"], WIDTHS, MAX_SIDE,
                          site["output"])


def test_an_untouched_gallery_holds_and_so_does_its_output_folder(site):
    held, output = holding(site)
    assert held == [VALUE]
    assert output == record.folder_status(site["output"])
    entry = site["galleries"][VALUE]
    assert [photo[0] for photo in entry["photos"]] == ["p01.jpg", "p02.jpg"]
    assert entry["photos"][1][8] == "ผู้ว่าราชการจังหวัดกล่าวเปิดงาน" and entry["files"][0] == "captions.txt"
    assert record.record_problem({"recipe": "r", "galleries": site["galleries"]}) == ""


def _touch(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


def _rewrite_in_place(path: Path) -> None:
    """The same bytes, size and modification time, written again: only the change time moves."""
    status, data = path.stat(), path.read_bytes()
    time.sleep(0.01)
    path.write_bytes(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


@pytest.mark.parametrize("change", [
    "photo touched", "photo rewritten in place", "photo added", "photo removed", "other file added",
    "captions edited", "captions added", "copy rewritten", "copy removed", "copy not in the index",
    "folder gone", "link re-pointed"])
def test_every_change_to_a_gallery_or_its_copies_is_noticed(site, change):
    content, cache = site["content"], site["cache"]
    photos = content / "images" / "visit"
    copy = sorted(site["index"])[0]
    if change == "link re-pointed":  # the field names a link; it now points at another folder
        folder(content, "other", {"p01.jpg": camera_jpeg((800, 600), colour="red"),
                                  "p02.jpg": camera_jpeg((500, 375), colour="red")})
        (content / "images" / "link").symlink_to("visit", target_is_directory=True)
        site["galleries"] = {"images/link": recorded(content, "images/link")}
        assert holding(site)[0] == ["images/link"]
        (content / "images" / "link").unlink()
        (content / "images" / "link").symlink_to("other", target_is_directory=True)
    elif change == "captions added":  # recorded without captions.txt; one is written
        (photos / "captions.txt").unlink()
        site["galleries"] = {VALUE: recorded(content)}
        assert holding(site)[0] == [VALUE]
        (photos / "captions.txt").write_text("p01.jpg: ใหม่\n", encoding="utf-8")
    elif change == "folder gone":
        for path in photos.iterdir():
            path.unlink()
        photos.rmdir()
    else:
        {
            "photo touched": lambda: _touch(photos / "p01.jpg"),
            "photo rewritten in place": lambda: _rewrite_in_place(photos / "p02.jpg"),
            "photo added": lambda: (photos / "p03.jpg").write_bytes(camera_jpeg()),
            "photo removed": lambda: (photos / "p02.jpg").unlink(),
            "other file added": lambda: (photos / "notes.txt").write_text("x"),
            "captions edited": lambda: (photos / "captions.txt").write_text("p01.jpg: อื่น\n", encoding="utf-8"),
            "copy rewritten": lambda: _touch(cache / copy),
            "copy removed": lambda: (cache / copy).unlink(),
            "copy not in the index": lambda: site["index"].pop(copy),
        }[change]()
    assert holding(site) == ([], None)


def test_a_gallery_with_a_warning_is_recorded_but_never_taken_whole(site):
    (site["content"] / "images" / "visit" / "plan.pdf").write_bytes(b"%PDF-1.4")
    site["galleries"] = {VALUE: recorded(site["content"])}
    assert site["galleries"][VALUE]["clean"] is False
    assert holding(site) == ([], None)


@pytest.mark.parametrize("change", ["stray file", "copy missing", "copy not the cached file", "changed just now"])
def test_the_output_folder_is_left_alone_only_when_it_holds_exactly_the_copies(site, change):
    output, cache = site["output"], site["cache"]
    name = sorted(site["index"])[0]
    past = output.stat().st_mtime
    if change == "stray file":
        (output / "old-0000-320.jpg").write_bytes(b"x")
    elif change == "copy missing":
        (output / name).unlink()
    elif change == "copy not the cached file":  # the same bytes, but not the checked file itself
        (output / name).unlink()
        (output / name).write_bytes((cache / name).read_bytes())
    if change != "changed just now":
        os.utime(output, (past, past))  # the times as before: only the folder's contents tell
    else:
        os.utime(output)
    held, status = holding(site)
    assert held == [VALUE] and status is None


def test_a_damaged_record_is_said_so(site):
    assert "photo of 'images/visit'" in record.record_problem(
        {"recipe": "r", "galleries": {VALUE: {**site["galleries"][VALUE], "photos": [["p01.jpg", 1]]}}})
    assert "'galleries' an object" in record.record_problem({"recipe": "r", "galleries": []})
    assert "is not {folder" in record.record_problem({"recipe": "r", "galleries": {VALUE: {"folder": 3}}})


def test_a_value_that_leaves_content_is_never_held(site):
    site["galleries"]["images/../../etc"] = {**site["galleries"][VALUE]}
    assert holding(site)[0] == [VALUE]


@pytest.mark.parametrize(("size", "share"), [((800, 600), True), ((500, 375), False), ((3000, 1200), True), ((90, 90), True)])
def test_the_quick_names_and_strings_of_a_recorded_photo_are_those_of_its_plan(size, share):
    """A rebuild names a recorded photo's copies and builds what the template shows without a
    Plan (`copy_names`, `recorded_photo`): the very names and strings the Plan gives."""
    plan = core.plan_of("0123abcd", *size, WIDTHS, MAX_SIDE, share)
    assert core.copy_names("0123abcd", *size, WIDTHS, MAX_SIDE, share) == [name for *_, name in plan.files()]
    assert core.recorded_photo(2, 5, "alt", "cap", "0123abcd", *size, WIDTHS, MAX_SIDE, share, "https://x/p/", True) == \
        core.gallery_photo(2, 5, "alt", "cap", plan, "https://x/p/", True)


def test_a_recorded_gallery_shows_what_its_photos_read_again_would(site):
    """`Shown`, the gallery of a story whose record held, made photo by photo when asked: the
    same photos, alt texts, captions and strings as the gallery read from its folder, in order;
    only what is asked for is made (the main process asks for the first photo only)."""
    gallery = core.read_gallery(site["content"], VALUE, "ข่าว", "content/news/x.md", 4)
    read_again = [core.gallery_photo(photo.number, len(gallery.photos), photo.alt, photo.caption,
                                     core.rendition_plan(photo.path.read_bytes(), WIDTHS, MAX_SIDE, share=index == 0),
                                     "/images/photos/", eager=index < 1)
                  for index, photo in enumerate(gallery.photos)]
    shown = record.Shown(site["galleries"][VALUE]["photos"], "ข่าว", WIDTHS, MAX_SIDE, "/images/photos/", 1)
    assert len(shown) == 2 and shown
    assert shown[0] == read_again[0] and shown._all is None  # the others not made yet
    first = shown[0]
    assert list(shown) == read_again and shown[0] is first  # made once
    assert shown[-1] is shown[1] and shown[0:5] == read_again
    assert shown[0].alt == "ภาพที่ 1 จาก 2: ข่าว" and shown[1].alt == shown[1].caption == "ผู้ว่าราชการจังหวัดกล่าวเปิดงาน"
    assert shown[0].share and not shown[1].share and shown[0].eager and not shown[1].eager
    with pytest.raises(IndexError):
        shown[2]


@pytest.mark.parametrize("field", range(record.PHOTO_FIELDS))
def test_a_recorded_photo_with_any_field_of_another_type_is_named(site, field):
    photo = list(site["galleries"][VALUE]["photos"][0])
    photo[field] = [photo[field]]  # a list where a name, a number or a key belongs
    galleries = {VALUE: {**site["galleries"][VALUE], "photos": [photo]}}
    assert "a photo of 'images/visit' is not [name" in record.record_problem({"recipe": "r", "galleries": galleries})
    assert "is not [name" in record.record_problem({"recipe": "r", "galleries": {VALUE: {
        **site["galleries"][VALUE], "photos": [photo[:-1]]}}})
