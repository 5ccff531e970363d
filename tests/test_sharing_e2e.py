"""Videos and the copy button in a real browser: headless Chromium (Debian's), driven by
Playwright, on a build served from 127.0.0.1 with the site's own Content-Security-Policy.

Until the reader presses play, a page with a video asks nothing of any host but 127.0.0.1.
After the click it holds the youtube-nocookie player. Requests to anywhere else are aborted
here (there is no internet), but every request is recorded, so the test sees what was asked.
"""

from urllib.parse import urlparse

import pytest

from browser import site_policy
from test_sharing import ARTICLE_PATHS, HOSTILE_TITLE, add_articles

# Every test here drives headless Chromium (tests/browser.py), and is slow too: the module builds
# a site and starts Chromium first. `pytest -m "not slow and not browser"` leaves them out.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAYER = "https://www.youtube-nocookie.com/embed/{id}?autoplay=1"


@pytest.fixture(scope="module")
def base_url(build_test_site, serve):
    built = build_test_site("sharing-e2e", prepare=add_articles)  # the preview build: links relative to the host
    return serve(built, {"Content-Security-Policy": site_policy(), "Cache-Control": "no-store"})


class Watched:
    """A page that records every request and every console error, and lets only 127.0.0.1 through."""

    def __init__(self, context):
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._only_local)

    @staticmethod
    def _only_local(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def elsewhere(self) -> list[str]:
        return [url for url in self.requests if urlparse(url).hostname != "127.0.0.1"]

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.page.mouse.wheel(0, 20000)  # bring every lazy picture into view
        self.page.wait_for_timeout(300)
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    yield context
    context.close()


def test_the_video_asks_nothing_of_youtube_until_play_is_pressed(context, base_url):
    watched = Watched(context)
    watched.open(f"{base_url}/{ARTICLE_PATHS['video-field'].removesuffix('index.html')}")
    page = watched.page
    assert watched.requests and watched.elsewhere() == []
    assert watched.errors == []  # no CSP violation, no script error
    poster = page.locator(".video-section img")
    assert poster.evaluate("img => img.complete && img.naturalWidth") == 1280  # the local poster loaded
    assert page.locator("iframe").count() == 0

    button = page.get_by_role("button", name=f"เล่นวิดีโอ: {HOSTILE_TITLE} (จาก YouTube)")
    assert button.count() == 1
    button.focus()
    page.keyboard.press("Enter")  # keyboard, as a reader without a mouse would

    frame = page.locator(".video-section iframe")
    frame.wait_for()
    assert frame.get_attribute("src") == PLAYER.format(id="dQw4w9WgXcQ")
    assert frame.get_attribute("title") == HOSTILE_TITLE
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert frame.get_attribute("allow") == "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture"
    assert frame.get_attribute("allowfullscreen") is not None and frame.get_attribute("loading") == "lazy"
    assert page.evaluate("document.activeElement && document.activeElement.tagName") == "IFRAME"
    page.wait_for_timeout(300)
    asked = watched.elsewhere()
    assert asked and {urlparse(url).hostname for url in asked} == {"www.youtube-nocookie.com"}
    assert PLAYER.format(id="dQw4w9WgXcQ") in asked


def test_each_video_in_the_story_plays_on_its_own(context, base_url):
    watched = Watched(context)
    watched.open(f"{base_url}/{ARTICLE_PATHS['video-body'].removesuffix('index.html')}")
    page = watched.page
    buttons = page.locator(".prose button.video-facade")
    assert buttons.count() == 2 and watched.elsewhere() == []
    buttons.nth(1).click()
    page.locator(".prose iframe").wait_for()
    assert page.locator(".prose iframe").get_attribute("src") == PLAYER.format(id="ZyXwVuTsRqP")
    assert page.locator(".prose button.video-facade").count() == 1  # the other one still waits


def test_without_javascript_the_video_is_a_plain_link_and_the_url_can_be_copied(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        watched = Watched(context)
        watched.open(f"{base_url}/{ARTICLE_PATHS['video-field'].removesuffix('index.html')}")
        page = watched.page
        link = page.locator(".video-section a.video-facade")
        assert link.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        assert link.is_visible() and page.locator("button.video-facade").count() == 0
        box = page.get_by_label("ลิงก์ของข่าวนี้ (เลือกแล้วคัดลอกได้)")
        assert box.is_visible() and box.input_value().endswith("/news/2024/06/video-field/")
        assert not page.get_by_role("button", name="คัดลอกลิงก์").is_visible()
        assert watched.elsewhere() == []
    finally:
        context.close()


def test_the_copy_button_copies_the_absolute_link(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        watched = Watched(context)
        url = f"{base_url}/{ARTICLE_PATHS['with-cover'].removesuffix('index.html')}"
        watched.open(url)
        page = watched.page
        page.get_by_role("button", name="คัดลอกลิงก์").click()
        page.get_by_role("status").filter(has_text="คัดลอกลิงก์แล้ว").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == url
        assert watched.errors == [] and watched.elsewhere() == []
    finally:
        context.close()
