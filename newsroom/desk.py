"""`make desk`: the officers' desk (issue 17): Decap CMS in Thai, writing into this working tree,
with the live preview of the site, on one port of this machine.

    python -m newsroom.desk [content] [-s pelicanconf.py] [-o output] [-b 127.0.0.1] [-p 8000] ...
    (the options of `python -m newsroom.devserver`)

It is `make devserver` (newsroom/devserver.py: watching, a saved story shown at once, full builds
in a child, serving output/ at `/`, Ctrl-C leaving no process) with a request handler that adds:

* `GET /admin/…`: the editor. Our files from desk/admin/ (index.html, desk-pre.js, desk.js),
  Decap's prebuilt bundle from desk/node_modules/decap-cms/dist/ (installed by `make desk` from
  the committed desk/package-lock.json: nothing comes from a CDN), and two generated files:
  `config.yml` (newsroom/desk_config.py's `config`, as JSON, which is YAML) and `desk-data.js`
  (`desk_data`, for the file format). Served with the editor's own Content-Security-Policy
  (`ADMIN_POLICY`; the site keeps its stricter one) and `Cache-Control: no-store`.
* `POST /api/v1`: Decap's local-fs protocol (newsroom/desk_api.py), writing only stories,
  activities, pages, pictures and documents in content/.
* `GET /desk/api/slug?title=…`: the slug `make new` would give a title (the romanisation and
  lexicon of the build), for a new story saved without one.
* `POST /desk/api/check` (`{path, raw}`): the problems the build would report for that file if it
  held that text (newsroom/desk_check.py): the editor lists them beside the story and refuses to
  save one with errors (desk/admin/desk.js).
* `GET /desk/api/photos?folder=images/…`, `GET /desk/api/thumbnail?photo=…` and `POST
  /desk/api/photos`: a story's album (`Photos:`) listed, shown small, filled and captioned
  (newsroom/desk_photos.py: the desk's write policy, captions.txt in the build's format).
* `POST /desk/api/import` (`{text}`): a pasted report made into a story by `make import`'s own
  importer (newsroom/importer.py `import_report`), written into its year folder (never over a
  file); the page /admin/paste.html (paste.js) then opens it in the editor.

The editor is not part of the site: nothing is written into output/. `make publish` writes a
hosted editor only when DESK_HOSTED asks for it (newsroom/desk_site.py). The API has no sign-in (as Decap's own decap-server): it answers only requests
addressed to 127.0.0.1/localhost on this port, with JSON bodies (desk_api.check_request).
"""

import ipaddress
import json
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from newsroom import desk_api, desk_check, desk_config, desk_photos, devserver
from newsroom.desk_site import ADMIN, ADMIN_POLICY, DIST

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".wasm": "application/wasm", ".yml": "text/yaml; charset=utf-8", ".svg": "image/svg+xml",
         ".ico": "image/x-icon", ".png": "image/png", ".txt": "text/plain; charset=utf-8"}
DESK_POSTS = {"/desk/api/check": "check", "/desk/api/import": "import_report", "/desk/api/photos": "photos"}  # route -> DeskHandler method: JSON in, JSON out
NOT_INSTALLED = ("ยังไม่ได้ติดตั้งโปรแกรมของโต๊ะข่าว (desk/node_modules): สั่ง make desk (ติดตั้งให้เอง) / "
                 "the desk's packages are not installed (desk/node_modules): run make desk (it installs them)")


def admin_file(name: str) -> Path | None:
    """The file `/admin/<name>` is served from: desk/admin/ first, then Decap's dist/; None for
    anything else (a folder, a hidden file, a path with a slash)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for folder in (ADMIN, DIST):
        path = folder / name
        if path.is_file():
            return path
    return None


def desk_handler(server: "devserver.Devserver") -> type:
    """The request handler of `make desk`: the preview's, plus the editor and its API."""
    settings = server.settings
    port = server.args.port
    content = server.content
    entry_folders = [settings[key][0].strip("/") for key in ("ARTICLE_PATHS", "EVENT_PATHS", "PAGE_PATHS")]
    api = desk_api.DeskApi(content, entry_folders, port)
    album = desk_photos.DeskPhotos(api)
    base = devserver.quiet_handler(server.output)

    class DeskHandler(base):
        def send_bytes(self, status: int, data: bytes, content_type: str, admin: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if admin:
                self.send_header("Content-Security-Policy", ADMIN_POLICY)
                self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def send_json(self, status: int, answer) -> None:
            self.send_bytes(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"),
                            "application/json; charset=utf-8", admin=False)

        def do_GET(self):
            path = urlsplit(self.path).path
            try:  # every page, not only the API: the preview shows drafts (DNS rebinding)
                desk_api.check_host(self.headers, port)
            except desk_api.Refused as refused:
                self.send_json(refused.status, {"error": str(refused)})
                return
            if path == "/admin":
                self.send_response(301)
                self.send_header("Location", "/admin/")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path.startswith("/admin/"):
                self.admin(path.removeprefix("/admin/") or "index.html")
            elif path == "/desk/api/slug":
                self.slug()
            elif path in ("/desk/api/photos", "/desk/api/thumbnail"):
                self.album(path)
            else:
                super().do_GET()

        def do_HEAD(self):
            self.do_GET()

        def admin(self, name: str) -> None:
            if name == "config.yml":
                answer = desk_config.config(settings, content.name)
                self.send_bytes(200, json.dumps(answer, ensure_ascii=False, indent=1).encode("utf-8"), TYPES[".yml"])
                return
            if name == "desk-data.js":
                data = json.dumps(desk_config.desk_data(settings, content.name), ensure_ascii=False, sort_keys=True)
                self.send_bytes(200, f"window.DESK_DATA = {data};\n".encode(), TYPES[".js"])
                return
            path = admin_file(name)
            if path is None:
                missing = name.endswith(".js") and not DIST.is_dir()
                text = NOT_INSTALLED if missing else f"ไม่พบ / not found: /admin/{name}"
                self.send_bytes(503 if missing else 404, text.encode("utf-8"), TYPES[".txt"])
                return
            self.send_bytes(200, path.read_bytes(), TYPES.get(path.suffix, "application/octet-stream"))

        def slug(self) -> None:
            try:
                desk_api.check_host(self.headers, port)
            except desk_api.Refused as refused:
                self.send_json(refused.status, {"error": str(refused)})
                return
            from newsroom.article_file import default_slug

            title = " ".join(parse_qs(urlsplit(self.path).query).get("title", [""])[0].split())
            self.send_json(200, {"slug": default_slug(title, content) if title else ""})

        def album(self, route: str) -> None:
            """GET `/desk/api/photos?folder=images/…` (the album's photos and captions) and
            `/desk/api/thumbnail?photo=images/…/p01.jpg` (a small JPEG of one)."""
            query = parse_qs(urlsplit(self.path).query)
            try:
                desk_api.check_host(self.headers, port)
                if route == "/desk/api/photos":
                    self.send_json(200, album.listing(query.get("folder", [""])[0]))
                else:
                    self.send_bytes(200, album.thumbnail(query.get("photo", [""])[0]), "image/jpeg", admin=False)
            except desk_api.Refused as refused:
                self.send_json(refused.status, {"error": str(refused)})
            except OSError as error:
                self.send_json(500, {"error": desk_api.os_error_text(error)})

        def photos(self, request: dict) -> dict:
            """`{folder | date and slug, photos?, captions?}`: photos added to a story's album and
            captions set (newsroom/desk_photos.py); the album as it is after."""
            return album.change(request)

        def do_POST(self):
            route = urlsplit(self.path).path
            if route not in ("/api/v1", *DESK_POSTS):
                self.send_json(404, {"error": "ไม่พบ / not found"})
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= desk_api.MAX_BODY:
                self.send_json(413, {"error": "ข้อมูลใหญ่เกินไป / the request is too large"})
                return
            try:  # before the body is read: a cross-site post is refused without reading 64 MB
                desk_api.check_request(self.headers, port)
            except desk_api.Refused as refused:
                self.send_json(refused.status, {"error": str(refused)})
                return
            body = self.rfile.read(length)
            if route == "/api/v1":
                self.send_json(*api.handle(self.headers, body))
                return
            try:
                request = desk_api.json_request(self.headers, body, port)
                answer = getattr(self, DESK_POSTS[route])(request)
            except desk_api.Refused as refused:
                self.send_json(refused.status, {"error": str(refused)})
                return
            except OSError as error:
                self.send_json(500, {"error": desk_api.os_error_text(error)})
                return
            self.send_json(200, answer)

        def check(self, request: dict) -> dict:
            """`{path, raw, uploading?}` → `{problems: [...], errors: n}`: the build's checks on the
            file as it would be saved (newsroom/desk_check.py); `uploading`: the pictures the editor
            holds to write with it."""
            raw, uploading = request.get("raw"), request.get("uploading") or []
            if not isinstance(raw, str) or not isinstance(uploading, list):
                raise desk_api.Refused(400, "ไม่มีข้อความของไฟล์ (raw)", "the file's text (raw) is missing")
            names = [str(name).rsplit("/", 1)[-1] for name in uploading]
            problems = desk_check.check_story(settings, api.entry_path(request.get("path")), raw, names)
            return {"problems": [asdict(problem) for problem in problems],
                    "errors": sum(problem.severity == "error" for problem in problems)}

        def import_report(self, request: dict) -> dict:
            """`{text}` → the new story `make import` makes of a pasted report, written (never over a
            file) into its year folder: `{path, entry, title, date, lines, problems}`; `entry` is the
            story's address in the editor (#/collections/news/entries/<entry>)."""
            from newsroom import importer
            from newsroom.article_file import FileExistsProblem, write_new

            text = request.get("text")
            if not isinstance(text, str) or not text.strip():
                raise desk_api.Refused(400, "ยังไม่ได้วางข้อความรายงานข่าว", "no report was pasted")
            try:
                imported = importer.import_report(text, content)
            except importer.NothingFound:
                raise desk_api.Refused(422, "ไม่พบหัวข้อหรือเนื้อหาข่าวในข้อความที่วาง: วางรายงานทั้งฉบับ (หัวข้ออยู่บรรทัดแรก)",
                                       "no title or story found in the pasted text: paste the whole report (the "
                                       "title on the first line)") from None
            relative = api.relative(imported.path)
            api.entry_path(relative)  # in the stories' folder, as every file the desk writes
            try:
                write_new(imported.path, imported.text)
            except FileExistsProblem:
                raise desk_api.Refused(409, f"มีข่าวนี้อยู่แล้ว ({relative}): เปิดข่าวนั้นแก้ไขในโต๊ะข่าว ไม่เขียนทับ",
                                       f"this story exists already ({relative}): open it in the desk; it was not "
                                       f"overwritten") from None
            folder = imported.path.parent.name
            return {"path": relative, "entry": f"{folder}/{imported.path.stem}", "title": imported.report.title,
                    "date": imported.fields["Date"], "lines": importer.found_lines(imported, "ข้อความที่วาง"),
                    "problems": [asdict(problem) for problem in imported.problems]}

    return DeskHandler


def loopback(host: str) -> bool:
    """Is `host` this machine only? The desk's API has no sign-in: it must not listen elsewhere."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    if not DIST.is_dir():
        print(NOT_INSTALLED, file=sys.stderr)
        return 2
    arguments = list(sys.argv[1:] if argv is None else argv)
    for flag in ("-b", "--bind"):
        if flag in arguments[:-1] and not loopback(arguments[arguments.index(flag) + 1]):
            print(f"โต๊ะข่าวเปิดได้เฉพาะบนเครื่องนี้ (127.0.0.1): '{arguments[arguments.index(flag) + 1]}' ไม่ใช่ "
                  f"เพราะโต๊ะข่าวไม่มีการลงชื่อเข้าใช้ ใครในเครือข่ายก็แก้ไฟล์ได้ / the desk listens on this machine only "
                  f"(127.0.0.1), not '{arguments[arguments.index(flag) + 1]}': it has no sign-in, anyone on the "
                  f"network could change the files", file=sys.stderr)
            return 2
    return devserver.main(argv, handler_for=desk_handler, command="make desk",
                          started="โต๊ะข่าวที่ / the desk at http://{host}:{port}/admin/ · ดูตัวอย่างที่ / preview at "
                                  "http://{host}:{port}/")


if __name__ == "__main__":
    sys.exit(main())
