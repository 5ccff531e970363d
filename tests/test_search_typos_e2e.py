"""Search that forgives typing, on the search page: a build of the test site with a few stories,
served with the site's Content-Security-Policy and queried in headless Chromium (tests/browser.py).

- A misspelling certain enough is searched at once, and #search-suggestion says so; one less
  certain is offered there as a link to the corrected query, and following it shows results.
- A query typed with the keyboard set to English is searched as the Thai it stands for, and the
  page says so; real Latin queries are left alone.
- A word the index holds is never corrected (ขาว finds ชุดขาว, not ข่าว), a word named nowhere
  still finds nothing, and an ordinary query never fetches the suggestion vocabulary.
- No CSP violation, nothing asked of another host, axe finds nothing serious in the suggestion.
- The page's own module gives the shared table's nearness and layout (as Python does).
"""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser import leaves_localhost, site_policy
from test_search_e2e import story_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SERIOUS = {"serious", "critical"}
CASES = json.loads((Path(__file__).parent / "data" / "search-typos-cases.json").read_text(encoding="utf-8"))
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""

STORIES = {
    "scholarship": ("2567", """Title: มอบทุนการศึกษาสร้างโอกาสให้เยาวชนบนดอย
Date: 2567-06-01
Slug: scholarship

ชมรมจริยธรรมมอบทุนการศึกษาแก่นักเรียนบนดอย เพื่อเพิ่มโอกาสทางการศึกษาให้เยาวชน
"""),
    "forest": ("2567", """Title: ชุมชนร่วมอนุรักษ์ป่าต้นน้ำ
Date: 2567-07-01
Slug: forest

ชาวบ้านร่วมกันอนุรักษ์ป่าต้นน้ำ ปลูกต้นไม้และทำแนวกันไฟ
"""),
    "greeting": ("2568", """Title: ผู้ว่าราชการจังหวัดกล่าวสวัสดีปีใหม่
Date: 2568-01-01
Slug: greeting

ผู้ว่าราชการจังหวัดกล่าวสวัสดีปีใหม่แก่ประชาชนทุกคน และอวยพรชาวนาให้ทำนาได้ผลดี
"""),
    "white-robes": ("2567", """Title: ปฏิบัติธรรมถือศีลแปด
Date: 2567-08-01
Slug: white-robes

ผู้สูงอายุแต่งกายชุดขาวร่วมปฏิบัติธรรมที่วัด
"""),
    "environment": ("2567", """Title: เยาวชนรักษ์สิ่งแวดล้อม
Date: 2567-10-01
Slug: environment

เยาวชนเก็บขยะริมแม่น้ำกกเพื่อสิ่งแวดล้อมที่ดี
"""),
    "misspelt": ("2567", """Title: ประกาศรับสมัครอาสาดูแลสิงแวดล้อม
Date: 2567-10-02
Slug: misspelt

ข่าวนี้พิมพ์ผิดเป็นสิงแวดล้อม ซึ่งเกิดขึ้นได้ในข่าวจริง
"""),
    "english": ("2567", """Title: ลงนาม MOU กับ Moral Center เรื่อง PM2.5 และ ITA
Date: 2567-09-01
Slug: english

หน่วยงานลงนาม MOU ร่วมกับ Moral Center เพื่อลดฝุ่น PM2.5 และยกระดับ ITA ผลการตรวจ OK
"""),
}


def url_of(slug: str) -> str:
    return story_path(STORIES[slug][1])


@pytest.fixture(scope="module")
def base_url(build_test_site, serve):
    """The test site and STORIES, built and served with the site's Content-Security-Policy."""
    site = build_test_site("typos-e2e", files={f"news/{year}/{slug}.md": text for slug, (year, text) in STORIES.items()})
    return serve(site, {"Content-Security-Policy": site_policy()})


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(CSP_WATCH)
    seen = {"requests": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: message.type == "error" and seen["errors"].append(message.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.route("**/*", lambda route: route.abort() if leaves_localhost(route.request.url) else route.continue_())
    yield page, seen
    context.close()


@pytest.fixture
def page(tab):
    """The module's tab; after each test, no console error, CSP violation or request elsewhere."""
    page, seen = tab
    seen["requests"].clear()
    seen["errors"].clear()
    yield page
    assert seen["errors"] == [], seen["errors"]
    assert page.evaluate("window.__cspViolations") == []
    assert [url for url in seen["requests"] if leaves_localhost(url)] == []


DONE = """() => {
  const results = document.getElementById('search-results');
  const status = document.getElementById('search-status').textContent.trim();
  return results.getAttribute('aria-busy') === 'false' && status !== '' && status !== 'กำลังค้นหา…';
}"""
READ = """() => ({
  links: [...document.querySelectorAll('#search-results h2 a')].map((a) => a.getAttribute('href')),
  status: document.getElementById('search-status').textContent,
  suggestion: document.getElementById('search-suggestion').textContent,
  offers: [...document.querySelectorAll('#search-suggestion a')].map((a) => [a.textContent, a.getAttribute('href')]),
  input: document.getElementById('search-q').value,
  visible: getComputedStyle(document.getElementById('search-suggestion')).display !== 'none',
})"""


def search(page, base_url: str, q: str) -> dict:
    page.goto(f"{base_url}/search.html?{urlencode({'q': q})}", wait_until="load")
    page.wait_for_function(DONE)
    return page.evaluate(READ)


def fetched_vocabulary(page) -> bool:
    """Did the page fetch the correcting module or the suggestion vocabulary (its manifest is
    named in search/manifest.json)? Both, or neither."""
    fetched = page.evaluate("""async () => {
      const manifest = await (await fetch('/search/manifest.json')).json();
      const names = performance.getEntriesByType('resource').map((entry) => entry.name);
      return [names.some((name) => name.endsWith('/search/' + manifest.suggest)),
              names.some((name) => name.endsWith('/js/search-typos.js'))];
    }""")
    assert fetched[0] == fetched[1], fetched
    return fetched[0]


# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "corrected", "slug"), [
    ("โอกาศ", "โอกาส", "scholarship"),  # ศ for ส: a slip that sounds the same
    ("อนุรักษ", "อนุรักษ์", "forest"),  # the การันต์ left out
    ("ประชาสัมพัน", "ประชาสัมพันธ์", None),  # ธ์ left out (the test site's own stories)
])
def test_a_certain_misspelling_is_searched_at_once_and_the_page_says_so(page, base_url, typed, corrected, slug):
    shown = search(page, base_url, typed)
    assert shown["suggestion"] == f"ไม่พบ “{typed}” จึงค้นหา “{corrected}” แทน", shown
    assert shown["links"] and (slug is None or url_of(slug) in shown["links"]), shown
    assert shown["input"] == typed and shown["visible"]
    assert fetched_vocabulary(page)


def test_a_less_certain_misspelling_is_offered_as_a_link_that_shows_results(page, base_url, axe):
    shown = search(page, base_url, "อนุรัษ์")  # a letter left out: offered, not searched at once
    assert shown["links"] == [] and "ไม่พบผลลัพธ์" in shown["status"], shown
    assert shown["suggestion"].startswith("หมายถึง “อนุรักษ์”") and shown["suggestion"].endswith(" หรือไม่?"), shown
    text, href = shown["offers"][0]
    assert text == "อนุรักษ์" and href == f"?{urlencode({'q': 'อนุรักษ์'})}"
    found = [v for v in axe.run(page).response["violations"] if v.get("impact") in SERIOUS]
    assert found == [], [(v["id"], v["help"], [node.get("target") for node in v["nodes"]]) for v in found]

    page.click("#search-suggestion a")
    page.wait_for_function("() => document.getElementById('search-q').value === 'อนุรักษ์'")
    page.wait_for_function(DONE)
    followed = page.evaluate(READ)
    assert url_of("forest") in followed["links"], followed
    assert followed["suggestion"] == "" and not followed["visible"]
    assert page.url == f"{base_url}/search.html?{urlencode({'q': 'อนุรักษ์'})}"
    page.go_back()  # the misspelt query is in the history, as after a search typed in the form
    page.wait_for_function("() => document.getElementById('search-q').value === 'อนุรัษ์'")


def test_the_suggestion_link_works_as_a_plain_link_too(page, base_url):
    shown = search(page, base_url, "อนุรัษ์")
    page.goto(f"{base_url}/search.html{shown['offers'][0][1]}", wait_until="load")
    page.wait_for_function(DONE)
    assert url_of("forest") in page.evaluate(READ)["links"]


@pytest.mark.parametrize(("typed", "thai", "slug"), [
    ("l;ylfu", "สวัสดี", "greeting"),
    ("vo6iydKN", "อนุรักษ์", "forest"),  # shifted K and N: ษ and the การันต์
])
def test_thai_typed_with_the_english_keyboard_is_searched_as_thai(page, base_url, typed, thai, slug):
    shown = search(page, base_url, typed)
    assert shown["suggestion"] == f"ค้นหา “{thai}” แทน “{typed}” (แป้นพิมพ์ภาษาอังกฤษ)", shown
    assert url_of(slug) in shown["links"] and shown["input"] == typed


@pytest.mark.parametrize("typed", ["hello", "qwerty", "xyzzy"])
def test_latin_that_is_no_thai_the_index_holds_is_left_as_typed(page, base_url, typed):
    shown = search(page, base_url, typed)
    assert shown["suggestion"] == "" and shown["links"] == [], shown
    assert "ไม่พบผลลัพธ์" in shown["status"]


@pytest.mark.parametrize("query", ["mou", "ITA", "pm2.5", "moral center", "PM2.5 MOU", "ok"])
def test_real_latin_queries_are_left_alone(page, base_url, query):
    shown = search(page, base_url, query)
    assert shown["suggestion"] == "" and not shown["visible"], shown
    assert url_of("english") in shown["links"], shown
    if query == "ok":  # นา (rice field) on the Thai keyboard, and a story says ทำนา: the index holds ok itself
        assert shown["links"] == [url_of("english")], shown
    assert not fetched_vocabulary(page)


def test_a_word_the_index_holds_is_never_corrected(page, base_url):
    shown = search(page, base_url, "ขาว")
    assert shown["links"] == [url_of("white-robes")], shown  # ชุดขาว, and no story that only says ข่าว
    assert shown["suggestion"] == "" and shown["offers"] == []
    assert not fetched_vocabulary(page)  # an ordinary query downloads neither the module nor the vocabulary
    # A misspelling that a story holds finds that story, as typed: not สิ่งแวดล้อม, a step away.
    shown = search(page, base_url, "สิงแวดล้อม")
    assert shown["links"] == [url_of("misspelt")] and shown["suggestion"] == "", shown
    assert url_of("environment") in search(page, base_url, "สิ่งแวดล้อม")["links"]


@pytest.mark.parametrize("query", ["เชียงใหม่", "ภูเก็ต", "ไดโนเสาร์", "กรุงเทพมหานคร"])
def test_a_word_named_nowhere_still_finds_nothing(page, base_url, query):
    shown = search(page, base_url, query)
    assert shown["links"] == [] and "ไม่พบผลลัพธ์" in shown["status"], shown
    assert "จึงค้นหา" not in shown["suggestion"] and "แทน" not in shown["suggestion"], shown


def test_the_page_module_gives_the_shared_table(page, base_url):
    page.goto(f"{base_url}/search.html", wait_until="load")
    js = page.evaluate("""async (cases) => {
      const m = await import('/theme/js/search-typos.js');
      return {
        distance: cases.distance.map(([a, b]) => [m.distance(a, b), m.distance(b, a)]),
        skeleton: cases.skeleton.map(([word]) => m.skeleton(word)),
        key: cases.key.map(([word]) => m.suggestKey(word)),
        layout: cases.layout.map(([typed]) => m.fromEnglishLayout(typed)),
      };
    }""", CASES)
    assert js["distance"] == [[row[2], row[2]] for row in CASES["distance"]]
    assert js["skeleton"] == [row[1] for row in CASES["skeleton"]]
    assert js["key"] == [row[1] for row in CASES["key"]]
    assert js["layout"] == [row[1] for row in CASES["layout"]]

