"""iCalendar (RFC 5545) files for the calendar of good deeds, written with `icalendar`.

Pure: events come in as plain data (`CalendarEntry`), bytes go out. Nothing depends on the
time of the build: DTSTAMP is the event's `Modified` or, without one, its start, so the same
events always give byte-identical files. Timed events are in Asia/Bangkok, with its VTIMEZONE;
all-day events are DATE values, DTEND the day after the last day.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

from icalendar import Calendar, Event, Timezone

from .dates import in_bangkok
from .events import ical_end

PRODID = "-//Chiang Rai Moral Province News//Calendar of good deeds//TH"
TZID = "Asia/Bangkok"
REFRESH = timedelta(hours=12)  # how often subscribers should fetch the feed again
FALLBACK_DOMAIN = "localhost"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    start: datetime
    end: datetime | None
    all_day: bool
    stamp: datetime
    modified: datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""  # absolute, or "" when the site has no SITEURL
    categories: tuple[str, ...] = ()
    contact: str = ""


def uid_domain(configured: str, siteurl: str) -> str:
    """The right-hand side of every UID: the configured domain, else SITEURL's host."""
    if configured:
        return configured
    host = urlparse(siteurl).hostname if siteurl else None
    return host or FALLBACK_DOMAIN


def event_uid(slug: str, domain: str) -> str:
    return f"{slug}@{domain}"


def describe(summary: str, organizer: str = "", contact: str = "", link: str = "", url: str = "") -> str:
    """DESCRIPTION: the summary, then who organises it, whom to ask, where to register, the page."""
    lines = [summary.strip()] if summary.strip() else []
    if organizer:
        lines.append(f"ผู้จัด: {organizer}")
    if contact:
        lines.append(f"ติดต่อ: {contact}")
    if link:
        lines.append(f"ลงทะเบียน: {link}")
    if url:
        lines.append(f"รายละเอียด: {url}")
    return "\n".join(lines)


def _vevent(entry: CalendarEntry) -> Event:
    if entry.all_day:
        start: date | datetime = in_bangkok(entry.start).date()
    else:
        start = in_bangkok(entry.start)
    event = Event.new(
        uid=entry.uid,
        stamp=in_bangkok(entry.stamp),
        start=start,
        end=ical_end(entry.start, entry.end, entry.all_day),
        summary=entry.title,
        location=entry.location or None,
        description=entry.description or None,
        url=entry.url or None,
        categories=tuple(entry.categories),
        contacts=entry.contact or None,
        last_modified=in_bangkok(entry.modified) if entry.modified else None,
    )
    if entry.all_day:
        event.add("TRANSP", "TRANSPARENT")  # a whole-day fair does not make the reader busy
    return event


def calendar_bytes(entries: list[CalendarEntry], *, name: str, uid: str, description: str = "",
                   url: str = "") -> bytes:
    """One VCALENDAR with the Bangkok VTIMEZONE and a VEVENT per entry, in the given order."""
    calendar = Calendar.new(
        prodid=PRODID, method="PUBLISH", calscale="GREGORIAN", name=name, uid=uid,
        description=description or None, url=url or None, refresh_interval=REFRESH,
    )
    calendar.add("X-WR-TIMEZONE", TZID)
    calendar.add("X-PUBLISHED-TTL", f"PT{REFRESH.seconds // 3600}H")  # the same, for Outlook
    # Always there, even for a calendar of all-day events or none at all: a VCALENDAR needs
    # at least one component, and clients that ignore TZID still get the offset right.
    calendar.add_component(Timezone.from_tzid(TZID))
    for entry in entries:
        calendar.add_component(_vevent(entry))
    return calendar.to_ical()

