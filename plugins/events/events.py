"""events: the calendar of good deeds (ปฏิทินความดี) of the 13 networks.

Reads `content/events/*.md` (EVENT_PATHS) with the same strict reader as articles
(plugins/strict_content's, which checks them with `thainews.events.check_event`; this plugin
gets it from `buildcore.checking_reader`, never by importing strict_content), links
each event to the news report it names (`Article:`) and back (`article.events`), and writes:

- `calendar/`: every event in date order, grouped by month; `calendar/past/`: the archive;
  `calendar/<BE year>/<month>/`: one page per month; `events/<slug>/`: one page per event.
  Which events are still to come is decided in the reader's browser (theme/static/js/calendar.js)
  from today's date, so a site built last week is still right.
- iCalendar feeds: `calendar/events.ics` (all), `calendar/network/<slug>.ics` (per network), and
  one `.ics` per event ("add to my calendar"); made by `thainews.ical`.

Templates get `events` (published events, soonest first), `CALENDAR` (URLs, months, feeds) and,
on each network page, `network.events`. Problems that need every file read (an `Article:` that
does not exist, two events with one slug) go into this generator's `problems`, which
`buildcore.collect_problems` takes into the build's one report with all the others.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from buildcore import checking_reader, display_path
from thainews.dates import be_year, in_bangkok, iso_datetime, thai_month_year
from thainews.districts import DISTRICTS
from thainews.events import (
    duplicate_slug_problem,
    last_day,
    missing_article_problem,
    months_of,
    thai_when,
    thai_when_short,
)
from thainews.ical import CalendarEntry, calendar_bytes, describe, event_uid, uid_domain
from thainews.networks import NETWORKS
from thainews.plugin_settings import check_known_keys, check_whole_numbers, plugin_options
from thainews.problems import Problem
from thainews.text import html_to_text

logger = logging.getLogger(__name__)

SETTINGS_KEY = "EVENTS"
DEFAULTS = {
    "CALENDAR_URL": "calendar/",  # upcoming events (all events, without JavaScript)
    "PAST_URL": "calendar/past/",
    "MONTH_URL": "calendar/{be_year}/{month}/",
    "EVENT_URL": "events/{slug}/",
    "EVENT_ICS": "events/{slug}/{slug}.ics",
    "FEED_ICS": "calendar/events.ics",
    "NETWORK_FEED_ICS": "calendar/network/{slug}.ics",
    "UID_DOMAIN": "",  # right-hand side of UIDs; "" = the host of SITEURL
    "NEXT_EVENTS": 3,  # shown on the home page and each network page
}
DEFAULT_EVENT_PATHS = ["events"]
# Placeholders each setting may use, and those it must use.
PLACEHOLDERS = {
    "CALENDAR_URL": (set(), set()),
    "PAST_URL": (set(), set()),
    "MONTH_URL": ({"year", "be_year", "month"}, {"month"}),
    "EVENT_URL": ({"slug", "year", "be_year", "month"}, {"slug"}),
    "EVENT_ICS": ({"slug", "year", "be_year", "month"}, {"slug"}),
    "FEED_ICS": (set(), set()),
    "NETWORK_FEED_ICS": ({"slug"}, {"slug"}),
}
_PLACEHOLDER = re.compile(r"{(\w*)}")
_SUMMARY_FIELD = re.compile(r"^[ ]{0,3}summary\s*:", re.IGNORECASE | re.MULTILINE)


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def check_settings(pelican) -> None:
    """Name the plugin and the bad key at start-up, rather than fail mid-build."""
    settings = pelican.settings
    check_known_keys("events", settings, SETTINGS_KEY, DEFAULTS)
    config = options(settings)
    for key, (allowed, required) in PLACEHOLDERS.items():
        value = config[key]
        if not isinstance(value, str) or not value or value.startswith("/"):
            raise ValueError(f"events: {SETTINGS_KEY}['{key}'] must be a path without a leading '/', got {value!r}")
        used = set(_PLACEHOLDER.findall(value))
        if used - allowed or required - used:
            raise ValueError(f"events: {SETTINGS_KEY}['{key}'] = {value!r} must use "
                             f"{', '.join('{' + name + '}' for name in sorted(required)) or 'no placeholder'}"
                             + (f" and may use {', '.join('{' + name + '}' for name in sorted(allowed))}" if allowed else ""))
        if key.endswith("_ICS") != value.endswith(".ics") or (key.endswith("_URL") and not value.endswith("/")):
            raise ValueError(f"events: {SETTINGS_KEY}['{key}'] = {value!r} must end in "
                             + ("'.ics'" if key.endswith("_ICS") else "'/'"))
    check_whole_numbers("events", SETTINGS_KEY, config, {"NEXT_EVENTS": 1})
    domain = config["UID_DOMAIN"]
    if not isinstance(domain, str) or any(char in domain for char in " @/:"):
        raise ValueError(f"events: {SETTINGS_KEY}['UID_DOMAIN'] must be a domain name such as 'news.example.org', got {domain!r}")
    plugins = settings.get("PLUGINS")
    if plugins is not None and not any("strict_content" in str(getattr(plugin, "__name__", plugin)) for plugin in plugins):
        raise ValueError("events: needs the strict_content plugin (it checks event files and stops the build "
                         "on a problem): add 'strict_content' to PLUGINS")
    settings.setdefault("EVENT_PATHS", list(DEFAULT_EVENT_PATHS))
    paths = settings["EVENT_PATHS"]
    if not isinstance(paths, (list, tuple)) or not all(isinstance(path, str) and path for path in paths):
        raise ValueError(f"events: EVENT_PATHS must be a list of folders inside PATH, such as ['events'], got {paths!r}")


def gives_summary(source_path: str) -> bool:
    """Does the file's header have a Summary field (rather than one made from the details)?"""
    text = Path(source_path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    return bool(_SUMMARY_FIELD.search(text.split("\n\n", 1)[0]))


class Event(Content):
    """One event. Times come from the reader (`start`, `end`, `all_day`); the rest is derived."""

    mandatory_properties = ("title",)
    allowed_statuses = ("published", "draft")
    default_status = "published"
    default_template = "event"

    @property
    def first_day(self) -> date:
        return in_bangkok(self.start).date()

    @property
    def last_day(self) -> date:
        return last_day(self.start, self.end, self.all_day)

    @property
    def first_iso(self) -> str:
        return self.first_day.isoformat()

    @property
    def last_iso(self) -> str:
        return self.last_day.isoformat()

    @property
    def start_iso(self) -> str:
        """For `<time datetime>`: a date for an all-day event, else the moment with its offset."""
        return self.first_iso if self.all_day else iso_datetime(self.start)

    @property
    def when(self) -> str:
        return thai_when(self.start, self.end, self.all_day)

    @property
    def when_short(self) -> str:
        return thai_when_short(self.start, self.end, self.all_day)

    @property
    def months(self) -> list[tuple[int, int]]:
        return months_of(self.start, self.end, self.all_day)

    @property
    def network_slugs(self) -> str:
        return " ".join(network.slug for network in self.networks)

    @property
    def place(self) -> str:
        """Location, district and province, for calendars and search."""
        if not self.district or self.district.name in self.location:
            return self.location
        return f"{self.location} {self.district.full_name} จังหวัดเชียงราย"

    @property
    def search_extra(self) -> str:
        """Text the search indexes besides the body: where, who."""
        return " ".join(part for part in (self.place, self.organizer, self.contact) if part)


@dataclass(eq=False)
class MonthPage:
    year: int  # CE
    month: int
    url: str
    save_as: str
    events: list = field(default_factory=list)
    previous: "MonthPage | None" = None
    next: "MonthPage | None" = None

    @property
    def label(self) -> str:
        return thai_month_year(self.year, self.month)

    @property
    def be_year(self) -> int:
        return be_year(self.year)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(eq=False)
class MonthGroup:
    """Events listed under one month heading on the calendar pages."""

    page: MonthPage
    events: list

    def __getattr__(self, name):  # label, url, key from the month page
        if name.startswith("__") or name == "page":
            raise AttributeError(name)
        return getattr(self.page, name)


@dataclass
class CalendarInfo:
    url: str
    save_as: str
    past_url: str
    past_save_as: str
    feed: str
    feed_absolute: str  # "" without SITEURL
    webcal: str  # "" without SITEURL
    next_limit: int
    months: list = field(default_factory=list)  # MonthPage, oldest first
    network_feeds: list = field(default_factory=list)  # (network, path)
    networks: tuple = NETWORKS
    districts: tuple = DISTRICTS

    @property
    def years(self) -> list[tuple[int, list]]:
        """(BE year, months) newest year first, for the list of month pages."""
        by_year: dict[int, list] = {}
        for month in self.months:
            by_year.setdefault(month.be_year, []).append(month)
        return sorted(by_year.items(), reverse=True)


def url_fields(event, slug: str | None = None) -> dict:
    start = getattr(event, "start", None) or datetime(1970, 1, 1)
    start = in_bangkok(start)
    return {"slug": slug or event.slug, "year": start.year, "be_year": be_year(start.year), "month": f"{start.month:02d}"}


def save_as_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


class EventsGenerator(Generator):
    """Reads the events, checks what needs every file read, writes the calendar."""

    def __init__(self, *args, **kwargs):
        self.events: list[Event] = []  # published, soonest first
        self.draft_events: list[Event] = []  # not `drafts`: other plugins read that name as articles
        self.problems: list[Problem] = []  # collected by buildcore.collect_problems with the readers'
        self.calendar: CalendarInfo | None = None
        super().__init__(*args, **kwargs)
        # The same strict reader as articles (strict_content installs it for every generator;
        # this makes sure of it whatever the order of the plugins).
        reader_class = checking_reader()
        for extension in reader_class.file_extensions if reader_class else ():
            if not isinstance(self.readers.readers.get(extension), reader_class):
                self.readers.readers[extension] = reader_class(self.settings)

    # -- reading ---------------------------------------------------------------------------

    def generate_context(self) -> None:
        config = options(self.settings)
        siteurl = self.settings.get("SITEURL", "")
        events: list[Event] = []
        for path in sorted(self.get_files(self.settings.get("EVENT_PATHS", DEFAULT_EVENT_PATHS))):
            try:
                event = self.readers.read_file(base_path=self.path, path=path, content_class=Event, context=self.context)
            except Exception as error:  # noqa: BLE001 - reported with every other problem
                shown = display_path(str(Path(self.path) / path), self.settings)
                self.problems.append(Problem(shown, 1, "", f"อ่านไฟล์กิจกรรมนี้ไม่ได้: {error}",
                                             f"this event file cannot be read: {error}"))
                continue
            for name in ("location", "organizer", "contact", "link", "article"):
                value = getattr(event, name, "")
                setattr(event, name, value.strip() if isinstance(value, str) else "")
            event.report = None
            # Show Summary above the details only when the file gives one (else it is their start).
            event.lead = event.summary if gives_summary(event.source_path) else ""
            event.override_url = config["EVENT_URL"].format(**url_fields(event))
            event.override_save_as = save_as_of(event.override_url)
            event.ics_url = config["EVENT_ICS"].format(**url_fields(event))
            self.add_source_path(event)
            if event.start is None or event.status not in Event.allowed_statuses:
                continue  # the validator has reported it; the build stops before writing
            events.append(event)
        events.sort(key=lambda event: (event.start, event.slug))
        self._check_slugs(events)
        self.events = [event for event in events if event.status == "published"]
        self.draft_events = [event for event in events if event.status == "draft"]
        self._link_articles()
        self._attach_networks(config)
        self.calendar = self._calendar(config, siteurl)
        self.context["events"] = self.events
        self.context["CALENDAR"] = self.calendar
        self.context["CALENDAR_SITEMAP"] = self._sitemap()

    def _source(self, event) -> tuple[str, str]:
        return (display_path(event.source_path, self.settings),
                Path(event.source_path).read_text(encoding="utf-8", errors="replace"))

    def _check_slugs(self, events) -> None:
        """The slug is the event's UID in subscribers' calendars: it must be unique."""
        by_slug: dict[str, list] = {}
        for event in events:
            by_slug.setdefault(event.slug, []).append(event)
        for slug, same in by_slug.items():
            if len(same) < 2:
                continue
            shown = sorted(self._source(event)[0] for event in same)
            for event in same:
                path, source = self._source(event)
                self.problems.append(duplicate_slug_problem(path, source, slug, [other for other in shown if other != path]))

    def _link_articles(self) -> None:
        """`Article:` must name a published article; the article then lists the event."""
        articles = {article.slug: article for article in self.context.get("articles", [])}
        drafts = {article.slug for article in self.context.get("drafts", [])}
        for event in [*self.events, *self.draft_events]:
            if not event.article:
                continue
            article = articles.get(event.article)
            if article is None:
                path, source = self._source(event)
                self.problems.append(missing_article_problem(path, source, event.article, event.article in drafts))
                continue
            if event.status != "published":
                continue
            event.report = article
            if not isinstance(getattr(article, "events", None), list):
                article.events = []
            article.events.append(event)

    def _attach_networks(self, config) -> None:
        pages = {page.slug: page for page in self.context.get("NETWORKS", [])}
        for page in pages.values():
            page.events = []
            page.calendar_feed = config["NETWORK_FEED_ICS"].format(slug=page.slug)
        for event in [*self.events, *self.draft_events]:
            event.networks = [pages.get(network.slug, network) for network in getattr(event, "networks", [])]
            if event.status == "published":
                for network in event.networks:
                    if network.slug in pages:
                        pages[network.slug].events.append(event)

    def _calendar(self, config, siteurl: str) -> CalendarInfo:
        feed = config["FEED_ICS"]
        absolute = f"{siteurl}/{feed}" if siteurl else ""
        webcal = re.sub(r"^https?://", "webcal://", absolute) if absolute else ""
        calendar = CalendarInfo(
            url=config["CALENDAR_URL"], save_as=save_as_of(config["CALENDAR_URL"]),
            past_url=config["PAST_URL"], past_save_as=save_as_of(config["PAST_URL"]),
            feed=feed, feed_absolute=absolute, webcal=webcal, next_limit=config["NEXT_EVENTS"],
        )
        pages = {page.slug: page for page in self.context.get("NETWORKS", [])}
        calendar.network_feeds = [(pages.get(network.slug, network), config["NETWORK_FEED_ICS"].format(slug=network.slug))
                                  for network in NETWORKS]
        months: dict[tuple[int, int], MonthPage] = {}
        for event in self.events:
            for year, month in event.months:
                if (year, month) not in months:
                    url = config["MONTH_URL"].format(year=year, be_year=be_year(year), month=f"{month:02d}")
                    months[(year, month)] = MonthPage(year, month, url, save_as_of(url))
                months[(year, month)].events.append(event)
            event.month_page = months[event.months[0]]
        calendar.months = [months[key] for key in sorted(months)]
        for before, after in zip(calendar.months, calendar.months[1:], strict=False):
            before.next, after.previous = after, before
        return calendar

    def _sitemap(self) -> dict[str, object]:
        """URL → lastmod (an event's Modified, or None) for plugins/sitemap_xml."""
        entries: dict[str, object] = {}
        if self.events:
            entries[self.calendar.url] = None
            entries[self.calendar.past_url] = None
        for month in self.calendar.months:
            entries[month.url] = None
        for event in self.events:
            entries[event.url] = getattr(event, "modified", None)
        return entries

    # -- writing ---------------------------------------------------------------------------

    def _groups(self, events: list, newest_first: bool) -> list[MonthGroup]:
        """Events under the month they start in."""
        by_month: dict[tuple[int, int], list] = {}
        for event in sorted(events, key=lambda event: (event.start, event.slug), reverse=newest_first):
            by_month.setdefault(event.months[0], []).append(event)
        pages = {(month.year, month.month): month for month in self.calendar.months}
        return [MonthGroup(pages[key], items) for key, items in by_month.items()]

    def generate_output(self, writer) -> None:
        calendar = self.calendar
        relative = self.settings["RELATIVE_URLS"]
        write = writer.write_file
        write(calendar.save_as, self.get_template("calendar"), self.context, relative_urls=relative,
              url=calendar.url, calendar_mode="upcoming", groups=self._groups(self.events, newest_first=False))
        write(calendar.past_save_as, self.get_template("calendar"), self.context, relative_urls=relative,
              url=calendar.past_url, calendar_mode="past", groups=self._groups(self.events, newest_first=True))
        for month in calendar.months:
            write(month.save_as, self.get_template("calendar_month"), self.context, relative_urls=relative,
                  url=month.url, month=month)
        for event in self.events:
            write(event.save_as, self.get_template(event.template), self.context, relative_urls=relative,
                  url=event.url, event=event)
        self._write_feeds()

    def _entry(self, event, domain: str, siteurl: str) -> CalendarEntry:
        url = f"{siteurl}/{event.url}" if siteurl else ""
        return CalendarEntry(
            uid=event_uid(event.slug, domain), title=str(event.title),
            start=event.start, end=event.end, all_day=event.all_day,
            stamp=getattr(event, "modified", None) or event.start, modified=getattr(event, "modified", None),
            location=event.place,
            description=describe(html_to_text(event.summary), event.organizer, event.contact, event.link, url),
            url=url, categories=tuple(network.name for network in event.networks), contact=event.contact,
        )

    def _write_feeds(self) -> None:
        config = options(self.settings)
        siteurl = self.settings.get("SITEURL", "")
        sitename = self.settings.get("SITENAME", "")
        domain = uid_domain(config["UID_DOMAIN"], siteurl)
        entries = {event.slug: self._entry(event, domain, siteurl) for event in self.events}
        page = f"{siteurl}/{self.calendar.url}" if siteurl else ""
        files = {self.calendar.feed: calendar_bytes(
            list(entries.values()), name=f"ปฏิทินความดี · {sitename}", uid=f"calendar@{domain}",
            description="กิจกรรมความดีของ 13 เครือข่ายทางสังคม จังหวัดเชียงราย", url=page)}
        for network, path in self.calendar.network_feeds:
            chosen = [entries[event.slug] for event in self.events if any(n.slug == network.slug for n in event.networks)]
            files[path] = calendar_bytes(
                chosen, name=f"ปฏิทินความดี · {network.name}", uid=f"calendar-{network.slug}@{domain}",
                description=f"กิจกรรมของ{network.name} จังหวัดเชียงราย", url=page)
        for event in self.events:
            files[event.ics_url] = calendar_bytes([entries[event.slug]], name=str(event.title),
                                                  uid=f"calendar-event-{event.slug}@{domain}")
        output = Path(self.output_path)
        for path, data in sorted(files.items()):
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
        logger.info("events: %d events, %d month pages, %d calendar files", len(self.events), len(self.calendar.months), len(files))


def get_generators(pelican):
    return EventsGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
