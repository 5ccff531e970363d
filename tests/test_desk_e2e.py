"""The officers' desk end to end (issue 17, point 8): `make desk`'s command on a copy of the test
site, driven in headless Chromium as an officer would: sign in, write a new story (title, date, two
networks, a cover photo with its description, the text) and save it; the file is ours (`Key: value`
header) and passes `make check`; the preview shows it; an existing story edited, saved, set back
and saved again is byte-identical; and no request ever left 127.0.0.1.

Skipped only when Node.js or npm is missing (the desk is installed with npm), with that reason;
with DESK_TESTS_REQUIRED=1 (.ci/run) that is a failure. The desk's packages are installed by the
Makefile's own rule when they are missing (`make test` does that first)."""

import base64
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

import pytest

from browser import launch_chromium, leaves_localhost
from conftest import copy_site
from newsroom import check, desk_config, importer
from newsroom.desk import DIST
from running import processes_using, wait_until
from serving import free_port, page_text
from sites import ROOT, SEEDS
from thainews.metadata import check_metadata

pytestmark = [pytest.mark.slow, pytest.mark.browser]
STORY = "news/2566/moralcenter-coordination-centre.md"
STORY_URL = "/admin/#/collections/news/entries/2566/moralcenter-coordination-centre"


def desk_needs() -> None:
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if missing:
        reason = f"Node.js 20 and npm are needed for the desk ({' and '.join(missing)} not found)"
        if os.environ.get("DESK_TESTS_REQUIRED") == "1":
            pytest.fail(reason + ", and DESK_TESTS_REQUIRED=1")
        pytest.skip(reason)
    if not DIST.is_dir():  # `make test` installs them first; run alone, install them the same way
        subprocess.run(["make", "--no-print-directory", "desk/node_modules/.installed"], cwd=ROOT, check=True,
                       timeout=900)


class Desk:
    """`python -m newsroom.desk` as `make desk` starts it, on a free port, on `content`."""

    def __init__(self, content: Path, work: Path):
        self.content, self.log = content, work / "desk.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHAINLP_READ_ONLY": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "newsroom.desk", str(content), "-s", str(ROOT / "pelicanconf.py"),
                 "-o", str(work / "out"), "-t", str(ROOT / "theme"), "--cache-path", str(work / "cache"),
                 "-b", "127.0.0.1", "-p", str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def said(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            return self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    desk_needs()
    work = tmp_path_factory.mktemp("desk")
    content = copy_site(work / "content")
    running = Desk(content, work)
    try:
        wait_until(lambda: running.said("whole site built"), "the desk's first build", running.log)
        yield running
    finally:
        assert running.stop() == 0  # Ctrl-C: the server, the build and the render end with it
        deadline = time.monotonic() + 20
        while processes_using(work) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_using(work) == []


@pytest.fixture(scope="module")
def officer(desk):
    """A signed-in page of the desk in headless Chromium, and every URL it asked for."""
    with launch_chromium("desk's end-to-end tests") as chromium:
        page = chromium.new_page()
        asked: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(60_000)
        page.goto(desk.base + "/admin/")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()  # local mode: no password
        page.get_by_text("กิจกรรม (ปฏิทินความดี)").first.wait_for()
        yield page, asked, errors
        page.close()


def save(page) -> None:
    """The toolbar's บันทึก (our word for Decap's "publish": in local mode it saves the file)."""
    page.get_by_role("button", name="บันทึก", exact=True).first.click()
    page.get_by_role("menuitem", name="บันทึกตอนนี้").click()


def jpeg() -> bytes:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 40, 40)).save(picture, "JPEG")
    return picture.getvalue()


def test_the_served_config_is_the_generated_one(desk):
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    served = json.loads(page_text(desk.base + "/admin/config.yml"))
    assert served == desk_config.config(settings, desk.content.name)
    data = page_text(desk.base + "/admin/desk-data.js")
    tables = desk_config.desk_data(settings, desk.content.name)
    assert data == f"window.DESK_DATA = {json.dumps(tables, ensure_ascii=False, sort_keys=True)};\n"


def test_a_new_story_with_two_networks_a_photo_and_text(desk, officer, tmp_path):
    page, asked, errors = officer
    photo = tmp_path / "p01.jpg"
    photo.write_bytes(jpeg())
    page.goto(desk.base + "/admin/#/collections/news/new")
    page.locator("[id^=Title-field]").fill("ข่าวจากโต๊ะข่าว ทดสอบการบันทึก")
    # the date from the calendar (the browser's, in the Common Era): written as officers write it
    page.locator("input[type=date][id^=Date-field]").fill("2024-06-05")
    assert page.locator("input[type=text][id^=Date-field]").input_value() == "2567-06-05"
    assert page.locator("[id^=Date-field][id$=-reading]").inner_text() == "5 มิถุนายน 2567"
    page.locator("[id^=Slug-field]").click()  # the officer reaches the Slug: filled in from the title
    slug_field = page.locator("[id^=Slug-field]")
    wait_until(lambda: slug_field.input_value() != "", "the slug made from the title", desk.log, 30)
    slug = slug_field.input_value()
    assert slug.startswith("khao-chak-to-khao"), slug
    for network in ("ศาสนา", "สื่อคุณธรรม"):
        page.locator("[id^=Networks-field]").fill(network)
        page.keyboard.press("Enter")
    page.get_by_role("button", name="เลือกรูปภาพ").click()
    page.locator("input[type=file]:not([id^=Photos-field])").first.set_input_files(str(photo))  # the media library's
    page.get_by_role("button", name="เลือกข้อมูลที่ถูกเลือก").click()
    page.locator("[id^=ImageAlt-field]").fill("ผู้เข้าร่วมประชุมถ่ายภาพร่วมกัน")
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("ศูนย์คุณธรรมประชุมร่วมกับเครือข่ายศาสนาและเครือข่ายสื่อคุณธรรม")
    save(page)

    written = desk.content / "news" / "2567" / f"{slug}.md"
    wait_until(written.exists, "the new story's file", desk.log, 60)
    folder = f"images/2567-06-05-{slug}"
    assert written.read_text(encoding="utf-8") == (
        "Title: ข่าวจากโต๊ะข่าว ทดสอบการบันทึก\n"
        "Date: 2567-06-05\n"
        f"Slug: {slug}\n"
        "Networks: เครือข่ายศาสนา, เครือข่ายสื่อคุณธรรม\n"
        f"Image: {folder}/p01.jpg\n"
        "ImageAlt: ผู้เข้าร่วมประชุมถ่ายภาพร่วมกัน\n"
        "\n"
        "ศูนย์คุณธรรมประชุมร่วมกับเครือข่ายศาสนาและเครือข่ายสื่อคุณธรรม\n")
    assert (desk.content / folder / "p01.jpg").read_bytes() == photo.read_bytes()

    # The build's own checks (`make check`) find nothing wrong with the site and the new story.
    assert check.main(["--content", str(desk.content)]) == 0

    # The preview shows it at its address (the devserver's fast render), then on the home page.
    url = f"{desk.base}/news/2024/06/{slug}/"
    wait_until(lambda: "ข่าวจากโต๊ะข่าว ทดสอบการบันทึก" in page_text(url), "the story in the preview", desk.log)
    wait_until(lambda: slug in page_text(desk.base + "/"), "the story on the home page", desk.log)
    page.goto(url)
    assert page.locator("h1").first.inner_text().strip() == "ข่าวจากโต๊ะข่าว ทดสอบการบันทึก"
    cover = page.locator("img[alt='ผู้เข้าร่วมประชุมถ่ายภาพร่วมกัน']").first
    cover.wait_for()
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")  # the uploaded photo, shown

    assert [url for url in asked if leaves_localhost(url)] == []
    assert errors == []


def test_an_existing_story_edited_and_set_back_is_byte_identical(desk, officer):
    page, asked, errors = officer
    path = desk.content / STORY
    original = path.read_bytes()
    title = original.decode("utf-8").split("\n", 1)[0].removeprefix("Title: ")

    page.goto(desk.base + STORY_URL)
    field = page.locator("[id^=Title-field]")
    field.wait_for()
    assert field.input_value() == title
    # its date as written (kept byte for byte), read out in Thai
    date = original.decode("utf-8").split("\nDate: ", 1)[1].split("\n", 1)[0]
    assert page.locator("input[type=text][id^=Date-field]").input_value() == date
    assert page.locator("[id^=Date-field][id$=-reading]").inner_text() == "1 มีนาคม 2566"
    field.fill(title + " แก้ไข")
    save(page)
    wait_until(lambda: path.read_bytes() != original, "the edited story's file", desk.log, 60)
    edited = path.read_text(encoding="utf-8").split("\n")
    before = original.decode("utf-8").split("\n")
    assert [index for index, (a, b) in enumerate(zip(before, edited, strict=True)) if a != b] == [0]
    assert edited[0] == f"Title: {title} แก้ไข"
    wait_until(lambda: f"{title} แก้ไข" in page_text(desk.base + "/news/2023/03/moralcenter-coordination-centre/"),
               "the edit in the preview", desk.log)

    page.reload()
    field = page.locator("[id^=Title-field]")
    field.wait_for()
    assert field.input_value() == f"{title} แก้ไข"
    field.fill(title)
    save(page)
    wait_until(lambda: path.read_bytes() == original, "the story set back, byte for byte", desk.log, 60)

    assert [url for url in asked if leaves_localhost(url)] == []
    assert errors == []


def post_json(desk: Desk, route: str, body, headers: dict | None = None) -> tuple[int, dict]:
    """POST `body` as JSON to the desk, as the editor does; (status, the JSON answer)."""
    request = urllib.request.Request(desk.base + route, data=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_check_endpoint_gives_the_builds_own_message(desk):
    text = "Title: ข่าว\nDate: 2567-06-05\nSlug: khao\nNetworks: เครือข่ายศาสนา, เครือข่ายนักบินอวกาศ\n\nเนื้อหา\n"
    status, answer = post_json(desk, "/desk/api/check", {"path": "content/news/2567/khao.md", "raw": text})
    assert status == 200, answer
    expected = check_metadata("content/news/2567/khao.md", text,
                              {"title": "ข่าว", "date": "2567-06-05", "slug": "khao",
                               "networks": "เครือข่ายศาสนา, เครือข่ายนักบินอวกาศ"}, "เนื้อหา", "article").problems
    assert [problem.field for problem in expected] == ["Networks"]
    assert answer == {"problems": [asdict(problem) for problem in expected], "errors": 1}
    assert not (desk.content / "news/2567/khao.md").exists()  # checked, not written

    good = text.replace(", เครือข่ายนักบินอวกาศ", "")
    assert post_json(desk, "/desk/api/check", {"path": "content/news/2567/khao.md", "raw": good}) == (
        200, {"problems": [], "errors": 0})
    # Refused: a file the desk may not write, a foreign Host (DNS rebinding), no text
    status, answer = post_json(desk, "/desk/api/check", {"path": "Makefile", "raw": good})
    assert status == 422 and "content/news/" in answer["error"]
    status, answer = post_json(desk, "/desk/api/check", {"path": "content/news/2567/khao.md", "raw": good},
                               {"Host": "evil.example:80"})
    assert status == 403 and "evil.example" in answer["error"]
    assert post_json(desk, "/desk/api/check", {"path": "content/news/2567/khao.md"})[0] == 400


def test_a_story_the_build_would_refuse_is_not_saved_and_the_officer_reads_why(desk, officer):
    page, asked, errors = officer
    page.goto(desk.base + "/admin/#/collections/news/new")
    page.reload()  # a new entry, not the story the page showed before with its values
    page.locator("[id^=Title-field]").fill("ข่าววันที่ผิด")
    page.locator("[id^=Slug-field]").fill("khao-wan-thi-phit")
    date = page.locator("input[type=text][id^=Date-field]")
    date.press("Control+a")  # (`fill` would add to the text the field holds: today's date)
    date.press_sequentially("2567-13-05")  # typed, kept as typed: the build's check says why it is wrong  # Decap's pattern takes it; the calendar does not
    page.locator("[id^=Networks-field]").fill("ศาสนา")
    page.keyboard.press("Enter")
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("เนื้อหาข่าว")
    # The preview lists the build's problem, in Thai, before any save
    preview = page.frame_locator("iframe").first.locator(".desk-check")
    preview.get_by_text("ข้อผิดพลาด 1 จุด (ต้องแก้ก่อนบันทึก)", exact=False).wait_for()  # checked as typed
    assert "ไม่มีวันที่ '2567-13-05' ในปฏิทิน" in preview.inner_text()
    assert page.locator("[id^=Title-field]").input_value() == "ข่าววันที่ผิด"

    before = len(errors)
    save(page)
    page.get_by_text("ข่าวนี้มีข้อผิดพลาด 1 จุดที่ต้องแก้ก่อนบันทึก", exact=False).first.wait_for()
    assert "[Date] บรรทัด 2: ไม่มีวันที่ '2567-13-05' ในปฏิทิน" in page.locator("body").inner_text()
    time.sleep(1)
    # Decap ends every refused save with a rejected promise of its own (the failure action, shown as
    # "Object"; decap-cms-core persistEntry): that one, and no other error
    assert errors[before:] == ["Object"]
    del errors[before:]
    assert not list((desk.content / "news").rglob("khao-wan-thi-phit.md"))  # nothing written

    date.press("Control+a")
    date.press_sequentially("2567-06-05")
    assert date.input_value() == "2567-06-05"
    preview.get_by_text("ไม่พบปัญหา", exact=False).wait_for()
    save(page)
    written = desk.content / "news" / "2567" / "khao-wan-thi-phit.md"
    wait_until(written.exists, "the corrected story's file", desk.log, 60)
    assert "Date: 2567-06-05\n" in written.read_text(encoding="utf-8")
    assert check.main(["--content", str(desk.content)]) == 0
    assert [url for url in asked if leaves_localhost(url)] == []
    assert errors == []


@pytest.mark.parametrize("seed", ["moralcenter-2566-03-01.txt", "prd-chiangrai-2563-03-11.txt"])
def test_a_pasted_report_becomes_what_make_import_writes(desk, seed, tmp_path):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    status, answer = post_json(desk, "/desk/api/import", {"text": text})
    assert status == 200, answer
    written = desk.content.parent / answer["path"]
    # `make import` of the same report, into a copy of the same site (its romanisation lexicon)
    alone = copy_site(tmp_path / "content")
    before = set((alone / "news").rglob("*.md"))
    importer.main([str(SEEDS / seed), "--content", str(alone)])
    [expected] = set((alone / "news").rglob("*.md")) - before
    assert written.read_bytes() == expected.read_bytes()
    assert answer["path"] == f"{desk.content.name}/{expected.relative_to(alone).as_posix()}"
    assert answer["entry"] == f"{expected.parent.name}/{expected.stem}"
    assert answer["title"] == written.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("Title: ")
    assert answer["lines"][0] == f"หัวข้อ / Title: {answer['title']}"
    # again: never over a file
    status, again = post_json(desk, "/desk/api/import", {"text": text})
    assert status == 409 and "ไม่เขียนทับ" in again["error"] and answer["path"] in again["error"]
    assert written.read_bytes() == expected.read_bytes()
    written.unlink()  # the next test pastes one of them through the page


def test_nothing_to_import_is_said_so(desk):
    status, answer = post_json(desk, "/desk/api/import", {"text": "   "})
    assert status == 400 and "ยังไม่ได้วาง" in answer["error"]
    status, answer = post_json(desk, "/desk/api/import", {"text": "หัวข้อเท่านั้น"})
    assert status == 422 and "ไม่พบหัวข้อหรือเนื้อหาข่าว" in answer["error"]
    status, answer = post_json(desk, "/desk/api/import", {"text": "x"}, {"Origin": "https://evil.example"})
    assert status == 403


def test_the_officer_pastes_a_report_and_the_new_story_opens_in_the_editor(desk, officer):
    page, asked, errors = officer
    page.goto(desk.base + "/admin/")
    page.locator("#desk-paste-link").click()  # from the editor
    page.wait_for_url("**/admin/paste.html")
    page.locator("#report").fill((SEEDS / "prd-chiangrai-2563-03-11.txt").read_text(encoding="utf-8"))
    page.get_by_role("button", name="สร้างข่าว").click()
    page.locator("#open-story").wait_for()
    result = page.locator("#result").inner_text()
    assert "สร้างข่าวแล้ว" in result and "วันที่ / Date: 2563-03-11" in result
    [written] = [path for path in (desk.content / "news" / "2563").glob("*.md")
                 if path.name != "chiangrai-social-networks-plan.md"]
    title = written.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("Title: ")
    page.locator("#open-story").click()
    field = page.locator("[id^=Title-field]")
    field.wait_for()
    assert field.input_value() == title
    assert page.locator("input[type=text][id^=Date-field]").input_value() == "2563-03-11"
    assert page.locator("[id^=Date-field][id$=-reading]").inner_text() == "11 มีนาคม 2563"
    # the build's checks of the imported story show beside it
    page.frame_locator("iframe").first.locator(".desk-check").get_by_text("ตรวจก่อนบันทึก", exact=False).wait_for()
    assert [url for url in asked if leaves_localhost(url)] == []
    assert errors == []


def test_the_officer_uploads_two_photos_with_captions_into_a_new_storys_album(desk, officer, tmp_path):
    page, asked, errors = officer
    photos = []
    for number, colour in ((1, (30, 90, 200)), (2, (200, 160, 20))):
        from PIL import Image

        path = tmp_path / f"p0{number}.jpg"
        Image.new("RGB", (160, 120), colour).save(path, "JPEG")
        photos.append(path)
    page.goto(desk.base + "/admin/#/collections/news/new")
    page.reload()  # a new entry, not the one the page showed before
    page.locator("[id^=Title-field]").fill("อัลบั้มจากโต๊ะข่าว")
    page.locator("input[type=date][id^=Date-field]").fill("2024-06-05")
    page.locator("[id^=Slug-field]").fill("album-chak-to-khao")
    page.locator("[id^=Networks-field]").fill("ศาสนา")
    page.keyboard.press("Enter")
    page.locator("input[type=file][id^=Photos-field]").set_input_files([str(path) for path in photos])
    folder = "images/2567-06-05-album-chak-to-khao"
    status = page.locator("[id^=Photos-field][id$=-status]")
    status.get_by_text("เพิ่มรูปแล้ว 2 รูป", exact=False).wait_for()
    assert page.locator("input[type=text][id^=Photos-field]").first.input_value() == folder
    thumbnails = page.locator(".desk-photos-list img")
    assert thumbnails.count() == 2
    thumbnails.nth(1).wait_for()
    wait_until(lambda: thumbnails.nth(1).evaluate("img => img.complete && img.naturalWidth > 0"), "the thumbnails",
               desk.log, 20)
    for index, caption in enumerate(("ผู้ร่วมงานฟังธรรม", "จิตอาสาทำความสะอาดวัด")):
        field = page.get_by_label(f"คำบรรยายรูปที่ {index + 1} (p0{index + 1}.jpg)")
        field.fill(caption)
        field.press("Tab")  # leaving the field saves the caption
        status.get_by_text(f"บันทึกคำบรรยายของ p0{index + 1}.jpg แล้ว", exact=False).wait_for()
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("ข่าวพร้อมอัลบั้มรูป")
    page.frame_locator("iframe").first.locator(".desk-check").get_by_text("ไม่พบปัญหา", exact=False).wait_for()
    save(page)

    written = desk.content / "news" / "2567" / "album-chak-to-khao.md"
    wait_until(written.exists, "the new story's file", desk.log, 60)
    assert f"\nPhotos: {folder}\n" in written.read_text(encoding="utf-8")
    album = desk.content / folder
    assert sorted(path.name for path in album.iterdir()) == ["captions.txt", "p01.jpg", "p02.jpg"]
    assert [(album / path.name).read_bytes() for path in photos] == [path.read_bytes() for path in photos]
    assert (album / "captions.txt").read_text(encoding="utf-8") == (
        "p01.jpg: ผู้ร่วมงานฟังธรรม\np02.jpg: จิตอาสาทำความสะอาดวัด\n")
    assert check.main(["--content", str(desk.content)]) == 0  # `make check`
    url = f"{desk.base}/news/2024/06/album-chak-to-khao/"
    wait_until(lambda: "จิตอาสาทำความสะอาดวัด" in page_text(url), "the album in the preview", desk.log)
    assert [url for url in asked if leaves_localhost(url)] == []
    assert errors == []


def test_the_album_endpoints_refuse_other_sites_and_other_folders(desk):
    photo = base64.b64encode(jpeg()).decode("ascii")
    body = {"folder": "images/2567-06-05-refused", "photos": [{"name": "p01.jpg", "content": photo}]}
    status, answer = post_json(desk, "/desk/api/photos", body, {"Host": "evil.example:80"})
    assert status == 403 and "evil.example" in answer["error"]
    status, answer = post_json(desk, "/desk/api/photos", body, {"Origin": "https://evil.example"})
    assert status == 403
    status, answer = post_json(desk, "/desk/api/photos", body, {"Content-Type": "text/plain"})
    assert status == 415  # a form of another site cannot post JSON without asking first
    status, answer = post_json(desk, "/desk/api/photos", {**body, "folder": "images/../../Makefile"})
    assert status == 422
    status, answer = post_json(desk, "/desk/api/photos", {**body, "photos": [{"name": "x.html", "content": photo}]})
    assert status == 422 and "JPEG" in answer["error"]
    assert not (desk.content / "images" / "2567-06-05-refused").exists()
    for route in ("/desk/api/photos?folder=images/x", "/desk/api/thumbnail?photo=images/x/p01.jpg"):
        request = urllib.request.Request(desk.base + route, headers={"Host": "evil.example:80"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(desk.base + "/desk/api/thumbnail?photo=images/../../pelicanconf.py", timeout=30)
    assert refused.value.code == 422


def test_no_page_of_the_desk_is_served_to_another_sites_name(desk):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 reads nothing,
    not the preview (it shows drafts), not the editor's configuration."""
    for route in ("/", "/drafts/", "/admin/", "/admin/config.yml", "/admin/desk-data.js"):
        request = urllib.request.Request(desk.base + route, headers={"Host": f"evil.example:{desk.port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403, route
    with urllib.request.urlopen(desk.base + "/admin/config.yml", timeout=30) as answer:  # its own name: served
        assert answer.status == 200


def test_the_desk_refuses_to_listen_beyond_this_machine(capsys):
    from newsroom import desk as desk_module

    assert desk_module.main(["content", "-b", "0.0.0.0", "-p", "8000"]) == 2
    assert "127.0.0.1" in capsys.readouterr().err
