"""The record of the slugs the site gave: a published URL never moves (issue 16, point 2).

A story (article, page, activity) without `Slug:` gets a slug made from its title, and a Thai
tag or category name gets one made from the name (thainews.slugs). Those depend on the
romaniser: a better one, a longer lexicon, even another version of PyThaiNLP would give some
stories new URLs, and every link already shared on Facebook and LINE would break. So the build
keeps what it gave in `content/slugs.json`, committed and reviewed like the content, and gives
the same slug again the next time:

    {
      "about": "...",
      "names": {"ข่าวกิจกรรม": "khao-kitchakam"},
      "stories": {"news/2567/ngan-pi-mai.md": "ngan-pi-mai"}
    }

Stories by their file's path in the content folder, names (tags, categories) by the name as
written. A file's own `Slug:` always wins, and its entry goes (the file says it itself). An
entry goes when its file is gone; a draft keeps its entry but adds none (it has no public URL
yet); a name keeps its entry for ever (a tag used again gets its old page back). The file is
JSON, one entry a line, sorted, so that the same slugs give the same bytes and a review shows
one added line per new story. Nothing here knows Pelican: plugins/strict_content reads it
before the files are read and writes it after the report.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cache_files import write_atomically
from .problems import Problem
from .slugs import is_valid_slug

RECORD_NAME = "slugs.json"
ABOUT = ("ที่อยู่เว็บ (slug) ที่เว็บไซต์ตั้งให้ข่าวที่ไม่มี Slug: และให้ชื่อแท็ก/หมวดภาษาไทย เขียนโดยการสร้างเว็บ "
         "อย่าแก้ด้วยมือ ให้ commit พร้อมเนื้อหา / The addresses (slugs) the build gave to stories without "
         "Slug: and to Thai tag and category names, kept so that a published URL never moves. Written by "
         "the build; commit it with the content; do not edit it by hand.")


@dataclass
class SlugRecord:
    stories: dict[str, str] = field(default_factory=dict)  # path in the content folder -> slug
    names: dict[str, str] = field(default_factory=dict)  # tag or category name -> slug

    def story(self, relative: str) -> str | None:
        return self.stories.get(relative)

    def name(self, name: str) -> str | None:
        return self.names.get(name)

    def updated(self, given: dict[str, str | None], names: dict[str, str], root: Path) -> "SlugRecord":
        """The record after a build that gave these slugs. `given`: path -> the slug the site
        gave it, or None for a file with its own `Slug:` (its entry goes). Entries of files
        that no longer exist under `root` go; the others stay (drafts, files the build did not
        read)."""
        stories = {path: slug for path, slug in self.stories.items() if (root / path).is_file()}
        for path, slug in given.items():
            if slug is None:
                stories.pop(path, None)
            else:
                stories[path] = slug
        return SlugRecord(stories, {**self.names, **names})

    def text(self) -> str:
        """The file's text: the same record gives the same bytes."""
        body = {"about": ABOUT, "names": self.names, "stories": self.stories}
        return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_record(path: Path, shown: str) -> tuple[SlugRecord, list[Problem]]:
    """The record at `path` (empty when there is none) and what is wrong with it. A record that
    cannot be read is an error: building on without it would move published URLs, and write
    the new ones over the old."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SlugRecord(), []
    except (OSError, UnicodeDecodeError) as error:
        return SlugRecord(), [_problem(shown, 1, f"อ่านไม่ได้ ({error})", f"cannot be read ({error})")]
    try:
        body = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", 1)
        conflict = "<<<<<<<" in text
        return SlugRecord(), [_problem(
            shown, line,
            "ไม่ใช่ JSON ที่ถูกต้อง" + (" (มีเครื่องหมายของ git merge conflict: เก็บรายการของทั้งสองฝั่งไว้)" if conflict else ""),
            f"is not valid JSON ({error.msg if hasattr(error, 'msg') else error})"
            + (" (a git merge conflict: keep the entries of both sides)" if conflict else ""),
        )]
    problems: list[Problem] = []
    record = SlugRecord()
    if not isinstance(body, dict):
        return record, [_problem(shown, 1, "ต้องเป็นออบเจ็กต์ JSON", "must be a JSON object")]
    for part in ("stories", "names"):
        entries = body.get(part, {})
        if not isinstance(entries, dict):
            problems.append(_problem(shown, 1, f"'{part}' ต้องเป็นออบเจ็กต์ JSON", f"'{part}' must be a JSON object"))
            continue
        for key, slug in entries.items():
            if isinstance(slug, str) and is_valid_slug(slug) and isinstance(key, str) and key.strip():
                getattr(record, part)[key] = slug
                continue
            problems.append(_problem(
                shown, _line_of(text, key),
                f"รายการ '{key}' มี slug ที่ใช้ไม่ได้ ({slug!r}): ใช้ได้เฉพาะ a-z 0-9 และขีด -",
                f"the entry '{key}' has a slug that cannot be used ({slug!r}): only a-z, 0-9 and hyphens",
            ))
    return record, problems


def write_record(path: Path, record: SlugRecord) -> bool:
    """Write the record if its text changed (an empty record creates no file), atomically: a
    build stopped half-way leaves the old file or the new one. True when written."""
    text = record.text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        if not record.stories and not record.names:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text.encode("utf-8"))
    return True


def relative_key(source_path: str, root: str) -> str:
    """A story's key: its path in the content folder, with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(source_path), os.path.abspath(root))).as_posix()


def _line_of(text: str, key: str) -> int:
    position = text.find(json.dumps(key, ensure_ascii=False))
    return text.count("\n", 0, position) + 1 if position >= 0 else 1


def _problem(shown: str, line: int, thai: str, english: str) -> Problem:
    return Problem(
        shown, line, "",
        f"ไฟล์บันทึกที่อยู่เว็บ {thai}: แก้ไฟล์ หรือเอาฉบับล่าสุดคืนมาด้วย git checkout -- {shown}",
        f"the record of given web addresses {english}: fix it, or restore the last good one with "
        f"git checkout -- {shown}",
    )
