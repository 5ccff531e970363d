"""What an article or page may say in its metadata header, and what each field must hold.

`check_metadata` is the one validator: the build, `make check` and the importer all call it.
It never stops at the first mistake: it returns every problem it finds, so an officer can fix
a file in one go.
"""

import difflib
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlparse

from .dates import DateError, parse_news_date
from .events import CheckedEvent, check_event
from .networks import NETWORKS, Network, find_network, split_list, suggest_network
from .problems import Problem, did_you_mean, line_of_field
from .slugs import is_valid_slug
from .urls import has_scheme, url_problem
from .youtube import youtube_video_id

# The fields as officers write them. Pelican lower-cases keys, so we map back for messages.
ARTICLE_FIELDS = (
    "Title", "Date", "Modified", "Summary", "Category", "Tags", "Networks", "Image", "ImageAlt",
    "Author", "Writer", "Reporter", "Editor", "Source", "Facebook", "YouTube", "Slug", "Status", "Photos", "Attachments",
)
PAGE_FIELDS = ("Title", "Slug", "Summary", "Status", "Template", "Modified", "Image", "ImageAlt", "Photos",
               "Attachments")
REQUIRED = {"article": ("Title", "Date"), "page": ("Title",)}
STATUSES = {"article": ("published", "draft"), "page": ("published", "draft", "hidden")}

# Free-text credits that the article template shows as a link when they hold an address.
CREDIT_FIELDS = ("Writer", "Reporter", "Editor", "Source")
FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "fb.watch"}
NETWORK_CHOICES = ", ".join(network.slug for network in NETWORKS)


@dataclass
class CheckedMetadata:
    date: datetime | None = None
    modified: datetime | None = None
    networks: list[Network] = field(default_factory=list)
    youtube_id: str | None = None
    problems: list[Problem] = field(default_factory=list)


def is_facebook_url(url: str) -> bool:
    if url_problem(url, ("https",)):
        return False
    parsed = urlparse(url.strip())
    return parsed.netloc.lower() in FACEBOOK_HOSTS and len(parsed.path) > 1


def is_remote(path: str) -> bool:
    """`Image: https://…` (or `//host/…`, `data:…`): a picture that is not a file of the site."""
    return has_scheme(path)


def check_metadata(path: str, source: str, meta: dict[str, str], body_text: str, kind: str) -> CheckedMetadata | CheckedEvent:
    """Check one file's metadata (keys lower-case, values as written) and body text.

    `source` is the whole file, used only to point messages at the right line. `kind` is
    "article", "page" or "event" (events have their own fields: `thainews.events`).
    """
    if kind == "event":
        return check_event(path, source, meta, body_text)
    result = CheckedMetadata()
    fields = ARTICLE_FIELDS if kind == "article" else PAGE_FIELDS
    by_key = {name.lower(): name for name in fields}

    def problem(field_name: str, thai: str, english: str) -> None:
        line = line_of_field(source, field_name) if field_name else 1
        result.problems.append(Problem(path, line, field_name, thai, english))

    for key in meta:
        if key not in by_key:
            guess = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
            hint_th, hint_en = did_you_mean(by_key[guess[0]] if guess else None)
            problem(
                key,
                f"ไม่รู้จักหัวข้อ '{key}'{hint_th} หัวข้อที่ใช้ได้: {', '.join(fields)}",
                f"unknown metadata key '{key}'.{hint_en} Allowed keys: {', '.join(fields)}",
            )

    for name in REQUIRED[kind]:
        if not meta.get(name.lower(), "").strip():
            what_th = {"Title": "หัวข้อข่าว", "Date": "วันที่ข่าว"}[name]
            example = {"Title": "Title: ชื่อข่าว", "Date": "Date: 2566-03-01"}[name]
            problem(
                name,
                f"ไม่มี {name} ({what_th}): เพิ่มบรรทัด '{example}' ที่ส่วนหัวของไฟล์",
                f"missing {name}: add a line such as '{example}' to the header of the file",
            )

    for name in ("Date", "Modified"):
        value = meta.get(name.lower(), "").strip()
        if value and name in fields:
            try:
                setattr(result, name.lower(), parse_news_date(value))
            except DateError as error:
                problem(name, error.thai, error.english)
    if result.date and result.modified and result.modified < result.date:
        problem("Modified", "วันที่แก้ไข (Modified) อยู่ก่อนวันที่ข่าว (Date): ตรวจสอบปี",
                "Modified is earlier than Date: check the year")

    if "networks" in meta and "Networks" in fields:
        for name in split_list(meta["networks"]):
            network = find_network(name)
            if network is None:
                guess = suggest_network(name)
                hint_th, hint_en = did_you_mean(guess)
                problem(
                    "Networks",
                    f"ไม่รู้จักเครือข่าย '{name}'{hint_th} ใช้ชื่อเครือข่ายภาษาไทย เช่น 'เครือข่ายศาสนา' หรือชื่อย่อ: {NETWORK_CHOICES}",
                    f"unknown network '{name}'.{hint_en} Use a network's Thai name, such as 'เครือข่ายศาสนา', or its slug: {NETWORK_CHOICES}",
                )
            elif network not in result.networks:
                result.networks.append(network)

    slug = meta.get("slug", "").strip()
    if slug and not is_valid_slug(slug):
        problem("Slug", f"Slug '{slug}' ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เช่น moral-province-meeting",
                f"Slug '{slug}' may only hold lowercase ASCII letters, digits and hyphens, e.g. moral-province-meeting")

    status = meta.get("status", "").strip()
    if status and status not in STATUSES[kind]:
        problem("Status", f"Status '{status}' ใช้ไม่ได้: ใช้ {' หรือ '.join(STATUSES[kind])}",
                f"Status '{status}' is not allowed: use {' or '.join(STATUSES[kind])}")

    image = meta.get("image", "").strip()
    if image and is_remote(image):
        # The site loads nothing from other hosts (privacy; the CSP allows img-src 'self').
        problem("Image", f"รูป '{image}' อยู่บนเว็บไซต์อื่น: ดาวน์โหลดรูปมาไว้ในโฟลเดอร์ content/images/ แล้วเขียน 'Image: images/ชื่อไฟล์.jpg'",
                f"the picture '{image}' is on another site: download it into content/images/ and write 'Image: images/file-name.jpg'")
    if image and not meta.get("imagealt", "").strip():
        problem("Image", "มีรูป (Image) แต่ไม่มีคำบรรยายรูป: เพิ่ม 'ImageAlt: …' บอกว่าในรูปมีอะไร สำหรับผู้ที่มองไม่เห็นรูป",
                "Image is set but ImageAlt is missing: add 'ImageAlt: …' describing the picture for readers who cannot see it")

    facebook = meta.get("facebook", "").strip()
    facebook_wrong = url_problem(facebook) if facebook and "Facebook" in fields else None
    if facebook_wrong:
        problem("Facebook", *facebook_wrong)
    elif facebook and "Facebook" in fields and not is_facebook_url(facebook):
        problem("Facebook", f"ลิงก์ Facebook '{facebook}' ไม่ถูกต้อง: คัดลอกลิงก์โพสต์หรือเพจแบบเต็ม เช่น https://www.facebook.com/MoralCenter",
                f"the Facebook link '{facebook}' is not valid: paste the full post or page link, e.g. https://www.facebook.com/MoralCenter")

    youtube = meta.get("youtube", "").strip()
    youtube_wrong = url_problem(youtube) if youtube and "YouTube" in fields else None
    if youtube_wrong:
        problem("YouTube", *youtube_wrong)
    elif youtube and "YouTube" in fields:
        result.youtube_id = youtube_video_id(youtube)
        if result.youtube_id is None:
            problem("YouTube", f"ลิงก์ YouTube '{youtube}' ไม่ใช่ลิงก์วิดีโอ: คัดลอกลิงก์วิดีโอแบบเต็ม เช่น https://www.youtube.com/watch?v=xxxxxxxxxxx หรือ https://youtu.be/xxxxxxxxxxx",
                    f"the YouTube link '{youtube}' is not a video link: paste the full video link, e.g. https://www.youtube.com/watch?v=xxxxxxxxxxx or https://youtu.be/xxxxxxxxxxx")

    # A credit that holds an address is shown as a link (templates/article.html).
    for name in CREDIT_FIELDS:
        value = meta.get(name.lower(), "").strip()
        shown_as_link = value.lower().startswith(("http:", "https:"))
        wrong = url_problem(value) if name in fields and shown_as_link else None
        if wrong:
            problem(name, *wrong)

    if not body_text.strip():
        problem("", "ไฟล์นี้ไม่มีเนื้อหาข่าว: เขียนเนื้อหาต่อจากส่วนหัว โดยเว้นหนึ่งบรรทัดว่างหลังบรรทัดหัวข้อสุดท้าย",
                "the file has no body text: write the story below the header, after one blank line")
    return result
