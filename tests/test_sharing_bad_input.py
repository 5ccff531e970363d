"""A cross-post link or a cover picture that would give a broken page stops the build, with a
message naming the file, the line, the field and the fix, in Thai and English."""

import io

import pytest
from PIL import Image

from conftest import build
from thainews.images import image_file_problem

HEADER = "Title: ทดสอบ {name}\nDate: 2567-05-01\nNetworks: เครือข่ายศาสนา\n"
BODY = "\nเนื้อหาข่าวทดสอบการตรวจสอบลิงก์และรูป\n"


def add_article(content, name, fields, picture: bytes | None = None):
    if picture is not None:
        (content / "images").mkdir(exist_ok=True)
        (content / "images" / f"{name}.jpg").write_bytes(picture)
        fields += f"Image: images/{name}.jpg\nImageAlt: ภาพทดสอบ\n"
    path = content / "news" / "bad" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(name=name) + fields + BODY, encoding="utf-8")
    return f"content/news/bad/{name}.md"


def jpeg(size=(1600, 1000)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 megapixels, a few kilobytes
    return buffer.getvalue()


# name: (metadata lines, picture bytes or None, line of the field, words the Thai and English messages hold)
CASES = {
    "facebook-not-facebook": ("Facebook: https://example.com/MoralCenter\n", None, 4, "ลิงก์ Facebook", "is not valid"),
    "facebook-http": ("Facebook: http://www.facebook.com/MoralCenter\n", None, 4, "ลิงก์ Facebook", "is not valid"),
    "youtube-channel": ("YouTube: https://youtube.com/user/moralcenter\n", None, 4, "ไม่ใช่ลิงก์วิดีโอ", "not a video link"),
    "youtube-short-id": ("YouTube: https://youtu.be/abc\n", None, 4, "ไม่ใช่ลิงก์วิดีโอ", "not a video link"),
    "picture-not-a-picture": ("", "นี่ไม่ใช่รูป แต่เป็นข้อความ".encode(), 4, "เปิดไฟล์", "cannot be read as a picture"),
    "picture-huge": ("", huge_png(), 4, "ใหญ่เกินไป", "too large"),
}
FIELDS = {"facebook": "[Facebook]", "youtube": "[YouTube]", "picture": "[Image]"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_link_or_picture_fails_the_build_with_its_message(case, content_copy, tmp_path, capsys):
    fields, picture, line, thai, english = CASES[case]
    shown = add_article(content_copy, case, fields, picture)
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out", "publishconf.py", SITEURL="https://news.example.org")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    reported = next(text for text in report.splitlines() if text.startswith(shown))
    assert reported.startswith(f"{shown}:{line}: {FIELDS[case.split('-')[0]]}"), reported
    assert thai in reported and english in report
    assert "Found 1 problem" in report and "พบปัญหา 1 จุด" in report
    assert not (tmp_path / "out" / "index.html").exists()  # nothing half-published


def test_a_cut_off_picture_fails_the_build_when_it_is_decoded(content_copy, tmp_path, capsys):
    whole = jpeg()
    shown = add_article(content_copy, "picture-cut-off", "", whole[: len(whole) // 3])
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    reported = next(text for text in report.splitlines() if text.startswith(shown))
    assert reported.startswith(f"{shown}:4: [Image]") and "อ่านรูป" in reported
    assert "cannot decode the picture 'images/picture-cut-off.jpg'" in report
    assert "Traceback" not in report


def test_picture_limits_are_checked_from_the_header_only(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg((1200, 800)))
    assert image_file_problem(path) is None
    thai, english = image_file_problem(path, max_pixels=500_000)
    assert "1200×800" in thai and "too large" in english
    thai, english = image_file_problem(path, max_bytes=1000)
    assert "MB" in thai and "too big" in english
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', encoding="utf-8")
    assert image_file_problem(svg) is None
    svg.write_text("not a drawing", encoding="utf-8")
    assert "not an SVG" in image_file_problem(svg)[1]
