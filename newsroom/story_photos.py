"""`PHOTOS=folder/` of `make import` and `make new`: copy an officer's photos into the story's own
folder under content/images/ and name it on the story's `Photos:` line (issue 15, point 5).

The photos (JPEG, PNG, WebP, HEIC/HEIF, as the build takes them: `thainews.photos`) are copied
in file-name order; any other file is reported and skipped. The story's folder is new,
`content/images/<date>-<slug>/`: an existing folder is never written into.
"""

import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsroom.article_file import be_date
from thainews.photos import CAPTIONS_FILE, is_photo_name


class PhotoProblem(Exception):
    """A bilingual message: nothing was written."""


def photos_to_copy(source: Path) -> tuple[list[Path], list[Path]]:
    """(photos in file-name order, other files skipped) of the folder `source`; PhotoProblem
    when it is missing or holds no photo."""
    if not source.is_dir():
        what_th, what_en = ("ไม่ใช่โฟลเดอร์", "is not a folder") if source.exists() else ("ไม่มีอยู่", "does not exist")
        raise PhotoProblem(f"โฟลเดอร์รูป {source} {what_th}: ตรวจชื่อโฟลเดอร์ใน PHOTOS=…\n"
                           f"the photo folder {source} {what_en}: check the folder's name in PHOTOS=…")
    files = sorted((path for path in source.iterdir() if path.is_file() and not path.name.startswith(".")),
                   key=lambda path: path.name)
    photos = [path for path in files if is_photo_name(path.name)]
    if not photos:
        raise PhotoProblem(f"โฟลเดอร์รูป {source} ไม่มีรูป (JPEG, PNG, WebP หรือ HEIC): วางรูปไว้ในโฟลเดอร์นั้นแล้วลองอีกครั้ง\n"
                           f"the photo folder {source} holds no photos (JPEG, PNG, WebP or HEIC): put the photos in it "
                           f"and try again")
    return photos, [path for path in files if not is_photo_name(path.name)]


def folder_name(date: datetime, slug: str) -> str:
    """A story's own photo folder in content/images/: `<Buddhist-era date>-<slug>` (also the desk's,
    newsroom/desk_photos.py)."""
    return f"{be_date(date)}-{slug}"


def story_folder(content: Path, date: datetime, slug: str) -> Path:
    """content/images/<Buddhist-era date>-<slug>/, which must not exist yet."""
    folder = content / "images" / folder_name(date, slug)
    if folder.exists():
        raise PhotoProblem(f"มีโฟลเดอร์ {folder} อยู่แล้ว จึงไม่คัดลอกรูปทับ: ตั้งชื่อข่าวอื่นด้วย SLUG=… "
                           f"หรือวางรูปในโฟลเดอร์นั้นเองแล้วเขียน Photos: images/{folder.name}\n"
                           f"{folder} already exists and was not written into: choose another name with SLUG=…, or put "
                           f"the photos in that folder yourself and write Photos: images/{folder.name}")
    return folder


@dataclass
class StoryPhotos:
    """The photos to copy, the files skipped and the story's new folder."""

    photos: list[Path]
    skipped: list[Path]
    folder: Path

    @property
    def field(self) -> str:
        """The value of the story's `Photos:` line."""
        return f"images/{self.folder.name}"

    def copy(self, out=None) -> None:
        """Copy the photos into the new folder (captions.txt too, when the source folder has
        one) and say what was copied and what was skipped."""
        out = out or sys.stdout
        self.folder.mkdir(parents=True)
        for path in [*self.photos, *(path for path in self.skipped if path.name == CAPTIONS_FILE)]:
            shutil.copy2(path, self.folder / path.name)
        print(f"คัดลอกรูป {len(self.photos)} รูปไปที่ {self.folder} / copied {len(self.photos)} photo(s) to "
              f"{self.folder}", file=out)
        for path in self.skipped:
            if path.name != CAPTIONS_FILE:
                print(f"ข้ามไฟล์ {path} (ไม่ใช่รูป JPEG, PNG, WebP หรือ HEIC) / skipped {path} "
                      f"(not a JPEG, PNG, WebP or HEIC photo)", file=out)


def story_photos(source: str, content: Path, date: datetime, slug: str) -> StoryPhotos | None:
    """What `PHOTOS=source` will copy, checked before anything is written (PhotoProblem); None
    without `source`."""
    if not source:
        return None
    photos, skipped = photos_to_copy(Path(source))
    return StoryPhotos(photos, skipped, story_folder(content, date, slug))
