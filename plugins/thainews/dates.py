"""Dates as Thai officers write them, and as Thai readers expect to see them.

Officers write `Date:` in the Common Era (`2023-03-01`) or in the Buddhist Era (`2566-03-01`);
both mean 1 March 2023. Readers see Buddhist-era years (`1 มีนาคม 2566`). No locale is needed:
month names come from PyThaiNLP's tables.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .text import thai_digits_to_arabic

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
# Years we accept, so that a typo such as 2066 or 3566 is caught rather than published.
CE_YEARS = range(1900, 2201)
BE_YEARS = range(CE_YEARS.start + BE_OFFSET, CE_YEARS.stop + BE_OFFSET)

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)

_ISO_LIKE = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)

DATE_FORMAT_HELP_TH = "เขียนเป็น ปี-เดือน-วัน เช่น 2566-03-01 (พ.ศ.) หรือ 2023-03-01 (ค.ศ.) เติมเวลาได้ เช่น 2566-03-01 09:30"
DATE_FORMAT_HELP_EN = "write it as year-month-day, e.g. 2566-03-01 (Buddhist Era) or 2023-03-01 (Common Era), optionally with a time such as 2566-03-01 09:30"


class DateError(ValueError):
    """A date that cannot be read. Carries a Thai and an English explanation."""

    def __init__(self, thai: str, english: str):
        super().__init__(english)
        self.thai = thai
        self.english = english


def parse_news_date(text: str) -> datetime:
    """Read a `Date:` value written in CE or BE; return an aware datetime in Asia/Bangkok."""
    value = thai_digits_to_arabic(str(text)).strip()
    match = _ISO_LIKE.match(value)
    if not match:
        raise DateError(
            f"อ่านวันที่ '{text}' ไม่ได้: {DATE_FORMAT_HELP_TH}",
            f"cannot read the date '{text}': {DATE_FORMAT_HELP_EN}",
        )
    parts = {key: int(val) for key, val in match.groupdict().items() if val is not None}
    year = parts["year"]
    if year in BE_YEARS:
        year -= BE_OFFSET
    elif year not in CE_YEARS:
        raise DateError(
            f"ปี {parts['year']} ในวันที่ '{text}' ดูไม่ถูกต้อง: ใช้ปี พ.ศ. {BE_YEARS.start}–{BE_YEARS.stop - 1} หรือ ค.ศ. {CE_YEARS.start}–{CE_YEARS.stop - 1}",
            f"the year {parts['year']} in '{text}' looks wrong: use a Buddhist-era year ({BE_YEARS.start}–{BE_YEARS.stop - 1}) or a Common-era year ({CE_YEARS.start}–{CE_YEARS.stop - 1})",
        )
    try:
        return datetime(
            year, parts["month"], parts["day"],
            parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0),
            tzinfo=BANGKOK,
        )
    except ValueError as error:
        raise DateError(
            f"ไม่มีวันที่ '{text}' ในปฏิทิน (เช่น เดือนเกิน 12 หรือวันเกินจำนวนวันของเดือน): {DATE_FORMAT_HELP_TH}",
            f"'{text}' is not a calendar date ({error}): {DATE_FORMAT_HELP_EN}",
        ) from None


def in_bangkok(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BANGKOK)
    return moment.astimezone(BANGKOK)


def be_year(year: int) -> int:
    return year + BE_OFFSET


def thai_date(moment: datetime, short: bool = False) -> str:
    """`1 มีนาคม 2566`, or `1 มี.ค. 2566` with short=True."""
    moment = in_bangkok(moment)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{moment.day} {months[moment.month - 1]} {be_year(moment.year)}"


def thai_month_year(year: int, month: int, short: bool = False) -> str:
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{months[month - 1]} {be_year(year)}"


def iso_datetime(moment: datetime) -> str:
    """ISO 8601 in the Common Era, with the Bangkok offset, for `<time datetime>` and feeds."""
    return in_bangkok(moment).isoformat(timespec="seconds")
