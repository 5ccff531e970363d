"""A story's photos (issue 15, points 1-3): `Photos: images/<folder>`, captions, checks, copies
for phones (upright, without metadata, never larger than the photo, cached) and the gallery.

Every picture is made here with Pillow (and pillow-heif), small: no binary is committed.
"""

import builtins
import io
import os
import re
from pathlib import Path
from unittest import mock

import pytest
from PIL import Image

from conftest import build, copy_site
from htmlcheck import html_errors
from thainews import gallery_record, images
from thainews import photos as core
from thainews.cache_files import read_json_cache

TITLE = "ประชุมเครือข่ายคุณธรรม"
GPS_PLACE = b"GPSSECRETPLACE"  # in the EXIF of the test photos: must never reach the site


def camera_jpeg(size=(400, 300), orientation: int = 1, colour="green") -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS position, a camera serial, an owner, and an
    orientation tag."""
    image = Image.new("RGB", size, colour)
    image.paste((200, 30, 30), (0, 0, size[0] // 4, size[1] // 4))  # a red top-left corner, to see turns
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "OWNERNAME"  # Artist
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[27] = "N", (19.0, 54.0, 36.0), GPS_PLACE
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif, comment=b"COMMENTSECRET")
    return buffer.getvalue()


def png_bytes(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 180)).save(buffer, "PNG")
    return buffer.getvalue()


def huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8000, 5200)).save(buffer, "PNG")  # 41.6 megapixels, a few kilobytes
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, "GIF")
    return buffer.getvalue()


def folder(root: Path, name: str, files: dict[str, bytes | str]) -> Path:
    path = root / "images" / name
    path.mkdir(parents=True, exist_ok=True)
    for file_name, data in files.items():
        (path / file_name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def gallery(root: Path, value: str, title: str = TITLE) -> core.Gallery:
    return core.read_gallery(root, value, title, "content/news/x.md", 7)


def messages(found: core.Gallery) -> list[str]:
    return [f"{problem.thai} / {problem.english}" for problem in found.problems]


# ---------------------------------------------------------------------------- the pure core


def test_photos_in_file_name_order_with_captions_and_default_alt_text(tmp_path):
    folder(tmp_path, "visit", {"p10.jpg": camera_jpeg(), "p02.png": png_bytes(), "p01.jpg": camera_jpeg(),
                               "captions.txt": "\ufeffp02.png:  ผู้ว่าราชการจังหวัด   กล่าวเปิดงาน \r\n\n"})
    found = gallery(tmp_path, "images/visit")
    assert found.problems == []
    assert [photo.name for photo in found.photos] == ["p01.jpg", "p02.png", "p10.jpg"]
    assert [photo.alt for photo in found.photos] == [
        f"ภาพที่ 1 จาก 3: {TITLE}", "ผู้ว่าราชการจังหวัด กล่าวเปิดงาน", f"ภาพที่ 3 จาก 3: {TITLE}"]
    assert [photo.caption for photo in found.photos] == ["", "ผู้ว่าราชการจังหวัด กล่าวเปิดงาน", ""]
    assert found.photos[1].written == "images/visit/p02.png"


@pytest.mark.parametrize(("files", "value", "words"), [
    ({"p01.jpg": "JPEG", "captions.txt": "p09.jpg: ไม่มีรูปนี้\n"}, "images/a",
     ["p09.jpg", "captions.txt", "บรรทัดที่ 1", "line 1", "not a photo of the folder", "p01.jpg"]),
    ({"p01.jpg": "JPEG", "captions.txt": "p01.jpg: ดี\nคำบรรยายไม่มีชื่อไฟล์\n"}, "images/a",
     ["บรรทัดที่ 2", "line 2", "captions.txt", "is not a caption", "p01.jpg: caption"]),
    ({"p01.jpg": "JPEG", "captions.txt": "p01.jpg: ภาพ".encode("tis-620")}, "images/a",
     ["captions.txt", "UTF-8", "save it again"]),
    ({"p01.jpg": b"not a picture at all"}, "images/a",
     ["images/a/p01.jpg", "เปิดไฟล์", "cannot be read as a picture", "replace it"]),
    ({"p01.png": "HUGE"}, "images/a",
     ["images/a/p01.png", "8000×5200", "40 ล้านพิกเซล", "at most 40 megapixels", "resize it"]),
    ({"p01.jpg": "GIF"}, "images/a", ["images/a/p01.jpg", "GIF", "browsers do not show"]),
    ({"notes.txt": "x"}, "images/a", ["content/images/a/", "holds no photos", "ไม่มีรูป"]),
    ({}, "images/nothing-here", ["content/images/nothing-here/", "does not exist", "ไม่มีอยู่"]),
    ({}, "news", ["'news'", "inside content/images/", "content/images/"]),
    ({}, "images/../../etc", ["'images/../../etc'", "inside content/images/"]),
    ({}, "images", ["'images'", "inside content/images/"]),
])
def test_every_gallery_problem_names_the_file_the_photo_and_the_fix_in_thai_and_english(tmp_path, files, value, words):
    files = {name: (camera_jpeg() if data == "JPEG" else huge_png() if data == "HUGE" else gif() if data == "GIF"
                    else data) for name, data in files.items()}
    if files:
        folder(tmp_path, "a", files)
    found = gallery(tmp_path, value)
    errors = [problem for problem in found.problems if problem.severity == "error"]
    assert len(errors) == 1, messages(found)
    problem = errors[0]
    assert (problem.path, problem.line, problem.field) == ("content/news/x.md", 7, "Photos")
    assert re.search("[\u0e00-\u0e7f]{4}", problem.thai) and re.search("[a-z]{3,} [a-z]{3,}", problem.english)
    for word in words:
        assert word in f"{problem.thai} {problem.english}", (word, problem)


def test_a_file_that_is_not_a_photo_is_a_warning_and_left_out(tmp_path):
    folder(tmp_path, "a", {"p01.jpg": camera_jpeg(), "plan.pdf": b"%PDF-1.4"})
    found = gallery(tmp_path, "images/a")
    assert [photo.name for photo in found.photos] == ["p01.jpg"]
    assert [(problem.severity, "plan.pdf" in problem.english) for problem in found.problems] == [("warning", True)]


def _has_metadata(data: bytes) -> list[str]:
    found = [word for word in (b"Exif", b"GPSSECRET", b"OWNERNAME", b"PhoneMaker", b"COMMENTSECRET", b"xmpmeta",
                               b"Photoshop 3.0") if word in data]
    with Image.open(io.BytesIO(data)) as image:
        if image.getexif():
            found.append("exif tags")
        found += [key for key in ("exif", "xmp", "comment", "XML:com.adobe.xmp") if image.info.get(key)]
    return found


def test_copies_are_upright_without_metadata_never_larger_and_the_same_bytes_each_time():
    # Stored 400×300 with "turn 90°" (6): shown 300×400, a tall photo that must stay tall.
    data = camera_jpeg((400, 300), orientation=6)
    copies = core.make_copies(data, widths=(160, 320, 1024), max_side=2048)
    plan = core.rendition_plan(data, widths=(160, 320, 1024), max_side=2048)
    assert plan.sizes == ((160, 213), (300, 400))  # 320 and 1024 are wider than the photo
    assert sorted(copies) == sorted(name for _width, _kind, name in plan.files())
    for name, copy in copies.items():
        assert not _has_metadata(copy), name
        with Image.open(io.BytesIO(copy)) as image:
            assert image.height > image.width, name
            assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    with Image.open(io.BytesIO(copies[f"{plan.key}-300.jpg"])) as image:  # the red corner, turned: top right
        assert image.convert("RGB").getpixel((290, 5))[0] > 150
    assert core.make_copies(data, widths=(160, 320, 1024), max_side=2048) == copies


def test_the_largest_copy_is_at_most_max_side_on_the_long_side():
    wide = Image.new("RGB", (3000, 1200), "white")
    buffer = io.BytesIO()
    wide.save(buffer, "JPEG")
    assert core.rendition_plan(buffer.getvalue()).sizes == ((320, 128), (640, 256), (1024, 410), (2048, 819))
    assert images.rendition_sizes(2400, 3200, core.WIDTHS, 2048) == [(320, 427), (640, 853), (1024, 1365), (1536, 2048)]
    assert images.rendition_sizes(800, 600, core.WIDTHS, 2048) == [(320, 240), (640, 480), (800, 600)]


def test_a_cut_off_photo_cannot_be_copied():
    data = camera_jpeg((800, 600))
    with pytest.raises((OSError, ValueError)):
        core.make_copies(data[: len(data) // 2])


def test_heic_photos_from_an_iphone_are_read_and_copied(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    image = Image.new("RGB", (64, 48), "orange")
    heif = pillow_heif.from_pillow(image)
    buffer = io.BytesIO()
    heif.save(buffer, quality=80)
    folder(tmp_path, "phone", {"IMG_0001.HEIC": buffer.getvalue()})
    found = gallery(tmp_path, "images/phone")
    assert found.problems == [] and [photo.name for photo in found.photos] == ["IMG_0001.HEIC"]
    copies = core.make_copies(buffer.getvalue())
    assert len(copies) == 2 and all(not _has_metadata(copy) for copy in copies.values())


def test_gallery_photo_gives_the_template_its_srcsets_and_the_largest_copy():
    plan = core.Plan("k", ((320, 240), (640, 480), (1024, 768), (2048, 1536)))
    shown = core.gallery_photo(1, 2, "ภาพที่ 1 จาก 2: ข่าว", "", plan, "/images/photos/", eager=True)
    assert (shown.src, shown.width, shown.height) == ("/images/photos/k-640.jpg", 640, 480)
    assert shown.webp_srcset == ("/images/photos/k-320.webp 320w, /images/photos/k-640.webp 640w, "
                                 "/images/photos/k-1024.webp 1024w, /images/photos/k-2048.webp 2048w")
    assert shown.jpeg_srcset.endswith("/images/photos/k-2048.jpg 2048w")
    assert (shown.large, shown.large_width, shown.large_height) == ("/images/photos/k-2048.jpg", 2048, 1536)


# ---------------------------------------------------------------------------- the site

STORY = """Title: {title}
Date: 2567-05-01
Networks: เครือข่ายศาสนา
Photos: {photos}

เนื้อหาข่าวที่มีภาพกิจกรรม
"""


def add_story(content: Path, name: str, photos: str, title: str = TITLE) -> str:
    path = content / "news" / "photos" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STORY.format(title=title, photos=photos), encoding="utf-8")
    return f"content/news/photos/{name}.md"


def good_content(content: Path) -> None:
    folder(content, "visit-2567", {
        "p01.jpg": camera_jpeg((2400, 1800), orientation=6),
        "p02.jpg": camera_jpeg((500, 375)),
        "p03.png": png_bytes(),
        "captions.txt": "p02.jpg: ผู้ว่าราชการจังหวัด <b>กล่าวเปิดงาน</b> & ขอบคุณ\n",
    })
    folder(content, "fair", {"a.jpg": camera_jpeg((640, 480))})
    add_story(content, "visit", "images/visit-2567")
    page = (content / "pages" / "about.md").read_text(encoding="utf-8")
    (content / "pages" / "about.md").write_text(page.replace("Slug: about\n", "Slug: about\nPhotos: images/fair\n", 1),
                                                encoding="utf-8")
    event = (content / "events" / "merit-market-2570.md").read_text(encoding="utf-8")
    (content / "events" / "merit-market-2570.md").write_text(
        event.replace("Slug: merit-market-2570\n", "Slug: merit-market-2570\nPhotos: images/fair\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("photos")
    content = copy_site(root / "content")
    good_content(content)
    build(content, root / "out", PROCESSES=2)
    return root / "out"


SITEURL = "https://news.example"


@pytest.fixture(scope="module")
def photo_site_with_url(photo_site) -> Path:
    """The same content built with SITEURL, as `make publish` does: only then are og: tags written."""
    build(photo_site.parent / "content", photo_site.parent / "out-url", PROCESSES=2, SITEURL=SITEURL)
    return photo_site.parent / "out-url"


SITE_BUILDS = {"photo_site", "photo_site_with_url"}


def published_pictures(output: Path) -> list[Path]:
    return sorted(path for path in output.rglob("*") if path.suffix.lower() in (".jpg", ".jpeg", ".webp", ".png", ".heic"))


def story_html(output: Path) -> str:
    return next(output.glob("news/2024/05/*/index.html")).read_text(encoding="utf-8")


def test_no_published_picture_carries_exif_gps_or_any_metadata_and_originals_stay_out(photo_site):
    photos = sorted((photo_site / "images" / "photos").iterdir())
    # p01: 320/640/1024/1536; p02: 320/500; p03: 300; a.jpg: 320/640 (WebP and JPEG each); and the
    # share copies of the two galleries' first photos (p01, a.jpg).
    assert len(photos) == 2 * (4 + 2 + 1 + 2) + 2
    for path in published_pictures(photo_site):
        assert not _has_metadata(path.read_bytes()), path
    assert not (photo_site / "images" / "visit-2567").exists()  # the originals, with their GPS position
    assert not list(photo_site.rglob("captions.txt"))


def test_the_story_shows_its_gallery_with_srcset_sizes_and_links_to_the_large_photos(photo_site):
    html = story_html(photo_site)
    assert html_errors(html) == []
    assert "style=" not in html and "<script>" not in html  # the CSP: no inline style or script
    section = html[html.index('<section class="gallery"'):html.index("</section>", html.index('<section class="gallery"'))]
    figures = re.findall(r"<figure>.*?</figure>", section, re.S)
    assert len(figures) == 3
    first = figures[0]
    # p01: stored 2400×1800 turned 90°: shown 1800×2400, the largest copy 1536×2048, tall.
    link = re.search(r'<a href="([^"]+)" class="gallery-link">', first).group(1)
    assert re.fullmatch(r"/images/photos/[0-9a-f]{20}-1536\.jpg", link)
    assert (photo_site / link.lstrip("/")).is_file()
    with Image.open(photo_site / link.lstrip("/")) as image:
        assert image.size == (1536, 2048)
    assert 'width="640" height="853"' in first
    assert 'loading="eager"' in first and f'alt="ภาพที่ 1 จาก 3: {TITLE}"' in first
    assert re.search(r'<source type="image/webp" srcset="[^"]*-320\.webp 320w, [^"]*-640\.webp 640w, '
                     r'[^"]*-1024\.webp 1024w, [^"]*-1536\.webp 1536w" sizes="[^"]+">', first)
    assert re.search(r'<img src="[^"]*-640\.jpg" srcset="[^"]*-320\.jpg 320w, [^"]*-640\.jpg 640w, ', first)
    # p02: 500×375, never enlarged; its caption printed as text, escaped once.
    assert "-500.jpg 500w" in figures[1] and "-640" not in figures[1]
    caption = "ผู้ว่าราชการจังหวัด &lt;b&gt;กล่าวเปิดงาน&lt;/b&gt; &amp; ขอบคุณ"
    assert f'alt="{caption}"' in figures[1] and f"<figcaption>{caption}</figcaption>" in figures[1]
    assert "<b>" not in section
    assert 'alt="ภาพที่ 3 จาก 3: ' in figures[2] and 'width="300" height="200"' in figures[2]
    assert figures[2].count('loading="eager"') == 1  # EAGER: 3
    for figure in figures:  # every thumbnail is a link to a picture of the site: no JavaScript needed
        assert re.search(r'<a href="/images/photos/[^"]+\.jpg" class="gallery-link">\s*<picture>', figure)


def test_a_story_without_image_shares_its_first_photo_cropped_to_1200_by_630(photo_site_with_url):
    photo_site = photo_site_with_url
    html = story_html(photo_site)
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert re.fullmatch(rf"{SITEURL}/images/photos/[0-9a-f]{{20}}-share\.jpg", og), og
    og = og.removeprefix(SITEURL)
    first_link = re.search(rf'<a href="{SITEURL}(/images/photos/[0-9a-f]{{20}})-1536\.jpg" class="gallery-link">',
                           html).group(1)
    assert og == f"{first_link}-share.jpg"  # the first photo's copy, not a drawn card
    assert '<meta property="og:image:width" content="1200">' in html and '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:type" content="image/jpeg">' in html
    assert "/share/" not in og
    data = (photo_site / og.lstrip("/")).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))
        assert not image.getexif()
    assert not _has_metadata(data) and GPS_PLACE not in data
    # The page "about" (first photo 640×480): never enlarged, the largest 1.91:1 crop it holds.
    about = (photo_site / "about" / "index.html").read_text(encoding="utf-8")
    share = re.search(rf'<meta property="og:image" content="{SITEURL}([^"]+-share\.jpg)">', about).group(1)
    with Image.open(photo_site / share.lstrip("/")) as image:
        assert image.size == (640, 336)


def test_the_first_photo_is_the_cover_on_the_story_and_its_card_on_lists(photo_site):
    html = story_html(photo_site)
    first_thumb = re.search(r'<a href="[^"]+" class="gallery-link">\s*<picture>\s*<source[^>]*>\s*<img src="([^"]+)"',
                            html).group(1)
    cover = html[html.index('<figure class="cover">'):html.index("</figure>", html.index('<figure class="cover">'))]
    assert f'src="{first_thumb}"' in cover and f'alt="ภาพที่ 1 จาก 3: {TITLE}"' in cover
    home = (photo_site / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<article class="card">.*?</article>', home, re.S)
    ours = [card for card in cards if TITLE in card]
    assert ours, "the story is not on the home page"
    assert '<div class="card-image">' in ours[0] and f'src="{first_thumb}"' in ours[0]
    network = next(path for path in photo_site.glob("network/*/index.html") if TITLE in path.read_text(encoding="utf-8"))
    assert f'src="{first_thumb}"' in network.read_text(encoding="utf-8")


def test_pages_and_events_show_their_gallery_too(photo_site):
    for page in (photo_site / "about" / "index.html", photo_site / "events" / "merit-market-2570" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert html_errors(html) == [], page
        assert html.count('class="gallery-link"') == 1, page
        assert "ภาพที่ 1 จาก 1:" in html


def test_a_rebuild_with_nothing_changed_makes_no_copy(photo_site):
    import photos.photos as plugin

    content = photo_site.parent / "content"
    cache = photo_site.parent / f"{photo_site.name}-cache" / "photos"
    before = {path.name: path.stat().st_ino for path in cache.iterdir()}
    made = []
    with mock.patch.object(plugin, "_make", side_effect=lambda job: made.append(job)):
        build(content, photo_site, PROCESSES=1)
    assert made == []
    after = {path.name: path.stat().st_ino for path in cache.iterdir()}
    assert {name: ino for name, ino in after.items() if name != "index.json"} == \
           {name: ino for name, ino in before.items() if name != "index.json"}
    assert len(list((photo_site / "images" / "photos").iterdir())) == 20


def test_a_rebuild_reads_no_original_photo_and_notices_one_replaced_under_the_same_name(photo_site):
    """Originals: an unchanged photo is only stat()ed (no read, no hash, no header); one replaced
    in place, with the same name, size and modification time, is read again (its change time)."""
    content = photo_site.parent / "content"
    photos_folder = (content / "images").resolve()
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)) and core.is_photo_name(Path(file).name) \
                and Path(file).resolve().is_relative_to(photos_folder):
            opened.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    def rebuild() -> list[str]:
        opened.clear()
        with mock.patch("builtins.open", counting_open), mock.patch("io.open", counting_open):
            build(content, photo_site, PROCESSES=1)
        return sorted(opened)

    assert rebuild() == []
    p02 = content / "images" / "visit-2567" / "p02.jpg"
    old, status = p02.read_bytes(), p02.stat()
    other = camera_jpeg((480, 360), colour="blue")
    assert len(other) < len(old)
    try:
        with p02.open("r+b") as file:  # the same inode, size and modification time: only the bytes differ
            file.write(other + b"\0" * (len(old) - len(other)))
        os.utime(p02, ns=(status.st_atime_ns, status.st_mtime_ns))
        assert (p02.stat().st_size, p02.stat().st_mtime_ns, p02.stat().st_ino) == \
               (status.st_size, status.st_mtime_ns, status.st_ino)
        assert set(rebuild()) == {"p02.jpg"}  # checked, hashed and copied again; no other photo read
        assert "-480.jpg 480w" in story_html(photo_site) and "-500.jpg 500w" not in story_html(photo_site)
        assert rebuild() == []
    finally:
        p02.write_bytes(old)


def _in_main_process(calls: list, name: str, real):
    """`real`, noting each call made in this process (not in a forked child)."""
    main = os.getpid()

    def wrapper(*args, **kwargs):
        if os.getpid() == main:
            calls.append(name)
        return real(*args, **kwargs)
    return wrapper


def _past(folder: Path) -> None:
    """The folder's times a minute back: as a build long past left it (a folder changed within
    a clock tick of being looked at is never trusted: gallery_record.RACY_NS)."""
    past = folder.stat().st_mtime - 60
    os.utime(folder, (past, past))


def test_a_rebuild_with_nothing_changed_takes_every_gallery_from_its_record_checked_in_a_child(photo_site):
    """Issue 15, point 6: a child started with the build checks the galleries' record while
    Pelican reads; the main process reads no photo folder and no cache index, and links
    nothing into an output that holds every copy already. The pages are the same."""
    import photos.photos as plugin

    content, copies = photo_site.parent / "content", photo_site / "images" / "photos"
    build(content, photo_site, PROCESSES=2)  # the record as this content gives it
    pages = {path: path.read_bytes() for path in photo_site.rglob("*.html")}
    inodes = {path.name: path.stat().st_ino for path in copies.iterdir()}
    _past(copies)
    calls: list[str] = []
    with mock.patch.object(core, "read_gallery", _in_main_process(calls, "read_gallery", core.read_gallery)), \
            mock.patch.object(plugin, "PictureIndex", _in_main_process(calls, "PictureIndex", plugin.PictureIndex)), \
            mock.patch.object(plugin, "publish_cached", _in_main_process(calls, "publish", plugin.publish_cached)), \
            mock.patch.object(plugin, "_holding", _in_main_process(calls, "_holding", plugin._holding)):
        build(content, photo_site, PROCESSES=2)
    assert calls == []
    assert {path: path.read_bytes() for path in photo_site.rglob("*.html")} == pages
    assert {path.name: path.stat().st_ino for path in copies.iterdir()} == inodes


@pytest.mark.parametrize("when", ["before the build", "during the build"])
def test_a_copy_removed_from_the_output_or_a_stray_file_is_put_right_by_the_next_rebuild(photo_site, when):
    """The output folder is left alone only when it holds exactly the copies, as the child saw
    it and still at `finalized`: a copy removed or a file added, before the build or while it
    runs (after the child looked), is put right."""
    from pelican import signals

    content, copies = photo_site.parent / "content", photo_site / "images" / "photos"
    build(content, photo_site, PROCESSES=2)
    _past(copies)
    expected = {path.name: path.read_bytes() for path in copies.iterdir()}
    removed = sorted(expected)[3]

    def spoil(*_args, **_kwargs) -> None:
        (copies / removed).unlink()
        (copies / "0123456789abcdef0123-320.jpg").write_bytes(b"stray")

    if when == "before the build":
        spoil()
        _past(copies)  # the folder's times say nothing: its listing must
        build(content, photo_site, PROCESSES=2)
    else:
        signals.article_writer_finalized.connect(spoil)
        try:
            build(content, photo_site, PROCESSES=2)
        finally:
            signals.article_writer_finalized.disconnect(spoil)
    assert {path.name: path.read_bytes() for path in copies.iterdir()} == expected


@pytest.mark.slow
def test_a_copy_damaged_in_place_is_made_again_and_relinked_by_a_rebuild_that_checks_in_a_child(photo_site):
    content, copies = photo_site.parent / "content", photo_site / "images" / "photos"
    cache = photo_site.parent / f"{photo_site.name}-cache" / "photos"
    build(content, photo_site, PROCESSES=2)
    _past(copies)
    published = sorted(path for path in copies.iterdir() if path.suffix == ".jpg")[0]
    good = published.read_bytes()
    assert published.stat().st_ino == (cache / published.name).stat().st_ino  # one file, two names
    with published.open("r+b") as file:  # changed in place: the cached copy too
        file.seek(len(good) // 2)
        file.write(bytes(255 - byte for byte in good[len(good) // 2: len(good) // 2 + 8]))
    build(content, photo_site, PROCESSES=2)
    assert published.read_bytes() == good
    assert published.stat().st_ino == (cache / published.name).stat().st_ino


@pytest.mark.slow
def test_a_damaged_gallery_record_is_one_warning_and_every_gallery_read_again(photo_site, caplog):
    import logging

    from pelican.log import LimitFilter

    content = photo_site.parent / "content"
    record = photo_site.parent / f"{photo_site.name}-cache" / "photos" / "galleries.json"
    build(content, photo_site, PROCESSES=2)
    pages = {path: path.read_bytes() for path in photo_site.rglob("*.html")}
    record.write_bytes(record.read_bytes()[:50])
    LimitFilter._raised_messages = set()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="photos.photos"):
        build(content, photo_site, PROCESSES=2)
    warnings = [entry.getMessage() for entry in caplog.records if entry.name == "photos.photos"]
    assert len(warnings) == 1 and str(record) in warnings[0] and "เสียหาย" in warnings[0], warnings
    assert {path: path.read_bytes() for path in photo_site.rglob("*.html")} == pages
    assert read_json_cache(record, 1, gallery_record.record_problem).body is not None  # written whole again


@pytest.mark.slow
def test_a_child_that_fails_leaves_the_main_process_to_check_the_galleries(photo_site, caplog):
    import logging

    from pelican.log import LimitFilter

    import photos.photos as plugin

    content = photo_site.parent / "content"
    build(content, photo_site, PROCESSES=2)
    pages = {path: path.read_bytes() for path in photo_site.rglob("*.html")}
    main = os.getpid()
    real = plugin._holding

    def failing_in_a_child(*args, **kwargs):
        if os.getpid() != main:
            raise OSError("the child could not look")
        return real(*args, **kwargs)

    LimitFilter._raised_messages = set()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="photos.photos"), \
            mock.patch.object(plugin, "_holding", failing_in_a_child):
        build(content, photo_site, PROCESSES=2)
    assert any("checking the galleries ahead failed" in entry.getMessage() and "could not look" in entry.getMessage()
               for entry in caplog.records), caplog.records
    assert {path: path.read_bytes() for path in photo_site.rglob("*.html")} == pages


@pytest.mark.slow
def test_a_gallery_problem_stops_the_build_with_the_report(tmp_path, capsys):
    content = copy_site(tmp_path / "content")
    folder(content, "a", {"p01.jpg": camera_jpeg(), "captions.txt": "p07.jpg: ภาพ\n"})
    story = add_story(content, "bad", "images/a")
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out", PROCESSES=1)
    report = capsys.readouterr().err
    assert f"{story}:4: [Photos]" in report
    assert "p07.jpg" in report and "captions.txt" in report and "Correct the file name" in report
    assert not (tmp_path / "out" / "images" / "photos").exists()


@pytest.mark.slow
def test_a_cut_off_photo_stops_the_build_naming_it(tmp_path, capsys):
    content = copy_site(tmp_path / "content")
    data = camera_jpeg((900, 700))
    folder(content, "cut", {"p01.jpg": data[: len(data) // 2]})
    story = add_story(content, "cut", "images/cut")
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out", PROCESSES=1)
    report = capsys.readouterr().err
    assert f"{story}:4: [Photos]" in report and "images/cut/p01.jpg" in report
    assert "อ่านรูป" in report and "cannot read the photo" in report


def test_settings_are_checked_at_start_naming_the_plugin_and_key(tmp_path):
    with pytest.raises(ValueError, match=r"photos: PHOTOS\['MAX_SIDE'\]"):
        build(copy_site(tmp_path / "content"), tmp_path / "out", PHOTOS={"MAX_SIDE": "big"})
    with pytest.raises(ValueError, match=r"photos: unknown key\(s\) in PHOTOS: SIZE"):
        build(tmp_path / "content", tmp_path / "out", PHOTOS={"SIZE": 3})


def test_the_photo_folders_are_never_walked_for_static_files(tmp_path):
    """Layer 1 (buildcore.exclude_from_static): the StaticGenerator never reads a gallery's
    originals; layer 2: a gallery reached by another name (a symlink) is read, then dropped."""
    from pelican import signals

    content = copy_site(tmp_path / "content")
    good_content(content)
    (content / "images" / "visit-alias").symlink_to("visit-2567", target_is_directory=True)
    seen = {}

    def walked(generator) -> None:
        seen["files"] = sorted(static.get_relative_source_path() for static in generator.staticfiles)
        seen["excludes"] = list(generator.settings["STATIC_EXCLUDES"])

    def articles_read(generator) -> None:
        seen["shared settings"] = generator.settings

    signals.static_generator_finalized.connect(walked)
    signals.article_generator_finalized.connect(articles_read)
    try:
        build(content, tmp_path / "out", PROCESSES=1)
    finally:
        signals.static_generator_finalized.disconnect(walked)
        signals.article_generator_finalized.disconnect(articles_read)
    assert not [name for name in seen["files"] if name.startswith(("images/visit-2567/", "images/fair/"))]
    assert "images/visit-alias/p01.jpg" in seen["files"]  # walked under the other name...
    assert not (tmp_path / "out" / "images" / "visit-alias").exists()  # ...and still not published
    assert {"images/fair", "images/visit-2567"} <= set(seen["excludes"])
    assert "images/fair" not in seen["shared settings"]["STATIC_EXCLUDES"]  # the static generator's own copy
    assert len(published_pictures(tmp_path / "out" / "images" / "photos")) == 2 * (4 + 2 + 1 + 2) + 2
