"""The desk's local backend (newsroom/desk_api.py, issue 17): every action of Decap's local-fs
protocol on a small content folder, and every refusal: paths out of the stories' and pictures'
folders (`../`, absolute, hidden, `.git/hooks`, the Makefile, a symbolic link out of content/),
kinds of file the site must not publish, a foreign Host or Origin (DNS rebinding) and a form
post from another site. No server: `DeskApi.handle(headers, body)` is what `make desk` calls."""

import base64
import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from newsroom.desk_api import DeskApi, entry_id

PORT = 8000
HEADERS = {"Host": f"127.0.0.1:{PORT}", "Content-Type": "application/json"}
STORY = "Title: ข่าว\nDate: 2566-03-01\n\nเนื้อหา\n"
def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = _jpeg()  # a real one: the desk reads what a picture is from its bytes


@pytest.fixture
def site(tmp_path) -> Path:
    """tmp/site/{Makefile,.git/hooks,content/{news/2566,events,pages,images,documents}}"""
    root = tmp_path / "site"
    content = root / "content"
    for folder in ("news/2566", "events", "pages", "images/2566-03-01-khao", "documents", "extra"):
        (content / folder).mkdir(parents=True)
    (content / "news/2566/khao.md").write_text(STORY, encoding="utf-8")
    (content / "news/2566/.hidden.md").write_text("Title: hidden\n", encoding="utf-8")
    (content / "news/2566/notes.txt").write_text("not a story", encoding="utf-8")
    (content / "events/ngan.md").write_text("Title: งาน\nStart: 2570-01-01\nLocation: วัด\n", encoding="utf-8")
    (content / "pages/about.md").write_text("Title: เกี่ยวกับเรา\n\nหน้า\n", encoding="utf-8")
    (content / "images/2566-03-01-khao/p01.jpg").write_bytes(JPEG)
    (content / "extra/_headers").write_text("/*\n  X: y\n", encoding="utf-8")
    (root / "Makefile").write_text("all:\n", encoding="utf-8")
    (root / ".git/hooks").mkdir(parents=True)
    (tmp_path / "secret.md").write_text("Title: outside\n", encoding="utf-8")
    return root


@pytest.fixture
def api(site) -> DeskApi:
    return DeskApi(site / "content", ["news", "events", "pages"], PORT)


def call(api: DeskApi, action: str, headers=None, **params) -> tuple[int, object]:
    body = json.dumps({"action": action, "params": {"branch": "main", **params}}).encode()
    return api.handle(HEADERS if headers is None else headers, body)


def ok(api: DeskApi, action: str, **params):
    status, answer = call(api, action, **params)
    assert status == 200, answer
    return answer


def refused(api: DeskApi, action: str, status: int = 422, headers=None, **params) -> str:
    got, answer = call(api, action, headers, **params)
    assert got == status, answer
    assert set(answer) == {"error"}
    thai, english = answer["error"].split(" / ", 1)
    assert re.search("[\u0e00-\u0e7f]{3}", thai), thai  # Thai first ...
    assert re.search("[a-z]{3,} [a-z]{2,}", english), english  # ... then English
    return answer["error"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# ------------------------------------------------------------------------------------ actions

def test_info_says_local_files_and_simple_publishing(api):
    assert ok(api, "info") == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}


def test_entries_by_folder_lists_stories_down_the_year_folders_without_hidden_or_other_files(api, site):
    answer = ok(api, "entriesByFolder", folder="content/news", extension="md", depth=2)
    assert answer == [{"data": STORY, "file": {"path": "content/news/2566/khao.md", "id": entry_id(STORY.encode())}}]
    assert ok(api, "entriesByFolder", folder="content/news", extension="md", depth=1) == []  # the year is a level
    assert [item["file"]["path"] for item in ok(api, "entriesByFolder", folder="content/pages", extension="md",
                                                 depth=1)] == ["content/pages/about.md"]


def test_entries_by_files_and_get_entry(api):
    answer = ok(api, "entriesByFiles", files=[{"path": "content/events/ngan.md", "label": "x"},
                                              {"path": "content/events/missing.md"}])
    assert [item["file"]["path"] for item in answer] == ["content/events/ngan.md"]
    assert ok(api, "getEntry", path="content/news/2566/khao.md")["data"] == STORY
    assert ok(api, "getEntry", path="content/news/2567/new.md")["data"] is None


def test_persist_entry_writes_the_story_and_its_picture_whole(api, site):
    photo = base64.b64encode(JPEG).decode()
    answer = ok(api, "persistEntry", dataFiles=[{"path": "content/news/2567/mai.md", "slug": "2567/mai", "raw": STORY}],
                assets=[{"path": "content/images/2567-06-05-mai/p01.jpg", "content": photo, "encoding": "base64"}],
                options={"commitMessage": "x", "useWorkflow": False})
    assert answer == {"message": "entry persisted"}
    assert (site / "content/news/2567/mai.md").read_text(encoding="utf-8") == STORY
    assert (site / "content/images/2567-06-05-mai/p01.jpg").read_bytes() == JPEG
    # written aside and renamed: nothing left over, the usual permissions
    assert sorted(path.name for path in (site / "content/news/2567").iterdir()) == ["mai.md"]
    mask = os.umask(0)
    os.umask(mask)
    assert (site / "content/news/2567/mai.md").stat().st_mode & 0o777 == 0o666 & ~mask
    # an edit replaces the file (a new inode: the watcher and the build never see half a file)
    before = (site / "content/news/2567/mai.md").stat().st_ino
    ok(api, "persistEntry", entry={"path": "content/news/2567/mai.md", "raw": STORY + "ต่อ\n"}, assets=[])
    assert (site / "content/news/2567/mai.md").read_text(encoding="utf-8") == STORY + "ต่อ\n"
    assert (site / "content/news/2567/mai.md").stat().st_ino != before


def test_a_moved_entry_moves_alone(api, site):
    (site / "content/news/2566/other.md").write_text(STORY, encoding="utf-8")
    ok(api, "persistEntry", dataFiles=[{"path": "content/news/2566/khao.md", "newPath": "content/news/2567/khao.md",
                                        "raw": STORY}], assets=[])
    assert not (site / "content/news/2566/khao.md").exists()
    assert (site / "content/news/2567/khao.md").read_text(encoding="utf-8") == STORY
    assert (site / "content/news/2566/other.md").exists()  # decap-server would have moved it too


def test_media_listed_read_written_and_deleted(api, site):
    listed = ok(api, "getMedia", mediaFolder="content/images/2566-03-01-khao")
    assert listed == [{"id": entry_id(JPEG), "content": base64.b64encode(JPEG).decode(), "encoding": "base64",
                       "path": "content/images/2566-03-01-khao/p01.jpg", "name": "p01.jpg"}]
    assert ok(api, "getMedia", mediaFolder="content/images") == []  # files at depth 1 only
    assert ok(api, "getMedia", mediaFolder="content/news") == []  # an entry folder: none of its files are media
    assert ok(api, "getMediaFile", path="content/images/2566-03-01-khao/p01.jpg") == listed[0]
    pdf = base64.b64encode(b"%PDF-1.4 ...").decode()
    stored = ok(api, "persistMedia", asset={"path": "content/documents/raingan.pdf", "content": pdf, "encoding": "base64"})
    assert stored["path"] == "content/documents/raingan.pdf" and stored["content"] == pdf
    ok(api, "deleteFile", path="content/documents/raingan.pdf")
    assert not (site / "content/documents/raingan.pdf").exists()
    ok(api, "deleteFiles", paths=["content/images/2566-03-01-khao/p01.jpg", "content/pages/about.md"])
    assert not (site / "content/images/2566-03-01-khao/p01.jpg").exists()
    assert not (site / "content/pages/about.md").exists()
    assert ok(api, "getDeployPreview") is None


# ------------------------------------------------------------------------------------ refusals

BAD_PATHS = [
    "../secret.md",  # out of the site
    "content/news/../../Makefile",
    "content/news/2566/../../../Makefile",
    "/etc/passwd.md",  # absolute
    str(Path("/tmp/x.md").absolute()),
    "Makefile",
    ".git/hooks/pre-commit",
    "content/../.git/hooks/pre-commit.md",
    "content/news/.git/hooks/x.md",  # hidden folders
    "content/news/2566/.hidden.md",
    "content/extra/_headers",  # published as it is, but not the desk's to write
    "pelicanconf.py",
    "theme/templates/base.html",
    "content/news\\2566\\khao.md",
    "content/news/2566/khao.md\0.jpg",
    "content//news/2566/khao.md",
    "",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_paths_out_of_the_desks_folders_are_refused_for_every_action(api, site, path):
    before = snapshot(site.parent)
    for action, params in [
        ("getEntry", {"path": path}),
        ("entriesByFiles", {"files": [{"path": path}]}),
        ("persistEntry", {"dataFiles": [{"path": path, "raw": "Title: x\n"}], "assets": []}),
        ("persistEntry", {"dataFiles": [{"path": "content/news/2567/ok.md", "raw": "x"}],
                          "assets": [{"path": path, "content": "eA==", "encoding": "base64"}]}),
        ("getMediaFile", {"path": path}),
        ("persistMedia", {"asset": {"path": path, "content": "eA==", "encoding": "base64"}}),
        ("deleteFile", {"path": path}),
        ("deleteFiles", {"paths": ["content/pages/about.md", path]}),
    ]:
        message = refused(api, action, **params)
        assert "ไม่อนุญาต" in message or "the desk may not" in message, (action, message)
    assert snapshot(site.parent) == before  # nothing written, nothing deleted: not even the good half


@pytest.mark.parametrize("path", [
    "content/images/x.html", "content/images/2566-03-01-khao/x.js", "content/images/x.svg",
    "content/documents/x.exe", "content/news/2566/khao.html", "content/pages/x.txt", "content/images/x.md",
])
def test_kinds_of_file_the_site_must_not_publish_are_refused(api, site, path):
    content = base64.b64encode(b"<script>alert(1)</script>").decode()
    message = refused(api, "persistMedia", asset={"path": path, "content": content, "encoding": "base64"})
    assert "this kind of file is not allowed" in message or "the desk uses only" in message
    assert not (site / path).exists()


def test_folders_to_list_must_be_the_desks(api):
    for folder in ("content", "content/extra", "..", "content/news/../..", "/etc", ".git"):
        refused(api, "entriesByFolder", folder=folder, extension="md", depth=3)
        refused(api, "getMedia", mediaFolder=folder)


def test_symbolic_links_out_of_content_are_refused(api, site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("Title: outside\n", encoding="utf-8")
    (site / "content/news/linked").symlink_to(outside, target_is_directory=True)
    (site / "content/pages/link.md").symlink_to(tmp_path / "secret.md")
    (site / "content/images/hooks").symlink_to(site / ".git/hooks", target_is_directory=True)
    refused(api, "getEntry", path="content/news/linked/x.md")
    refused(api, "getEntry", path="content/pages/link.md")
    refused(api, "persistEntry", dataFiles=[{"path": "content/news/linked/new.md", "raw": "x"}], assets=[])
    refused(api, "persistEntry", dataFiles=[{"path": "content/pages/link.md", "raw": "x"}], assets=[])
    refused(api, "persistMedia", asset={"path": "content/images/hooks/pre-commit.jpg", "content": "eA==",
                                        "encoding": "base64"})
    refused(api, "deleteFile", path="content/pages/link.md")
    assert (tmp_path / "secret.md").read_text(encoding="utf-8") == "Title: outside\n"
    assert not (outside / "new.md").exists() and list((site / ".git/hooks").iterdir()) == []
    # ... and a listing does not follow them either
    assert [item["file"]["path"] for item in ok(api, "entriesByFolder", folder="content/news", extension="md",
                                                 depth=3)] == ["content/news/2566/khao.md"]
    assert [item["file"]["path"] for item in ok(api, "entriesByFolder", folder="content/pages", extension="md",
                                                 depth=1)] == ["content/pages/about.md"]


@pytest.mark.parametrize("headers, status", [
    ({"Host": "evil.example:8000", "Content-Type": "application/json"}, 403),  # DNS rebinding
    ({"Host": "127.0.0.1:9999", "Content-Type": "application/json"}, 403),  # another port
    ({"Host": "127.0.0.1", "Content-Type": "application/json"}, 403),
    ({"Content-Type": "application/json"}, 403),
    ({"Host": "127.0.0.1:8000", "Content-Type": "application/json", "Origin": "https://evil.example"}, 403),
    ({"Host": "127.0.0.1:8000", "Content-Type": "application/x-www-form-urlencoded"}, 415),  # a form on another site
    ({"Host": "127.0.0.1:8000", "Content-Type": "text/plain"}, 415),
    ({"Host": "127.0.0.1:8000", "Content-Type": "multipart/form-data; boundary=x"}, 415),
    ({"Host": "127.0.0.1:8000"}, 415),
])
def test_requests_not_from_the_desks_own_page_are_refused(api, site, headers, status):
    before = snapshot(site)
    refused(api, "persistEntry", status, headers,
            dataFiles=[{"path": "content/news/2567/evil.md", "raw": "Title: x\n"}], assets=[])
    refused(api, "getEntry", status, headers, path="content/news/2566/khao.md")
    assert snapshot(site) == before


def test_the_desks_own_names_are_accepted():
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "[::1]:8000"):
        api = DeskApi(Path("/nonexistent/content"), ["news"], PORT)
        status, _ = call(api, "info", {"Host": host, "Content-Type": "application/json; charset=utf-8",
                                       "Origin": f"http://{host.lower()}"})
        assert status == 200, host


def test_bodies_that_are_not_requests_are_refused(api):
    for body in (b"not json", b"[]", b'{"action": "info", "params": []}', "{\"action\": \"\u0e01".encode()):
        status, answer = api.handle(HEADERS, body)
        assert status == 400 and "error" in answer, body
    status, answer = api.handle(HEADERS, b'{"action": "unpublishedEntries", "params": {}}')
    assert status == 422 and "unpublishedEntries" in answer["error"]
    status, answer = api.handle(HEADERS, b'{"action": "__init__", "params": {}}')
    assert status == 422
    bad = {"path": "content/images/x.jpg", "content": "not base64!", "encoding": "base64"}
    assert call(api, "persistMedia", asset=bad)[0] == 400


@pytest.mark.parametrize(("path", "data"), [
    ("content/images/evil.jpg", b"<html><script>alert(1)</script></html>"),
    ("content/images/evil.gif", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("content/documents/evil.pdf", b"<html><script>alert(1)</script></html>"),
    ("content/documents/evil.docx", b"%PDF-1.4 a PDF named .docx"),
])
def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused(api, site, path, data):
    """The site publishes pictures and documents as they are: HTML named .jpg must not be one."""
    content = base64.b64encode(data).decode()
    message = refused(api, "persistMedia", asset={"path": path, "content": content, "encoding": "base64"})
    assert "is not the kind of file its name says" in message and not (site / path).exists()
    status, _answer = call(api, "persistEntry", dataFiles=[{"path": "content/news/2566/x.md", "raw": STORY}],
                           assets=[{"path": path, "content": content, "encoding": "base64"}])
    assert status == 422 and not (site / "content/news/2566/x.md").exists()  # all or nothing
    good = base64.b64encode(JPEG if path.startswith("content/images") else
                            b"%PDF-1.4 ..." if path.endswith(".pdf") else b"PK\x03\x04...").decode()
    ok(api, "persistMedia", asset={"path": path, "content": good, "encoding": "base64"})


def test_json_nested_too_deep_is_refused_not_a_crash(api):
    body = b'{"action":"info","params":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    status, answer = api.handle(HEADERS, body)
    assert status == 400 and "not JSON" in answer["error"]


def test_a_loop_of_folder_links_is_not_walked(api, site):
    """entriesByFolder trusts no depth from the request and walks into no linked folder."""
    os.symlink(".", site / "content/news/2566/loop1")
    os.symlink(".", site / "content/news/2566/loop2")
    entries = ok(api, "entriesByFolder", folder="content/news", extension="md", depth=40)
    assert [entry["file"]["path"] for entry in entries] == ["content/news/2566/khao.md"]


def test_the_desk_listens_on_this_machine_only():
    from newsroom import desk

    assert desk.loopback("127.0.0.1") and desk.loopback("::1") and desk.loopback("localhost")
    assert not desk.loopback("0.0.0.0") and not desk.loopback("192.168.1.10") and not desk.loopback("workstation.lan")
