"""The search page end to end: a real build, served over HTTP with a strict CSP, queried in
headless Chromium (Debian's, driven by Playwright; Playwright never downloads a browser here).

One build, one server and one browser for the whole module. Every page the tests open is
watched: a JavaScript dialog, a console error (Chromium reports CSP violations there), an
uncaught exception or a request to any host but 127.0.0.1 fails the test that opened it.
"""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser import leaves_localhost
from sites import SITE_CONTENT
from thainews.search_index import POSTINGS_INLINE_BYTES, SearchDoc, build_search_files, term_entry
from thainews.search_text import Lexicon, normalize_display, normalize_search, terms

# Every test here drives headless Chromium (tests/browser.py), and is slow too: the module builds
# a site and starts Chromium first. `pytest -m "not slow and not browser"` leaves them out.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'")

XSS_TITLE = "<img src=x onerror=alert(1)>"

# Articles written into a copy of the test site for these tests: (folder, file, header, body).
# Slugs are given so that the URLs are known. Years (CE): 2019, 2021, 2022, 2023, 2024, 2025.
ARTICLES = {
    "xss-title": ("2564", f"""Title: {XSS_TITLE}
Date: 2564-05-01
Slug: xss-title
Networks: เครือข่ายสื่อคุณธรรม

ข่าวทดสอบหัวข้อข่าวที่มีเครื่องหมายพิเศษ รหัสทดสอบ xsscheck ใช้ค้นหาข่าวนี้
"""),
    "pm25-watch": ("2024", """Title: เชียงรายเฝ้าระวังฝุ่น PM2.5 ช่วงหมอกควัน
Date: 2024-02-10
Slug: pm25-watch
Networks: เครือข่ายสาธารณสุขคุณธรรม, เครือข่ายท้องถิ่นคุณธรรม
Tags: หมอกควัน

สำนักงานสาธารณสุขจังหวัดเชียงรายแจ้งว่าค่าฝุ่น PM2.5 เกินมาตรฐานหลายวันติดต่อกัน ขอให้ประชาชนสวมหน้ากากอนามัยเมื่อออกนอกบ้าน
"""),
    "osm-home-visits": ("2565", """Title: อสม.เชียงรายเยี่ยมบ้านผู้สูงอายุ
Date: 2565-06-15
Slug: osm-home-visits
Networks: public-health

อาสาสมัครสาธารณสุขประจำหมู่บ้าน หรือ อสม. ออกเยี่ยมบ้านผู้สูงอายุที่อยู่ลำพัง วัดความดัน และแนะนำให้ปลูกผักสวนครัวกินเองโดยใช้ปุ๋ยหมักที่ปลอดสารพิษ
"""),
    "ita-mou": ("2023", """Title: ส่วนราชการลงนาม MOU ยกระดับการประเมิน ITA
Date: 2023-08-20
Slug: ita-mou
Networks: เครือข่ายส่วนราชการคุณธรรม

หน่วยงานภาครัฐในจังหวัดเชียงรายลงนามบันทึกความร่วมมือ (MOU) เพื่อยกระดับผลการประเมินคุณธรรมและความโปร่งใส ITA ของทุกหน่วยงาน
"""),
    "khom-loi": ("2562", """Title: ประเพณียี่เป็งปล่อยโคมลอยอย่างปลอดภัย
Date: 2562-11-11
Slug: khom-loi
Networks: เครือข่ายศิลปวัฒนธรรม, เครือข่ายศาสนา

ชาวบ้านร่วมงานประเพณียี่เป็ง จุดโคมลอยในพื้นที่ที่กำหนด ห่างจากเส้นทางการบิน เพื่อความปลอดภัยของทุกคน
"""),
    "organic-vegetables": ("2568", """Title: เกษตรกรแม่สลองปลูกผักปลอดสารพิษส่งโรงพยาบาล
Date: 2568-01-20
Slug: organic-vegetables
Networks: เครือข่ายเกษตรคุณธรรม

กลุ่มเกษตรกรบนดอยแม่สลองรวมตัวกันปลูกผักปลอดสารพิษ ส่งให้โรงพยาบาลในอำเภอแม่ฟ้าหลวงทุกสัปดาห์
"""),
    "new-year-chanting": ("2567", """Title: ชาวเชียงรายร่วมสวดมนต์ข้ามปีที่วัดร่องขุ่น
Date: 2567-12-31 20:00
Slug: new-year-chanting
Networks: เครือข่ายศาสนา

พุทธศาสนิกชนแต่งกายชุดขาว ร่วมกิจกรรมสวดมนต์ข้ามปี เพื่อความเป็นสิริมงคลแก่ชีวิตและครอบครัว
"""),
    "flood-relief": ("2567", """Title: ชุมชนคุณธรรมช่วยผู้ประสบภัยน้ำท่วมแม่สาย
Date: 2567-09-15
Slug: flood-relief
Networks: เครือข่ายชุมชนคุณธรรม

ชุมชนคุณธรรมในอำเภอแม่สายรวบรวมถุงยังชีพช่วยเหลือผู้ประสบภัยน้ำท่วม โดยสำนักงานวัฒนธรรมจังหวัดเชียงรายประสานงานกับผู้นำชุมชน
"""),
    "youth-camp": ("2567", """Title: ค่ายเยาวชนคุณธรรม ปี 2567
Date: 2567-04-05
Slug: youth-camp
Networks: youth, schools

เยาวชนจากสถานศึกษาทั่วจังหวัดเข้าร่วมค่ายฝึกวินัยและจิตอาสา ประจำปี 2567 เป็นเวลาสามวัน
"""),
}


def story_path(text: str) -> str:
    """The site path of a story, from its Date and Slug headers."""
    header = dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())
    year, month = int(header["Date"][:4]), header["Date"][5:7]
    return f"/news/{year - 543 if year > 2400 else year}/{month}/{header['Slug']}/"


def url_of(slug: str) -> str:
    """The site path of one of ARTICLES."""
    return story_path(ARTICLES[slug][1])


@pytest.fixture(scope="module")
def built_site(build_test_site) -> Path:
    """The test site plus ARTICLES."""
    return build_test_site("e2e", files={f"news/{folder}/{slug}.md": text for slug, (folder, text) in ARTICLES.items()})


@pytest.fixture(scope="module")
def base_url(built_site, serve):
    """The build, served with the Content-Security-Policy a production server should send."""
    return serve(built_site, {"Content-Security-Policy": CSP})


class Watched:
    """A page and everything it did that a test must not tolerate."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def problems(self) -> list[str]:
        foreign = [url for url in self.requests if leaves_localhost(url)]
        return ([f"dialog {text}" for text in self.dialogs]
                + [f"console error: {text}" for text in self.console_errors]
                + [f"uncaught: {text}" for text in self.page_errors]
                + [f"request to another host: {url}" for url in foreign])


@pytest.fixture(scope="module")
def shared_page(browser):
    """One tab for the module (a new one per test costs a second on two cores)."""
    context = browser.new_context(locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watched(page)
    yield watch
    context.close()


@pytest.fixture
def watched(shared_page):
    """The shared tab, with what it reports cleared before the test and checked after it."""
    for found in (shared_page.dialogs, shared_page.console_errors, shared_page.page_errors, shared_page.requests):
        found.clear()
    yield shared_page
    problems = shared_page.problems()
    assert problems == [], "the page did something it must not:\n" + "\n".join(problems)


def search(watch: Watched, base_url: str, q: str, **filters) -> dict:
    """Open search.html?q=…, wait for the results, and read what the page shows."""
    page = watch.page
    page.goto(f"{base_url}/search.html?{urlencode({'q': q, **filters})}", wait_until="load")
    page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll('#search-results > li')];
        return {
            titles: items.map((li) => li.querySelector('h2').textContent),
            links: items.map((li) => { const a = li.querySelector('h2 a'); return a ? a.getAttribute('href') : null; }),
            dates: items.map((li) => { const t = li.querySelector('time'); return t ? t.getAttribute('datetime') : null; }),
            networks: items.map((li) => { const n = li.querySelector('.search-networks'); return n ? n.textContent : ''; }),
            marks: items.map((li) => [...li.querySelectorAll('mark')].map((m) => m.textContent)),
            status: document.getElementById('search-status').textContent,
            input: document.getElementById('search-q').value,
            network: document.getElementById('search-network').value,
            year: document.getElementById('search-year').value,
            more: !document.getElementById('search-more').hidden,
            images: document.querySelectorAll('#search-results img, #search-status img').length,
            scripts: document.querySelectorAll('main script').length,
        };
    }""")


# ---------------------------------------------------------------------------------------------
# Queries.

@pytest.mark.parametrize(("query", "slug"), [
    ("วัฒนธรรม", "flood-relief"),  # only inside สำนักงานวัฒนธรรมจังหวัดเชียงราย in that article
    ("นํ้าท่วม", "flood-relief"),  # nikhahit + sara aa, as some keyboards type น้ำ
    ("นํ้า", "flood-relief"),
    ("น้ำท่วม", "flood-relief"),
    ("๒๕๖๗", "youth-camp"),  # Thai digits find Arabic ones
    ("2567", "youth-camp"),
    ("pm2.5", "pm25-watch"),
    ("PM2.5", "pm25-watch"),
    ("อสม", "osm-home-visits"),
    ("อสม.", "osm-home-visits"),
    ("ITA", "ita-mou"),
    ("ita", "ita-mou"),
    ("mou", "ita-mou"),
    ("MoU", "ita-mou"),
    ("โคม", "khom-loi"),  # part of the compound โคมลอย
    ("โคมลอย", "khom-loi"),
    ("แม่สลอง", "organic-vegetables"),
    ("สวดมนต์ข้ามปี", "new-year-chanting"),
    ("xsscheck", "xss-title"),
])
def test_query_finds_article(watched, base_url, query, slug):
    shown = search(watched, base_url, query)
    assert url_of(slug) in shown["links"], (query, shown)
    assert shown["input"] == query


def test_organic_vegetables_typed_without_spaces_ranks_first(watched, base_url):
    shown = search(watched, base_url, "ผักปลอดสารพิษ")
    assert shown["links"], shown
    assert shown["links"][0] == url_of("organic-vegetables"), shown
    # The อสม. article has ผัก and ปลอดสารพิษ apart, in its body only: found, but lower.
    assert url_of("osm-home-visits") not in shown["links"][:1]


def test_tone_marks_are_kept_white_does_not_find_news(watched, base_url):
    shown = search(watched, base_url, "ขาว")
    assert shown["links"] == [url_of("new-year-chanting")], shown  # ชุดขาว, and nothing with ข่าว
    news = search(watched, base_url, "ข่าว")
    # Every article is in the category ข่าวกิจกรรม, whose head is ข่าว: the article that says
    # ข่าว in its own text must come first.
    assert news["links"][0] == url_of("xss-title")
    assert news["marks"][news["links"].index(url_of("xss-title"))][0] == "ข่าว"


def test_article_without_category_is_in_the_default_category(watched, base_url):
    shown = search(watched, base_url, "ข่าวกิจกรรม", year="2019")
    assert url_of("khom-loi") in shown["links"], shown


def test_a_word_that_is_nowhere_finds_nothing_and_says_so(watched, base_url):
    shown = search(watched, base_url, "ไดโนเสาร์")
    assert shown["titles"] == []
    assert "ไม่พบผลลัพธ์" in shown["status"] and "ไดโนเสาร์" in shown["status"], shown
    assert not shown["more"]



@pytest.mark.parametrize("query", ["เชียงใหม่", "วันแม่"])
def test_a_word_named_nowhere_finds_nothing_though_its_pieces_are_common(watched, base_url, query):
    # เชียง (of เชียงราย) and ใหม่ are in many documents, แม่ (of แม่สาย) and วัน too; the
    # words typed together are a word no document contains.
    shown = search(watched, base_url, query)
    assert shown["titles"] == [], shown
    assert "ไม่พบผลลัพธ์" in shown["status"], shown


def test_a_word_of_the_query_that_matched_nothing_is_named(watched, base_url):
    shown = search(watched, base_url, "โคมลอย ภูเก็ต")
    assert url_of("khom-loi") in shown["links"], shown
    assert "ไม่พบคำว่า “ภูเก็ต”" in shown["status"], shown
    assert "โคมลอย”" not in shown["status"], shown
    both = search(watched, base_url, "โคมลอย ยี่เป็ง")
    assert "ไม่พบคำว่า" not in both["status"], both


def test_status_line_reports_the_count(watched, base_url):
    shown = search(watched, base_url, "เชียงราย")  # in most documents: more than one page
    status = watched.page.locator("#search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert shown["status"].startswith("พบ ") and shown["status"].endswith(" รายการ"), shown
    total = int(shown["status"].split()[1].replace(",", ""))
    assert len(shown["titles"]) == 10 and shown["more"] and total > 10, shown
    page = watched.page
    while page.locator("#search-more").is_visible():
        before = page.locator("#search-results > li").count()
        page.click("#search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results > li').length > {before}")
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
    links = page.eval_on_selector_all("#search-results h2 a", "(as) => as.map((a) => a.getAttribute('href'))")
    assert len(links) == total == len(set(links))
    assert page.locator("#search-status").text_content() == shown["status"]


def test_highlight_marks_the_query_word(watched, base_url):
    for query, slug in [("โคม", "khom-loi"), ("ITA", "ita-mou"), ("๒๕๖๗", "youth-camp")]:
        shown = search(watched, base_url, query)
        marks = shown["marks"][shown["links"].index(url_of(slug))]
        assert marks, (query, shown)
        assert all(normalize_search(query) in normalize_search(mark) for mark in marks), (query, marks)


# ---------------------------------------------------------------------------------------------
# Nothing from the index or the query becomes HTML.

def test_html_in_a_title_is_shown_as_text(watched, base_url):
    shown = search(watched, base_url, "xsscheck")
    assert shown["titles"] == [XSS_TITLE], shown
    assert shown["images"] == 0


def test_html_in_the_query_is_shown_as_text(watched, base_url):
    query = '"><script>alert(1)</script>'
    shown = search(watched, base_url, query)
    assert shown["input"] == query
    assert query in shown["status"], shown
    assert shown["titles"] == [] and shown["scripts"] == 0 and shown["images"] == 0
    assert query in watched.page.title()


def test_html_in_a_title_is_text_on_the_article_page(browser, base_url):
    page = browser.new_page()  # not the watched tab: the CSP report of the blocked handler is expected here
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base_url}{url_of('xss-title')}", wait_until="load")
        heading = page.evaluate("() => { const h = document.querySelector('main h1'); "
                                "return [h.textContent, h.querySelectorAll('*').length]; }")
    finally:
        page.close()
    assert dialogs == []
    assert heading == [XSS_TITLE, 0]


def test_query_typed_into_the_form(watched, base_url):
    page = watched.page
    page.goto(f"{base_url}/search.html", wait_until="load")
    assert page.locator("#search-results > li").count() == 0
    page.fill("#search-q", "โคมลอย")
    page.click("#search-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('พบ')")
    assert page.url == f"{base_url}/search.html?{urlencode({'q': 'โคมลอย'})}"
    links = page.eval_on_selector_all("#search-results h2 a", "(as) => as.map((a) => a.getAttribute('href'))")
    assert url_of("khom-loi") in links


# ---------------------------------------------------------------------------------------------
# Filters.

def test_network_filter_restricts_results_and_stays_selected(watched, base_url, built_site):
    manifest = json.loads((built_site / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert "public-health" in {network["slug"] for network in manifest["networks"]}
    everything = search(watched, base_url, "เชียงราย")
    filtered = search(watched, base_url, "เชียงราย", network="public-health")
    assert filtered["network"] == "public-health"
    assert url_of("pm25-watch") in filtered["links"] and url_of("osm-home-visits") in filtered["links"]
    assert url_of("ita-mou") not in filtered["links"]
    assert all("เครือข่ายสาธารณสุขคุณธรรม" in names for names in filtered["networks"]), filtered
    found = [int(shown["status"].split()[1]) for shown in (everything, filtered)]
    assert found[0] > found[1] == len(filtered["links"]), (everything["status"], filtered["status"])


def test_year_filter_restricts_results_and_stays_selected(watched, base_url):
    shown = search(watched, base_url, "เชียงราย", year="2023")
    assert shown["year"] == "2023"
    assert shown["links"], shown
    assert all(date and date.startswith("2023-") for date in shown["dates"]), shown
    assert url_of("ita-mou") in shown["links"]
    option = watched.page.locator("#search-year option:checked").text_content()
    assert option == "พ.ศ. 2566"


def test_both_filters_together(watched, base_url):
    shown = search(watched, base_url, "เชียงราย", network="public-health", year="2022")
    assert shown["links"] == [url_of("osm-home-visits")], shown
    assert (shown["network"], shown["year"]) == ("public-health", "2022")


def test_filter_that_leaves_nothing_says_so(watched, base_url):
    shown = search(watched, base_url, "โคมลอย", year="2024")
    assert shown["titles"] == [] and shown["year"] == "2024"
    assert "ไม่พบผลลัพธ์" in shown["status"] and "ตัวกรอง" in shown["status"], shown


def test_unknown_filter_values_are_ignored(watched, base_url):
    shown = search(watched, base_url, "โคมลอย", network="<b>nope</b>", year="1999")
    assert (shown["network"], shown["year"]) == ("", "")
    assert url_of("khom-loi") in shown["links"]


# ---------------------------------------------------------------------------------------------
# The browser's text pipeline is Python's.

PARITY_STRINGS = [
    # nikhahit + sara aa, with and without a tone between or before
    "นํ้า", "นํา", "น้ํา", "นํ่า", "ทํา", "กํ้า", "ขํ้าว", "ข่ํา", "ํา", "ํ", "ก ํา",
    # sara e twice for sara ae, also at the start and after a space
    "เเปลก", "เเ", "ก เเม่", "เเเ", "เเละ", "เเม่สลอง",
    # zero-width characters inside words and between them
    "สวัสดี\u200bครับ", "ภาษา\u200cไทย", "\u200b", "\u200bก", "ก\u200b", "\u200b\u200c ่ก", "อสม\u200b.",
    # Thai digits (and mixed with Arabic)
    "๒๕๖๗", "ปี ๒๕๖๗", "๐๑๒๓๔๕๖๗๘๙", "PM๒.๕", "๑2๓", "พ.ศ.๒๕๖๖-๒๕๗๐",
    # repeated vowels, signs and tone marks
    "นานาาา", "ดีีีี", "ก่่่า", "ก่้", "ก้่", "กุุ", "ก็็", "ก์์", "เก่ ่า", "กะะ", "โโก", "ก ุ ุ",
    "ก่๋ข", "ขำำ",
    # tone mark before an above or below vowel, follow vowel before a tone mark
    "ก่ี", "กุ้", "ก่ั", "ก์ิ", "กา่", "กะ้", "กำ่", "ก๊ื", "ป่ืา",
    # lakkhangyao
    "กๅ", "ฤๅ", "ฦๅ", "ๅ", "ก ๅ",
    # dangling marks at the start and after spaces, spaces before marks
    "่ก", "ุก", "็ก", "์ก", "ก ่า", "คำ ่ที่สอง", "พ ุ่มดอกไม้", "ก  ุ", "เ ่ก", "ก \u0e3a", "\u0e4eก",
    "ก ่ ้", "    ่ก", "ก ก่",
    # spaces and newlines
    "ก    ข    ค", " ก ", "ก\n\nข", "ก \n \nข", "\nก\n", "  ", " ", "",
    # Latin case, digits, punctuation
    "PM2.5", "ITA MOU", "MoU", "COVID-19", "Straße", "ÉCOLE", "İstanbul", "ΣΟΦΟΣ", "ǅemal", "ÅNGSTRÖM",
    "e\u0301cole", "A\u030aNGSTROM",
    # Thai punctuation, signs and mixed text
    "ต่าง ๆ", "ฯลฯ", "กรุงเทพฯ", "๏ ก ๚ ๛", "฿100", "อสม.", "สำนักงานวัฒนธรรมจังหวัดเชียงราย",
    '"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "ข่าว ขาว ข้าว",
    "เเม่สลอง ๒๕๖๗ นํ้าท่วม PM๒.๕\u200bITA",
]
# Every kind of space at either end (PyThaiNLP's normalize ends with str.strip()).
EDGE_WHITESPACE = ["\tก", "ก\t", "ก\r", "\xa0ก", "ก\xa0", "ก\u3000", "\x0bก", "ก\x1c", "\x85ก", "\r\nก",
                   "\ufeffก", "ก\ufeff", "\u2028ก"]


def test_browser_and_python_normalise_alike(browser, base_url):
    from random import Random

    alphabet = ("กขคงจนบมยรลวสหอฤฦ" "ะัาำิีึืฺุูเแโใไๅ" "่้๊๋" "็์ํ๎ฯๆ" "๐๑๒๕๙05"
                + " " * 4 + "\n\t\xa0\u200b\u200c" + "AaZz.-")
    rng = Random(2567)
    strings = PARITY_STRINGS + EDGE_WHITESPACE + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
                                for _ in range(300)]
    page = browser.new_page()
    try:
        page.goto(f"{base_url}/search.html", wait_until="load")
        browser_side = page.evaluate(
            "async (xs) => { const m = await import('/theme/js/search-text.js'); return xs.map(m.normalizeText); }",
            strings,
        )
    finally:
        page.close()
    differences = [(s, js, normalize_search(s)) for s, js in zip(strings, browser_side, strict=True) if js != normalize_search(s)]
    assert differences == [], "\n".join(f"{s!r}: browser {js!r}, Python {py!r}" for s, js, py in differences)


# ---------------------------------------------------------------------------------------------
# The browser reads the index as Python writes it, wherever the postings are kept.

READER_QUERIES = ["เชียงราย", "คุณธรรม", "โคมลอย", "ประชุม เยาวชน", "ขับเคลื่อนจังหวัดคุณธรรม", "เชียงใหม่",
                  "โคมลอย ภูเก็ต", "pm2.5", "ita", "ขาว", "ข่าว", "เครือข่ายศาสนา", "2567", "โอกาศ",
                  # corrected (search-typos.js), whose words' postings may be in files of their own
                  "ประชาสัมพัน", "86ITii,", "เยาวชล", "ขับเคลื่น"]


def test_the_browser_reads_postings_in_the_shard_and_in_files_of_their_own(browser, base_url):
    """The same documents indexed three ways: every term's postings in its shard, every one
    in a file of its own (p-…json, named by the shard), and the default (long ones in files).
    search.js finds the same results in each, with the postings Python reads (term_entry), and
    fetches a postings file only for a term it ranks with."""
    lexicon = Lexicon.from_file(SITE_CONTENT / "lexicon.txt")
    docs = []
    for number in range(60):
        topic = ["ประชุมเครือข่ายคุณธรรม", "เยาวชนจิตอาสา", "ขับเคลื่อนจังหวัดคุณธรรม"][number % 3]
        docs.append(SearchDoc(url=f"news/{number}/", title=f"{topic} เชียงราย ครั้งที่ {number}", year=2020 + number % 6,
                              body="ข่าวประชาสัมพันธ์ " * (1 + number % 4) + ("PM2.5 ITA" if number % 7 == 0 else ""),
                              networks=[("religion", "เครือข่ายศาสนา")] if number % 5 == 0 else []))
    docs.append(SearchDoc(url="news/khom-loi/", title="ประเพณียี่เป็งปล่อยโคมลอย", year=2024))
    indexes = {}
    for inline in (10**9, 0, POSTINGS_INLINE_BYTES):
        files = build_search_files(docs, lambda texts: [terms(text, lexicon) for text in texts], [("religion", "เครือข่ายศาสนา")],
                                   normalize_display, compound_parts=lexicon.compound_parts,
                                   known_words=frozenset({"เชียงใหม่", "ภูเก็ต", "ขาว"}), inline_bytes=inline)
        indexes[inline] = {name: data.decode() for name, data in files.items()}
    assert not any(name.startswith("p-") for name in indexes[10**9])
    assert any(name.startswith("p-") for name in indexes[POSTINGS_INLINE_BYTES])

    page = browser.new_page()
    try:
        page.goto(f"{base_url}/search.html", wait_until="load")
        found = page.evaluate("""async ([indexes, queries]) => {
            const { SearchIndex } = await import('/theme/js/search.js');
            const out = {};
            for (const [inline, files] of Object.entries(indexes)) {
                out[inline] = [];
                for (const query of queries) {
                    for (const network of ['', 'religion']) {
                        const fetched = [];
                        const load = async (url) => {
                            const name = String(url).split('/').pop();
                            fetched.push(name);
                            if (!(name in files)) throw new Error('no such file ' + name);
                            return JSON.parse(files[name]);
                        };
                        const index = new SearchIndex('http://127.0.0.1/search/manifest.json', load);
                        const result = await index.search(query, { network, year: 0 });
                        const postings = Object.fromEntries(result.terms.map((term) => {
                            const [ids, scores, attached] = index.postings(term);
                            return [term, [ids, scores, [...attached]]];
                        }));
                        out[inline].push({ query, network, ranked: result.ranked, terms: result.terms,
                                           missing: result.missing, postings, corrected: result.corrected,
                                           suggestions: result.suggestions,
                                           filed: fetched.filter((name) => name.startsWith('p-')).sort() });
                    }
                }
            }
            return out;
        }""", [indexes, READER_QUERIES])
    finally:
        page.close()

    everything_inline = found[str(10**9)]
    assert any(result["ranked"] for result in everything_inline)
    corrected = {result["query"]: result["corrected"] for result in everything_inline if not result["network"]}
    assert corrected["86ITii,"] == {"from": "86ITii,", "to": "คุณธรรม", "reason": "layout"}  # a common word: filed postings
    offered = {result["query"]: result["suggestions"] for result in everything_inline if not result["network"]}
    assert corrected["เยาวชล"] == {"from": "เยาวชล", "to": "เยาวชน", "reason": "typo"} and offered["ขับเคลื่น"] == ["ขับเคลื่อน"]
    assert any(result["filed"] for result in found[str(POSTINGS_INLINE_BYTES)])
    assert not any(result["filed"] for result in everything_inline)
    for inline, results in found.items():
        files = indexes[int(inline)]
        manifest = json.loads(files["manifest.json"])
        for result, reference in zip(results, everything_inline, strict=True):
            keys = ("ranked", "terms", "missing", "corrected", "suggestions")
            assert {key: result[key] for key in keys} == {key: reference[key] for key in keys}, (inline, result["query"])
            for term, (ids, scores, attached) in result["postings"].items():
                gaps, written = term_entry(manifest, files.__getitem__, term)
                assert ids == [sum(gaps[: k + 1]) for k in range(len(gaps))] and scores == written and attached == []
            # Only the postings files of the terms ranked with, each once.
            named = {term: entry for name in manifest["shards"].values()
                     for term, entry in json.loads(files[name]).items() if isinstance(entry, str)}
            assert result["filed"] == sorted({named[term] for term in result["terms"] if term in named}), result["query"]
