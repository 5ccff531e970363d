"""The calendar in the test site (tests/data/site/): pages, links both ways, iCalendar feeds, search, sitemap."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import ROOT, SITE_CONTENT, build
from thainews.dates import BANGKOK, parse_news_date, thai_date
from thainews.events import has_time
from thainews.networks import NETWORKS, find_network, split_list

EVENTS = SITE_CONTENT / "events"
INCLUDE = '{% include "partials/article_events.html" %}'
MORALCENTER = "news/2023/03/moralcenter-coordination-centre/"
PRD = "news/2020/03/chiangrai-social-networks-plan/"


def header(path: Path) -> dict[str, str]:
    """The metadata header of an event file, keys lower-case (read without the plugin)."""
    fields = {}
    for line in path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


SOURCES = {header(path)["slug"]: header(path) for path in sorted(EVENTS.glob("*.md"))}


def soup(site: Path, path: str) -> BeautifulSoup:
    if path == "" or path.endswith("/"):
        path += "index.html"
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def ics(site: Path, path: str) -> Calendar:
    return Calendar.from_ical((site / path).read_bytes())


def expected_times(fields: dict[str, str]):
    start = parse_news_date(fields["start"])
    end = parse_news_date(fields["end"]) if fields.get("end") else None
    if has_time(fields["start"]):
        return start, end
    return start.date(), (end or start).date() + timedelta(days=1)


def test_the_seed_activities_and_upcoming_ones_are_in_the_content():
    assert len(SOURCES) >= 7
    assert SOURCES["coordination-meeting-2566"]["article"] == "moralcenter-coordination-centre"
    assert "ธรรมลังกา" in SOURCES["coordination-meeting-2566"]["location"]
    assert SOURCES["networks-plan-meeting-2563"]["article"] == "chiangrai-social-networks-plan"
    assert "คชสาร" in SOURCES["networks-plan-meeting-2563"]["location"]
    upcoming = [s for s in SOURCES.values() if parse_news_date(s["start"]).date() >= date(2026, 11, 21)]
    assert 5 <= len(upcoming) <= 8
    assert all(s["start"].startswith(("2569", "2570")) for s in upcoming)
    for fields in SOURCES.values():  # a contact is an office or network, never an invented number
        assert not re.search(r"\d{3}|@", fields["contact"]), fields


def test_calendar_pages_exist(site):
    assert "ปฏิทินความดี" in soup(site, "calendar/").find("h1").get_text()
    assert "ที่ผ่านมา" in soup(site, "calendar/past/").find("h1").get_text()
    for slug, fields in SOURCES.items():
        page = soup(site, f"events/{slug}/")
        assert page.find("h1").get_text(strip=True) == fields["title"], slug
        assert (site / "events" / slug / f"{slug}.ics").is_file()
    december = soup(site, "calendar/2569/12/")
    assert december.find("h1").get_text(strip=True) == "ธันวาคม 2569"
    titles = [a.get_text(strip=True) for a in december.select(".event-title a")]
    assert titles == [SOURCES["youth-volunteer-mae-sai-2569"]["title"], SOURCES["new-year-prayer-2570"]["title"]]
    # an event over midnight on 31 December is in January's page too
    assert SOURCES["new-year-prayer-2570"]["title"] in soup(site, "calendar/2570/01/").get_text()


def test_upcoming_list_has_every_event_in_date_order_under_buddhist_era_months(site):
    page = soup(site, "calendar/")
    items = page.select("[data-calendar-list=upcoming] [data-calendar-item]")
    assert len(items) == len(SOURCES)  # without JavaScript: every event, soonest first
    firsts = [item["data-first"] for item in items]
    assert firsts == sorted(firsts)
    months = [h.get_text(strip=True) for h in page.select(".calendar-month-title")]
    assert months[0] == "มีนาคม 2563" and "ธันวาคม 2569" in months and "กุมภาพันธ์ 2570" in months
    fair = next(i for i in items if "มหกรรมชุมชนคุณธรรม" in i.get_text())
    assert (fair["data-first"], fair["data-last"], fair["data-district"]) == ("2027-02-12", "2027-02-14", "chiang-saen")
    assert set(fair["data-networks"].split()) == {"communities", "arts-culture", "agriculture", "local-government"}
    assert page.find("noscript")
    past = soup(site, "calendar/past/").select("[data-calendar-list=past] [data-calendar-item]")
    assert [i["data-first"] for i in past] == sorted(firsts, reverse=True)
    # filters: every network and district, and the script that applies them
    form = page.find("form", attrs={"data-calendar-filters": True})
    assert form.has_attr("hidden")
    assert len(form.find("select", attrs={"name": "network"}).find_all("option")) == 14
    assert len(form.find("select", attrs={"name": "district"}).find_all("option")) == 19
    assert page.find("script", type="module", src=re.compile(r"/theme/js/calendar\.js$"))


def test_event_page_has_every_detail(site):
    page = soup(site, "events/new-year-prayer-2570/")
    main = page.find("main")
    text = main.get_text(" ", strip=True)
    time = main.find("dl").find("time")
    assert time["datetime"] == "2026-12-31T19:00:00+07:00"
    assert time.get_text() == "31 ธันวาคม 2569 เวลา 19:00 น. ถึง 1 มกราคม 2570 เวลา 00:30 น."
    for detail in ("วัดพระสิงห์", "อำเภอเมืองเชียงราย", "สำนักงานวัฒนธรรมจังหวัดเชียงราย ร่วมกับเครือข่ายศาสนา", "ติดต่อสอบถาม"):
        assert detail in text, detail
    hrefs = [a["href"] for a in main.find_all("a", href=True)]
    assert "/network/religion/" in hrefs and "/calendar/2569/12/" in hrefs
    assert "/events/new-year-prayer-2570/new-year-prayer-2570.ics" in hrefs
    assert main.find(attrs={"data-calendar-past-notice": True}).has_attr("hidden")
    fair = soup(site, "events/moral-community-fair-2570/").find("main").find("dl").find("time")
    assert fair["datetime"] == "2027-02-12" and fair.get_text() == "12–14 กุมภาพันธ์ 2570"


def test_event_links_to_its_news_report(site):
    for slug, article in (("coordination-meeting-2566", MORALCENTER), ("networks-plan-meeting-2563", PRD)):
        report = soup(site, f"events/{slug}/").find("section", class_="event-report")
        assert report.find("a", href="/" + article), slug


@pytest.fixture(scope="module")
def site_with_article_events(site, tmp_path_factory):
    """The site as it is once article.html includes partials/article_events.html.

    article.html is not ours to edit here; until it includes the partial, build with a copy of
    the theme that does (just before </article>), so the partial is tested all the same."""
    article = (ROOT / "theme" / "templates" / "article.html").read_text(encoding="utf-8")
    if INCLUDE in article:
        return site
    root = tmp_path_factory.mktemp("article-events")
    shutil.copytree(ROOT / "theme", root / "theme")
    (root / "theme" / "templates" / "article.html").write_text(
        article.replace("</article>", INCLUDE + "\n</article>", 1), encoding="utf-8")
    build(SITE_CONTENT, root / "out", THEME=str(root / "theme"))
    return root / "out"


def test_news_report_links_back_to_its_event(site_with_article_events):
    for slug, article in (("coordination-meeting-2566", MORALCENTER), ("networks-plan-meeting-2563", PRD)):
        section = soup(site_with_article_events, article).find("section", class_="article-events")
        assert section and section.find("a", href=f"/events/{slug}/"), article
        assert "กิจกรรมในปฏิทินความดี" in section.get_text()


def test_home_and_network_pages_show_their_next_events(site):
    home = soup(site, "")
    block = home.find("section", class_="next-events")
    assert block and block.find(attrs={"data-calendar-list": "next"})["data-limit"] == "3"
    assert len(block.select("[data-calendar-item]")) == len(SOURCES)
    assert block.find("a", href="/calendar/")
    religion = soup(site, "network/religion/").find("section", class_="next-events")
    links = {a["href"] for a in religion.select(".event-title a")}
    for slug, fields in SOURCES.items():
        named = {find_network(name).slug for name in split_list(fields.get("networks", ""))}
        assert (f"/events/{slug}/" in links) == ("religion" in named), slug
    assert religion.find("a", href="/calendar/network/religion.ics")
    nav = [a["href"] for a in home.find("nav", class_="site-nav").find_all("a")]
    assert "/calendar/" in nav


def test_feeds_parse_and_hold_every_event_with_its_times(site):
    calendar = ics(site, "calendar/events.ics")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"{slug}@localhost" for slug in SOURCES}  # no SITEURL in a preview build
    for slug, fields in SOURCES.items():
        event = events[f"{slug}@localhost"]
        start, end = expected_times(fields)
        assert event.decoded("DTSTART") == start, slug
        assert type(event.decoded("DTSTART")) is type(start), slug  # DATE for all-day, DATE-TIME otherwise
        if end is not None:
            assert event.decoded("DTEND") == end, slug
        if isinstance(start, datetime):
            assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
            assert event.decoded("DTSTART").utcoffset() == timedelta(hours=7)
        assert str(event["SUMMARY"]) == fields["title"]
        assert fields["location"] in str(event["LOCATION"])
        stamp = parse_news_date(fields.get("modified") or fields["start"])
        assert event.decoded("DTSTAMP") == stamp.astimezone(event.decoded("DTSTAMP").tzinfo), slug
    fair = events["moral-community-fair-2570@localhost"]
    assert (fair.decoded("DTSTART"), fair.decoded("DTEND")) == (date(2027, 2, 12), date(2027, 2, 15))
    prayer = events["new-year-prayer-2570@localhost"]
    assert prayer.decoded("DTSTART") == datetime(2026, 12, 31, 19, 0, tzinfo=BANGKOK)
    assert prayer.decoded("DTEND") == datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)


def test_each_network_has_its_own_feed_and_each_event_its_own_file(site):
    for network in NETWORKS:
        uids = {str(e["UID"]) for e in ics(site, f"calendar/network/{network.slug}.ics").walk("VEVENT")}
        wanted = {f"{slug}@localhost" for slug, fields in SOURCES.items()
                  if network.slug in {find_network(n).slug for n in split_list(fields.get("networks", ""))}}
        assert uids == wanted, network.slug
    for slug in SOURCES:
        single = ics(site, f"events/{slug}/{slug}.ics").walk("VEVENT")
        assert [str(e["UID"]) for e in single] == [f"{slug}@localhost"]


def test_published_feeds_use_the_domain_and_the_calendar_page_explains_subscribing(published_site):
    calendar = ics(published_site, "calendar/events.ics")
    prayer = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "new-year-prayer-2570@news.example.org")
    assert str(prayer["URL"]) == "https://news.example.org/events/new-year-prayer-2570/"
    assert "https://news.example.org/events/new-year-prayer-2570/" in str(prayer["DESCRIPTION"])
    page = soup(published_site, "calendar/")
    subscribe = page.find("section", id="subscribe")
    assert subscribe.find("a", href="webcal://news.example.org/calendar/events.ics")
    assert subscribe.find("input", id="calendar-feed-url")["value"] == "https://news.example.org/calendar/events.ics"
    text = subscribe.get_text(" ")
    for words in ("Google Calendar", "From URL", "Apple Calendar", "Outlook", "Subscribe from web"):
        assert words in text, words
    assert len(subscribe.select(".network-feeds a[type='text/calendar']")) == 13


def test_search_indexes_events_with_their_dates(site):
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    cards = [card for name in manifest["cards"] for card in json.loads((site / "search" / name).read_text(encoding="utf-8"))]
    events = [card for card in cards if card["k"] == "event"]
    assert {card["u"] for card in events} == {f"events/{slug}/" for slug in SOURCES}
    assert cards[-len(events):] == events  # after pages and articles: their ids do not move
    prayer = next(card for card in events if card["u"] == "events/new-year-prayer-2570/")
    assert prayer["td"] == thai_date(parse_news_date("2569-12-31")) == "31 ธันวาคม 2569"
    assert prayer["d"].startswith("2026-12-31T19:00") and "เครือข่ายศาสนา" in prayer["n"]


def test_sitemap_lists_the_calendar(site):
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {"/calendar/", "/calendar/past/", "/calendar/2570/02/", "/events/merit-market-2570/"} <= locs


class FakePelican:
    def __init__(self, **settings):
        self.settings = settings


@pytest.mark.parametrize(("settings", "words"), [
    ({"EVENTS": {"NEXT": 3}}, "unknown key(s) in EVENTS: NEXT"),
    ({"EVENTS": {"EVENT_URL": "events/{title}/"}}, "EVENTS['EVENT_URL']"),
    ({"EVENTS": {"MONTH_URL": "calendar/{be_year}/"}}, "EVENTS['MONTH_URL']"),
    ({"EVENTS": {"FEED_ICS": "calendar/events.ical"}}, "EVENTS['FEED_ICS']"),
    ({"EVENTS": {"PAST_URL": "/calendar/past/"}}, "EVENTS['PAST_URL']"),
    ({"EVENTS": {"NEXT_EVENTS": 0}}, "EVENTS['NEXT_EVENTS']"),
    ({"EVENTS": {"UID_DOMAIN": "https://x.org"}}, "EVENTS['UID_DOMAIN']"),
    ({"EVENT_PATHS": "events"}, "EVENT_PATHS"),
])
def test_settings_are_checked_at_start_up(settings, words):
    from events.events import check_settings

    with pytest.raises(ValueError) as raised:
        check_settings(FakePelican(**settings))
    assert str(raised.value).startswith("events: ") and words in str(raised.value)


def test_default_settings_pass_and_set_event_paths():
    from events.events import check_settings

    pelican = FakePelican(EVENTS={"UID_DOMAIN": "moral.example", "NEXT_EVENTS": 5})
    check_settings(pelican)
    assert pelican.settings["EVENT_PATHS"] == ["events"]
