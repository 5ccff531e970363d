"""The desk's local backend: Decap CMS's local-fs protocol, answered in Python (issue 17).

Decap's `proxy` backend (`backend: {name: proxy, proxy_url: /api/v1}`, newsroom/desk_config.py)
POSTs `{"action": ..., "params": {...}}` as JSON to `/api/v1` and expects JSON back; errors are
`{"error": message}` with status 422. This replaces `decap-server` (a Node server on a port of
its own that writes anywhere in the repository: the design, docs/design/officers-desk.md §2):

* it writes only stories, activities and pages (`content/{news,events,pages}/**.md`, the folders
  from the settings) and their pictures and documents (`content/{images,documents}/**`, of the
  kinds the build takes): never the Makefile, `.git/hooks`, the theme, a settings file, nor a
  file reached through a symbolic link out of those folders;
* every file is written whole (a hidden temporary file renamed over it: a reader, the build or
  the devserver's watcher, sees the old file or the new one, never half);
* it answers only requests addressed to this machine (`Host: 127.0.0.1:PORT` or `localhost:PORT`:
  a web page elsewhere cannot reach it by DNS rebinding) and only JSON bodies (a form on another
  site cannot post one without the browser asking first, which this server never allows).

`DeskApi.handle(headers, body)` is pure enough to test without a server (tests/test_desk_api.py);
newsroom/desk.py calls it for `POST /api/v1`.
"""

import base64
import hashlib
import io
import json
import os
import posixpath
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from thainews.attachments import KINDS as DOCUMENT_KINDS
from thainews.images import RASTER_FORMATS
from thainews.photos import CAPTIONS_FILE, PHOTO_FORMATS, PHOTO_SUFFIXES

MAX_DEPTH = 4  # folder levels entriesByFolder walks: news/<year>/ is two
MAX_BODY = 64 * 1024 * 1024  # bytes of JSON (a photo travels as base64: about 48 MB of photo)
MEDIA_FOLDERS = ("images", "documents")
# What may be written into the media folders: the photos and documents the build takes, and a
# gallery's captions. Never a page or a script (they would be published as files of the site).
MEDIA_SUFFIXES = {"images": (*PHOTO_SUFFIXES, ".gif"), "documents": tuple(DOCUMENT_KINDS)}
ENTRY_SUFFIX = ".md"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass
class Refused(Exception):
    """A request the desk does not carry out: `status` and one line, Thai then English."""

    status: int
    thai: str
    english: str

    def __str__(self) -> str:
        return f"{self.thai} / {self.english}"


def _refused_path(path, why_th: str, why_en: str) -> Refused:
    return Refused(422, f"ไม่อนุญาตให้โต๊ะข่าวใช้ไฟล์ '{path}': {why_th}", f"the desk may not use the file '{path}': {why_en}")


def check_request(headers, port: int) -> None:
    """Refused unless the request is addressed to this machine's desk and carries JSON."""
    check_host(headers, port)
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Refused(415, f"โต๊ะข่าวรับเฉพาะข้อมูลแบบ JSON (ได้รับ '{content_type}')",
                      f"the desk takes JSON only (got '{content_type}')")


def check_host(headers, port: int) -> None:
    """Refused unless the request is addressed to this machine's desk (DNS rebinding: a page of
    another site whose name now points at 127.0.0.1 still sends its own name as `Host`).

    `headers`: a mapping with `get` (http.server's, or a dict with the names as sent). A browser
    always sends `Host`; `Origin`, when sent, must be this desk too."""
    allowed_hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    host = (headers.get("Host") or "").strip().lower()
    if host not in allowed_hosts:
        raise Refused(403, f"คำขอนี้ไม่ได้ส่งถึงโต๊ะข่าวบนเครื่องนี้ (Host: '{host}'): เปิดโต๊ะข่าวที่ http://127.0.0.1:{port}/admin/",
                      f"this request is not addressed to the desk on this machine (Host: '{host}'): open the desk at "
                      f"http://127.0.0.1:{port}/admin/")
    origin = headers.get("Origin")
    if origin is not None and origin.strip().lower() not in {f"http://{name}" for name in allowed_hosts}:
        raise Refused(403, f"คำขอนี้มาจากเว็บไซต์อื่น ({origin}): โต๊ะข่าวรับคำขอจากหน้าของตัวเองเท่านั้น",
                      f"this request comes from another site ({origin}): the desk takes requests from its own page only")


DOCUMENT_MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",)}


def picture_facts(data: bytes) -> tuple[str | None, int, int]:
    """(Pillow's format, width, height) of a picture's bytes, read from its header; (None, 0, 0)
    when they are not a picture Pillow knows."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return picture.format, picture.width, picture.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, 0, 0


def checked_media(path: Path, data: bytes) -> bytes:
    """`data`, if its bytes are what the name `path` says (a picture a story can show, a PDF or
    an office document); else Refused. The site publishes these files as they are: an HTML page
    named .jpg must not become one of its files."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_MAGIC:
        if data.startswith(DOCUMENT_MAGIC[suffix]):
            return data
    elif picture_facts(data)[0] in RASTER_FORMATS | PHOTO_FORMATS:
        return data
    raise Refused(422, f"ไฟล์ '{path.name}' ไม่ใช่ไฟล์ชนิดที่ชื่อบอก (อ่านจากเนื้อไฟล์): ส่งออกไฟล์ใหม่แล้วลองอีกครั้ง",
                  f"'{path.name}' is not the kind of file its name says (read from its content): export it again "
                  f"and try again")


def os_error_text(error: OSError) -> str:
    return f"อ่านหรือเขียนไฟล์ไม่ได้: {error.strerror} / cannot read or write the file: {error}"


def json_request(headers, body: bytes, port: int) -> dict:
    """The JSON object of a request to the desk, or Refused (see check_request)."""
    check_request(headers, port)
    if len(body) > MAX_BODY:
        raise Refused(413, f"ข้อมูลใหญ่เกิน {MAX_BODY // 1024 // 1024} MB: ย่อรูปก่อนแล้วลองอีกครั้ง",
                      f"more than {MAX_BODY // 1024 // 1024} MB: make the picture smaller and try again")
    try:
        request = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise Refused(400, "อ่านคำขอไม่ได้ (ไม่ใช่ JSON)", "the request cannot be read (not JSON)") from None
    if not isinstance(request, dict):
        raise Refused(400, "คำขอต้องเป็นออบเจกต์ JSON", "the request must be a JSON object")
    return request


def entry_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DeskApi:
    """The protocol over one content folder. `root` is the folder Decap's paths are relative to
    (the content folder's parent: `content/news/2567/x.md`); `entry_folders` are the folders of
    stories, activities and pages inside the content folder (from the settings)."""

    def __init__(self, content: Path, entry_folders, port: int):
        self.content = Path(content).absolute()
        self.root = self.content.parent
        self.prefix = self.content.name
        self.entry_folders = tuple(entry_folders)
        self.port = port

    # ------------------------------------------------------------------------- paths

    def _resolve(self, path, folders, suffixes=None, kind: str = "file") -> Path:
        """The file `path` (relative to `root`, as Decap sends it) if it lies in one of `folders`
        of the content folder, with one of `suffixes`; else Refused."""
        if not isinstance(path, str) or not path:
            raise _refused_path(path, "ไม่ได้ระบุชื่อไฟล์", "no file name was given")
        if "\\" in path or "\0" in path or path.startswith("/") or posixpath.isabs(path):
            raise _refused_path(path, "ต้องเป็นชื่อไฟล์ในโฟลเดอร์ content/", "it must be a file name inside content/")
        parts = path.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise _refused_path(path, "ชื่อไฟล์มี '..' ส่วนว่าง หรือไฟล์ซ่อน", "the name holds '..', an empty part or a hidden file")
        if len(parts) < 3 or parts[0] != self.prefix or parts[1] not in folders:
            where = ", ".join(f"{self.prefix}/{folder}/" for folder in folders)
            raise _refused_path(path, f"โต๊ะข่าวใช้ได้เฉพาะ{kind_th(kind)}ใน {where}",
                                f"the desk uses only {kind} files in {where}")
        name = parts[-1].lower()
        if suffixes is not None and not name.endswith(tuple(suffixes)):
            raise _refused_path(path, f"ชนิดไฟล์นี้ใช้ไม่ได้ ใช้ได้: {' '.join(suffixes)}",
                                f"this kind of file is not allowed; allowed: {' '.join(suffixes)}")
        target = self.root.joinpath(*parts)
        base = os.path.realpath(self.content / parts[1])
        real = os.path.realpath(target)
        if os.path.islink(target) or not real.startswith(base + os.sep):
            raise _refused_path(path, "เป็นลิงก์ไปยังที่อื่นนอกโฟลเดอร์", "it is a link that leads out of its folder")
        return target

    def entry_path(self, path) -> Path:
        return self._resolve(path, self.entry_folders, (ENTRY_SUFFIX,), "entry")

    def media_path(self, path) -> Path:
        parts = path.split("/") if isinstance(path, str) else []
        folder = parts[1] if len(parts) > 2 else ""
        suffixes = MEDIA_SUFFIXES.get(folder, ())
        if parts and parts[-1] == CAPTIONS_FILE and folder == "images":
            suffixes = (CAPTIONS_FILE,)
        return self._resolve(path, MEDIA_FOLDERS, suffixes or None, "media")

    def folder_path(self, folder, folders) -> Path:
        """A folder to list: one of `folders` or a folder inside it."""
        if not isinstance(folder, str):
            raise _refused_path(folder, "ไม่ได้ระบุโฟลเดอร์", "no folder was given")
        folder = folder.strip("/")
        parts = folder.split("/")
        if len(parts) == 2 and parts[0] == self.prefix and parts[1] in folders:
            return self.content / parts[1]
        return self._resolve(folder, folders, None, "entry" if folders == self.entry_folders else "media")

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # ------------------------------------------------------------------------- files

    def read_entry(self, path: Path) -> dict:
        data = path.read_bytes()
        return {"data": data.decode("utf-8", errors="replace"), "file": {"path": self.relative(path), "id": entry_id(data)}}

    def read_media(self, path: Path) -> dict:
        data = path.read_bytes()
        return {"id": entry_id(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": self.relative(path), "name": path.name}

    def list_files(self, folder: Path, suffix: str | None, depth: int) -> list[Path]:
        """Files of `folder` down to `depth` levels (1: its own files), sorted; hidden files and
        links that lead out of the content folder are left out."""
        found: list[Path] = []
        depth = min(depth, MAX_DEPTH)  # the editor asks for 1 or 2; a loop of links must not multiply
        if depth < 1 or not folder.is_dir():
            return found
        base = os.path.realpath(self.content)
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.name.startswith(".") or not os.path.realpath(entry.path).startswith(base + os.sep):
                continue
            if entry.is_dir(follow_symlinks=False):  # a linked folder is not walked into
                found.extend(self.list_files(Path(entry.path), suffix, depth - 1))
            elif entry.is_file() and (suffix is None or entry.name.lower().endswith(suffix)):
                found.append(Path(entry.path))
        return found

    def write(self, path: Path, data: bytes) -> None:
        """Write `data` to `path` whole: a hidden temporary file in the same folder, renamed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(temporary, 0o666 & ~mask)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def _checked_parents(self, path: Path) -> None:
        """The folders to create for `path` must not pass through a link (checked by _resolve for
        the existing part; a folder made meanwhile by someone else is checked here again)."""
        real = os.path.realpath(path.parent)
        if not real.startswith(os.path.realpath(self.content) + os.sep):
            raise _refused_path(self.relative(path), "เป็นลิงก์ไปยังที่อื่นนอกโฟลเดอร์", "it is a link that leads out of its folder")

    # ------------------------------------------------------------------------- actions

    def handle(self, headers, body: bytes) -> tuple[int, object]:
        """(status, JSON answer) for one request to /api/v1."""
        try:
            request = json_request(headers, body, self.port)
            if not isinstance(request.get("params", {}), dict):
                raise Refused(400, "คำขอไม่มี action และ params", "the request has no action and params")
            action = request.get("action")
            method = getattr(self, f"action_{action}", None) if isinstance(action, str) else None
            if method is None:
                raise Refused(422, f"โต๊ะข่าวไม่รู้จักคำสั่ง '{action}'", f"the desk does not know the action '{action}'")
            return 200, method(request.get("params") or {})
        except Refused as refused:
            return refused.status, {"error": str(refused)}
        except OSError as error:
            return 500, {"error": os_error_text(error)}

    def action_info(self, _params) -> dict:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def action_entriesByFolder(self, params) -> list:
        folder = self.folder_path(params.get("folder"), self.entry_folders)
        extension = params.get("extension") or ENTRY_SUFFIX.lstrip(".")
        depth = params.get("depth") or 1
        if not isinstance(depth, int) or not isinstance(extension, str):
            raise Refused(400, "depth หรือ extension ไม่ถูกต้อง", "depth or extension is not valid")
        return [self.read_entry(path) for path in self.list_files(folder, "." + extension.lstrip("."), depth)
                if path.name.endswith(ENTRY_SUFFIX)]

    def action_entriesByFiles(self, params) -> list:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(400, "ไม่ได้ระบุรายการไฟล์", "no list of files was given")
        paths = [self.entry_path(item.get("path") if isinstance(item, dict) else None) for item in files]
        return [self.read_entry(path) for path in paths if path.is_file()]

    def action_getEntry(self, params) -> dict:
        path = self.entry_path(params.get("path"))
        if not path.is_file():
            return {"data": None, "file": {"path": self.relative(path), "id": None}}
        return self.read_entry(path)

    def action_persistEntry(self, params) -> dict:
        entries = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        assets = params.get("assets") or []
        if not entries or not isinstance(entries, list) or not isinstance(assets, list):
            raise Refused(400, "ไม่มีข่าวที่จะบันทึก", "there is no entry to save")
        # Every path is checked before anything is written: all or nothing.
        writes = []
        for asset in assets:
            if not isinstance(asset, dict):
                raise Refused(400, "ข้อมูลไฟล์แนบไม่ถูกต้อง", "an asset is not valid")
            path = self.media_path(asset.get("path"))
            writes.append((path, checked_media(path, _decoded(asset))))
        moves = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("raw"), str):
                raise Refused(400, "ข้อมูลข่าวไม่ถูกต้อง", "an entry is not valid")
            path = self.entry_path(entry.get("path"))
            if entry.get("newPath"):
                new = self.entry_path(entry["newPath"])
                moves.append(path)
                path = new
            writes.append((path, entry["raw"].encode("utf-8")))
        for path, data in writes:
            self._checked_parents(path)
            self.write(path, data)
        for path in moves:  # the one file moved; never its neighbours (decap-server moves them all)
            if path not in [target for target, _ in writes]:
                path.unlink(missing_ok=True)
        return {"message": "entry persisted"}

    def action_getMedia(self, params) -> list:
        folder = params.get("mediaFolder")
        try:
            self.folder_path(folder, self.entry_folders)
            return []  # Decap asks for an entry folder's own pictures: ours are in content/images/
        except Refused:
            pass
        folder = self.folder_path(folder, MEDIA_FOLDERS)
        return [self.read_media(path) for path in self.list_files(folder, None, 1)]

    def action_getMediaFile(self, params) -> dict:
        path = self.media_path(params.get("path"))
        if not path.is_file():
            raise Refused(404, f"ไม่พบไฟล์ '{params.get('path')}'", f"the file '{params.get('path')}' was not found")
        return self.read_media(path)

    def action_persistMedia(self, params) -> dict:
        asset = params.get("asset")
        if not isinstance(asset, dict):
            raise Refused(400, "ไม่มีไฟล์ที่จะบันทึก", "there is no file to save")
        path = self.media_path(asset.get("path"))
        data = checked_media(path, _decoded(asset))
        self._checked_parents(path)
        self.write(path, data)
        return self.read_media(path)

    def _deletable(self, path) -> Path:
        try:
            return self.entry_path(path)
        except Refused:
            return self.media_path(path)

    def action_deleteFile(self, params) -> dict:
        self._deletable(params.get("path")).unlink(missing_ok=True)
        return {"message": "file deleted"}

    def action_deleteFiles(self, params) -> dict:
        paths = params.get("paths")
        if not isinstance(paths, list):
            raise Refused(400, "ไม่ได้ระบุรายการไฟล์", "no list of files was given")
        for path in [self._deletable(path) for path in paths]:  # all checked first
            path.unlink(missing_ok=True)
        return {"message": "files deleted"}

    def action_getDeployPreview(self, _params) -> None:
        return None


def kind_th(kind: str) -> str:
    return {"entry": "ไฟล์ข่าว กิจกรรม และหน้า (.md)", "media": "รูปและเอกสาร"}.get(kind, "ไฟล์")


def _decoded(asset: dict) -> bytes:
    content = asset.get("content")
    if not isinstance(content, str):
        raise Refused(400, "ไฟล์ไม่มีเนื้อหา", "the file has no content")
    if asset.get("encoding") == "base64":
        try:
            return base64.b64decode(content, validate=True)
        except ValueError:
            raise Refused(400, "อ่านไฟล์ที่ส่งมาไม่ได้ (base64)", "the file sent cannot be read (base64)") from None
    return content.encode("utf-8")
