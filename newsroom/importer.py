"""`make import FILE=report.txt`: turn a pasted plain-text report into an article.

Prints what it found and what it guessed, checks the new file with the build's own validator,
and never overwrites a file.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from newsroom import ROOT
from newsroom.article_file import FileExistsProblem, article_path, be_date, default_slug, render, today, write_new
from newsroom.story_photos import PhotoProblem, StoryPhotos, story_photos
from newsroom.textimport import Report, parse_report
from thainews.metadata import check_metadata
from thainews.problems import Problem
from thainews.text import describe_control_chars, strip_control_chars


def markdown_body(report: Report) -> str:
    blocks = list(report.paragraphs)
    if report.links:
        blocks.append("ติดตามข้อมูลข่าวสารเพิ่มเติมได้ที่")
        blocks.append("\n".join(f"- [{label}]({url})" for label, url in report.links))
    return "\n\n".join(blocks)


def article_fields(report: Report, slug: str) -> dict[str, str]:
    fields = {"Title": report.title, "Date": be_date(report.date or today()), "Slug": slug,
              "Category": "ข่าวกิจกรรม", "Networks": ", ".join(report.networks), "Tags": ""}
    fields.update(report.credits)
    if report.facebook:
        fields["Facebook"] = report.facebook
    if report.youtube:
        fields["YouTube"] = report.youtube
    if report.date is None:
        fields["Status"] = "draft"  # kept off the site until someone sets the real date
    return fields


class NothingFound(Exception):
    """A text without a title or a story: nothing to import."""


@dataclass
class Imported:
    """A report turned into an article, not written yet: `text` goes to `path` (never over a file)."""

    report: Report
    fields: dict[str, str]
    body: str
    path: Path
    text: str
    controls: list  # invisible control characters removed: (line, code point)
    problems: list[Problem]  # what the build's validator says of the new file
    photos: StoryPhotos | None = None


def import_report(text: str, content: Path, slug: str = "", photos: str = "") -> Imported:
    """The article `make import` makes of a pasted report (`text`), for the content folder
    `content`: used by `make import` (main) and the officers' desk (newsroom/desk.py). Raises
    NothingFound, and PhotoProblem for a bad `photos` folder."""
    # Copied text can carry invisible control characters; no page or feed may hold them.
    text, controls = strip_control_chars(text.replace("\r\n", "\n").replace("\r", "\n"))
    report = parse_report(text)
    if not report.title or not report.paragraphs:
        raise NothingFound
    slug = slug or default_slug(report.title, content)
    fields = article_fields(report, slug)
    found_photos = story_photos(photos, content, report.date or today(), slug)
    if found_photos:
        fields["Photos"] = found_photos.field
    body = markdown_body(report)
    path = article_path(content / "news", report.date or today(), slug)
    output = render(fields, body)
    meta = {key.lower(): value for key, value in fields.items() if value}
    problems = check_metadata(str(path), output, meta, body, "article").problems
    return Imported(report, fields, body, path, output, controls, problems, found_photos)


def found_lines(imported: Imported, source: str) -> list[str]:
    """What `make import` says it found and guessed (Thai / English), and the desk shows."""
    report, fields = imported.report, imported.fields
    lines = [f"หัวข้อ / Title: {report.title}",
             f"วันที่ / Date: {fields['Date']}" + ("" if report.date else "  (ไม่พบวันที่ในข้อความ ใช้วันนี้และตั้งเป็นฉบับร่าง / no date found: today, as a draft)")]
    lines += [f"{key}: {value}" for key, value in report.credits.items()]
    if report.networks:
        lines.append(f"เครือข่ายที่พบในข้อความ (ตรวจสอบ) / networks named in the text (check them): {', '.join(report.networks)}")
    if report.facebook:
        lines.append(f"Facebook: {report.facebook}")
    if report.youtube:
        lines.append(f"YouTube: {report.youtube}")
    if imported.controls:
        where = describe_control_chars(imported.controls)
        lines.append(f"ตัดอักขระควบคุมที่มองไม่เห็นออก {len(imported.controls)} ตัว (บรรทัด {where} ของ {source})\n"
                     f"removed {len(imported.controls)} invisible control character(s) (line {where} of {source})")
    lines += [f"หมายเหตุ / note: {thai} / {english}" for thai, english in report.notes]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Import a plain-text news report as an article")
    parser.add_argument("file", help="the text file (UTF-8)")
    parser.add_argument("--slug", default="", help="web address of the story (ASCII); made from the title when left out")
    parser.add_argument("--content", default=str(ROOT / "content"), help="the content folder")
    parser.add_argument("--photos", default="", help="a folder of the story's photos, copied into content/images/")
    args = parser.parse_args(argv)
    source = Path(args.file)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        print(f"ไม่พบไฟล์ {source}\nfile not found: {source}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"ไฟล์ {source} ไม่ได้บันทึกเป็น UTF-8: บันทึกใหม่เป็น UTF-8 แล้วลองอีกครั้ง\n"
              f"{source} is not UTF-8: save it again as UTF-8 and retry", file=sys.stderr)
        return 2
    try:
        imported = import_report(text, Path(args.content), args.slug, args.photos)
    except NothingFound:
        print(f"ไม่พบหัวข้อหรือเนื้อหาข่าวใน {source}\nno title or story found in {source}", file=sys.stderr)
        return 1
    except PhotoProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    for line in found_lines(imported, str(source)):
        print(line)

    for problem in imported.problems:
        print(problem.format(), file=sys.stderr)
    try:
        write_new(imported.path, imported.text)
    except FileExistsProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    if imported.photos:
        imported.photos.copy()
    print(f"เขียนไฟล์แล้ว / written: {imported.path}")
    return 1 if imported.problems else 0


if __name__ == "__main__":
    sys.exit(main())
