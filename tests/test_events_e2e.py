"""The calendar in headless Chromium: which events are "upcoming" is decided in the browser from
today's date (faked with Playwright's clock), and the filters live in the URL.

The real site (the session `site` build) is served over HTTP with the site's own
Content-Security-Policy (content/extra/_headers); a console error (Chromium reports CSP
violations there) or an uncaught exception fails the test. Skipped when Chromium or Playwright
is not installed.
"""

from urllib.parse import parse_qs, urlparse

import pytest

from browser import site_policy

# Every test here drives headless Chromium (tests/browser.py), and is slow too: the module builds
# a site and starts Chromium first. `pytest -m "not slow and not browser"` leaves them out.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAST = ["networks-plan-meeting-2563", "coordination-meeting-2566"]
UPCOMING = ["youth-volunteer-mae-sai-2569", "new-year-prayer-2570", "moral-schools-training-2570",
            "moral-community-fair-2570", "merit-market-2570", "songkran-elders-thoeng-2570"]
TODAY = "2026-11-21T10:00:00+07:00"


@pytest.fixture(scope="module")
def base_url(site, serve):
    return serve(site, {"Content-Security-Policy": site_policy()})


@pytest.fixture
def page(browser):
    """A fresh tab whose clock says `TODAY` unless a test sets another time before opening a page."""
    context = browser.new_context(locale="th-TH", timezone_id="Europe/London")  # not Bangkok on purpose
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.clock.set_fixed_time(TODAY)
    yield tab
    context.close()
    assert errors == [], errors


def open_page(tab, url):
    tab.goto(url, wait_until="load")
    tab.wait_for_selector("html[data-calendar-today]", state="attached")  # calendar.js has run


def visible_slugs(tab, selector="[data-calendar-list] [data-calendar-item]"):
    return tab.eval_on_selector_all(
        selector,
        "(items) => items.filter((li) => !li.hidden && li.offsetParent !== null)"
        ".map((li) => li.querySelector('.event-title a').getAttribute('href').split('/').filter(Boolean).pop())")


def test_upcoming_list_hides_past_events_for_the_fake_today(page, base_url):
    open_page(page, f"{base_url}/calendar/")
    assert page.evaluate("document.documentElement.dataset.calendarToday") == "2026-11-21"
    assert visible_slugs(page) == UPCOMING
    headings = page.eval_on_selector_all(".calendar-month:not([hidden]) h2", "(hs) => hs.map((h) => h.textContent)")
    assert headings[0] == "ธันวาคม 2569" and "มีนาคม 2566" not in headings
    assert page.text_content("[data-calendar-status]") == f"{len(UPCOMING)} กิจกรรม"
    assert page.is_hidden("[data-calendar-empty]")
    open_page(page, f"{base_url}/calendar/past/")
    assert visible_slugs(page) == list(reversed(PAST))


@pytest.mark.parametrize(("now", "first_upcoming"), [
    ("2026-12-31T17:10:00Z", "new-year-prayer-2570"),  # 00:10 on 1 January in Bangkok: still on
    ("2027-01-01T17:10:00Z", "moral-schools-training-2570"),  # 2 January in Bangkok: over
    ("2027-02-14T12:00:00+07:00", "moral-community-fair-2570"),  # the fair's last day
    ("2027-02-15T00:01:00+07:00", "merit-market-2570"),
])
def test_a_site_built_earlier_is_still_right_later(browser, base_url, now, first_upcoming):
    context = browser.new_context(locale="th-TH")
    try:
        tab = context.new_page()
        tab.clock.set_fixed_time(now)
        open_page(tab, f"{base_url}/calendar/")
        shown = visible_slugs(tab)
        assert shown == UPCOMING[UPCOMING.index(first_upcoming):]
    finally:
        context.close()


def test_everything_past_says_so(browser, base_url):
    context = browser.new_context(locale="th-TH")
    try:
        tab = context.new_page()
        tab.clock.set_fixed_time("2028-01-01T10:00:00+07:00")
        open_page(tab, f"{base_url}/calendar/")
        assert visible_slugs(tab) == []
        assert tab.is_visible("[data-calendar-empty]")
        assert "ยังไม่มีกิจกรรมที่กำลังจะมาถึง" in tab.text_content("[data-calendar-empty]")
        open_page(tab, f"{base_url}/")
        assert tab.is_hidden(".next-events ol") and tab.is_visible(".next-events [data-calendar-empty]")
    finally:
        context.close()


def test_home_and_network_pages_show_the_next_few(page, base_url):
    open_page(page, f"{base_url}/")
    assert visible_slugs(page, ".next-events [data-calendar-item]") == UPCOMING[:3]
    open_page(page, f"{base_url}/network/religion/")
    assert visible_slugs(page, ".next-events [data-calendar-item]") == ["new-year-prayer-2570"]


def test_filters_by_network_and_district_are_kept_in_the_url(page, base_url):
    open_page(page, f"{base_url}/calendar/?network=youth")
    assert page.is_visible("[data-calendar-filters]")
    assert page.input_value("#calendar-network") == "youth"
    assert visible_slugs(page) == ["youth-volunteer-mae-sai-2569", "moral-schools-training-2570"]

    page.select_option("#calendar-district", "phan")
    assert parse_qs(urlparse(page.url).query) == {"network": ["youth"], "district": ["phan"]}
    assert visible_slugs(page) == ["moral-schools-training-2570"]
    past_link = page.get_attribute(".calendar-nav a[href*='past']", "href")
    assert parse_qs(urlparse(past_link).query) == {"network": ["youth"], "district": ["phan"]}

    page.reload(wait_until="load")
    page.wait_for_selector("html[data-calendar-today]", state="attached")
    assert page.input_value("#calendar-network") == "youth" and page.input_value("#calendar-district") == "phan"
    assert visible_slugs(page) == ["moral-schools-training-2570"]

    page.select_option("#calendar-network", "")
    assert parse_qs(urlparse(page.url).query) == {"district": ["phan"]}
    page.select_option("#calendar-district", "mae-sai")
    assert visible_slugs(page) == ["youth-volunteer-mae-sai-2569"]
    page.select_option("#calendar-district", "doi-luang")
    assert visible_slugs(page) == []
    assert "ไม่พบกิจกรรม" in page.text_content("[data-calendar-empty]")


def test_filters_work_on_past_and_month_pages_and_ignore_unknown_values(page, base_url):
    open_page(page, f"{base_url}/calendar/past/?network=media")
    assert visible_slugs(page) == ["coordination-meeting-2566", "networks-plan-meeting-2563"]
    open_page(page, f"{base_url}/calendar/past/?network=districts")  # not in the 2563 meeting
    assert visible_slugs(page) == ["coordination-meeting-2566"]
    open_page(page, f"{base_url}/calendar/2569/12/?district=mae-sai")
    assert visible_slugs(page) == ["youth-volunteer-mae-sai-2569"]
    open_page(page, f"{base_url}/calendar/?network=nonsense&district=chiang-mai")
    assert page.input_value("#calendar-network") == "" and page.input_value("#calendar-district") == ""
    assert visible_slugs(page) == UPCOMING


def test_month_page_marks_past_events_and_event_page_says_when_it_is_over(page, base_url):
    open_page(page, f"{base_url}/calendar/2566/03/")
    assert visible_slugs(page) == ["coordination-meeting-2566"]
    assert page.is_visible("[data-calendar-past-label]")
    open_page(page, f"{base_url}/events/coordination-meeting-2566/")
    assert page.is_visible("[data-calendar-past-notice]")
    open_page(page, f"{base_url}/events/new-year-prayer-2570/")
    assert page.is_hidden("[data-calendar-past-notice]")
