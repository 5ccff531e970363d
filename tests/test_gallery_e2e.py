"""The photo viewer (theme/static/js/gallery.js, issue 15 point 3) in a real browser: headless
Chromium (Debian's), driven by Playwright, on a build served from 127.0.0.1 with the site's own
Content-Security-Policy.

With JavaScript a thumbnail opens the viewer on the same page (a <dialog>): the photo, its
caption, "1 / 3", next by the arrow key, Escape closes it and focus is back on the thumbnail;
nothing is asked of another host, no CSP violation, axe finds nothing serious with the dialog
open. Without JavaScript each thumbnail is a plain link to the large photo.
"""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser import leaves_localhost, site_policy
from test_photos import good_content

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SERIOUS = {"serious", "critical"}
CAPTION_1 = "ผู้บริหารมอบเกียรติบัตรแก่เครือข่าย"
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


def with_photos(content: Path) -> None:
    good_content(content)  # the story "visit": three photos, p02 with a caption (tests/test_photos.py)
    captions = content / "images" / "visit-2567" / "captions.txt"
    captions.write_text(f"p01.jpg: {CAPTION_1}\n" + captions.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.fixture(scope="module")
def site(build_test_site) -> Path:
    return build_test_site("gallery-e2e", prepare=with_photos)  # the preview build: links relative to the host


@pytest.fixture(scope="module")
def base_url(site, serve):
    return serve(site, {"Content-Security-Policy": site_policy(), "Cache-Control": "no-store"})


@pytest.fixture(scope="module")
def story_path(site) -> str:
    page = next(site.glob("news/2024/05/*/index.html"))
    return "/" + page.parent.relative_to(site).as_posix() + "/"


class Watched:
    """A tab that records every request and console error, and lets only 127.0.0.1 through."""

    def __init__(self, context):
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.add_init_script(CSP_WATCH)
        self.page.route("**/*", lambda route: route.abort() if leaves_localhost(route.request.url)
                        else route.continue_())

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="th-TH")
    yield context
    context.close()


def test_the_viewer_opens_steps_and_closes_back_onto_the_thumbnail(phone, base_url, story_path, axe):
    tab = Watched(phone)
    page = tab.page
    page.goto(base_url + story_path, wait_until="networkidle")
    thumbnails = page.locator("section.gallery a.gallery-link")
    assert thumbnails.count() == 3
    dialog = page.locator("dialog.viewer")
    assert dialog.count() == 1 and not dialog.is_visible()

    thumbnails.nth(0).click()
    dialog.wait_for(state="visible")
    assert page.url == base_url + story_path  # the same page, not the picture
    assert page.evaluate("document.querySelector('dialog.viewer').open") is True
    assert dialog.locator(".viewer-position").text_content() == "1 / 3"
    assert dialog.locator(".viewer-caption").text_content() == CAPTION_1
    assert dialog.locator(".viewer-position").get_attribute("aria-live") == "polite"
    labelled = dialog.get_attribute("aria-labelledby")
    assert labelled and page.locator(f"#{labelled}").text_content().strip()
    for name in ("ก่อนหน้า", "ถัดไป", "ปิด"):
        assert dialog.get_by_role("button", name=name).count() == 1, name
    image = dialog.locator("img.viewer-image")
    # The photo's own srcset and sizes: a phone takes a small copy, not the 2048-pixel one.
    assert image.get_attribute("sizes") == "100vw" and " 320w" in image.get_attribute("srcset")
    assert dialog.locator("source[type='image/webp']").get_attribute("srcset").count("w,") >= 2
    page.wait_for_function("document.querySelector('img.viewer-image').complete")
    chosen = page.evaluate("document.querySelector('img.viewer-image').currentSrc")
    assert "-2048." not in chosen and "-1536." not in chosen, chosen
    assert page.evaluate("document.querySelector('img.viewer-image').naturalWidth") > 0

    found = [violation for violation in axe.run(page).response["violations"] if violation.get("impact") in SERIOUS]
    assert found == [], [(violation["id"], violation["help"], [node.get("target") for node in violation["nodes"]])
                         for violation in found]

    page.keyboard.press("ArrowRight")
    assert dialog.locator(".viewer-position").text_content() == "2 / 3"
    assert "กล่าวเปิดงาน" in dialog.locator(".viewer-caption").text_content()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert dialog.locator(".viewer-position").text_content() == "3 / 3"  # round from the first to the last
    dialog.get_by_role("button", name="ถัดไป").click()
    assert dialog.locator(".viewer-position").text_content() == "1 / 3"

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement === document.querySelectorAll('a.gallery-link')[0]")

    thumbnails.nth(1).focus()  # by keyboard: Enter on the second thumbnail, closed with the button
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    assert dialog.locator(".viewer-position").text_content() == "2 / 3"
    dialog.get_by_role("button", name="ปิด").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement === document.querySelectorAll('a.gallery-link')[1]")

    assert [url for url in tab.requests if leaves_localhost(url)] == []
    assert tab.violations() == []
    assert tab.errors == []


def test_a_swipe_goes_to_the_next_and_previous_photo(phone, base_url, story_path):
    tab = Watched(phone)
    page = tab.page
    page.goto(base_url + story_path, wait_until="networkidle")
    page.locator("section.gallery a.gallery-link").nth(0).click()
    dialog = page.locator("dialog.viewer")
    dialog.wait_for(state="visible")
    box = dialog.locator(".viewer-figure").bounding_box()
    middle_y = box["y"] + box["height"] / 2

    def swipe(from_x: float, to_x: float) -> None:
        page.mouse.move(from_x, middle_y)
        page.mouse.down()
        page.mouse.move(to_x, middle_y, steps=5)
        page.mouse.up()

    swipe(box["x"] + box["width"] * 0.8, box["x"] + box["width"] * 0.2)  # to the left: the next photo
    assert dialog.locator(".viewer-position").text_content() == "2 / 3"
    swipe(box["x"] + box["width"] * 0.2, box["x"] + box["width"] * 0.8)
    assert dialog.locator(".viewer-position").text_content() == "1 / 3"
    assert tab.errors == [] and tab.violations() == []


def test_without_javascript_the_thumbnails_are_links_to_the_large_photos(browser, site, base_url, story_path):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + story_path, wait_until="load")
        assert page.locator("dialog").count() == 0
        hrefs = page.eval_on_selector_all("section.gallery a.gallery-link", "links => links.map(a => a.getAttribute('href'))")
        assert len(hrefs) == 3
        for href in hrefs:
            assert href.startswith("/images/photos/") and href.endswith(".jpg"), href
            assert (site / href.lstrip("/")).is_file(), href
        with page.expect_navigation():
            page.locator("section.gallery a.gallery-link").nth(1).click()
        assert urlparse(page.url).path == hrefs[1]  # the picture itself, in the browser
    finally:
        context.close()
