"""A story's photos: `Photos: images/<folder>` names a folder of content/images/ whose pictures
form the story's gallery (issue 15). No Pelican in here: plugins/photos is the glue.

* `read_gallery` lists the folder's photos (JPEG, PNG, WebP, HEIC/HEIF, in file-name order),
  reads the optional `captions.txt` (`p01.jpg: คำบรรยาย`, one a line, UTF-8) and gives each
  photo its alt text: its caption, else `ภาพที่ 3 จาก 12: <title>`. Every problem it finds is a
  bilingual `Problem` on the story's `Photos` line, naming the file, the photo and the fix;
  it only reads the pictures' headers (fast, whatever their size).
* `rendition_plan` names the copies of one photo (by a hash of its bytes, so the same photo is
  made once and cached) and `gallery_photo` what a template shows; the copies themselves are
  made by `thainews.images.renditions` (upright, no metadata, WebP and JPEG, at most
  `MAX_SIDE` pixels on the long side, never larger than the photo).
"""

import difflib
import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from . import images
from .cache_files import file_status
from .paths import content_file
from .problems import Problem

try:  # iPhone photos (HEIC); a dependency (requirements.txt), but say so clearly if it is missing
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_READABLE = True
except ImportError:  # pragma: no cover - the pinned dependencies include it
    HEIF_READABLE = False

FIELD = "Photos"
PHOTO_FOLDERS = ("images",)  # a gallery is a folder of content/images/
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
HEIF_SUFFIXES = (".heic", ".heif")
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}  # MPO: a JPEG with a second picture (some cameras)
CAPTIONS_FILE = "captions.txt"
WIDTHS = (320, 640, 1024, 2048)
MAX_SIDE = 2048  # the largest copy, on its long side
MAX_PIXELS = images.MAX_PIXELS  # 40 megapixels
MAX_BYTES = 60 * 1024 * 1024  # a camera's JPEG is 3-15 MB, an iPhone's 48 MP HEIC about 5 MB
PLAN_VERSION = 1  # bump when the copies change (images.RENDITION_VERSION counts too)


@dataclass(frozen=True)
class Photo:
    """One photo of a gallery: `name` in its folder, `written` as content/ sees it
    (`images/visit/p01.jpg`), its `path` on disk, its number (from 1), caption and alt text."""

    name: str
    written: str
    path: Path
    number: int
    caption: str
    alt: str


@dataclass
class Gallery:
    folder: str  # as written in the field
    photos: list[Photo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None  # the folder on disk, when it is one of content/images/
    files: list[str] = field(default_factory=list)  # `folder_files`: what the folder held
    captions_status: list[int] | None = None  # `cache_files.file_status` of captions.txt as it was read


def folder_files(folder: Path) -> list[str]:
    """The names of the files in a photo folder (not sub-folders, not hidden ones), sorted: from
    the listing's file types, no stat a photo."""
    with os.scandir(folder) as entries:
        return sorted(entry.name for entry in entries if not entry.name.startswith(".") and entry.is_file())


def default_alt(number: int, count: int, title: str) -> str:
    """The alt text of a photo without a caption: `ภาพที่ 3 จาก 12: <title>`."""
    return f"ภาพที่ {number} จาก {count}: {title}".rstrip(": ")


def is_photo_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(PHOTO_SUFFIXES)


def read_gallery(content_root, value: str, title: str, story: str, line: int, unchanged=None) -> Gallery:
    """The gallery `Photos: <value>` of the story `story` (as shown in messages), whose field is
    on `line`. Reads captions.txt and every photo's header; never raises for bad content.
    `unchanged(path)`: True for a photo a build checked and that has not changed since (same
    size, times and inode): its header is not read again."""
    value = value.strip()
    gallery = Gallery(value)

    def problem(thai: str, english: str, severity: str = "error") -> None:
        gallery.problems.append(Problem(story, line, FIELD, thai, english, severity))

    folder_written = value.strip("/")
    found = content_file(content_root, value, PHOTO_FOLDERS)
    if isinstance(found, tuple) or not folder_written or PurePosixPath(folder_written) == PurePosixPath("images"):
        problem(f"โฟลเดอร์รูป '{value}' ต้องเป็นโฟลเดอร์ย่อยใน content/images/ เช่น 'Photos: images/ชื่อกิจกรรม' "
                f"(สร้างโฟลเดอร์นั้นแล้ววางรูปไว้ในนั้น)",
                f"the photo folder '{value}' must be a folder inside content/images/, e.g. 'Photos: images/activity-name' "
                f"(make that folder and put the photos in it)")
        return gallery
    if not found.is_dir():
        what_th, what_en = ("เป็นไฟล์ ไม่ใช่โฟลเดอร์", "is a file, not a folder") if found.exists() else ("ไม่มีอยู่", "does not exist")
        problem(f"โฟลเดอร์รูป 'content/{folder_written}/' {what_th}: สร้างโฟลเดอร์นั้นแล้ววางรูปไว้ในนั้น "
                f"หรือแก้ชื่อโฟลเดอร์ในบรรทัด Photos",
                f"the photo folder 'content/{folder_written}/' {what_en}: make that folder and put the photos in it, "
                f"or correct the folder's name on the Photos line")
        return gallery
    gallery.path = found
    gallery.files = files = folder_files(found)
    names = [name for name in files if is_photo_name(name)]
    others = [name for name in files if name != CAPTIONS_FILE and not is_photo_name(name)]
    for other in others:
        problem(f"ไฟล์ '{folder_written}/{other}' ไม่ใช่รูป JPEG, PNG, WebP หรือ HEIC จึงไม่แสดงในแกลเลอรี: "
                f"ส่งออกเป็น JPEG หรือย้ายออกจากโฟลเดอร์",
                f"'{folder_written}/{other}' is not a JPEG, PNG, WebP or HEIC photo, so the gallery leaves it out: "
                f"export it as JPEG, or move it out of the folder", "warning")
    if not names:
        problem(f"โฟลเดอร์รูป 'content/{folder_written}/' ไม่มีรูป (JPEG, PNG, WebP หรือ HEIC): วางรูปไว้ในโฟลเดอร์ "
                f"หรือลบบรรทัด Photos",
                f"the photo folder 'content/{folder_written}/' holds no photos (JPEG, PNG, WebP or HEIC): put the "
                f"photos in it, or remove the Photos line")
        return gallery

    gallery.captions_status = file_status(found / CAPTIONS_FILE)  # before reading: a change while read shows next time
    captions = _read_captions(found / CAPTIONS_FILE, f"{folder_written}/{CAPTIONS_FILE}", names, problem)
    count = len(names)
    for number, name in enumerate(names, 1):
        written = f"{folder_written}/{name}"
        path = found / name
        wrong = None if unchanged is not None and unchanged(path) else photo_problem(path, written)
        if wrong:
            problem(*wrong)
            continue
        caption = captions.get(name, "")
        gallery.photos.append(Photo(name, written, path, number, caption,
                                    caption or default_alt(number, count, title)))
    return gallery


def _read_captions(path: Path, shown: str, names: list[str], problem) -> dict[str, str]:
    """{photo file name: caption} from captions.txt; every bad line is a problem."""
    if not path.is_file():
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem(f"ไฟล์คำบรรยาย '{shown}' ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ {error.start}): เปิดไฟล์แล้วบันทึกใหม่โดยเลือกการเข้ารหัส UTF-8",
                f"the captions file '{shown}' is not UTF-8 (byte {error.start}): open it and save it again with "
                f"the UTF-8 encoding")
        return {}
    captions: dict[str, str] = {}
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        name, colon, caption = line.partition(":")
        name, caption = name.strip(), " ".join(caption.split())
        if not colon or not name or not caption:
            problem(f"บรรทัดที่ {number} ของ '{shown}' ('{line.strip()[:60]}') ไม่ใช่คำบรรยายรูป: เขียนแบบ "
                    f"'p01.jpg: คำบรรยาย' หนึ่งรูปต่อหนึ่งบรรทัด",
                    f"line {number} of '{shown}' ('{line.strip()[:60]}') is not a caption: write "
                    f"'p01.jpg: caption', one photo a line")
            continue
        if name not in names:
            guess = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint_th = f" หมายถึง '{guess[0]}' หรือไม่?" if guess else ""
            hint_en = f" Did you mean '{guess[0]}'?" if guess else ""
            problem(f"บรรทัดที่ {number} ของ '{shown}' บรรยายรูป '{name}' ซึ่งไม่มีในโฟลเดอร์{hint_th} "
                    f"แก้ชื่อไฟล์ในบรรทัดนั้นให้ตรงกับรูป หรือลบบรรทัดนั้น",
                    f"line {number} of '{shown}' gives a caption for '{name}', which is not a photo of the folder."
                    f"{hint_en} Correct the file name on that line, or remove the line")
            continue
        if name in captions:
            problem(f"บรรทัดที่ {number} ของ '{shown}' บรรยายรูป '{name}' เป็นครั้งที่สอง: เหลือไว้บรรทัดเดียว",
                    f"line {number} of '{shown}' gives '{name}' a second caption: keep one line for it")
            continue
        captions[name] = caption
    return captions


def photo_problem(path: Path, written: str) -> tuple[str, str] | None:
    """(Thai, English) when the photo at `path` cannot be published, from its header only:
    not a picture, a kind browsers do not show, too many pixels, too many bytes (the checks of a
    cover picture, `images.image_file_problem`, with HEIC and a larger file allowed)."""
    if path.suffix.lower() in HEIF_SUFFIXES and not HEIF_READABLE:
        return (f"อ่านรูป HEIC '{written}' ไม่ได้ เพราะยังไม่ได้ติดตั้ง pillow-heif: สั่ง make html อีกครั้ง (ติดตั้งให้เอง) "
                f"หรือส่งออกรูปเป็น JPEG",
                f"cannot read the HEIC photo '{written}' because pillow-heif is not installed: run make html again "
                f"(it installs it), or export the photo as JPEG")
    return images.image_file_problem(path, MAX_PIXELS, MAX_BYTES, written, PHOTO_FORMATS)


def unreadable_problem(written: str, error: str = "") -> tuple[str, str]:
    """A photo that cannot be read or decoded (damaged, cut off while copying, not a picture)."""
    detail = f" ({error})" if error else ""
    return (f"อ่านรูป '{written}' ไม่ได้{detail}: ไฟล์อาจเสียหรือคัดลอกมาไม่ครบ คัดลอกรูปจากกล้องหรือโทรศัพท์มาใหม่ "
            f"หรือส่งออกเป็น JPEG แล้ววางแทน",
            f"cannot read the photo '{written}'{detail}: the file may be damaged or cut off while copying; copy it "
            f"again from the camera or phone, or export it as JPEG, and replace it")


# ---------------------------------------------------------------------------- copies


COPY_SUFFIXES = {"webp": "webp", "jpeg": "jpg"}  # a copy's kind -> its file name's suffix


@dataclass(frozen=True)
class Plan:
    """The copies of one photo: `key` (a hash of its bytes and of how copies are made) and
    `sizes` ((width, height), narrowest first); file `<key>-<width>.webp` / `.jpg` each."""

    key: str
    sizes: tuple[tuple[int, int], ...]
    share: tuple[int, int] | None = None  # the share copy's size, for a gallery's first photo

    def file(self, width: int, kind: str) -> str:
        """The file name of one copy: `kind` "webp", "jpeg" or "share"."""
        return f"{self.key}-share.jpg" if kind == "share" else f"{self.key}-{width}.{COPY_SUFFIXES[kind]}"

    def files(self) -> list[tuple[int, str, str]]:
        """(width, kind, file name) of every copy, narrowest first, WebP before JPEG; then the
        share copy (kind "share", `<key>-share.jpg`), if any."""
        files = [(width, kind, self.file(width, kind)) for width, _height in self.sizes for kind in ("webp", "jpeg")]
        if self.share:
            files.append((self.share[0], "share", self.file(self.share[0], "share")))
        return files


def photo_key(data: bytes, widths=WIDTHS, max_side: int = MAX_SIDE) -> tuple[str, int, int]:
    """(key, width, height as shown) of the photo `data`: all `plan_of` needs, so a build can
    remember it for a photo that has not changed (plugins/photos, `Originals`) and neither read
    nor hash the photo again. Reads only its header (raises OSError when it cannot)."""
    recipe = f"\0{PLAN_VERSION}\0{images.RENDITION_VERSION}\0{tuple(widths)}\0{max_side}".encode()
    key = hashlib.sha256(data + recipe).hexdigest()[:20]
    return (key, *images.cover_size(data))


def plan_of(key: str, width: int, height: int, widths=WIDTHS, max_side: int = MAX_SIDE,
            share: bool = False) -> Plan:
    """The copies of the photo `photo_key` gave (`key`, `width`×`height`)."""
    return Plan(key, *_sizes(width, height, tuple(widths), max_side, share))


def copy_names(key: str, width: int, height: int, widths: tuple[int, ...], max_side: int, share: bool) -> list[str]:
    """The file names of `plan_of(...).files()`, without making the Plan: 24,500 a rebuild."""
    return [key + suffix for suffix in _copy_suffixes(width, height, widths, max_side, share)]


@functools.lru_cache(maxsize=4096)
def _copy_suffixes(width: int, height: int, widths: tuple[int, ...], max_side: int, share: bool) -> tuple[str, ...]:
    return tuple(name.removeprefix(_KEY) for _width, _kind, name in Plan(_KEY, *_sizes(width, height, widths, max_side,
                                                                                            share)).files())


@functools.lru_cache(maxsize=4096)  # a camera's photos have one or two sizes: worked out once each
def _sizes(width: int, height: int, widths: tuple[int, ...], max_side: int, share: bool):
    return (tuple(images.rendition_sizes(width, height, widths, max_side)),
            images.share_size(width, height) if share else None)


def rendition_plan(data: bytes, widths=WIDTHS, max_side: int = MAX_SIDE, share: bool = False) -> Plan:
    """What copies the photo `data` gets (with `share`, the share copy too: a gallery's first
    photo, for og:image); reads only its header (raises OSError when it cannot)."""
    return plan_of(*photo_key(data, widths, max_side), widths, max_side, share)


def make_copies(data: bytes, widths=WIDTHS, max_side: int = MAX_SIDE, share: bool = False) -> dict[str, bytes]:
    """{file name: bytes} of every copy in `rendition_plan` (decodes the photo: OSError,
    ValueError when it is damaged or cut off)."""
    plan = rendition_plan(data, widths, max_side, share)
    made = images.renditions(data, widths, max_side, share)
    names = {(width, kind): name for width, kind, name in plan.files()}
    return {names[(copy.width, copy.kind)]: copy.data for copy in made}


class GalleryPhoto(NamedTuple):
    """What a template shows for one photo: a thumbnail (`src`, `width`, `height`, the two
    srcsets) linking to the largest copy (`large`). `alt` and `caption` are plain text.
    (A named tuple: as unchangeable as a frozen dataclass, made five times faster; 6,000 a build.)"""

    number: int
    count: int
    alt: str
    caption: str
    src: str
    width: int
    height: int
    webp_srcset: str
    jpeg_srcset: str
    large: str
    large_width: int
    large_height: int
    eager: bool = False
    share: str = ""  # the share copy (1200×630 JPEG), on a gallery's first photo: sharing's og:image
    share_width: int = 0
    share_height: int = 0


THUMBNAIL_WIDTH = 640  # the <img src> fallback: the copy nearest this


def gallery_photo(number: int, count: int, alt: str, caption: str, plan: Plan, prefix: str,
                  eager: bool = False) -> GalleryPhoto:
    """What the template shows for photo `number` of `count`; `prefix` is the URL of the
    copies' folder, ending in "/"."""
    return _gallery_photo(number, count, alt, caption, plan.key, plan.sizes, plan.share, prefix, eager)


def recorded_photo(number: int, count: int, alt: str, caption: str, key: str, width: int, height: int,
                   widths: tuple[int, ...], max_side: int, share: bool, prefix: str,
                   eager: bool = False) -> GalleryPhoto:
    """`gallery_photo` of a photo known by what `photo_key` gave (a gallery's record), without
    making its Plan: 6,000 photos a rebuild."""
    return _gallery_photo(number, count, alt, caption, key, *_sizes(width, height, widths, max_side, share), prefix,
                          eager)


def _gallery_photo(number, count, alt, caption, key, sizes, share, prefix, eager) -> GalleryPhoto:
    webp, jpeg, src, width, height, large, large_width, large_height, share_src, share_width, share_height = \
        _shown_strings(sizes, share, prefix)
    return GalleryPhoto(number, count, alt, caption, src.replace(_KEY, key), width, height, webp.replace(_KEY, key),
                        jpeg.replace(_KEY, key), large.replace(_KEY, key), large_width, large_height, eager,
                        share_src.replace(_KEY, key), share_width, share_height)


_KEY = "\x00"  # where a photo's key goes in `_shown_strings` (never in a key: hexadecimal)


@functools.lru_cache(maxsize=1024)  # photos of one size share all but their key: 6,000 photos, a few sizes
def _shown_strings(sizes: tuple[tuple[int, int], ...], share: tuple[int, int] | None, prefix: str) -> tuple:
    plan = Plan(_KEY, sizes, share)
    webp = ", ".join([f"{prefix}{plan.file(width, 'webp')} {width}w" for width, _height in sizes])
    jpeg = ", ".join([f"{prefix}{plan.file(width, 'jpeg')} {width}w" for width, _height in sizes])
    thumb, thumb_height = min(sizes, key=lambda size: (abs(size[0] - THUMBNAIL_WIDTH), size[0]))
    largest, largest_height = sizes[-1]
    return (webp, jpeg, prefix + plan.file(thumb, "jpeg"), thumb, thumb_height, prefix + plan.file(largest, "jpeg"),
            largest, largest_height, prefix + plan.file(share[0], "share") if share else "", *(share or (0, 0)))
