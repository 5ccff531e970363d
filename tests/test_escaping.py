"""Every field is text (issue 13): what an officer types in a header reaches every page, feed,
calendar file, structured data and the search index as exactly that text, escaped once,
whatever it holds: `<`, `&`, quotes, a <script>, a <meta http-equiv="refresh">.

One site, built from a copy of the test site (tests/data/site/) with a story, an activity and a
page whose fields are hostile, is checked everywhere each field shows.
"""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from PIL import Image

from conftest import SITE_CONTENT, build

SITEURL = "https://news.example.org"
SITENAME = "ข่าวจังหวัดคุณธรรมเชียงราย"
ATOM = "{http://www.w3.org/2005/Atom}"

TITLE = 'A & B <i>x</i> "q"'
TITLE_ESCAPED = "A &amp; B &lt;i&gt;x&lt;/i&gt; &#34;q&#34;"
CATEGORY = '<meta http-equiv="refresh" content="0;url=https://evil.example/"> & หมวด'
TAGS = ["แท็ก <script>alert(1)</script>", "t&amp x 'ok'"]  # no ';': Pelican would split on it
AUTHOR = 'ผู้เขียน <img src=x onerror=alert(1)> & "A"'
WRITER = "นักข่าว <em>w</em> & co"
EDITOR = "https://example.org/?a=1&b=2"  # a credit that is a link: shown as a link, in its href
IMAGE_ALT = 'รูป <b>z</b> & "p"'
BODY_TEXT = 'เนื้อข่าว 1 < 2 & "q" <i>x</i> จบ'  # the body is Markdown: <i> is HTML there
SUMMARY_TEXT = 'เนื้อข่าว 1 < 2 & "q" x จบ'  # the generated summary: the paragraph's text

EVENT_TITLE = "E & F <i>y</i> 'r'"
LOCATION = 'ห้อง <b>1</b> & "2"'
ORGANIZER = "ผู้จัด <script>alert(2)</script>"
CONTACT = "ติดต่อ & <u>c</u>"
# A quote or angle bracket in an address is refused by the URL check (tests/test_content_paths.py);
# what is left to escape in an href is '&'.
LINK = "https://example.org/a?x=1&y=2&lt=3"
EVENT_SUMMARY = "สรุป S & T <b>bold</b>"

PAGE_TITLE = "P & Q <s>s</s>"
# The questions page: its title, a question and an answer whose text would end the JSON-LD
# script element if it were written as it is (a code span: the text `</script>`, not a tag).
FAQ_TITLE = 'คำถาม F & "Q" <u>u</u>'
FAQ_QUESTION = 'ถาม A & B < C "q"'
FAQ_ANSWER_MD = "ตอบ `</script><script>alert(1)</script><!--` และ 1 < 2 & 'x' จบ"
FAQ_ANSWER = "ตอบ </script><script>alert(1)</script><!-- และ 1 < 2 & 'x' จบ"
DRAFT_TITLE = "D < E & 'f' <u>g</u>"

STORY = "news/2024/06/hostile-story/index.html"
EVENT = "events/hostile-event/index.html"
PAGE = "hostile-page/index.html"


SITE_BUILDS = {"hostile"}  # fixtures that build a site: the tests using them are slow (conftest.py)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The site built with publishconf.py (so og: tags and absolute URLs are there too)."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(SITE_CONTENT, content)
    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (800, 500), (20, 83, 45)).save(content / "images" / "hostile.png")
    (content / "news" / "2567" / "hostile.md").parent.mkdir(parents=True, exist_ok=True)
    (content / "news" / "2567" / "hostile.md").write_text(
        f"Title: {TITLE}\nDate: 2567-06-05\nSlug: hostile-story\nCategory: {CATEGORY}\n"
        f"Tags: {', '.join(TAGS)}\nAuthor: {AUTHOR}\nWriter: {WRITER}\nEditor: {EDITOR}\n"
        f"Networks: เครือข่ายศาสนา\nImage: images/hostile.png\nImageAlt: {IMAGE_ALT}\n\n{BODY_TEXT}\n",
        encoding="utf-8")
    (content / "events" / "hostile.md").write_text(
        f"Title: {EVENT_TITLE}\nStart: 2570-01-10 09:00\nLocation: {LOCATION}\nOrganizer: {ORGANIZER}\n"
        f"Contact: {CONTACT}\nLink: {LINK}\nSummary: {EVENT_SUMMARY}\nSlug: hostile-event\n\nรายละเอียด\n",
        encoding="utf-8")
    (content / "pages" / "hostile.md").write_text(
        f"Title: {PAGE_TITLE}\nSlug: hostile-page\n\nหน้า\n", encoding="utf-8")
    (content / "pages" / "faq.md").write_text(
        f"Title: {FAQ_TITLE}\nSlug: faq\nTemplate: faq\n\n## {FAQ_QUESTION}\n\n{FAQ_ANSWER_MD}\n", encoding="utf-8")
    (content / "news" / "2567" / "hostile-draft.md").write_text(
        f"Title: {DRAFT_TITLE}\nDate: 2567-06-06\nStatus: draft\nSlug: hostile-draft\n\nร่าง\n", encoding="utf-8")
    build(content, root / "out", "publishconf.py", SITEURL=SITEURL)
    build(content, root / "preview")  # drafts show in the preview only
    return root / "out"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def parse(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(read(site, path), "html.parser")


def meta(page: BeautifulSoup, **attrs) -> str:
    return page.find("meta", attrs=attrs)["content"]


def text(element) -> str:
    return " ".join(element.get_text().split())


def injected_script(page: BeautifulSoup) -> list:
    """Script elements that are neither the site's files nor its structured data."""
    return [script for script in page.find_all("script")
            if not script.get("src") and script.get("type") != "application/ld+json"]


def test_the_title_is_escaped_once_in_the_page_source(hostile):
    source = read(hostile, STORY).replace("&quot;", "&#34;")  # Python's escape and Jinja's: both fine
    assert f"<h1>{TITLE_ESCAPED}</h1>" in source
    assert f"<title>{TITLE_ESCAPED} · {SITENAME}</title>" in source
    assert f'<meta property="og:title" content="{TITLE_ESCAPED}">' in source
    head = source.split("</head>")[0]
    assert "<i>" not in head and "&amp;amp;" not in source.replace("t&amp;amp x", "")


def test_the_story_page_shows_every_field_as_its_text(hostile):
    page = parse(hostile, STORY)
    assert text(page.find("h1")) == TITLE
    assert page.title.string == f"{TITLE} · {SITENAME}"
    for attrs in ({"property": "og:title"}, {"name": "twitter:title"}):
        assert meta(page, **attrs) == TITLE
    assert meta(page, property="og:image:alt") == IMAGE_ALT
    assert meta(page, property="article:section") == CATEGORY
    assert [tag["content"] for tag in page.find_all("meta", property="article:tag")] == TAGS
    assert meta(page, name="description") == SUMMARY_TEXT
    assert page.find(attrs={"data-share-title": True})["data-share-title"] == TITLE
    article = page.find("article")
    assert text(article.find(class_="kicker")) == CATEGORY
    assert sorted(text(a) for a in article.find_all("a", rel="tag")) == sorted("#" + tag for tag in TAGS)
    credits = dict(zip((text(dt) for dt in article.find_all("dt")), (text(dd) for dd in article.find_all("dd")), strict=True))
    assert credits["ผู้เขียน"] == AUTHOR and credits["เขียนข่าว"] == WRITER and credits["บรรณาธิการ"] == EDITOR
    assert article.find("a", string=EDITOR)["href"] == EDITOR
    assert {img["alt"] for img in article.find_all("img")} == {IMAGE_ALT}
    # Nothing the officer typed became an element or an attribute.
    for part in (page.head, article.find("header"), article.find("dl", class_="credits"), article.find("footer")):
        assert not part.find(["i", "em", "b", "img", "meta"] if part is not page.head else ["i", "em", "b"]), part
    assert not injected_script(page)
    assert not page.find("meta", attrs={"http-equiv": "refresh"})
    assert not page.find("img", attrs={"onerror": True})


def test_share_links_and_structured_data_hold_the_text(hostile):
    page = parse(hostile, STORY)
    x_link = page.find("a", class_="share-x")["href"]
    assert parse_qs(urlparse(x_link).query)["text"] == [TITLE]
    script = page.find("script", type="application/ld+json").string
    assert "<" not in script and ">" not in script and "&" not in script  # \u003c, ...: no way out
    data = json.loads(script)
    assert data["headline"] == TITLE and data["description"] == SUMMARY_TEXT
    assert data["articleSection"] == CATEGORY and data["keywords"] == TAGS
    assert [author["name"] for author in data["author"]] == [AUTHOR]


@pytest.mark.parametrize("path", ["index.html", "news/2024/index.html", "news/2024/06/index.html",
                                  "network/religion/index.html"])
def test_lists_show_the_title_as_text(hostile, path):
    page = parse(hostile, path)
    main = page.find("main")
    assert TITLE in [text(a) for a in main.find_all("a")], path
    assert not main.find("i") and not page.find("meta", attrs={"http-equiv": "refresh"})
    if path in ("index.html", "network/religion/index.html"):
        card = next(card for card in main.find_all(class_="card") if text(card.find("h2")) == TITLE)
        assert text(card.find(class_="card-summary")) == SUMMARY_TEXT
        assert CATEGORY in text(card.find(class_="meta"))


def test_category_and_tag_pages_name_them_as_text(hostile):
    category = next(path for path in hostile.glob("category/*/index.html")
                    if "hostile-story" in path.read_text(encoding="utf-8"))
    page = BeautifulSoup(category.read_text(encoding="utf-8"), "html.parser")
    assert text(page.find("h1")) == f"หมวด {CATEGORY}"
    assert page.title.string == f"หมวด {CATEGORY} · {SITENAME}"
    assert not page.find("meta", attrs={"http-equiv": "refresh"})
    assert text(page.find("main").find(class_="card-title")) == TITLE
    tag_titles = set()
    for path in hostile.glob("tag/*/index.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tag_titles.add(text(page.find("h1")))
        assert not injected_script(page)
    assert {f"แท็ก #{tag}" for tag in TAGS} <= tag_titles
    categories = parse(hostile, "category/index.html")
    assert CATEGORY in [text(span) for span in categories.find("main").find_all("span")]
    tags = parse(hostile, "tag/index.html")
    assert {f"#{tag}" for tag in TAGS} <= {text(a).split("จำนวน")[0] for a in tags.find("main").find_all("a")}
    assert not injected_script(categories) and not injected_script(tags)


def test_feeds_carry_exactly_the_text(hostile):
    atom = ET.parse(hostile / "feeds" / "all.atom.xml").getroot()
    entry = next(entry for entry in atom.findall(f"{ATOM}entry") if entry.find(f"{ATOM}title").text == TITLE)
    assert entry.find(f"{ATOM}author/{ATOM}name").text == AUTHOR
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == [CATEGORY, *TAGS]
    summary = BeautifulSoup(entry.find(f"{ATOM}summary").text, "html.parser")
    assert text(summary) == SUMMARY_TEXT
    rss = ET.parse(hostile / "feeds" / "all.rss.xml").getroot()
    item = next(item for item in rss.iter("item") if item.find("title").text == TITLE)
    assert [category.text for category in item.findall("category")] == [CATEGORY, *TAGS]
    religion = ET.parse(hostile / "feeds" / "network" / "religion.atom.xml").getroot()
    assert TITLE in [entry.find(f"{ATOM}title").text for entry in religion.findall(f"{ATOM}entry")]


def search_cards(site: Path) -> dict[str, dict]:
    manifest = json.loads(read(site, "search/manifest.json"))
    cards = [card for name in manifest["cards"] for card in json.loads(read(site, f"search/{name}"))]
    return {card["u"]: card for card in cards}


def test_the_search_index_holds_the_text(hostile):
    cards = search_cards(hostile)
    assert cards[STORY.removesuffix("index.html")]["t"] == TITLE
    assert cards[EVENT.removesuffix("index.html")]["t"] == EVENT_TITLE
    assert cards[PAGE.removesuffix("index.html")]["t"] == PAGE_TITLE
    assert cards[STORY.removesuffix("index.html")]["x"].startswith(SUMMARY_TEXT)


def test_event_fields_are_text_and_the_link_stays_in_its_href(hostile):
    page = parse(hostile, EVENT)
    assert text(page.find("h1")) == EVENT_TITLE
    assert page.title.string == f"{EVENT_TITLE} · {SITENAME}"
    assert meta(page, property="og:title") == EVENT_TITLE
    assert meta(page, name="description") == "สรุป S & T bold"
    details = page.find("dl", class_="event-details")
    values = dict(zip((text(dt) for dt in details.find_all("dt")), details.find_all("dd"), strict=True))
    assert text(values["สถานที่"]) == LOCATION
    assert text(values["ผู้จัด"]) == ORGANIZER and text(values["ติดต่อสอบถาม"]) == CONTACT
    link = values["ลงทะเบียน"].find("a")
    assert link["href"] == LINK and set(link.attrs) == {"href", "rel"}
    assert not page.find("h1").find(True) and not details.find(["b", "u", "i"]) and not injected_script(page)
    assert 'href="https://example.org/a?x=1&amp;y=2&amp;lt=3"' in read(hostile, EVENT)  # escaped once
    month = parse(hostile, "calendar/2570/01/index.html")
    item = next(item for item in month.find_all(class_="event-card") if text(item.find(class_="event-title")) == EVENT_TITLE)
    assert text(item.find(class_="event-place")) == LOCATION


def test_calendar_files_carry_the_text(hostile):
    calendar = Calendar.from_ical((hostile / "events" / "hostile-event" / "hostile-event.ics").read_bytes())
    event = next(component for component in calendar.walk("VEVENT"))
    assert str(event["SUMMARY"]) == EVENT_TITLE
    assert str(event["LOCATION"]) == LOCATION
    description = str(event["DESCRIPTION"])
    assert ORGANIZER in description and CONTACT in description and LINK in description
    assert "&amp;" not in description and "&lt;" not in description


def test_the_preview_lists_a_draft_by_its_text(hostile):
    preview = hostile.parent / "preview"
    drafts = parse(preview, "drafts/index.html")
    assert DRAFT_TITLE in [text(a) for a in drafts.find("main").find_all("a")]
    draft = parse(preview, "drafts/hostile-draft/index.html")
    assert text(draft.find("h1")) == DRAFT_TITLE and not draft.find("h1").find(True)
    assert parse(preview, STORY).title.string == f"{TITLE} · {SITENAME}"


def test_a_page_title_is_text(hostile):
    page = parse(hostile, PAGE)
    assert text(page.find("h1")) == PAGE_TITLE and page.title.string == f"{PAGE_TITLE} · {SITENAME}"
    assert not page.find("s")


def test_plain_text_reaches_markup_as_text():
    """Pelican's feed writer does Markup(item.title).striptags(): a PlainText title survives it."""
    from markupsafe import Markup, escape

    from thainews.plaintext import PlainText

    title = PlainText('a <b>c</b> &amp; "d"')
    assert Markup(title).striptags() == 'a <b>c</b> &amp; "d"'
    assert Markup(str(title)).striptags() == 'a c & "d"'  # what a plain str would lose
    assert str(escape(title)) == "a &lt;b&gt;c&lt;/b&gt; &amp;amp; &quot;d&quot;"
    assert type(title.strip()) is str and title == 'a <b>c</b> &amp; "d"'


def test_the_html_sitemap_and_the_category_and_tag_feeds_carry_the_names_as_text(hostile):
    """The pages and feeds added in issue 18: a hostile category or tag name is text there too."""
    sitemap = parse(hostile, "sitemap/index.html")
    assert CATEGORY in [text(a) for a in sitemap.find("main").find_all("a")]
    assert not injected_script(sitemap) and not sitemap.find("meta", attrs={"http-equiv": "refresh"})
    category = next(path for path in hostile.glob("category/*/index.html")
                    if "hostile-story" in path.read_text(encoding="utf-8"))
    page = BeautifulSoup(category.read_text(encoding="utf-8"), "html.parser")
    feeds = {link["title"] for link in page.find_all("link", rel="alternate") if "/feeds/category/" in link["href"]}
    assert feeds == {f"หมวด {CATEGORY} (Atom)", f"หมวด {CATEGORY} (RSS)"}
    href = page.find("link", type="application/atom+xml", href=re.compile("/feeds/category/"))["href"]
    feed = ET.parse(hostile / href[href.index("feeds/category/"):]).getroot()  # built with a SITEURL
    entry = next(entry for entry in feed.findall(f"{ATOM}entry") if entry.find(f"{ATOM}title").text == TITLE)
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == [CATEGORY, *TAGS]
    tag_feeds = list(hostile.glob("feeds/tag/*.atom.xml"))
    assert any(TITLE in [entry.find(f"{ATOM}title").text for entry in ET.parse(path).getroot().findall(f"{ATOM}entry")]
               for path in tag_feeds)


def test_the_faq_structured_data_holds_the_question_and_answer_as_text(hostile):
    """A question or answer that holds `</script>` or `<!--` cannot end the JSON-LD: the `jsonld`
    filter writes <, > and & as \\u escapes; the data still reads as the officer's text."""
    source = read(hostile, "faq/index.html")
    page = BeautifulSoup(source, "html.parser")
    [script] = page.find_all("script", type="application/ld+json")
    raw = source[source.index('<script type="application/ld+json">'):]
    raw = raw[len('<script type="application/ld+json">'):raw.index("</script>")]  # where the element really ends
    assert raw == script.string
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["name"] == FAQ_TITLE
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in data["mainEntity"]] == [(FAQ_QUESTION, FAQ_ANSWER)]
    prose = page.select_one("main .prose")
    assert text(prose.find("h2")) == FAQ_QUESTION and text(prose.find("code")) == FAQ_ANSWER.split(" และ")[0][4:]
    assert text(page.find("h1")) == FAQ_TITLE and not page.find("h1").find(True)
    assert not injected_script(page)
