"""The desk's photo album (issue 17, point 2): a story's `Photos:` folder listed, filled and captioned
from the editor (the `desk-photos` widget of desk/admin/desk.js), through `make desk`'s
`/desk/api/photos` (newsroom/desk.py).

* The folder of a new story is named as `make new PHOTOS=` names it (newsroom/story_photos.py
  `folder_name`: `images/<Buddhist-era date>-<slug>`); the field then holds that name.
* Photos are written with the desk's own write policy (newsroom/desk_api.py): only into a folder
  of content/images/, never through a link, whole (a hidden file renamed); only the kinds a gallery
  takes (thainews.photos: JPEG, PNG, WebP, HEIC), checked by the picture's own header, not its
  name; at most `thainews.photos.MAX_BYTES` and `MAX_PIXELS` each; a name already taken in the
  folder gets `-2`, `-3` (a photo is never replaced).
* Captions go into the folder's `captions.txt` in the build's format (`p01.jpg: คำบรรยาย`, UTF-8,
  one a line): only the lines of the photos whose caption changed are rewritten, every other line
  is kept as it was (a line the build reports stays for the check view to report).
"""

import base64
import binascii
import io
import unicodedata
from pathlib import PurePosixPath

from PIL import Image, ImageOps

from newsroom.desk_api import DeskApi, Refused, picture_facts
from newsroom.story_photos import folder_name
from thainews.dates import DateError, parse_news_date
from thainews.images import picture_header
from thainews.photos import (
    CAPTIONS_FILE,
    MAX_BYTES,
    MAX_PIXELS,
    PHOTO_FORMATS,
    PHOTO_SUFFIXES,
    is_photo_name,
    read_gallery,
)
from thainews.slugs import SLUG_PATTERN

THUMBNAIL = 320  # pixels on the long side of the editor's thumbnails
KINDS_TH = "JPEG, PNG, WebP หรือ HEIC"


class DeskPhotos:
    """The album endpoints over the desk's content folder (`api`: its paths and writes)."""

    def __init__(self, api: DeskApi):
        self.api = api

    # ------------------------------------------------------------------------- the folder

    def folder(self, value) -> tuple[str, object]:
        """(`images/<name>` as the field writes it, the folder on disk) of a `Photos:` value; Refused
        unless it is a folder inside content/images/ (no `..`, no hidden part, no link out)."""
        if not isinstance(value, str) or not value.strip("/ "):
            raise Refused(400, "ไม่ได้ระบุโฟลเดอร์รูป", "no photo folder was given")
        written = value.strip().strip("/")
        parts = written.split("/")
        if parts[0] != "images" or len(parts) < 2:
            raise Refused(422, f"โฟลเดอร์รูป '{value}' ต้องเป็นโฟลเดอร์ย่อยใน content/images/ เช่น images/2567-06-05-ชื่อข่าว",
                          f"the photo folder '{value}' must be a folder inside content/images/, e.g. "
                          f"images/2567-06-05-story-name")
        path = self.api.folder_path(f"{self.api.prefix}/{written}", ("images",))
        return written, path

    def new_folder(self, date, slug) -> str:
        """`images/<be-date>-<slug>`: a new story's folder, named as `make new PHOTOS=` names it."""
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise Refused(422, "ใส่ที่อยู่เว็บ (Slug) ของข่าวก่อนเพิ่มรูป: ชื่อโฟลเดอร์รูปมาจาก Slug",
                          "fill in the story's Slug before adding photos: the photo folder is named after it")
        try:
            moment = parse_news_date(date if isinstance(date, str) else "")
        except DateError as error:
            raise Refused(422, f"ใส่วันที่ข่าวก่อนเพิ่มรูป: {error.thai}",
                          f"fill in the story's date before adding photos: {error.english}") from None
        return f"images/{folder_name(moment, slug)}"

    # ------------------------------------------------------------------------- answers

    def listing(self, value) -> dict:
        """`{folder, photos: [{name, caption}], problems: [{thai, english, severity}]}`: the folder's
        photos in the gallery's order, their captions, and what the build says of the folder."""
        written, path = self.folder(value)
        names = sorted(entry.name for entry in path.iterdir() if entry.is_file() and is_photo_name(entry.name)) \
            if path.is_dir() else []
        gallery = read_gallery(self.api.content, written, "", f"{self.api.prefix}/{written}", 0)
        captions = {photo.name: photo.caption for photo in gallery.photos}
        return {"folder": written, "photos": [{"name": name, "caption": captions.get(name, "")} for name in names],
                "problems": [{"thai": problem.thai, "english": problem.english, "severity": problem.severity}
                             for problem in gallery.problems if path.is_dir()]}

    def change(self, request: dict) -> dict:
        """POST `{folder | date and slug, photos?: [{name, content (base64)}], captions?: {name: caption}}`:
        the photos added (all checked before any is written), the captions set; the listing after."""
        photos = request.get("photos") or []
        captions = request.get("captions") or {}
        if not isinstance(photos, list) or not isinstance(captions, dict):
            raise Refused(400, "รายการรูปหรือคำบรรยายไม่ถูกต้อง", "the photos or the captions are not valid")
        value = request.get("folder") or self.new_folder(request.get("date"), request.get("slug"))
        written, path = self.folder(value)
        present = [entry.name for entry in path.iterdir()] if path.is_dir() else []
        taken = {name.lower() for name in present}
        photo_names = {name for name in present if is_photo_name(name)}
        writes = []
        for photo in photos:
            name = self.free_name(photo.get("name") if isinstance(photo, dict) else None, taken)
            data = self.checked_photo(name, photo.get("content"))
            taken.add(name.lower())
            photo_names.add(name)
            writes.append((self.api.media_path(f"{self.api.prefix}/{written}/{name}"), data))
        for name, caption in captions.items():
            if not isinstance(caption, str) or name not in photo_names:
                raise Refused(422, f"ไม่มีรูป '{name}' ในโฟลเดอร์ {written}: บรรยายได้เฉพาะรูปในโฟลเดอร์",
                              f"there is no photo '{name}' in {written}: only the folder's photos take captions")
        for target, data in writes:
            self.api._checked_parents(target)
            self.api.write(target, data)
        if captions:
            self.write_captions(written, path, {name: " ".join(caption.split()) for name, caption in captions.items()})
        answer = self.listing(written)
        answer["added"] = [target.name for target, _ in writes]
        return answer

    # ------------------------------------------------------------------------- photos

    @staticmethod
    def free_name(name, taken: set[str]) -> str:
        """The photo's file name as sent (no folder part; spaces and colons, which captions.txt
        cannot name, made hyphens), made free in the folder with `-2`, `-3`…"""
        if not isinstance(name, str) or not name.strip():
            raise Refused(400, "รูปไม่มีชื่อไฟล์", "a photo has no file name")
        name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
        name = "-".join(name.replace(":", " ").split()).lstrip(".-")
        if not name.lower().endswith(PHOTO_SUFFIXES) or name == "" or "\0" in name:
            raise Refused(422, f"'{name}' ไม่ใช่รูปที่ใช้ได้ ใช้ได้เฉพาะ {KINDS_TH} ({' '.join(PHOTO_SUFFIXES)})",
                          f"'{name}' is not a photo the site takes: only JPEG, PNG, WebP or HEIC "
                          f"({' '.join(PHOTO_SUFFIXES)})")
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        return candidate

    @staticmethod
    def checked_photo(name: str, content) -> bytes:
        """The photo's bytes, if they are a picture of a kind the gallery takes, not too large."""
        if not isinstance(content, str):
            raise Refused(400, f"รูป '{name}' ไม่มีเนื้อหา", f"the photo '{name}' has no content")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, f"อ่านรูป '{name}' ที่ส่งมาไม่ได้ (base64)", f"the photo '{name}' cannot be read (base64)") from None
        if len(data) > MAX_BYTES:
            raise Refused(413, f"รูป '{name}' ใหญ่เกิน {MAX_BYTES // 1024 // 1024} MB: ย่อรูปก่อน",
                          f"the photo '{name}' is larger than {MAX_BYTES // 1024 // 1024} MB: make it smaller")
        kind, width, height = picture_facts(data)
        if kind not in PHOTO_FORMATS:
            raise Refused(422, f"'{name}' ไม่ใช่รูป {KINDS_TH} (อ่านจากเนื้อไฟล์): ส่งออกเป็น JPEG แล้วลองอีกครั้ง",
                          f"'{name}' is not a JPEG, PNG, WebP or HEIC photo (read from its content): export it as "
                          f"JPEG and try again")
        if width * height > MAX_PIXELS:
            raise Refused(413, f"รูป '{name}' มี {width}×{height} จุด เกิน {MAX_PIXELS // 1_000_000} ล้านจุด: ย่อรูปก่อน",
                          f"the photo '{name}' is {width}×{height} pixels, over {MAX_PIXELS // 1_000_000} megapixels: "
                          f"make it smaller")
        return data

    def thumbnail(self, value) -> bytes:
        """A small JPEG of the photo `images/<folder>/<name>` (upright), for the editor's list."""
        if not isinstance(value, str) or not is_photo_name(value.rsplit("/", 1)[-1]):
            raise Refused(422, "ไม่ใช่รูปของอัลบั้ม", "not a photo of an album")
        folder, _, name = value.strip("/").rpartition("/")
        written, _ = self.folder(folder)
        target = self.api.media_path(f"{self.api.prefix}/{written}/{name}")
        if not target.is_file():
            raise Refused(404, f"ไม่พบรูป '{value}'", f"the photo '{value}' was not found")
        self.checked_size(target)
        out = io.BytesIO()
        with Image.open(target) as picture:
            small = ImageOps.exif_transpose(picture)
            small.thumbnail((THUMBNAIL, THUMBNAIL))
            small.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()

    @staticmethod
    def checked_size(path) -> None:
        if path.stat().st_size > MAX_BYTES or picture_header(path) is None:
            raise Refused(422, f"แสดงรูป '{path.name}' ไม่ได้ (ใหญ่เกินหรือไม่ใช่รูป)", f"cannot show '{path.name}'")

    # ------------------------------------------------------------------------- captions

    def write_captions(self, written: str, path, captions: dict[str, str]) -> None:
        target = self.api.media_path(f"{self.api.prefix}/{written}/{CAPTIONS_FILE}")
        try:
            old = target.read_bytes().decode("utf-8") if target.is_file() else ""
        except UnicodeDecodeError:
            raise Refused(422, f"ไฟล์คำบรรยาย '{written}/{CAPTIONS_FILE}' ไม่ได้บันทึกเป็น UTF-8: เปิดไฟล์แล้วบันทึกใหม่เป็น "
                               f"UTF-8 ก่อนแก้คำบรรยายในโต๊ะข่าว",
                          f"the captions file '{written}/{CAPTIONS_FILE}' is not UTF-8: save it again as UTF-8 before "
                          f"editing captions in the desk") from None
        text = merged_captions(old, captions)
        if text == old:
            return
        if text:
            self.api._checked_parents(target)
            self.api.write(target, text.encode("utf-8"))
        else:
            target.unlink(missing_ok=True)


def merged_captions(text: str, captions: dict[str, str]) -> str:
    """captions.txt's `text` with the photos of `captions` given those captions: a photo's own line
    rewritten in place (removed when its caption is emptied), a new one added at the end; every
    other line as it was, to the byte (a bad line stays for the build to report)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out, done = [], set()
    for line in lines:
        name, colon, _ = line.removeprefix("\ufeff").partition(":")
        name = name.strip()
        if colon and name in captions and name not in done:
            done.add(name)
            if captions[name]:
                out.append(("\ufeff" if line.startswith("\ufeff") else "") + f"{name}: {captions[name]}")
            continue
        out.append(line)
    out.extend(f"{name}: {caption}" for name, caption in captions.items() if name not in done and caption)
    if not any(line.strip() for line in out):
        return ""
    return "\n".join(out) + "\n"
