"""What every reader gets (issue 18, points 1, 2, 3 and 6), in headless Chromium on the test site
served with the site's own Content-Security-Policy: a console error (Chromium reports CSP
violations there), an uncaught exception or a request to another host fails the test.

- Text size (theme/static/js/reader.js, partials/reader_tools.html): A− / A / A+ change the
  computed font size of the whole page, the choice is on <html> before the body is parsed (no
  flash), kept in localStorage (no cookie) across reloads and pages, announced, and a stored value
  that is not one of the sizes, or storage that is switched off, breaks nothing.
- Themes: high contrast with `prefers-contrast: more` and with the toggle (the two copies of its
  palette in site.css hold the same values), the reader's choice over the system's, dark with
  `prefers-color-scheme: dark`; focus rings at least 3:1 against what is around them; without
  JavaScript the tools are not shown and the system's high contrast still applies.
- axe: no serious or critical violation in every theme and every size on the home page, a story,
  the calendar and search (results with their highlights).
- Layout: no sideways scrolling at 320 and 360 px with the largest text, nor at 200 % zoom.
- Layout shift: the calendar pages and search, with their scripts answered a second late, shift
  less than 0.05 (Lighthouse's "good"), at the normal and the largest size.
"""

import re

import pytest

from browser import leaves_localhost, site_policy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = "2026-11-21T10:00:00+07:00"  # the calendar's fake today, as in tests/test_events_e2e.py
STORY = "/news/2023/03/moralcenter-coordination-centre/"
PAGES = {"home": "/", "story": STORY, "calendar": "/calendar/", "search": "/search.html?q=คุณธรรม"}
SIZES = ("90", "100", "115", "130", "150")
PHONE = {"width": 390, "height": 800}
SERIOUS = {"serious", "critical"}
DELAY = 1.0  # seconds: the page scripts that fill the lists, answered late (a slow network)
# At the moment <body> is inserted (so before anything is drawn): the size and contrast on <html>.
AT_BODY = """
window.__atBody = null;
new MutationObserver((records, observer) => {
  if (!document.body) return;
  const root = document.documentElement;
  window.__atBody = {size: root.dataset.textSize || null, contrast: root.dataset.contrast || null};
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""
LAYOUT_SHIFT = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(scope="module")
def base_url(site, serve):
    return serve(site, {"Content-Security-Policy": site_policy(), "Cache-Control": "no-store"})


@pytest.fixture(scope="module")
def slow_scripts_url(site, serve):
    """The same site, with reader.js, calendar.js and search.js answered late."""
    delays = {f"/theme/js/{name}": DELAY for name in ("reader.js", "calendar.js", "search.js")}
    return serve(site, {"Content-Security-Policy": site_policy(), "Cache-Control": "no-store"}, delays)


class Tabs:
    """Opens browser contexts (closed at the end) whose tabs record errors and let only 127.0.0.1 through."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.errors: list[str] = []

    def open(self, viewport=None, **options):
        # Reduced motion: no colour transitions, so that a style read after a click is the final one.
        context = self.browser.new_context(locale="th-TH", viewport=viewport or PHONE, reduced_motion="reduce", **options)
        self.contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        tab.on("pageerror", lambda error: self.errors.append(str(error)))
        tab.route("**/*", lambda route: route.abort() if leaves_localhost(route.request.url) else route.continue_())
        if options.get("java_script_enabled", True):
            tab.clock.set_fixed_time(TODAY)
        return tab


@pytest.fixture
def tabs(browser):
    opened = Tabs(browser)
    yield opened
    for context in opened.contexts:
        context.close()
    assert opened.errors == [], opened.errors


@pytest.fixture
def tab(tabs):
    return tabs.open()


def root_data(tab, name):
    return tab.evaluate(f"document.documentElement.dataset.{name} ?? null")


def px(tab, selector, prop="font-size"):
    return float(tab.eval_on_selector(selector, f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")[:-2])


def style(tab, selector, prop):
    return tab.eval_on_selector(selector, f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")


def stored(tab, key):
    return tab.evaluate(f"localStorage.getItem('{key}')")


def status_says(tab, text):
    tab.wait_for_function("(text) => document.querySelector('[data-reader-status]').textContent === text", arg=text)


def size_button(tab, step):
    return tab.locator(f"[data-reader-tools] [data-text-size-step='{step}']")


def rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(part) for part in re.findall(r"\d+", value)[:3])


def contrast(one: str, two: str) -> float:
    def luminance(colour):
        channels = [c / 255 for c in rgb(colour)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_size_control_changes_the_text_and_is_kept_across_reloads_and_pages(tab, base_url):
    tab.add_init_script(AT_BODY)
    tab.goto(base_url + "/")
    assert tab.is_visible("[data-reader-tools]") and root_data(tab, "textSize") == "100"
    body, heading = px(tab, "body"), px(tab, "h1")
    assert size_button(tab, 0).get_attribute("aria-pressed") == "true"
    # Each button's name starts with what it shows, then says what it does.
    tab.get_by_role("button", name="A+ ตัวอักษรใหญ่ขึ้น").click()
    assert root_data(tab, "textSize") == "115"
    assert px(tab, "body") == pytest.approx(body * 1.15, rel=0.01)
    assert px(tab, "h1") == pytest.approx(heading * 1.15, rel=0.01)  # the whole page, not the body text alone
    assert px(tab, "[data-contrast-toggle]") == pytest.approx(14 * 1.15, rel=0.01)  # the tools too
    status_says(tab, "ขนาดตัวอักษร 115%")
    assert tab.get_attribute("[data-reader-status]", "aria-live") == "polite"
    assert size_button(tab, 0).get_attribute("aria-pressed") == "false"
    assert stored(tab, "text-size") == "115" and tab.context.cookies() == []

    tab.reload()
    assert tab.evaluate("window.__atBody") == {"size": "115", "contrast": "normal"}  # before the first paint
    assert px(tab, "body") == pytest.approx(body * 1.15, rel=0.01)
    tab.get_by_role("link", name="ปฏิทิน").first.click()
    tab.wait_for_url("**/calendar/")
    assert tab.evaluate("window.__atBody")["size"] == "115" and root_data(tab, "textSize") == "115"
    assert px(tab, "html") == pytest.approx(16 * 1.15, rel=0.01)

    for expected in ("130", "150", "150"):
        size_button(tab, 1).click(force=True)  # at the largest, aria-disabled: pressing it says so
        assert root_data(tab, "textSize") == expected
    status_says(tab, "ตัวอักษรใหญ่ที่สุดแล้ว 150%")
    assert size_button(tab, 1).get_attribute("aria-disabled") == "true"
    assert px(tab, "html") == pytest.approx(24, rel=0.01)
    size_button(tab, 0).click()
    status_says(tab, "ขนาดตัวอักษรปกติ 100%")
    assert root_data(tab, "textSize") == "100" and stored(tab, "text-size") is None
    assert size_button(tab, 1).get_attribute("aria-disabled") == "false"
    size_button(tab, -1).click()
    size_button(tab, -1).click(force=True)
    assert root_data(tab, "textSize") == "90" and size_button(tab, -1).get_attribute("aria-disabled") == "true"
    status_says(tab, "ตัวอักษรเล็กที่สุดแล้ว 90%")
    assert px(tab, "html") == pytest.approx(16 * 0.9, rel=0.01)


def test_another_tab_and_the_back_button_follow_the_choice(tabs, base_url):
    first = tabs.open()
    first.goto(base_url + "/")
    second = first.context.new_page()
    second.goto(base_url + STORY)
    first.get_by_role("button", name="A+ ตัวอักษรใหญ่ขึ้น").click()
    second.wait_for_function("() => document.documentElement.dataset.textSize === '115'")
    assert second.locator("[data-text-size-step='0']").get_attribute("aria-pressed") == "false"
    second.get_by_role("button", name="ความเปรียบต่างสูง").click()
    first.wait_for_function("() => document.documentElement.dataset.contrast === 'more'")
    assert first.get_attribute("[data-contrast-toggle]", "aria-pressed") == "true"


def test_a_stored_value_that_is_not_a_size_or_storage_switched_off_breaks_nothing(tabs, base_url):
    hostile = tabs.open()
    hostile.add_init_script("localStorage.setItem('text-size', '\"]{} *{display:none}'); localStorage.setItem('contrast', 'x')")
    hostile.goto(base_url + "/")
    assert root_data(hostile, "textSize") == "100" and root_data(hostile, "contrast") == "normal"
    assert hostile.is_visible("main h1")

    locked = tabs.open()
    locked.add_init_script("""Object.defineProperty(window, "localStorage", {
      get() { throw new DOMException("storage is switched off", "SecurityError"); }});""")
    locked.goto(base_url + "/")
    assert root_data(locked, "textSize") == "100"
    locked.get_by_role("button", name="A+ ตัวอักษรใหญ่ขึ้น").click()  # works for this page, kept nowhere
    assert root_data(locked, "textSize") == "115"
    locked.get_by_role("button", name="ความเปรียบต่างสูง").click()
    assert root_data(locked, "contrast") == "more"


def test_without_javascript_the_tools_are_not_shown_and_the_system_contrast_still_applies(tabs, base_url):
    tab = tabs.open(java_script_enabled=False)
    tab.goto(base_url + "/calendar/")
    assert root_data(tab, "js") is None  # evaluate works with scripts off for the page
    assert tab.locator("[data-reader-tools]").count() == 1 and not tab.is_visible("[data-reader-tools]")
    assert not tab.is_visible("[data-calendar-filters]")
    assert rgb(style(tab, "body", "background-color")) == (247, 245, 239)
    tab.emulate_media(contrast="more")
    assert rgb(style(tab, "body", "background-color")) == (255, 255, 255)
    assert rgb(style(tab, "body", "color")) == (0, 0, 0)


def palette(tab) -> dict[str, str]:
    """Every custom property the high-contrast block of site.css sets, as <html> has it now."""
    return tab.evaluate("""() => {
      const names = new Set();
      for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) {
        if (rule.selectorText === ':root[data-contrast="more"]') {
          for (const name of rule.style) if (name.startsWith("--")) names.add(name);
        }
      }
      const computed = getComputedStyle(document.documentElement);
      return Object.fromEntries([...names].map((name) => [name, computed.getPropertyValue(name).trim()]));
    }""")


def test_high_contrast_follows_the_system_unless_the_reader_chooses(tab, base_url):
    tab.emulate_media(contrast="more")
    tab.goto(base_url + "/")
    toggle = tab.locator("[data-contrast-toggle]")
    assert root_data(tab, "contrast") == "more" and toggle.get_attribute("aria-pressed") == "true"
    assert rgb(style(tab, "body", "background-color")) == (255, 255, 255) and rgb(style(tab, "body", "color")) == (0, 0, 0)
    assert rgb(style(tab, ".site-header", "background-color")) == (0, 0, 0)
    assert style(tab, ".card-title a", "text-decoration-line") == "underline"
    by_system = palette(tab)
    assert len(by_system) >= 20 and by_system["--focus-width"] == "4px"

    toggle.click()
    status_says(tab, "ปิดความเปรียบต่างสูงแล้ว")
    assert root_data(tab, "contrast") == "normal" and toggle.get_attribute("aria-pressed") == "false"
    assert rgb(style(tab, "body", "background-color")) == (247, 245, 239)
    tab.reload()
    assert root_data(tab, "contrast") == "normal"  # the reader's choice, over the system's

    tab.emulate_media(contrast="no-preference")
    tab.locator("[data-contrast-toggle]").click()
    status_says(tab, "เปิดความเปรียบต่างสูงแล้ว")
    assert stored(tab, "contrast") == "more"
    tab.goto(base_url + PAGES["search"])
    assert root_data(tab, "contrast") == "more"
    assert palette(tab) == by_system  # the two copies of the palette in site.css agree


def test_dark_follows_the_system_and_high_contrast_wins_over_it(tab, base_url):
    tab.emulate_media(color_scheme="dark")
    tab.goto(base_url + "/")
    assert rgb(style(tab, "body", "background-color")) == (18, 22, 19)
    assert rgb(style(tab, "main a", "color")) == (134, 211, 159)
    assert style(tab, "html", "color-scheme") == "dark"
    tab.locator("[data-contrast-toggle]").click()
    assert rgb(style(tab, "body", "background-color")) == (255, 255, 255)
    assert rgb(style(tab, "main a", "color")) == (11, 61, 31)


THEMES = {"light": {}, "dark": {"color_scheme": "dark"}, "high-contrast": {"contrast": "more"}}


@pytest.mark.parametrize("theme", THEMES)
def test_focus_rings_stand_out_in_every_theme(tab, base_url, theme):
    tab.emulate_media(**THEMES[theme])
    tab.goto(base_url + "/")
    tab.keyboard.press("Tab")  # keyboard focus, so that :focus-visible applies to what is focused next
    for selector, around in ((".reader-button", ".reader-tools"), (".site-nav a", ".site-header"),
                             (".card-title a", ".card"), ("a.badge", ".card")):
        tab.focus(selector)
        assert tab.evaluate("document.activeElement.matches(':focus-visible')"), selector
        width, colour = px(tab, selector, "outline-width"), style(tab, selector, "outline-color")
        background = style(tab, around, "background-color")
        assert width >= 3 and contrast(colour, background) >= 3, (theme, selector, colour, background)


def axe_problems(axe, tab) -> list:
    return [(violation["id"], violation["help"], [node.get("target") for node in violation["nodes"]][:3])
            for violation in axe.run(tab).response["violations"] if violation.get("impact") in SERIOUS]


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_serious_in_any_size(tabs, base_url, axe, theme):
    tab = tabs.open()
    tab.emulate_media(**THEMES[theme])
    found = {}
    tab.goto(base_url + "/")
    for size in SIZES:
        tab.evaluate(f"localStorage.setItem('text-size', '{size}')")
        for name, path in PAGES.items():
            tab.goto(base_url + path)
            assert root_data(tab, "textSize") == size
            if name == "search":
                tab.wait_for_selector("#search-results mark")  # the highlights are checked too
            if name == "calendar":
                tab.wait_for_selector("html[data-calendar-today]", state="attached")
            problems = axe_problems(axe, tab)
            if problems:
                found[f"{name} {size}%"] = problems
    assert found == {}, found


@pytest.mark.parametrize(("width", "scale"), [(320, 1), (360, 1), (640, 2)])
def test_the_largest_text_needs_no_sideways_scrolling(tabs, base_url, width, scale):
    """320 and 360 px: small phones; 640 px at scale 2: a 1280-pixel window zoomed to 200 %."""
    tab = tabs.open(viewport={"width": width, "height": 700}, device_scale_factor=scale)
    tab.add_init_script("localStorage.setItem('text-size', '150')")
    for path in (*PAGES.values(), "/calendar/past/", "/sitemap/"):
        tab.goto(base_url + path)
        assert root_data(tab, "textSize") == "150"
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{path}: {wide} px wide in a {width} px window"
        assert tab.is_visible("[data-text-size-step='1']")


def shift_after_load(tab, url, ready: str) -> float:
    tab.goto(url)
    tab.wait_for_function(ready)
    tab.wait_for_timeout(300)  # anything the script changes after that
    return sum(tab.evaluate("window.__shifts"))


CALENDAR_READY = "() => document.documentElement.dataset.calendarToday === '2026-11-21'"
SEARCH_READY = "() => document.querySelectorAll('#search-results li').length > 0"


@pytest.mark.parametrize("size", ["100", "150"])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1350, "height": 940}], ids=["phone", "desktop"])
def test_the_calendar_and_search_do_not_shift_when_their_scripts_come_late(tabs, slow_scripts_url, viewport, size):
    tab = tabs.open(viewport=viewport)
    tab.add_init_script(LAYOUT_SHIFT)
    if size != "100":
        tab.add_init_script(f"localStorage.setItem('text-size', '{size}')")
    shifts = {}
    for path, ready in (("/calendar/", CALENDAR_READY), ("/calendar/past/", CALENDAR_READY),
                        ("/calendar/?network=youth", CALENDAR_READY),
                        ("/events/networks-plan-meeting-2563/", CALENDAR_READY),
                        (PAGES["search"], SEARCH_READY)):
        shifts[path] = shift_after_load(tab, slow_scripts_url + path, ready)
        assert root_data(tab, "textSize") == size
    # The lists were filled: the past events are gone from the upcoming list, results are there.
    tab.goto(slow_scripts_url + "/calendar/")
    tab.wait_for_function(CALENDAR_READY)
    assert tab.locator("[data-calendar-list] [data-calendar-item]:visible").count() == 6
    assert all(value < 0.05 for value in shifts.values()), shifts
