"""Events of the calendar of good deeds (ปฏิทินความดี): what an event file may say, and its times.

An event is a Markdown file in `content/events/` with a header such as

    Title: สวดมนต์ข้ามปี ต้อนรับปีใหม่ 2570
    Start: 2569-12-31 19:00
    End: 2570-01-01 00:30
    Location: วัดพระสิงห์ พระอารามหลวง
    District: เมืองเชียงราย
    Networks: เครือข่ายศาสนา, เครือข่ายชุมชนคุณธรรม

`Start` and `End` are read like an article's `Date` (CE or BE, Asia/Bangkok). A date without a
time is an all-day event; `End` then names the last day (inclusive). `check_event` returns every
problem at once, in the same form as `thainews.metadata.check_metadata`. No Pelican in here.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .dates import THAI_MONTHS, THAI_MONTHS_SHORT, DateError, be_year, in_bangkok, parse_news_date
from .districts import DISTRICTS, District, find_district, suggest_district
from .networks import NETWORKS, Network, find_network, split_list, suggest_network
from .problems import Problem, did_you_mean, line_of_field
from .slugs import is_valid_slug
from .text import thai_digits_to_arabic
from .urls import url_problem

EVENT_FIELDS = (
    "Title", "Start", "End", "Location", "District", "Networks", "Organizer", "Contact",
    "Summary", "Link", "Article", "Slug", "Status", "Modified", "Photos", "Attachments",
)
REQUIRED_EVENT_FIELDS = ("Title", "Start", "Location")
EVENT_STATUSES = ("published", "draft")
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
NETWORK_CHOICES = ", ".join(network.slug for network in NETWORKS)
DISTRICT_CHOICES = ", ".join(district.name for district in DISTRICTS)

_WHAT_TH = {"Title": "ชื่อกิจกรรม", "Start": "วันเริ่มกิจกรรม", "Location": "สถานที่จัดกิจกรรม"}
_EXAMPLE = {"Title": "Title: ชื่อกิจกรรม", "Start": "Start: 2569-12-31 19:00",
            "Location": "Location: วัดพระสิงห์ พระอารามหลวง"}
_TIME = re.compile(r"\d:\d\d")


@dataclass
class CheckedEvent:
    """What the header of one event file says, read and checked."""

    start: datetime | None = None
    end: datetime | None = None  # None: no End given
    all_day: bool = True
    district: District | None = None
    networks: list[Network] = field(default_factory=list)
    modified: datetime | None = None
    article: str = ""  # slug of the news report about the event
    link: str = ""  # registration page
    problems: list[Problem] = field(default_factory=list)
    # Read by code that handles articles and events alike.
    date: datetime | None = None
    youtube_id: str | None = None


def has_time(text: str) -> bool:
    """`2566-03-01 09:30` has a time; `2566-03-01` is a whole day."""
    return bool(_TIME.search(thai_digits_to_arabic(str(text))))


def is_https_url(url: str) -> bool:
    return url_problem(url, ("https",)) is None


def check_event(path: str, source: str, meta: dict[str, str], body_text: str) -> CheckedEvent:
    """Check one event file's header (keys lower-case, values as written).

    `source` is the whole file, used only to point messages at the right line. The body may be
    empty: the header alone can say everything about an event.
    """
    result = CheckedEvent()
    by_key = {name.lower(): name for name in EVENT_FIELDS}

    def problem(field_name: str, thai: str, english: str, severity: str = "error") -> None:
        line = line_of_field(source, field_name) if field_name else 1
        result.problems.append(Problem(path, line, field_name, thai, english, severity))

    for key in meta:
        if key not in by_key:
            guess = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
            hint_th, hint_en = did_you_mean(by_key[guess[0]] if guess else None)
            problem(key,
                    f"ไม่รู้จักหัวข้อ '{key}'{hint_th} หัวข้อที่ใช้ได้ในไฟล์กิจกรรม: {', '.join(EVENT_FIELDS)}",
                    f"unknown event key '{key}'.{hint_en} Allowed keys in an event file: {', '.join(EVENT_FIELDS)}")

    for name in REQUIRED_EVENT_FIELDS:
        if not meta.get(name.lower(), "").strip():
            problem(name,
                    f"ไม่มี {name} ({_WHAT_TH[name]}): เพิ่มบรรทัด '{_EXAMPLE[name]}' ที่ส่วนหัวของไฟล์",
                    f"missing {name}: add a line such as '{_EXAMPLE[name]}' to the header of the file")

    raw_start = meta.get("start", "").strip()
    raw_end = meta.get("end", "").strip()
    for name, raw in (("Start", raw_start), ("End", raw_end), ("Modified", meta.get("modified", "").strip())):
        if not raw:
            continue
        try:
            setattr(result, name.lower(), parse_news_date(raw))
        except DateError as error:
            problem(name, error.thai, error.english)
    if result.start:
        result.all_day = not has_time(raw_start)
    if result.start and result.end:
        if has_time(raw_end) != (not result.all_day):
            if result.all_day:
                problem("End", f"Start '{raw_start}' เป็นวันที่ไม่มีเวลา (ทั้งวัน) แต่ End '{raw_end}' มีเวลา: "
                        "เติมเวลาให้ Start ด้วย หรือเอาเวลาออกจาก End",
                        f"Start '{raw_start}' is a whole day but End '{raw_end}' has a time: "
                        "give Start a time too, or remove the time from End")
            else:
                problem("End", f"Start '{raw_start}' มีเวลา แต่ End '{raw_end}' ไม่มีเวลา: เติมเวลาให้ End "
                        "เช่น '2569-12-31 16:30' หรือเอาเวลาออกจาก Start ถ้าเป็นกิจกรรมทั้งวัน",
                        f"Start '{raw_start}' has a time but End '{raw_end}' has none: give End a time, "
                        "e.g. '2569-12-31 16:30', or remove the time from Start for an all-day event")
            result.end = None
        elif result.end < result.start:
            problem("End", f"วันสิ้นสุด (End) '{raw_end}' อยู่ก่อนวันเริ่ม (Start) '{raw_start}': ตรวจสอบวัน เดือน ปี และเวลา",
                    f"End '{raw_end}' is before Start '{raw_start}': check the day, month, year and time")
            result.end = None

    district = meta.get("district", "").strip()
    if district:
        result.district = find_district(district)
        if result.district is None:
            guess = suggest_district(district)
            hint_th, hint_en = did_you_mean(guess)
            problem("District",
                    f"ไม่รู้จักอำเภอ '{district}'{hint_th} ใช้ชื่ออำเภอของจังหวัดเชียงราย เช่น 'แม่สาย' หรือ 'อำเภอแม่สาย': {DISTRICT_CHOICES}",
                    f"unknown district '{district}'.{hint_en} Use one of Chiang Rai's 18 districts, e.g. 'แม่สาย' or 'Mae Sai': {DISTRICT_CHOICES}")

    for name in split_list(meta.get("networks", "")):
        network = find_network(name)
        if network is None:
            guess = suggest_network(name)
            hint_th, hint_en = did_you_mean(guess)
            problem("Networks",
                    f"ไม่รู้จักเครือข่าย '{name}'{hint_th} ใช้ชื่อเครือข่ายภาษาไทย เช่น 'เครือข่ายศาสนา' หรือชื่อย่อ: {NETWORK_CHOICES}",
                    f"unknown network '{name}'.{hint_en} Use a network's Thai name, such as 'เครือข่ายศาสนา', or its slug: {NETWORK_CHOICES}")
        elif network not in result.networks:
            result.networks.append(network)

    link = meta.get("link", "").strip()
    if link:
        # Shown as href="…" on the event's page: https only, nothing that can end the attribute.
        wrong = url_problem(link, ("https",))
        if wrong is None:
            result.link = link
        else:
            problem("Link", f"ลิงก์ลงทะเบียน: {wrong[0]}", f"the registration link: {wrong[1]}")

    article = meta.get("article", "").strip()
    if article:
        if is_valid_slug(article):
            result.article = article
        else:
            problem("Article", f"Article '{article}' ต้องเป็น Slug ของข่าว (อักษรอังกฤษตัวเล็ก ตัวเลข และขีด) "
                    "เช่น moralcenter-coordination-centre: ดูได้จากที่อยู่เว็บของข่าว",
                    f"Article '{article}' must be the Slug of a news article (lowercase ASCII letters, digits, "
                    "hyphens), e.g. moralcenter-coordination-centre: it is the last part of the article's web address")

    slug = meta.get("slug", "").strip()
    if slug and not is_valid_slug(slug):
        problem("Slug", f"Slug '{slug}' ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เช่น new-year-prayer-2570",
                f"Slug '{slug}' may only hold lowercase ASCII letters, digits and hyphens, e.g. new-year-prayer-2570")

    status = meta.get("status", "").strip()
    if status and status not in EVENT_STATUSES:
        problem("Status", f"Status '{status}' ใช้ไม่ได้: ใช้ {' หรือ '.join(EVENT_STATUSES)}",
                f"Status '{status}' is not allowed: use {' or '.join(EVENT_STATUSES)}")
    return result


def missing_article_problem(path: str, source: str, slug: str, draft: bool) -> Problem:
    """`Article:` names no published news article (checked once all articles are read)."""
    line = line_of_field(source, "Article")
    if draft:
        return Problem(path, line, "Article",
                       f"ข่าว '{slug}' ยังเป็นฉบับร่าง (Status: draft): หน้ากิจกรรมจะลิงก์ไปยังข่าวเมื่อข่าวเผยแพร่แล้ว",
                       f"the article '{slug}' is still a draft: the event will link to it once it is published",
                       "warning")
    return Problem(path, line, "Article",
                   f"ไม่พบข่าวที่มี Slug '{slug}': ตรวจการสะกด (Slug คือส่วนท้ายของที่อยู่เว็บของข่าว /news/ปี/เดือน/slug/) หรือลบบรรทัด Article ออก",
                   f"no published article has the Slug '{slug}': check the spelling (it is the last part of the "
                   "article's web address) or remove the Article line")


def duplicate_slug_problem(path: str, source: str, slug: str, others: list[str]) -> Problem:
    return Problem(path, line_of_field(source, "Slug"), "Slug",
                   f"กิจกรรมนี้ใช้ Slug '{slug}' ซ้ำกับ {', '.join(others)}: ตั้ง 'Slug:' ให้ต่างกัน "
                   "(ปฏิทินของผู้ติดตามใช้ Slug แยกกิจกรรมแต่ละรายการ)",
                   f"this event has the Slug '{slug}', like {', '.join(others)}: give one of them a different "
                   "'Slug:' (subscribers' calendars tell events apart by it)")


# ---------------------------------------------------------------------------------------------
# Times, for pages, filters and feeds.

def last_day(start: datetime, end: datetime | None, all_day: bool) -> date:
    """The last calendar day (Bangkok) the event takes place on, inclusive."""
    if end is None:
        return in_bangkok(start).date()
    end = in_bangkok(end)
    if not all_day and end.time() == datetime.min.time() and end > in_bangkok(start):
        return (end - timedelta(days=1)).date()  # ends at midnight: the day before is the last
    return end.date()


def ical_end(start: datetime, end: datetime | None, all_day: bool) -> date | datetime | None:
    """DTEND as RFC 5545 wants it: for an all-day event the day after the last day (exclusive)."""
    if all_day:
        return last_day(start, end, all_day) + timedelta(days=1)
    return in_bangkok(end) if end is not None else None


def months_of(start: datetime, end: datetime | None, all_day: bool) -> list[tuple[int, int]]:
    """Every (CE year, month) the event touches, in order."""
    first = in_bangkok(start).date().replace(day=1)
    last = last_day(start, end, all_day).replace(day=1)
    months = []
    while first <= last:
        months.append((first.year, first.month))
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def thai_day(day: date, weekday: bool = False) -> str:
    text = f"{day.day} {THAI_MONTHS[day.month - 1]} {be_year(day.year)}"
    return f"วัน{THAI_WEEKDAYS[day.weekday()]}ที่ {text}" if weekday else text


def _clock(moment: datetime) -> str:
    return in_bangkok(moment).strftime("%H:%M")


def thai_when(start: datetime, end: datetime | None, all_day: bool) -> str:
    """When, as a Thai reader expects it.

    `วันเสาร์ที่ 5 ธันวาคม 2569`, `12–14 กุมภาพันธ์ 2570`, `วันพุธที่ 20 มกราคม 2570 เวลา 08:30–16:30 น.`,
    `31 ธันวาคม 2569 เวลา 19:00 น. ถึง 1 มกราคม 2570 เวลา 00:30 น.`
    """
    first = in_bangkok(start)
    if all_day:
        last = last_day(start, end, all_day)
        if last == first.date():
            return thai_day(last, weekday=True)
        if (last.year, last.month) == (first.year, first.month):
            return f"{first.day}–{thai_day(last)}"
        if last.year == first.year:
            return f"{first.day} {THAI_MONTHS[first.month - 1]} – {thai_day(last)}"
        return f"{thai_day(first.date())} – {thai_day(last)}"
    if end is None:
        return f"{thai_day(first.date(), weekday=True)} เวลา {_clock(first)} น."
    end = in_bangkok(end)
    if end.date() == first.date():
        return f"{thai_day(first.date(), weekday=True)} เวลา {_clock(first)}–{_clock(end)} น."
    return f"{thai_day(first.date())} เวลา {_clock(first)} น. ถึง {thai_day(end.date())} เวลา {_clock(end)} น."


def thai_when_short(start: datetime, end: datetime | None, all_day: bool) -> str:
    """For lists: `31 ธ.ค. 2569 · 19:00 น.`, `12–14 ก.พ. 2570`."""
    first = in_bangkok(start)
    last = last_day(start, end, all_day)

    def short(day: date) -> str:
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {be_year(day.year)}"

    if last == first.date() or not all_day:
        text = short(first.date())
    elif (last.year, last.month) == (first.year, first.month):
        text = f"{first.day}–{short(last)}"
    else:
        text = f"{short(first.date())} – {short(last)}"
    return text if all_day else f"{text} · {_clock(first)} น."
