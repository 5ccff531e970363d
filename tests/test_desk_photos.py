"""The desk's photo album (newsroom/desk_photos.py, issue 17 point 2): a story's `Photos:` folder
listed, filled and captioned, and every refusal: a folder out of content/images/ (`..`, absolute,
hidden, another folder of content/, a link out), a file that is not a photo the gallery takes (by
its name or by its bytes), a photo too large, a caption for a photo the folder does not hold. The
captions land in captions.txt in the build's format, and the build's reader (`read_gallery`) reads
them back. The HTTP side (Host, Origin, Content-Type) is tested on a running desk in
tests/test_desk_e2e.py."""

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from newsroom.desk_api import DeskApi, Refused
from newsroom.desk_photos import DeskPhotos, merged_captions
from newsroom.story_photos import folder_name
from thainews.dates import parse_news_date
from thainews.photos import read_gallery

FOLDER = "images/2567-06-05-khao"


def picture(kind: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, kind)
    return out.getvalue()


def sent(name: str, data: bytes) -> dict:
    return {"name": name, "content": base64.b64encode(data).decode("ascii")}


@pytest.fixture
def site(tmp_path) -> Path:
    content = tmp_path / "site" / "content"
    for folder in ("news/2567", "images", "documents", "pages"):
        (content / folder).mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    return content


@pytest.fixture
def album(site) -> DeskPhotos:
    return DeskPhotos(DeskApi(site, ["news", "events", "pages"], 8000))


def refusal(call, status: int = 422) -> str:
    with pytest.raises(Refused) as refused:
        call()
    assert refused.value.status == status, refused.value
    return str(refused.value)


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_new_storys_photos_go_into_its_own_folder_with_their_captions(album, site):
    first, second = picture(), picture("PNG")
    answer = album.change({"date": "2567-06-05", "slug": "khao",
                           "photos": [sent("p01.jpg", first), sent("p02.png", second)]})
    assert FOLDER == f"images/{folder_name(parse_news_date('2567-06-05'), 'khao')}"  # make new's naming
    assert answer["folder"] == FOLDER and answer["added"] == ["p01.jpg", "p02.png"]
    assert files(site / FOLDER) == {"p01.jpg": first, "p02.png": second}
    assert answer["photos"] == [{"name": "p01.jpg", "caption": ""}, {"name": "p02.png", "caption": ""}]

    answer = album.change({"folder": FOLDER, "captions": {"p01.jpg": "ผู้ว่าราชการจังหวัด\nเปิดงาน", "p02.png": "วัด"}})
    captions = (site / FOLDER / "captions.txt").read_bytes()
    assert captions == "p01.jpg: ผู้ว่าราชการจังหวัด เปิดงาน\np02.png: วัด\n".encode()
    assert answer["photos"][0]["caption"] == "ผู้ว่าราชการจังหวัด เปิดงาน" and answer["problems"] == []
    gallery = read_gallery(site, FOLDER, "ข่าว", "content/news/2567/khao.md", 7)  # the build reads them
    assert [(photo.name, photo.caption) for photo in gallery.photos] == [
        ("p01.jpg", "ผู้ว่าราชการจังหวัด เปิดงาน"), ("p02.png", "วัด")]
    assert gallery.problems == []
    assert album.listing(FOLDER) == {key: answer[key] for key in ("folder", "photos", "problems")}

    # more photos later: same folder, a taken name gets a number (never replaced), a CE date gives the same folder
    answer = album.change({"date": "2024-06-05", "slug": "khao", "photos": [sent("p01.jpg", picture(size=(10, 10)))]})
    assert answer["added"] == ["p01-2.jpg"] and files(site / FOLDER)["p01.jpg"] == first
    # a caption emptied: its line goes; the others stay as they were
    album.change({"folder": FOLDER, "captions": {"p01.jpg": "  "}})
    assert (site / FOLDER / "captions.txt").read_text(encoding="utf-8") == "p02.png: วัด\n"


def test_phone_names_are_made_ones_captions_txt_can_name(album, site):
    answer = album.change({"folder": FOLDER, "photos": [sent("C:\\Users\\x\\IMG 0001: งาน.JPG", picture()),
                                                       sent("../../.hidden.jpg", picture())]})
    assert answer["added"] == ["IMG-0001-งาน.JPG", "hidden.jpg"]
    assert sorted(files(site / FOLDER)) == ["IMG-0001-งาน.JPG", "hidden.jpg"]


def test_captions_of_a_file_written_by_hand_keep_every_other_line():
    text = "\ufeffp01.jpg: เดิม\r\nไม่ใช่คำบรรยาย\np09.jpg: รูปที่ไม่มี\n"
    assert merged_captions(text, {"p01.jpg": "ใหม่", "p02.jpg": "เพิ่ม"}) == (
        "\ufeffp01.jpg: ใหม่\nไม่ใช่คำบรรยาย\np09.jpg: รูปที่ไม่มี\np02.jpg: เพิ่ม\n")
    assert merged_captions(text, {}) == text  # nothing asked, nothing changed
    assert merged_captions("p01.jpg: a\n", {"p01.jpg": ""}) == ""


@pytest.mark.parametrize("folder", ["images", "images/../news/2567", "../outside", "/etc", "images/.git", "news/2567",
                                    "documents/x", "images/a/../../pages", "images\\..\\pages", "content/images/x", ""])
def test_folders_out_of_content_images_are_refused(album, site, folder):
    # (an empty folder is a new story's: its folder comes from its date and Slug, here missing)
    message = refusal(lambda: album.change({"folder": folder, "photos": [sent("p01.jpg", picture())]}))
    assert "/" in message or "Slug" in message
    assert not list(site.rglob("p01.jpg")) and not list(site.parent.parent.rglob("p01.jpg"))
    refusal(lambda: album.listing(folder), 400 if folder == "" else 422)


def test_a_link_out_of_content_is_refused(album, site):
    os.symlink(site.parent.parent / "outside", site / "images" / "away")
    refusal(lambda: album.change({"folder": "images/away", "photos": [sent("p01.jpg", picture())]}))
    assert list((site.parent.parent / "outside").iterdir()) == []


@pytest.mark.parametrize(("name", "data", "status"), [
    ("page.html", b"<script>alert(1)</script>", 422),  # not a photo's name
    ("p01.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", 422),
    ("p01.gif", b"GIF89a", 422),  # a cover may be a GIF, a gallery photo not
    ("p01.jpg", b"<html>not a picture</html>", 422),  # a photo's name, not a photo's bytes
    ("p01.jpg", b"", 422),
    ("p01.png", None, 400),
    ("", b"", 400),
])
def test_files_that_are_not_photos_of_the_gallery_are_refused(album, site, name, data, status):
    good = sent("ok.jpg", picture())
    bad = {"name": name, "content": None} if data is None else sent(name, data)
    message = refusal(lambda: album.change({"folder": FOLDER, "photos": [good, bad]}), status)
    assert "JPEG" in message or "ชื่อ" in message or "เนื้อหา" in message
    assert not (site / FOLDER).exists()  # all checked before any is written


def test_too_large_and_badly_sent_photos_are_refused(album, site, monkeypatch):
    from newsroom import desk_photos

    monkeypatch.setattr(desk_photos, "MAX_PIXELS", 100)
    assert "ล้านจุด" in refusal(lambda: album.change({"folder": FOLDER, "photos": [sent("p.jpg", picture())]}), 413)
    monkeypatch.setattr(desk_photos, "MAX_BYTES", 10)
    refusal(lambda: album.change({"folder": FOLDER, "photos": [sent("p.jpg", picture())]}), 413)
    refusal(lambda: album.change({"folder": FOLDER, "photos": [{"name": "p.jpg", "content": "&&&"}]}), 400)
    refusal(lambda: album.change({"folder": FOLDER, "photos": "p.jpg"}), 400)
    assert not (site / FOLDER).exists()


def test_a_new_story_needs_its_date_and_slug_and_captions_need_their_photo(album, site):
    photo = [sent("p01.jpg", picture())]
    assert "Slug" in refusal(lambda: album.change({"date": "2567-06-05", "slug": "", "photos": photo}))
    assert "Slug" in refusal(lambda: album.change({"date": "2567-06-05", "slug": "../x", "photos": photo}))
    assert "2567-13-05" in refusal(lambda: album.change({"date": "2567-13-05", "slug": "khao", "photos": photo}))
    album.change({"folder": FOLDER, "photos": photo})
    for name in ("p02.jpg", "captions.txt", "../p01.jpg"):
        assert name in refusal(lambda name=name: album.change({"folder": FOLDER, "captions": {name: "x"}}))
    assert not (site / FOLDER / "captions.txt").exists()
    (site / FOLDER / "captions.txt").write_bytes("p01.jpg: ข่าว".encode("tis-620"))
    assert "UTF-8" in refusal(lambda: album.change({"folder": FOLDER, "captions": {"p01.jpg": "ใหม่"}}))


def test_the_listing_says_what_the_build_would_say_and_thumbnails_are_small(album, site):
    album.change({"folder": FOLDER, "photos": [sent("p01.jpg", picture(size=(1200, 900)))]})
    (site / FOLDER / "captions.txt").write_text("p01.jpg: งาน\np07.jpg: ไม่มีรูปนี้\n", encoding="utf-8")
    listing = album.listing(FOLDER)
    assert listing["photos"] == [{"name": "p01.jpg", "caption": "งาน"}]
    [problem] = listing["problems"]
    assert "p07.jpg" in problem["thai"] and problem["severity"] == "error"
    with Image.open(io.BytesIO(album.thumbnail(f"{FOLDER}/p01.jpg"))) as small:
        assert small.format == "JPEG" and max(small.size) == 320
    refusal(lambda: album.thumbnail(f"{FOLDER}/p09.jpg"), 404)
    refusal(lambda: album.thumbnail(f"{FOLDER}/captions.txt"))
    refusal(lambda: album.thumbnail("images/../../outside/p01.jpg"))
    assert album.listing("images/2567-01-01-none") == {"folder": "images/2567-01-01-none", "photos": [], "problems": []}
