"""`make new`, `make import` and `make check`: the officers' commands and their messages."""

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, SITE_CONTENT, build
from newsroom import check, importer, new
from newsroom.textimport import find_thai_date, parse_report
from sites import SEEDS

MORALCENTER = SEEDS / "moralcenter-2566-03-01.txt"
PRD = SEEDS / "prd-chiangrai-2563-03-11.txt"


def header(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


@pytest.mark.parametrize("seed, hand_made", [
    (MORALCENTER, SITE_CONTENT / "news/2566/moralcenter-coordination-centre.md"),
    (PRD, SITE_CONTENT / "news/2563/chiangrai-social-networks-plan.md"),
])
def test_importing_a_seed_matches_the_hand_made_article(seed, hand_made, tmp_path, capsys):
    assert importer.main([str(seed), "--content", str(tmp_path)]) == 0
    written = next((tmp_path / "news").rglob("*.md"))
    got, want = header(written), header(hand_made)
    for key in ("Title", "Date", "Writer", "Reporter", "Editor", "Source", "Facebook"):
        assert got.get(key) == want.get(key), key
    assert set(got["Networks"].split(", ")) == set(want["Networks"].split(", "))
    body = written.read_text(encoding="utf-8")
    assert "????" not in body and "293" not in body and "moralcenter\n" not in body
    assert not re.search(r"(\d{4} ){5}", body)
    out = capsys.readouterr().out
    assert "written" in out and "Title" in out


def test_imported_seeds_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    shutil.rmtree(content / "news")
    shutil.rmtree(content / "events")  # they name the seed articles by their hand-picked slugs
    for seed in (MORALCENTER, PRD):
        assert importer.main([str(seed), "--content", str(content)]) == 0
    build(content, tmp_path / "out")
    assert len(list((tmp_path / "out" / "news").glob("*/*/*/index.html"))) == 2


def test_import_variants():
    junk_title = parse_report("12 34 56 78 90 11\n\nข่าวทดสอบการนำเข้า - prd\n\nเนื้อหาข่าววันที่ ๕ ม.ค. ๒๕๖๗ ที่แม่สาย\n")
    assert junk_title.title == "ข่าวทดสอบการนำเข้า"
    assert junk_title.date.year == 2024 and junk_title.date.month == 1 and junk_title.date.day == 5
    labelled = parse_report("หัวข้อ\n• เมื่อวันที่ : 3 ธ.ค. 2566\n\nเนื้อหา 1 มกราคม 2560\n")
    assert (labelled.date.year, labelled.date.month, labelled.date.day) == (2023, 12, 3)  # the labelled date wins
    assert parse_report("หัวข้อ\n\nเนื้อหาที่ไม่มีวันที่\n").date is None
    assert find_thai_date("วันที่ 31 ก.พ. 2566") is None  # no such day
    assert find_thai_date("11 มีนาคม 2020").year == 2020  # a CE year stays


def test_import_without_a_date_makes_a_draft_and_says_so(tmp_path, capsys):
    source = tmp_path / "report.txt"
    source.write_text("ข่าวไม่มีวันที่\n\nเนื้อหาข่าวที่ไม่มีวันที่อยู่เลย\n", encoding="utf-8")
    assert importer.main([str(source), "--content", str(tmp_path / "content")]) == 0
    written = next((tmp_path / "content" / "news").rglob("*.md"))
    assert header(written)["Status"] == "draft"
    assert "no date found" in capsys.readouterr().out


def test_import_never_overwrites_and_reports_bad_files(tmp_path, capsys):
    source = tmp_path / "report.txt"
    source.write_text("ข่าวซ้ำ\n\nวันที่ 1 มกราคม 2567 เนื้อหา\n", encoding="utf-8")
    content = tmp_path / "content"
    assert importer.main([str(source), "--content", str(content)]) == 0
    first = next(content.rglob("*.md"))
    before = first.read_bytes()
    assert importer.main([str(source), "--content", str(content)]) == 1
    assert first.read_bytes() == before
    assert "already exists" in capsys.readouterr().err
    (tmp_path / "tis.txt").write_bytes("ข่าว".encode("tis-620"))
    assert importer.main([str(tmp_path / "tis.txt"), "--content", str(content)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert importer.main([str(tmp_path / "missing.txt"), "--content", str(content)]) == 2
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    assert importer.main([str(tmp_path / "empty.txt"), "--content", str(content)]) == 1
    assert "no title or story" in capsys.readouterr().err


def test_new_article_has_every_field_and_never_overwrites(tmp_path, capsys):
    content = tmp_path / "content"
    assert new.main(["ข่าวใหม่ทดสอบ", "--content", str(content)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.is_file() and path.parent.parent == content / "news" and int(path.parent.name) > 2560
    text = path.read_text(encoding="utf-8")
    for field in ("Title", "Date", "Slug", "Category", "Networks", "Tags", "Summary", "Image", "ImageAlt",
                  "Writer", "Reporter", "Editor", "Source", "Facebook", "YouTube"):
        assert re.search(rf"^{field}:", text, re.MULTILINE), field
    path.write_text(text + "\nเนื้อหาที่เขียนแล้ว\n", encoding="utf-8")
    assert new.main(["ข่าวใหม่ทดสอบ", "--content", str(content)]) == 1
    assert "เนื้อหาที่เขียนแล้ว" in path.read_text(encoding="utf-8")
    assert "already exists" in capsys.readouterr().err
    assert new.main(["  ", "--content", str(content)]) == 2


@pytest.mark.slow
def test_a_new_article_builds_once_written(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    assert new.main(["ข่าวใหม่ที่เขียนเสร็จแล้ว", "--content", str(content), "--slug", "finished-story"]) == 0
    path = Path(capsys.readouterr().out.strip())
    with pytest.raises(SystemExit):  # the empty story is reported, not published
        build(content, tmp_path / "out")
    assert "no body text" in capsys.readouterr().err
    path.write_text(path.read_text(encoding="utf-8") + "\nเนื้อหาข่าว\n", encoding="utf-8")
    build(content, tmp_path / "out2")
    assert list((tmp_path / "out2" / "news").glob("*/*/finished-story/index.html"))


def test_check_passes_on_the_real_content_with_warnings_only(capsys):
    # live content on purpose (check's default: the settings' PATH, content/): `make check` passes on it
    assert check.main([]) == 0
    out = capsys.readouterr().out
    assert "0 error(s)" in out


def test_check_reports_each_problem_as_file_line_message(content_copy, capsys):
    bad = content_copy / "news" / "2567" / "bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "Title: ข่าวตรวจสอบ\nDate: 2567-13-01\nFacebook: facebook.com/x\n\n"
        "ภาพ ![](/images/nothing-here.jpg) และ [ลิงก์](/news/2099/01/no-such-story/) "
        "และ [ไฟล์]({filename}/news/2567/missing.md)\n", encoding="utf-8")
    assert check.main(["--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("news/2567/bad.md") or line.startswith("content/news/2567/bad.md")]
    text = "\n".join(lines)
    assert re.search(r"bad\.md:2: \[Date\]", text)
    assert re.search(r"bad\.md:3: \[Facebook\]", text)
    assert "nothing-here.jpg" in text and "no alt" in out
    assert "no-such-story" in text and "missing.md" in text
    assert "error(s)" in out


def test_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("new:", "import:", "check:"):
        assert re.search(rf"^{target}", makefile, re.MULTILINE), target


# ---------------------------------------------------------------------------- PHOTOS= (issue 15, point 5)


def photo_folder(path: Path, names: dict[str, str]) -> Path:
    """A folder of an officer's photos: {file name: colour, or the text of a non-photo file}."""
    path.mkdir(parents=True)
    for name, what in names.items():
        if name.endswith((".jpg", ".png", ".webp")):
            Image.new("RGB", (60, 40), what).save(path / name)
        else:
            (path / name).write_text(what, encoding="utf-8")
    return path


def test_import_with_photos_copies_them_into_the_storys_own_folder_and_writes_photos(tmp_path, capsys):
    source = tmp_path / "report.txt"
    source.write_text("ข่าวมีภาพ\n\nวันที่ 5 มกราคม 2567 เนื้อหาข่าว\n", encoding="utf-8")
    camera = photo_folder(tmp_path / "camera", {"p02.jpg": "red", "p01.png": "blue", "p03.webp": "green",
                                                "notes.docx": "x", "captions.txt": "p01.png: ภาพแรก\n"})
    content = tmp_path / "content"
    assert importer.main([str(source), "--content", str(content), "--slug", "with-photos",
                          "--photos", str(camera)]) == 0
    out = capsys.readouterr().out
    written = content / "news" / "2567" / "with-photos.md"
    assert header(written)["Photos"] == "images/2567-01-05-with-photos"
    folder = content / "images" / "2567-01-05-with-photos"
    assert sorted(path.name for path in folder.iterdir()) == ["captions.txt", "p01.png", "p02.jpg", "p03.webp"]
    assert (folder / "p02.jpg").read_bytes() == (camera / "p02.jpg").read_bytes()
    assert "copied 3 photo(s)" in out and "skipped" in out and "notes.docx" in out and "ข้ามไฟล์" in out
    # Again: the story's folder exists, so nothing is written, in Thai and English.
    written.unlink()
    assert importer.main([str(source), "--content", str(content), "--slug", "with-photos",
                          "--photos", str(camera)]) == 2
    err = capsys.readouterr().err
    assert "2567-01-05-with-photos" in err and "already exists" in err and "อยู่แล้ว" in err
    assert not written.exists()


@pytest.mark.parametrize("make", ["missing", "empty", "no-photos"])
def test_new_with_a_photo_folder_missing_or_empty_says_so_and_writes_nothing(tmp_path, capsys, make):
    camera = tmp_path / "camera"
    if make == "empty":
        camera.mkdir()
    elif make == "no-photos":
        photo_folder(camera, {"notes.txt": "x"})
    content = tmp_path / "content"
    assert new.main(["ข่าวใหม่มีภาพ", "--content", str(content), "--photos", str(camera)]) == 2
    err = capsys.readouterr().err
    assert str(camera) in err
    assert ("does not exist" in err and "ไม่มีอยู่" in err) if make == "missing" else \
           ("holds no photos" in err and "ไม่มีรูป" in err)
    assert not content.exists()


def test_new_with_photos_writes_photos_and_prints_only_the_path(tmp_path, capsys):
    camera = photo_folder(tmp_path / "camera", {"b.jpg": "red", "a.jpg": "blue"})
    content = tmp_path / "content"
    assert new.main(["ข่าวใหม่มีภาพ", "--content", str(content), "--slug", "new-photos", "--photos", str(camera)]) == 0
    captured = capsys.readouterr()
    path = Path(captured.out.strip())
    value = header(path)["Photos"]
    assert re.fullmatch(r"images/25\d\d-\d\d-\d\d-new-photos", value)
    assert sorted(path.name for path in (content / value).iterdir()) == ["a.jpg", "b.jpg"]
    assert "copied 2 photo(s)" in captured.err


def test_check_reports_a_gallery_problem_naming_the_story_and_the_photo(content_copy, capsys):
    photo_folder(content_copy / "images" / "visit", {"p01.jpg": "red", "captions.txt": "p07.jpg: ภาพที่ไม่มี\n"})
    story = content_copy / "news" / "2567" / "gallery.md"
    story.parent.mkdir(parents=True, exist_ok=True)
    story.write_text("Title: ข่าวมีภาพ\nDate: 2567-01-05\nCategory: ข่าวกิจกรรม\nPhotos: images/visit\n\n"
                     "เนื้อหาข่าวที่มีภาพกิจกรรม\n", encoding="utf-8")
    assert check.main(["--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "gallery.md:4: [Photos]" in line)
    assert "p07.jpg" in line and "captions.txt" in line
    assert "Correct the file name" in out


def test_make_new_and_import_pass_photos():
    makefile = (ROOT / "Makefile").read_text()
    for module in ("newsroom.new", "newsroom.importer"):
        assert re.search(rf"-m {module} .*\$\(if \$\(PHOTOS\),--photos \"\$\(PHOTOS\)\"\)", makefile), module
