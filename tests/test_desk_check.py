"""The desk's check of a story before it is saved (newsroom/desk_check.py, issue 17 point 5): the
problems it finds are the build's and `make check`'s own, word for word, for the same text; a good
story has none; nothing is written."""

from pathlib import Path

import pytest

from conftest import copy_site, site_settings
from newsroom import check
from newsroom.desk_check import check_story

GOOD = ("Title: ศูนย์คุณธรรมประชุมเครือข่าย\nDate: 2567-06-05\nSlug: prachum-kruakhai\n"
        "Networks: เครือข่ายศาสนา, สื่อคุณธรรม\n\nศูนย์คุณธรรมประชุมร่วมกับเครือข่ายศาสนา\n")
# Every kind of mistake the desk must show before saving.
BAD = ("Title: ข่าวที่ผิด\nDate: 2567-13-05\nSlug: khao-thi-phit\n"
       "Networks: เครือข่ายศาสนา, เครือข่ายนักบินอวกาศ\nImage: images/missing.jpg\nPhotos: images/no-such-folder\n"
       "Attachments: documents/missing.pdf\nColour: แดง\n\n"
       "เนื้อหา ![](images/also-missing.jpg) [ข่าวเก่า]({filename}/news/2566/no-such-story.md)\n"
       "<script>alert(1)</script>\n")
NEW = "news/2567/khao-thi-phit.md"


@pytest.fixture
def site(tmp_path):
    content = copy_site(tmp_path / "content")
    return content, site_settings(content, tmp_path / "out")


def make_check(content: Path, settings_out: Path, name: str) -> set:
    """What `make check` reports for the file `name` of `content`."""
    from buildcore import collect_problems

    settings, context, generators = check.read_site(check.ROOT / "pelicanconf.py", content)
    shown = f"content/{name}"
    return {problem for problem in collect_problems(generators) + check.body_problems(context, settings)
            if problem.path == shown}


def test_a_good_story_has_no_problem_and_nothing_is_written(site):
    content, settings = site
    before = sorted(path for path in content.rglob("*"))
    assert check_story(settings, content / "news/2567/prachum-kruakhai.md", GOOD) == []
    assert sorted(path for path in content.rglob("*")) == before


def test_the_desk_finds_what_make_check_finds_word_for_word(site, tmp_path):
    content, settings = site
    found = check_story(settings, content / NEW, BAD)
    fields = {problem.field for problem in found}
    assert {"Date", "Networks", "Image", "Photos", "Attachments", "colour", ""} <= fields, found
    networks = [problem for problem in found if problem.field == "Networks"]
    assert len(networks) == 1 and "ไม่รู้จักเครือข่าย 'เครือข่ายนักบินอวกาศ'" in networks[0].thai
    assert networks[0].line == 4 and networks[0].path == f"content/{NEW}"
    assert any("also-missing.jpg" in problem.english and problem.severity == "warning" for problem in found)  # alt
    assert any("no-such-story.md" in problem.english for problem in found)

    # The same file, saved, through `make check` (the build's reader and plugins, the whole site).
    (content / NEW).parent.mkdir(parents=True)
    (content / NEW).write_text(BAD, encoding="utf-8")
    assert set(found) == make_check(content, tmp_path, NEW)


def test_an_event_and_a_page_are_checked_as_the_build_checks_them(site):
    content, settings = site
    event = "Title: งานวัด\nStart: 2570-02-30\nLocation: วัด\nDistrict: อำเภอบนดวงจันทร์\n\nงานประจำปี\n"
    found = check_story(settings, content / "events/ngan-wat.md", event)
    assert {problem.field for problem in found} >= {"Start", "District"}, found
    page = "Title: เกี่ยวกับเรา\nStatus: published\nNetworks: เครือข่ายศาสนา\n\nหน้า\n"
    found = check_story(settings, content / "pages/about-us.md", page)
    assert [problem.field for problem in found] == ["networks"]  # a page has no networks


def test_a_photo_folder_with_a_stray_file_and_bad_captions(site):
    content, settings = site
    folder = content / "images" / "2567-06-05-prachum"
    folder.mkdir(parents=True)
    (folder / "notes.docx").write_bytes(b"not a photo")
    found = check_story(settings, content / "news/2567/prachum.md",
                        GOOD.replace("\n\n", "\nPhotos: images/2567-06-05-prachum\n\n", 1))
    assert [problem.field for problem in found] == ["Photos", "Photos"]
    assert {problem.severity for problem in found} == {"warning", "error"}  # a stray file; no photo at all


def test_a_cover_being_uploaded_with_the_story_is_not_looked_for_yet(site):
    content, settings = site
    story = GOOD.replace("\n\n", "\nImage: images/2567-06-05-prachum-kruakhai/p01.jpg\nImageAlt: ผู้ร่วมประชุม\n\n", 1)
    path = content / "news/2567/prachum-kruakhai.md"
    missing = check_story(settings, path, story)
    assert [(problem.field, "was not found" in problem.english) for problem in missing] == [("Image", True)]
    assert check_story(settings, path, story, ["p01.jpg"]) == []
    assert check_story(settings, path, story, ["p02.jpg"]) == missing
