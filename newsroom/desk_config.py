"""The desk's Decap CMS configuration, generated from the project's own data (issue 17, point 3).

Nothing here is maintained by hand twice: the fields of each collection are the content model's
(`thainews.metadata.ARTICLE_FIELDS`, `PAGE_FIELDS`, `REQUIRED`, `STATUSES`;
`thainews.events.EVENT_FIELDS`, `REQUIRED_EVENT_FIELDS`, `EVENT_STATUSES`), in the order `make new`
writes them (`newsroom.article_file.FIELD_ORDER`); the options are `NETWORKS` and `DISTRICTS`; the
folders are the settings' (`PATH`, `ARTICLE_PATHS`, `EVENT_PATHS`, `PAGE_PATHS`). What the model
cannot say (a field's widget, its Thai label and hint) is one table, `DESK_WIDGETS`: `config`
raises when a field of the model has no row, so a field added to metadata.py fails the tests
(tests/test_desk_config.py) until the desk knows it.

`make desk` serves `json.dumps(config(...))` as `/admin/config.yml` (JSON is YAML; Decap asks
for a YAML content type), and `desk_data()` as `/admin/desk-data.js`, the tables the file format
in desk/admin/desk.js needs (field order, list fields, network and district names and aliases).
"""

import unicodedata
from pathlib import PurePosixPath

from newsroom.article_file import FIELD_ORDER, be_date, today
from thainews.dates import _ISO_LIKE, BE_OFFSET, BE_YEARS, CE_YEARS, THAI_MONTHS
from thainews.districts import DISTRICTS
from thainews.districts import _aliases as district_aliases
from thainews.events import EVENT_FIELDS, EVENT_STATUSES, REQUIRED_EVENT_FIELDS
from thainews.metadata import ARTICLE_FIELDS, PAGE_FIELDS, REQUIRED, STATUSES
from thainews.networks import NETWORKS
from thainews.networks import _aliases as network_aliases
from thainews.slugs import SLUG_PATTERN

FORMAT = "pelican"  # the custom format desk/admin/desk.js registers
BODY = "body"  # the data key of the story text (after the header's blank line)
YEAR_FIELD = "_year"  # hidden: the Buddhist-era year of Date, set by desk.js before a save
LIST_FIELDS = ("Networks",)  # written `a, b`; a list in the editor

_DATE = _ISO_LIKE.pattern.replace("(?P<", "(?<")  # the build's own pattern (dates.py), in JavaScript's syntax
_DATE_HINT = "พิมพ์ ปี-เดือน-วัน เช่น 2567-06-05 (พ.ศ.) หรือเลือกจากปฏิทิน เติมเวลาได้ เช่น 2567-06-05 09:30"
_DATE_PATTERN = [_DATE, "เขียนเป็น ปี-เดือน-วัน เช่น 2567-06-05 / write year-month-day, e.g. 2567-06-05"]
_HTTPS = ["^https://", "ลิงก์ต้องขึ้นต้นด้วย https:// / the link must start with https://"]
_SLUG_PATTERN = [SLUG_PATTERN.pattern,
                 "ใช้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เช่น moral-province-meeting / lowercase ASCII letters, "
                 "digits and hyphens only"]
_STATUS_LABELS = {"published": "เผยแพร่", "draft": "ฉบับร่าง (ยังไม่เผยแพร่)", "hidden": "ซ่อน (ไม่อยู่ในเมนู)"}

# field -> (Decap widget, Thai label, Thai hint, other options). `select` options, `required` and
# the story's picture folder are filled in by `field_config` from the model and the settings.
DESK_WIDGETS: dict[str, tuple[str, str, str, dict]] = {
    "Title": ("string", "หัวข้อ", "", {}),
    "Date": ("thaidate", "วันที่ข่าว", _DATE_HINT, {"pattern": _DATE_PATTERN}),
    "Modified": ("thaidate", "วันที่แก้ไข", _DATE_HINT, {"pattern": _DATE_PATTERN}),
    "Start": ("thaidate", "วันเวลาเริ่ม", "เช่น 2569-12-31 19:00 หรือ 2570-02-12 (ทั้งวัน)", {"pattern": _DATE_PATTERN}),
    "End": ("thaidate", "วันเวลาสิ้นสุด", "เช่น 2570-01-01 00:30 (เว้นว่างได้)", {"pattern": _DATE_PATTERN}),
    "Slug": ("desk-slug", "ที่อยู่เว็บ (Slug)", "อักษรอังกฤษตัวเล็ก ตัวเลข และขีด: ข่าวใหม่ได้จากหัวข้อเอง แก้ได้",
             {"pattern": _SLUG_PATTERN}),
    "Category": ("string", "หมวดข่าว", "เว้นว่างได้: ข่าวกิจกรรม", {}),
    "Networks": ("select", "เครือข่าย", "เลือกได้หลายเครือข่าย", {"multiple": True}),
    "Tags": ("string", "ป้ายคำ", "คั่นด้วยจุลภาค เช่น จิตอาสา, วัด", {}),
    "Summary": ("text", "สรุปย่อ", "เว้นว่างได้: ใช้ย่อหน้าแรก", {}),
    "Image": ("image", "รูปหน้าปก", "รูปถูกเก็บในโฟลเดอร์ของข่าวนี้", {"choose_url": False}),
    "ImageAlt": ("string", "คำบรรยายรูปหน้าปก", "บอกว่าในรูปมีอะไร สำหรับผู้ที่มองไม่เห็นรูป (ต้องมีเมื่อมีรูป)", {}),
    "Photos": ("desk-photos", "อัลบั้มรูป", "โฟลเดอร์รูปของข่าว เช่น images/2567-06-05-ชื่อข่าว: เพิ่มรูปด้านล่าง "
               "แล้วโต๊ะข่าวสร้างให้ พร้อมคำบรรยายของแต่ละรูป", {}),
    "Attachments": ("string", "ไฟล์แนบ", "เช่น documents/รายงาน.pdf คั่นด้วยจุลภาค", {}),
    "Author": ("string", "ผู้เขียน (Author)", "", {}),
    "Writer": ("string", "เขียนข่าว", "", {}),
    "Reporter": ("string", "รายงานข่าว", "", {}),
    "Editor": ("string", "บรรณาธิการ", "", {}),
    "Source": ("string", "แหล่งข่าว", "", {}),
    "Facebook": ("string", "ลิงก์ Facebook", "เช่น https://www.facebook.com/MoralCenter", {"pattern": _HTTPS}),
    "YouTube": ("string", "ลิงก์ YouTube", "เช่น https://youtu.be/xxxxxxxxxxx", {"pattern": _HTTPS}),
    "Status": ("select", "สถานะ", "เว้นว่าง: เผยแพร่", {}),
    "Template": ("string", "แม่แบบหน้า (Template)", "เว้นว่างได้", {}),
    "Location": ("string", "สถานที่", "", {}),
    "District": ("select", "อำเภอ", "", {}),
    "Organizer": ("string", "ผู้จัด", "", {}),
    "Contact": ("string", "ติดต่อ", "", {}),
    "Link": ("string", "ลิงก์ลงทะเบียน", "เช่น https://forms.gle/…", {"pattern": _HTTPS}),
    "Article": ("string", "ข่าวของกิจกรรมนี้ (Slug)", "Slug ของข่าวที่รายงานกิจกรรมนี้", {"pattern": _SLUG_PATTERN}),
}

# kind -> (fields, required fields, statuses), from the model.
MODEL = {
    "article": (ARTICLE_FIELDS, REQUIRED["article"], STATUSES["article"]),
    "page": (PAGE_FIELDS, REQUIRED["page"], STATUSES["page"]),
    "event": (EVENT_FIELDS, REQUIRED_EVENT_FIELDS, EVENT_STATUSES),
}


class UnknownField(KeyError):
    def __str__(self) -> str:
        return (f"ช่อง '{self.args[0]}' ของ{self.args[1]}ไม่มีในตาราง DESK_WIDGETS (newsroom/desk_config.py): เพิ่มแถวของช่องนี้ / "
                f"the field '{self.args[0]}' of the {self.args[1]} model has no row in DESK_WIDGETS "
                f"(newsroom/desk_config.py): add one")


def ordered(fields) -> list[str]:
    """The model's fields in `make new`'s order, then the others in the model's order."""
    return [name for name in FIELD_ORDER if name in fields] + [name for name in fields if name not in FIELD_ORDER]


def field_config(name: str, kind: str, required, statuses, media: str | None) -> dict:
    if name not in DESK_WIDGETS:
        raise UnknownField(name, kind)
    widget, label, hint, options = DESK_WIDGETS[name]
    field = {"name": name, "label": label, "widget": widget, "required": name in required, **options}
    if hint:
        field["hint"] = hint
    if name == "Networks":
        field["options"] = [network.name for network in NETWORKS]
    elif name == "District":
        field["options"] = [district.name for district in DISTRICTS]
    elif name == "Status":
        field["options"] = [{"label": _STATUS_LABELS.get(status, status), "value": status} for status in statuses]
    elif name == "Image" and media:
        # The story's own folder, as `make new PHOTOS=` makes it (story_photos.story_folder).
        folder = "{{fields.Date | date('YYYY-MM-DD')}}-{{fields.Slug}}" if kind == "article" else "{{fields.Slug}}"
        field["media_folder"] = f"/{media}/{folder}"
        field["public_folder"] = f"{PurePosixPath(media).name}/{folder}"
    if name == "Date" and kind == "article":
        field["default"] = be_date(today())
    return field


def collection(name: str, label: str, kind: str, folder: str, path: str, media: str) -> dict:
    fields, required, statuses = MODEL[kind]
    entries = [field_config(field, kind, required, statuses, media) for field in ordered(fields)]
    if kind == "article":
        entries.append({"name": YEAR_FIELD, "label": "ปี พ.ศ.", "widget": "hidden", "required": False})
    entries.append({"name": BODY, "label": "เนื้อหา", "widget": "richtext", "required": False,
                    "modes": ["raw", "rich_text"], "hint": "เขียนเนื้อหาต่อจากส่วนหัว"})
    summary = "{{Title}} · {{Date}}" if kind == "article" else "{{Title}} · {{Start}}" if kind == "event" else "{{Title}}"
    return {"name": name, "label": label, "label_singular": label, "folder": folder, "create": True,
            "format": FORMAT, "extension": "md", "path": path, "slug": "{{fields.Slug}}",
            "identifier_field": "Title", "summary": summary, "fields": entries}


HOSTED_SLUG_HINT = ("อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น moral-province-meeting: เรื่องใหม่ต้องใส่ก่อนเพิ่มรูป "
                    "(เป็นชื่อไฟล์และโฟลเดอร์รูป)")
LOCAL_BACKEND = {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}


def config(settings: dict, content_name: str = "content", backend: dict | None = None, site_url: str = "") -> dict:
    """Decap's configuration: for `make desk` (local mode, this machine's working tree), or with
    `backend` for the hosted editor `make publish` writes (newsroom/desk_site.py: github or gitlab,
    committing to the repository; never `local_backend`).

    `settings`: the site's Pelican settings (`PATH`'s folders). `content_name`: the content folder
    as Decap's paths start (the desk serves the folder's parent; the repository's root when hosted).
    `site_url`: the published site, for Decap's "view live" links."""
    def folder(key: str) -> str:
        return f"{content_name}/{settings[key][0].strip('/')}"

    media = f"{content_name}/images"
    site = {"site_url": site_url, "display_url": site_url} if site_url else {}
    collections = [
        collection("news", "ข่าว", "article", folder("ARTICLE_PATHS"), f"{{{{{YEAR_FIELD}}}}}/{{{{slug}}}}", media),
        collection("events", "กิจกรรม (ปฏิทินความดี)", "event", folder("EVENT_PATHS"), "{{slug}}", media),
        collection("pages", "หน้าเว็บ", "page", folder("PAGE_PATHS"), "{{slug}}", media),
    ]
    if backend:  # no slug service there: the officer writes a new story's Slug (desk.js refuses a save without)
        for item in collections:
            for field in item["fields"]:
                if field["name"] == "Slug":
                    field["hint"] = HOSTED_SLUG_HINT
    return {
        "backend": dict(backend or LOCAL_BACKEND),
        **site,
        "publish_mode": "simple",
        "locale": "th",
        "media_folder": media,
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True},
        # The editor's preview of a body cleans its HTML (as the build's sanitizer does on the site):
        # a pasted <img onerror=…> does not run in the editor either.
        "sanitize_preview": True,
        "collections": collections,
    }


def _key(alias: str) -> str:
    """How desk.js looks a name up: NFC, spaces collapsed, lower case (as networks.py's `_key`)."""
    return " ".join(unicodedata.normalize("NFC", alias).split()).casefold()


def desk_data(settings: dict | None = None, content_name: str = "content", hosted: bool = False) -> dict:
    """What desk/admin/desk.js needs to read and write our files (served as desk-data.js); with
    the site's `settings`, also each collection's folder (`config`'s), for the build's checks of
    a story not saved yet. `hosted`: the editor `make publish` writes, without our local API (no
    slug from a title: the officer writes it; no check) and whose save is a commit that the CI
    publishes in a few minutes."""
    folders = {} if settings is None else {
        collection["name"]: collection["folder"] for collection in config(settings, content_name)["collections"]}
    return {
        **({"folders": folders} if folders else {}),
        "hosted": hosted,
        "slugApi": None if hosted else "/desk/api/slug",
        "photosApi": None if hosted else "/desk/api/photos",  # the album (newsroom/desk_photos.py)
        "thumbnailApi": None if hosted else "/desk/api/thumbnail",
        "fieldOrder": list(FIELD_ORDER),
        "fields": {kind: ordered(fields) for kind, (fields, _, _) in MODEL.items()},
        "listFields": list(LIST_FIELDS),
        "body": BODY,
        "yearField": YEAR_FIELD,
        "networks": {_key(alias): network.name for network in NETWORKS for alias in sorted(network_aliases(network))},
        "districts": {_key(alias): district.name for district in DISTRICTS
                      for alias in sorted(district_aliases(district))},
        "beOffset": BE_OFFSET,
        "beYears": [BE_YEARS.start, BE_YEARS.stop - 1],
        "ceYears": [CE_YEARS.start, CE_YEARS.stop - 1],
        "thaiMonths": list(THAI_MONTHS),
    }
