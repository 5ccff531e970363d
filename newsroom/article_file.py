"""Write an article file: the header fields in a fixed order, then the story. Never overwrite."""

from datetime import datetime
from pathlib import Path

from thainews import slugs
from thainews.dates import BANGKOK, be_year
from thainews.slugs import slugify_thai

FIELD_ORDER = ("Title", "Date", "Slug", "Category", "Networks", "Tags", "Summary", "Image", "ImageAlt", "Photos",
               "Author", "Writer", "Reporter", "Editor", "Source", "Facebook", "YouTube", "Status")


class FileExistsProblem(Exception):
    def __init__(self, path: Path):
        super().__init__(
            f"มีไฟล์ {path} อยู่แล้ว จึงไม่เขียนทับ: ตั้งชื่ออื่นด้วย SLUG=… หรือแก้ไฟล์เดิม\n"
            f"{path} already exists and was not overwritten: choose another name with SLUG=… or edit that file"
        )
        self.path = path


def today() -> datetime:
    return datetime.now(BANGKOK)


def article_path(news_folder: Path, date: datetime, slug: str) -> Path:
    """content/news/<Buddhist-era year>/<slug>.md, like the folders officers already use."""
    return news_folder / str(be_year(date.year)) / f"{slug}.md"


def be_date(moment: datetime) -> str:
    return f"{be_year(moment.year)}-{moment.month:02d}-{moment.day:02d}"


def render(fields: dict[str, str], body: str) -> str:
    lines = [f"{name}: {fields.get(name, '')}".rstrip() for name in FIELD_ORDER if name in fields]
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": fails if the file exists
            file.write(text)
    except FileExistsError:
        raise FileExistsProblem(path) from None


def default_slug(title: str, content: Path | None = None) -> str:
    """The slug a build would give the title, with the site's romanisation lexicon
    (`content/romanisation.txt`: a bad line is left out here; the build names it)."""
    if content is not None:
        slugs.use_site(content, None)
    return slugify_thai(title) or "khao"
