"""Hostile content end to end (issue 13, point 11): a site built from tests/data/hostile/, whose
story, event, page and credits carry every kind of hostile text and HTML the issue lists, served by a
plain static server that sends no security headers (no Content-Security-Policy to hide behind),
and visited in headless Chromium (Debian's, driven by Playwright).

Each payload signals if it ever runs: a dialog (`alert('<where>')`), `window.__pwned`,
`document.title = 'PWNED'`, a navigation (`location = ...`, `<meta http-equiv="refresh">`) or a
request to http://evil.example/ (any request that leaves 127.0.0.1 counts). On every page the
test also scrolls to the bottom, fires mouse and focus events at every element and clicks
every link whose URL the browser itself reads as `javascript:`, so that a handler or a link that
survived would run. Every page must then show: no dialog, no request leaving 127.0.0.1, the
page still the one that was opened, `window.__pwned` undefined, the title not PWNED; and the
story's legitimate markup (heading, list, table, blockquote, bold, italic, allowed link,
picture with its alt text) must still be there, with the hostile title shown as text.

The pages: the hostile story and its plain neighbour (older/newer and related links), home, the
story's tag and category pages and their indexes, the month archive, the event, the calendar and
its month, the network page, the search page finding the story, the hostile page; and the search
and calendar pages with hostile text in their address. Nine tabs at a time, one Chromium.

Without a browser, every built HTML file is read: no `<script>` but the theme's modules and
the story's JSON-LD, no `on…=` attribute, no `javascript:` (or `vbscript:`, `data:` document)
URL, none of the elements content must never bring (`iframe`, `object`, `embed`, `base`,
`meta http-equiv`, `style`, forms other than the site's search); every feed parses as XML, with
the hostile title as the exact text of the story's entry and nothing executable in its HTML.

The site holds only input the fixed build accepts (hostile text in text fields, hostile HTML in
bodies and summaries, control characters that the build removes with a warning); hostile URL
fields, paths and pictures, which the build rejects, are tested elsewhere.
"""

import contextlib
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from bs4 import BeautifulSoup

from browser import leaves_localhost, site_policy
from sites import HOSTILE_CONTENT as CONTENT

# Slow: the module builds its own hostile site first. The tests of what Chromium did on each
# page (the `visits` fixture) are marked `browser` too.
pytestmark = pytest.mark.slow
BROWSER = pytest.mark.browser

STORY_FILE = CONTENT / "news" / "2567" / "hostile-story.md"
NEIGHBOUR_FILE = CONTENT / "news" / "2567" / "plain-neighbour.md"
EVENT_FILE = CONTENT / "events" / "hostile-event.md"
PAGE_FILE = CONTENT / "pages" / "hostile-page.md"
FAQ_FILE = CONTENT / "pages" / "faq.md"  # the questions page (Template: faq), with its FAQPage JSON-LD

# Where the build puts them (pelicanconf.py: news/{date:%Y}/{date:%m}/{slug}/, events/{slug}/).
STORY_PATH = "/news/2024/06/hostile-story/"
NEIGHBOUR_PATH = "/news/2024/06/plain-neighbour/"
EVENT_PATH = "/events/hostile-event/"
PAGE_PATH = "/hostile-page/"
FAQ_PATH = "/faq/"
NETWORK_PATH = "/network/youth/"
SEARCH_QUERY = "ทดสอบความปลอดภัย"  # in the hostile story's title and in the site's lexicon.txt
# What a link from elsewhere may put in the address of the pages whose scripts read it.
HOSTILE_QUERY = "<img src=x onerror=\"alert('query')\"><script>alert('query-script')</script>"

# C0 controls but tab, newline and carriage return, and DEL: the build removes them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SETTLE_MS = 1500  # long enough for a `content=0` meta refresh, or a late script, to act
LOAD_TIMEOUT_MS = 10_000  # only a page that navigates away while loading waits this long
TABS = 9  # pages open at once


def header_field(path: Path, name: str) -> str:
    """The raw value of `Name:` in a content file's header."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    raise AssertionError(f"{path.name} has no {name}: field")


def squash(text: str) -> str:
    """Text as a reader sees it: runs of white space as one space."""
    return " ".join(text.split())


STORY_TITLE_RAW = header_field(STORY_FILE, "Title")
STORY_TITLE = CONTROL.sub("", STORY_TITLE_RAW)  # what the fixed build shows
EVENT_TITLE = header_field(EVENT_FILE, "Title")
PAGE_TITLE = header_field(PAGE_FILE, "Title")
FAQ_TITLE = header_field(FAQ_FILE, "Title")
assert CONTROL.search(STORY_TITLE_RAW), "the hostile title must carry control characters"
assert "<script>" in STORY_TITLE and "<script>" in EVENT_TITLE

# The story's legitimate markup, which sanitising must keep: (CSS selector in the story's
# content, text the element must contain).
LEGITIMATE = [
    ("h2", "หัวข้อย่อยที่ต้องยังอยู่"),
    ("strong", "ตัวหนาที่ต้องยังอยู่"),
    ("em", "ตัวเอียงที่ต้องยังอยู่"),
    ('a[href="https://www.example.org/allowed-link"]', "ลิงก์ที่อนุญาต"),
    ("ul > li", "รายการที่หนึ่ง"),
    ("table td", "ช่องตารางที่ต้องยังอยู่"),
    ("blockquote", "คำพูดอ้างอิงที่ต้องยังอยู่"),
    ("p", "ย่อหน้าสุดท้าย: ข้อความที่ต้องยังอยู่"),
]
LEGITIMATE_IMAGE_ALT = "ภาพประกอบที่ต้องยังอยู่"


# ---------------------------------------------------------------------------------------------
# The site, the server, the browser.

class Collected(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def built(build_test_site) -> tuple[Path, list[str]]:
    """tests/data/hostile/content built with the development settings, once for the module:
    the output folder and the build's warnings."""
    collected = Collected()
    logging.getLogger().addHandler(collected)
    printed = io.StringIO()  # the content report (warnings too) is printed to stderr, not logged
    try:
        with contextlib.redirect_stderr(printed):
            output = build_test_site("hostile", content=CONTENT)
    except Exception as error:  # noqa: BLE001 (the report names it)
        pytest.fail("the build must accept the hostile site (hostile text and HTML are cleaned with a "
                    f"warning, not errors): {type(error).__name__}: {error}", pytrace=False)
    finally:
        logging.getLogger().removeHandler(collected)
    assert (output / STORY_PATH.strip("/") / "index.html").is_file(), "the hostile story was not written"
    return output, collected.messages + printed.getvalue().splitlines()


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


def story_links(site: Path, prefix: str) -> list[str]:
    """The site paths under `prefix` (/tag/, /category/) the built story links to."""
    soup = BeautifulSoup((site / STORY_PATH.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = []
    for link in soup.find_all("a", href=True):
        path = urlparse(link["href"]).path
        if path.startswith(prefix) and path != prefix and path not in found:
            found.append(path)
    return found


@dataclass
class Visited:
    """What one page did in the browser."""

    name: str
    url: str
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught script errors, for the failure messages
    problems: list[str] = field(default_factory=list)  # anything else found wrong on the page
    pwned: object = None
    title: str = ""
    final_url: str = ""
    clicked: list[str] = field(default_factory=list)  # javascript: links the test clicked

    def __str__(self):
        return f"{self.name} ({self.url})"


# Fire the events that inline handlers wait for, at every element, and click every link or
# button whose URL the browser reads as javascript: (it sees through entities, tabs and case).
PROVOKE = """() => {
  const clicked = [];
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'toggle', 'animationstart']) {
      try { el.dispatchEvent(new Event(type, {bubbles: type !== 'mouseenter' && type !== 'focus'})); } catch (e) {}
    }
    for (const name of ['href', 'xlink:href', 'formaction', 'action', 'src']) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      let protocol = '';
      try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { continue; }
      if (protocol === 'javascript:' && name !== 'src') {
        clicked.push(`<${el.tagName.toLowerCase()} ${name}="${value.slice(0, 40)}">`);
        try { el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window})); } catch (e) {}
      }
    }
  }
  return clicked;
}"""


@pytest.fixture(scope="module")
def visits(site, browser, serve) -> dict[str, Visited]:
    """Every page, visited once in one Chromium: what each page did, by name."""
    pages = [
        ("story", STORY_PATH),
        ("neighbour story", NEIGHBOUR_PATH),
        ("home", "/"),
        *[(f"tag {path}", path) for path in story_links(site, "/tag/")],
        *[(f"category {path}", path) for path in story_links(site, "/category/")],
        ("tags index", "/tag/"),
        ("categories index", "/category/"),
        ("month archive", "/news/2024/06/"),
        ("event", EVENT_PATH),
        ("calendar", "/calendar/"),
        ("calendar month", "/calendar/2570/03/"),
        ("network", NETWORK_PATH),
        ("search", f"/search.html?q={quote(SEARCH_QUERY)}"),
        ("page", PAGE_PATH),
        ("faq", FAQ_PATH),
        ("search with a hostile query", f"/search.html?q={quote(HOSTILE_QUERY)}"),
        ("calendar with hostile filters", f"/calendar/?network={quote(HOSTILE_QUERY)}&district={quote(HOSTILE_QUERY)}"),
    ]
    assert any(name.startswith("tag ") for name, _ in pages), "the built story links to no tag page"
    assert any(name.startswith("category ") for name, _ in pages), "the built story links to no category page"
    seen: dict[str, Visited] = {}
    base = serve(site)  # no headers at all: nothing to hide behind
    context = browser.new_context(locale="th-TH", viewport={"width": 1000, "height": 900})
    context.set_default_timeout(10_000)
    context.route("**/*", keep_local)
    try:
        # A few tabs at a time: each waits SETTLE_MS after loading, and they wait together.
        for first in range(0, len(pages), TABS):
            tabs = [Tab(context, name, base + path) for name, path in pages[first:first + TABS]]
            for tab in tabs:
                tab.load_and_provoke()
            tabs[-1].page.wait_for_timeout(SETTLE_MS)
            for tab in tabs:
                seen[tab.seen.name] = tab.finish()
    finally:
        context.close()
    return seen


def keep_local(route):
    """Nothing may leave 127.0.0.1. Every request is recorded first (page.on("request")); one for
    another host is aborted here, so that no lookup waits for a network, except a navigation,
    which gets "204 No Content": the browser then stays on the page (the attempt is recorded),
    so that a page that tried to leave can still be checked."""
    request = route.request
    if not leaves_localhost(request.url):
        route.continue_()
    elif request.is_navigation_request():
        route.fulfill(status=204, body="")
    else:
        route.abort()


class Tab:
    """One page opened in its own tab, recording what it does from the first request on."""

    def __init__(self, context, name: str, url: str):
        self.page = page = context.new_page()
        self.seen = seen = Visited(name, url)

        def on_dialog(dialog):
            seen.dialogs.append(f"{dialog.type}: {dialog.message}")
            try:
                dialog.dismiss()
            except Exception:  # noqa: BLE001 (the page may be gone)
                pass

        def on_request(request):
            seen.requests.append(request.url)
            if request.is_navigation_request() and request.frame == page.main_frame and not same_page(request.url, url):
                seen.navigations.append(f"tried {request.url}")

        page.on("dialog", on_dialog)
        page.on("request", on_request)
        page.on("framenavigated", lambda frame: frame == page.main_frame and seen.navigations.append(frame.url))
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        try:
            page.goto(url, wait_until="commit")
        except Exception as error:  # noqa: BLE001 (reported with the page, like every other problem)
            seen.problems.append(f"the page could not be opened: {error}".splitlines()[0])

    def load_and_provoke(self) -> None:
        page, seen = self.page, self.seen
        try:
            page.wait_for_load_state("load", timeout=LOAD_TIMEOUT_MS)
        except Exception:  # noqa: BLE001 (a script that navigates away while the page loads cancels its load)
            seen.problems.append(f"the page did not finish loading within {LOAD_TIMEOUT_MS} ms")
        try:
            page.mouse.wheel(0, 20000)  # bring every lazy picture into view
            seen.clicked = page.evaluate(PROVOKE)
            if seen.name == "search":
                try:
                    page.wait_for_selector(f'#search-results a[href*="{STORY_PATH}"]', state="attached", timeout=10_000)
                except Exception:  # noqa: BLE001
                    status = page.locator("#search-status").all_inner_texts()
                    seen.problems.append(f"the search for {SEARCH_QUERY!r} shows no link to the story (status: {status!r})")
                seen.clicked += page.evaluate(PROVOKE)  # the results are new elements
        except Exception as error:  # noqa: BLE001
            seen.problems.append(f"the page could not be inspected: {error}".splitlines()[0])

    def finish(self) -> Visited:
        page, seen = self.page, self.seen
        try:
            seen.final_url = page.url
            seen.pwned = page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")
            seen.title = page.title()
            check_page(page, seen)
        except Exception as error:  # noqa: BLE001 (the page navigated away: also reported by the navigation test)
            seen.problems.append(f"the page could not be read after {SETTLE_MS} ms: {error}".splitlines()[0])
        finally:
            page.close()
        return seen


def text_of(page, selector: str) -> list[str]:
    return [squash(text) for text in page.locator(selector).all_inner_texts()]


def links_to(page, path: str) -> list[str]:
    """The visible texts of the page's links to `path` (card titles, prev/next, results)."""
    return [squash(text) for text in page.locator(f'a[href$="{path}"]').all_inner_texts()]



def check_title_and_kept(page, seen, kind: str, title: str, selector: str, kept: str, what: str) -> None:
    """One h1 that reads the hostile title as text, and a legitimate element still there."""
    headings = text_of(page, "h1")
    if headings != [squash(title)]:
        seen.problems.append(f"the h1 elements read {headings!r}, not the hostile {kind} title as text {squash(title)!r}")
    if not any(kept in text for text in text_of(page, selector)):
        seen.problems.append(f"the {kind} lost {what}")

READ_JSON_LD = """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
    .map(script => JSON.parse(script.textContent))"""


def check_faq_data(page, seen: Visited) -> None:
    """The browser reads the questions page's JSON-LD as one FAQPage whose questions are the
    page's headings, as text, and whose first answer holds the `</script>` of the code span as
    text: nothing in the answers ended the script element."""
    data = page.evaluate(READ_JSON_LD)
    questions = text_of(page, "main .prose h2")
    if len(data) != 1 or data[0].get("@type") != "FAQPage":
        seen.problems.append(f"the questions page carries {len(data)} JSON-LD block(s), not one FAQPage")
        return
    named = [squash(question["name"]) for question in data[0]["mainEntity"]]
    if named != questions:
        seen.problems.append(f"the FAQPage names the questions {named!r}, the page shows {questions!r}")
    first = data[0]["mainEntity"][0]["acceptedAnswer"]["text"] if data[0]["mainEntity"] else ""
    if "</script><script>alert('faq-answer-code')" not in first:
        seen.problems.append(f"the first answer lost its code text: {first[:120]!r}")


def check_page(page, seen: Visited) -> None:
    """The legitimate content each kind of page must still show; problems are recorded."""
    name = seen.name
    if name == "story":
        headings = text_of(page, "h1")
        if headings != [squash(STORY_TITLE)]:
            seen.problems.append(f"the h1 elements read {headings!r}, not the hostile title as text {squash(STORY_TITLE)!r}")
        prose = page.locator("main")
        for selector, expected in LEGITIMATE:
            texts = [squash(text) for text in prose.locator(selector).all_inner_texts()]
            if not any(expected in text for text in texts):
                seen.problems.append(f"the story lost its {selector} with {expected!r} (found {texts[:5]!r})")
        image = prose.locator(f'img[alt="{LEGITIMATE_IMAGE_ALT}"]')
        if image.count() != 1:
            seen.problems.append(f"the story lost its picture with alt {LEGITIMATE_IMAGE_ALT!r}")
        else:
            src = image.evaluate("img => img.currentSrc || img.src")
            if leaves_localhost(src):
                seen.problems.append(f"the story's picture comes from {src}, not from the site")
        body = " ".join(page.locator("main").all_inner_texts())
        for character in ("\x07", "\x1b", "\x7f"):
            if character in body or character in page.title():
                seen.problems.append(f"the control character {character!r} is still on the page")
    elif name == "page":
        check_title_and_kept(page, seen, "page", PAGE_TITLE, "main strong", "ตัวหนาในหน้า", "its bold text")
    elif name == "faq":
        check_title_and_kept(page, seen, "questions page", FAQ_TITLE, "main .prose h2", "คำถามที่ต้องยังอยู่",
                             "its first question")
        check_faq_data(page, seen)
    elif name == "event":
        check_title_and_kept(page, seen, "event", EVENT_TITLE, "main li", "ลงทะเบียนที่ต้องยังอยู่",
                             "the list of its programme")
    elif name in ("home", "network", "search", "month archive") or name.startswith(("tag /", "category /")):
        texts = links_to(page, STORY_PATH)
        if squash(STORY_TITLE) not in texts:
            seen.problems.append(f"no link to the story reads the hostile title as text {squash(STORY_TITLE)!r}; "
                                 f"links to it read {texts!r}")
    elif name == "neighbour story":
        texts = links_to(page, STORY_PATH)
        if not any(squash(STORY_TITLE) in text for text in texts):
            seen.problems.append(f"no link to the hostile story (older/newer, related) shows its title as text; "
                                 f"links to it read {texts!r}")
    elif name in ("calendar", "calendar month"):
        texts = links_to(page, EVENT_PATH)
        if squash(EVENT_TITLE) not in texts:
            seen.problems.append(f"no link to the event reads the hostile event title as text; links to it read {texts!r}")


def same_page(a: str, b: str) -> bool:
    """The same document: scheme, host, port and path (a script may tidy the query or fragment)."""
    pa, pb = urlparse(a), urlparse(b)
    return (pa.scheme, pa.netloc, pa.path) == (pb.scheme, pb.netloc, pb.path)


def report(visits: dict[str, Visited], finding) -> str:
    """One line a page for which `finding(page)` says something."""
    lines = []
    for seen in visits.values():
        found = finding(seen)
        if found:
            lines.append(f"  {seen}: {found}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# In the browser.

@BROWSER
def test_every_page_was_visited(visits):
    names = set(visits)
    assert {"story", "home", "event", "calendar", "network", "search", "page", "faq"} <= names
    assert any(name.startswith("tag /") for name in names) and any(name.startswith("category /") for name in names)


@BROWSER
def test_no_dialog_opens(visits):
    found = report(visits, lambda seen: seen.dialogs)
    assert not found, "hostile script ran and opened dialogs:\n" + found


@BROWSER
def test_no_request_leaves_the_server(visits):
    found = report(visits, lambda seen: sorted({url for url in seen.requests if leaves_localhost(url)}))
    assert not found, "pages asked hosts other than 127.0.0.1:\n" + found


@BROWSER
def test_no_page_navigates_away(visits):
    def away(seen: Visited):
        moved = [url for url in seen.navigations if not same_page(url, seen.url)]
        if not same_page(seen.final_url, seen.url):
            moved.append(f"ended on {seen.final_url}")
        return moved
    found = report(visits, away)
    assert not found, f"pages navigated away (script, meta refresh) within {SETTLE_MS} ms of loading:\n" + found


@BROWSER
def test_no_script_from_content_runs(visits):
    def ran(seen: Visited):
        signs = []
        if seen.pwned is not None:
            signs.append(f"window.__pwned = {seen.pwned!r}")
        if "PWNED" in seen.title:
            signs.append(f"document.title = {seen.title!r}")
        if seen.clicked:
            signs.append(f"javascript: URLs (clicked): {seen.clicked}")
        if signs and seen.errors:
            signs.append(f"script errors: {seen.errors[:3]}")
        return signs
    found = report(visits, ran)
    assert not found, "script from content ran:\n" + found


@BROWSER
def test_the_legitimate_content_is_still_there(visits):
    found = report(visits, lambda seen: seen.problems)
    assert not found, "pages lost legitimate content or could not be read:\n" + found


# ---------------------------------------------------------------------------------------------
# In the built files, without a browser.

URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "data", "poster", "background",
                  "cite", "longdesc", "ping", "codebase", "dynsrc", "lowsrc", "srcset", "imagesrcset")
SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|avif);", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)(?:</script\s*>|$)", re.I | re.S)
ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def script_attributes(text: str) -> dict[str, str]:
    return {name.lower(): value.strip("\"'") for name, value in ATTRIBUTE.findall(text)}


def own_script(attributes: dict[str, str], body: str) -> bool:
    """The theme's module (`<script type="module" src="/theme/...">`), its one classic script
    (`<script src="/theme/js/reader.js">`, in every page's head), or JSON-LD that is JSON."""
    if attributes == {"src": "/theme/js/reader.js"} and not body.strip():
        return True
    if attributes.get("type") == "module" and attributes.get("src", "").startswith("/theme/") and not body.strip():
        return set(attributes) <= {"type", "src", "defer", "async", "integrity", "crossorigin", "blocking"}
    if attributes == {"type": "application/ld+json"} and "<!--" not in body:
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    return False


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def bad_url(value: str) -> str | None:
    """Why a URL attribute value is executable, as the browser would read it (None: it is not)."""
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if "," in value else [value]
    for candidate in candidates:
        # Browsers drop leading spaces and controls and every tab and newline, and ignore case.
        squashed = re.sub(r"[\x00-\x20\x7f]+", "", candidate).lower()
        if squashed.startswith(("javascript:", "vbscript:", "livescript:")):
            return f"{squashed[:40]}"
        if squashed.startswith("data:") and not SAFE_DATA.match(squashed):
            return f"{squashed[:40]}"
    return None


def own_policy(tag) -> bool:
    """The site's own Content-Security-Policy, the first thing in <head> after the charset."""
    from thainews.csp import meta_policy

    return (tag["http-equiv"].lower() == "content-security-policy" and tag.parent.name == "head"
            and tag.get("content") == meta_policy(site_policy()))


def markup_problems(html: str, own_page: bool = True) -> list[str]:
    """What is executable or loads from elsewhere in a piece of built HTML.

    `own_page`: a whole page of the site, which may hold the theme's modules, the story's JSON-LD
    and the site's search form; HTML in a feed may hold none of them.
    """
    problems = []
    for match in SCRIPT_TAG.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if own_page and own_script(script_attributes(attributes), body):
            continue
        problems.append(f"<script{attributes[:80]}>{body[:80]}")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if re.match(r"on\w+$", name, re.I):
                problems.append(f"<{tag.name} {name}={value[:60]!r}>")
            if name.lower() in URL_ATTRIBUTES and bad_url(value):
                problems.append(f"<{tag.name} {name}={bad_url(value)!r}>")
            if name.lower() == "style" and re.search(r"url\s*\(|expression\s*\(|@import", value, re.I):
                problems.append(f"<{tag.name} style={value[:80]!r}>")
        if tag.name in ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "svg", "math"):
            problems.append(f"<{tag.name}> {str(tag)[:80]!r}")
        elif tag.name == "meta" and tag.get("http-equiv") and not (own_page and own_policy(tag)):
            problems.append(f"<meta http-equiv> {str(tag)[:100]!r}")
        elif tag.name == "link" and (not own_page or leaves_localhost("http://127.0.0.1" + tag.get("href", "")
                                                                   if tag.get("href", "").startswith("/")
                                                                   else tag.get("href", ""))):
            problems.append(f"<link> to another host {str(tag)[:100]!r}")
        elif tag.name == "form" and (not own_page or tag.get("action", "/search.html") != "/search.html"):
            problems.append(f"<form> {str(tag)[:100]!r}")
    return problems


def test_no_executable_markup_in_any_built_page(site):
    found = []
    for path in html_files(site):
        for problem in markup_problems(path.read_text(encoding="utf-8")):
            found.append(f"  {path.relative_to(site)}: {problem}")
    assert not found, f"built pages hold script, handlers or foreign loads ({len(found)}):\n" + "\n".join(found[:60])


def test_the_build_warns_about_the_hostile_story(built):
    """The build removes control characters (and cleans hostile HTML) with a warning that names
    the file, so that the officer learns what was changed."""
    _, warnings = built
    assert any(STORY_FILE.name in message for message in warnings), \
        f"no warning names {STORY_FILE.name}; the build warned:\n" + "\n".join(warnings)


def test_no_control_characters_in_any_built_file(site):
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".ics", ".txt") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if CONTROL.search(text):
                found.append(f"  {path.relative_to(site)}: {sorted(set(CONTROL.findall(text)))!r}")
    assert not found, "control characters are still in the built files:\n" + "\n".join(found)


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(root: ET.Element) -> list[tuple[str, str, list[str]]]:
    """(link, title text, [HTML of summary/description/content]) of each entry of an Atom or RSS feed."""
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        links = [link.get("href", "") for link in entry.findall(f"{ATOM}link")]
        html = [element.text or "" for tag in ("summary", "content") for element in entry.findall(f"{ATOM}{tag}")]
        entries.append((" ".join(links), entry.findtext(f"{ATOM}title") or "", html))
    for item in root.iter("item"):
        html = [element.text or "" for element in item.findall("description")]
        entries.append((item.findtext("link") or "", item.findtext("title") or "", html))
    return entries


def test_every_feed_is_xml_with_the_hostile_title_as_text(site):
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert feeds, "no feeds were built"
    problems = []
    holding_story = 0
    for path in feeds:
        name = path.relative_to(site)
        try:
            root = ET.fromstring(path.read_bytes())
        except ET.ParseError as error:
            problems.append(f"  {name}: not XML: {error}")
            continue
        for link, title, html in feed_entries(root):
            if STORY_PATH.strip("/") not in link:
                continue
            holding_story += 1
            if title != STORY_TITLE:
                problems.append(f"  {name}: the story's title reads {title!r}, not {STORY_TITLE!r}")
            for piece in html:
                problems.extend(f"  {name}: in the story's HTML: {problem}"
                                for problem in markup_problems(piece, own_page=False))
    assert not problems, "feeds:\n" + "\n".join(problems)
    assert holding_story >= 2, f"the hostile story is in {holding_story} feeds (expected all-news Atom and RSS at least)"
