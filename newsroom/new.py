"""`make new TITLE="…"`: start an article with today's date and every field ready to fill."""

import argparse
import sys
from pathlib import Path

from newsroom import ROOT
from newsroom.article_file import FileExistsProblem, article_path, be_date, default_slug, render, today, write_new
from newsroom.story_photos import PhotoProblem, story_photos

EMPTY_FIELDS = ("Networks", "Tags", "Summary", "Image", "ImageAlt", "Writer", "Reporter", "Editor",
                "Source", "Facebook", "YouTube")
BODY_HINT = "<!-- เขียนเนื้อหาข่าวต่อจากบรรทัดนี้ (ลบบรรทัดนี้ได้) / write the story below this line -->"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Start a new article in content/news/")
    parser.add_argument("title", help="the headline, in Thai")
    parser.add_argument("--slug", default="", help="web address of the story (ASCII); made from the title when left out")
    parser.add_argument("--content", default=str(ROOT / "content"), help="the content folder")
    parser.add_argument("--photos", default="", help="a folder of the story's photos, copied into content/images/")
    args = parser.parse_args(argv)
    title = " ".join(args.title.split())
    if not title:
        print("ต้องใส่หัวข้อข่าว: make new TITLE=\"หัวข้อข่าว\"\nA title is needed: make new TITLE=\"headline\"", file=sys.stderr)
        return 2
    now = today()
    slug = args.slug or default_slug(title, Path(args.content))
    path = article_path(Path(args.content) / "news", now, slug)
    fields = {"Title": title, "Date": be_date(now), "Slug": slug, "Category": "ข่าวกิจกรรม",
              **dict.fromkeys(EMPTY_FIELDS, "")}
    try:
        photos = story_photos(args.photos, Path(args.content), now, slug)
    except PhotoProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    if photos:
        fields["Photos"] = photos.field
    try:
        write_new(path, render(fields, BODY_HINT))
    except FileExistsProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    if photos:
        photos.copy(sys.stderr)  # stdout: the new file's path alone
    print(path)
    return 0

if __name__ == "__main__":
    sys.exit(main())
