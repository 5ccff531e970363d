"""Turn a news report pasted as plain text into article fields (pure functions).

Officers copy reports from Facebook and government news sites. Those copies carry junk:
a line of numbers, ` - moralcenter` after the title, `????` where emoji were, read counts,
page furniture. `parse_report` keeps the story and the facts and says what it guessed.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from thainews.dates import BANGKOK, BE_OFFSET, THAI_MONTHS, THAI_MONTHS_SHORT
from thainews.metadata import is_facebook_url, youtube_video_id
from thainews.networks import NETWORKS
from thainews.text import strip_control_chars, thai_digits_to_arabic

CREDIT_LABELS = {
    "ผู้สื่อข่าว": "Reporter", "ผู้รายงาน": "Reporter", "รายงานข่าว": "Reporter",
    "บรรณาธิการ": "Editor", "เรียบเรียง": "Writer", "เขียนข่าว": "Writer", "ผู้เขียน": "Writer",
    "แหล่งที่มา": "Source", "ที่มา": "Source", "ข่าวจาก": "Source", "ภาพ": "Photo",
}
# Lines of web-page furniture that are never part of the story.
FURNITURE = re.compile(r"^(ภาพข่าว|ข้อมูลข่าวและที่มา|ข่าว.{0,12}ที่น่าสนใจ|แชร์|Share|ติดตามข้อมูลข่าวสารเพิ่มเติมได้ที่)\s*:?\s*$")
READ_COUNT = re.compile(r"^(อ่าน|เข้าชม|ผู้เข้าชม)\s*:?\s*[\d,]+\s*(ครั้ง)?$")
NUMBER_RUN = re.compile(r"^(?:\d+\s+){4,}")  # a stray run of numbers before the title
TITLE_SUFFIX = re.compile(r"\s+[-–|]\s*[A-Za-z][\w.]*\s*$")  # " - moralcenter"
EMOJI_LOST = re.compile(r"\?{2,}")
URL = re.compile(r"https?://\S+")
LABEL = re.compile(r"^[•\-*·]?\s*(?P<label>[^:：]{2,20}?)\s*[:：]\s*(?P<value>.+)$")
_MONTHS = {name: index + 1 for index, name in enumerate(THAI_MONTHS)}
_MONTHS |= {name: index + 1 for index, name in enumerate(THAI_MONTHS_SHORT)}
_MONTHS |= {name.replace(".", ""): index + 1 for index, name in enumerate(THAI_MONTHS_SHORT)}
_MONTH_PATTERN = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
THAI_DATE = re.compile(rf"(\d{{1,2}})\s*(?:{_MONTH_PATTERN.replace('(', '(?:')})\s*(?:พ\.?ศ\.?\s*)?(\d{{4}})")
_THAI_DATE_PARTS = re.compile(rf"(\d{{1,2}})\s*({_MONTH_PATTERN})\s*(?:พ\.?ศ\.?\s*)?(\d{{4}})")


@dataclass
class Report:
    title: str = ""
    date: datetime | None = None
    paragraphs: list[str] = field(default_factory=list)
    credits: dict[str, str] = field(default_factory=dict)  # Writer, Reporter, Editor, Source
    facebook: str = ""
    youtube: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) kept in the body
    networks: list[str] = field(default_factory=list)  # Thai names, suggested
    notes: list[tuple[str, str]] = field(default_factory=list)  # (Thai, English): what was guessed or dropped


def find_thai_date(text: str) -> datetime | None:
    """The first date written the Thai way (`1 มีนาคม 2566`, `11 มี.ค. 2563`, Thai digits)."""
    match = _THAI_DATE_PARTS.search(thai_digits_to_arabic(text))
    if not match:
        return None
    day, month_name, year = int(match.group(1)), match.group(2), int(match.group(3))
    if year > 2400:
        year -= BE_OFFSET
    try:
        return datetime(year, _MONTHS[month_name], day, tzinfo=BANGKOK)
    except ValueError:
        return None


def _clean(line: str) -> str:
    line = EMOJI_LOST.sub("", line.replace("\u00a0", " ").replace("\u200b", ""))
    return " ".join(line.split())


def parse_report(text: str) -> Report:
    report = Report()
    text, _removed = strip_control_chars(text.replace("\r\n", "\n").replace("\r", "\n"))  # make import says how many
    lines = [_clean(line) for line in text.split("\n")]

    # Title: the first line with words, without a leading run of numbers or a site suffix.
    for index, line in enumerate(lines):
        stripped = NUMBER_RUN.sub("", line)
        if stripped != line:
            report.notes.append(("ตัดตัวเลขที่ไม่เกี่ยวข้องหน้าหัวข้อออก", "dropped a run of numbers before the title"))
        if re.search(r"[\u0e01-\u0e4eA-Za-z]", stripped):
            title = TITLE_SUFFIX.sub("", stripped)
            if title != stripped:
                report.notes.append((f"ตัด '{stripped[len(title):].strip()}' ท้ายหัวข้อออก", f"dropped '{stripped[len(title):].strip()}' after the title"))
            report.title = title
            lines = lines[index + 1:]
            break

    date_line = None
    paragraph: list[str] = []

    def end_paragraph():
        if paragraph:
            report.paragraphs.append(" ".join(paragraph))
            paragraph.clear()

    for line in lines:
        if not line or line in {".", "..", "-"}:
            end_paragraph()
            continue
        if READ_COUNT.match(line.lstrip("•-* ")):
            report.notes.append((f"ตัดจำนวนผู้อ่านออก ({line.lstrip('•-* ')})", f"dropped the read count ({line.lstrip('•-* ')})"))
            continue
        if FURNITURE.match(line):
            continue
        label = LABEL.match(line)
        if label and label.group("label").strip() in ("เมื่อวันที่", "วันที่", "วันที่ข่าว", "ลงวันที่"):
            date_line = label.group("value")
            continue
        if label and label.group("label").strip() in CREDIT_LABELS:
            key = CREDIT_LABELS[label.group("label").strip()]
            if key != "Photo" and key not in report.credits:
                report.credits[key] = label.group("value").strip()
            continue
        urls = URL.findall(line)
        if urls and len(" ".join(URL.sub("", line).split())) <= 40:  # a line that is mostly a link
            label_text = URL.sub("", line).strip(" :-•")
            for url in urls:
                if youtube_video_id(url) and not report.youtube:
                    report.youtube = url
                elif is_facebook_url(url) and not report.facebook:
                    report.facebook = url
                    report.links.append((label_text or "Facebook", url))
                else:
                    report.links.append((label_text or url, url))
            end_paragraph()
            continue
        paragraph.append(line)
    end_paragraph()

    if date_line:
        report.date = find_thai_date(date_line)
    if report.date is None:
        report.date = find_thai_date(" ".join([report.title, *report.paragraphs[:2]]))
        if report.date:
            report.notes.append(("วันที่ข่าวเดาจากเนื้อหา: ตรวจสอบอีกครั้ง", "the date was taken from the story text: check it"))
    if "Source" not in report.credits and report.links and "moralcenter" in " ".join(url for _l, url in report.links).lower():
        report.credits["Source"] = "ศูนย์คุณธรรม (องค์การมหาชน)"
        report.notes.append(("แหล่งที่มาเดาจากลิงก์: ศูนย์คุณธรรม", "the source was guessed from the links: ศูนย์คุณธรรม"))

    body = " ".join([report.title, *report.paragraphs])
    for network in NETWORKS:
        if network.name in body:
            report.networks.append(network.name)
    return report
