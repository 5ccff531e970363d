"""What the government website standard asks of a public site (issue 18, point 4): the questions
page (คำถามที่พบบ่อย) with its FAQPage structured data, the English page for visitors, the
contact page with the office's address and a plain map link; each linked from every footer and
from the HTML sitemap.

The pure parts (thainews.faq, the OFFICE check) are tested on their own; the pages in the test
site (tests/data/site/content/pages/faq.md, en.md, contact.md), built once, and in Chromium.
"""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from conftest import build
from htmlcheck import html_errors
from office.office import DEFAULTS as OFFICE_DEFAULTS
from office.office import check_settings as check_office
from thainews.faq import Entry, faq_entries, faq_page, faq_problems
from thainews.networks import NETWORKS

NEW_PAGES = {"faq": "faq/index.html", "en": "en/index.html", "contact": "contact/index.html"}


def squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# thainews.faq: questions and answers from the page's HTML.

def test_each_h2_is_a_question_and_what_follows_it_the_answer():
    html = ("<p>คำนำ ไม่ใช่คำตอบ</p>\n<h2>ถามหนึ่ง</h2>\n<p>ตอบหนึ่ง</p>\n<ul>\n<li>ข้อ ก</li>\n<li>ข้อ ข</li>\n</ul>\n"
            "<h3>หัวข้อย่อยในคำตอบ</h3><p>ต่อ</p>\n<h2>ถามสอง</h2><p>ตอบสอง</p>")
    assert faq_entries(html) == [
        Entry("ถามหนึ่ง", "ตอบหนึ่ง ข้อ ก ข้อ ข หัวข้อย่อยในคำตอบ ต่อ"),
        Entry("ถามสอง", "ตอบสอง"),
    ]


def test_inline_markup_keeps_words_together_and_blocks_keep_them_apart():
    html = ('<h2>ใช้ <abbr title="Really Simple Syndication">RSS</abbr>ได้ไหม</h2>'
            '<p><strong>Mac</strong>: กด<a href="/x/">ลิงก์</a>นี้</p><p>ย่อหน้า</p><p>สอง<br>บรรทัด</p>')
    assert faq_entries(html) == [Entry("ใช้ RSSได้ไหม", "Mac: กดลิงก์นี้ ย่อหน้า สอง บรรทัด")]


def test_entities_are_decoded_once_and_no_script_or_style_is_read_as_words():
    html = "<h2>A &amp; B &lt;i&gt;</h2><p>1 &lt; 2 &amp;amp; &quot;q&quot;</p><script>x()</script><style>p{}</style>"
    assert faq_entries(html) == [Entry("A & B <i>", '1 < 2 &amp; "q"')]


def test_a_page_without_questions_has_none():
    assert faq_entries("<p>ไม่มีคำถาม</p>") == []
    assert faq_entries("") == []


SOURCE = "Title: คำถาม\nSlug: faq\nTemplate: faq\n\nคำนำ\n\n## ถามหนึ่ง\n\nตอบ\n\n```\n## ในโค้ด\n```\n\n## ถามสอง\n"


def test_a_question_without_an_answer_is_named_with_the_line_of_its_heading():
    problems = faq_problems("content/pages/faq.md", SOURCE, [Entry("ถามหนึ่ง", "ตอบ ## ในโค้ด"), Entry("ถามสอง", "")])
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line, problem.severity) == ("content/pages/faq.md", 15, "error")
    assert "'ถามสอง' ยังไม่มีคำตอบ" in problem.thai and "has no answer" in problem.english


def test_a_page_with_no_question_is_named_at_its_template_line():
    [problem] = faq_problems("content/pages/faq.md", "Title: x\nTemplate: faq\n\nเนื้อหา\n", [])
    assert (problem.line, problem.field) == (2, "Template")
    assert "ยังไม่มีคำถาม" in problem.thai and "## " in problem.english


def test_an_empty_heading_is_a_problem_and_unmatched_headings_fall_back_to_the_template_line():
    [problem] = faq_problems("f.md", "Template: faq\n\n<h2></h2>\n\nตอบ\n", [Entry("", "ตอบ")])
    assert problem.line == 1 and "heading is empty" in problem.english  # an HTML heading: no `## ` line
    assert faq_problems("f.md", SOURCE, [Entry("ถาม", "ตอบ"), Entry("ถามสอง", "ตอบ")]) == []


def test_the_faq_page_data_holds_every_question_and_answer_in_order():
    data = faq_page(url="https://news.example.org/faq/", name="คำถามที่พบบ่อย",
                    entries=[Entry("ถาม ก", "ตอบ ก"), Entry("ถาม ข", "ตอบ ข")])
    assert data["@type"] == "FAQPage" and data["url"] == "https://news.example.org/faq/" and data["inLanguage"] == "th"
    assert [(q["@type"], q["name"], q["acceptedAnswer"]["@type"], q["acceptedAnswer"]["text"])
            for q in data["mainEntity"]] == [("Question", "ถาม ก", "Answer", "ตอบ ก"),
                                             ("Question", "ถาม ข", "Answer", "ตอบ ข")]


# ---------------------------------------------------------------------------------------------
# plugins/office: the OFFICE setting.

def office_settings(**office) -> SimpleNamespace:
    return SimpleNamespace(settings={"OFFICE": office})


def test_the_office_setting_is_filled_in_with_its_defaults():
    pelican = office_settings(NAME=" สำนักงาน ", MAP_URL="https://www.openstreetmap.org/search?query=x")
    check_office(pelican)
    assert set(pelican.settings["OFFICE"]) == set(OFFICE_DEFAULTS)
    assert pelican.settings["OFFICE"]["NAME"] == "สำนักงาน" and pelican.settings["OFFICE"]["PHONE"] == ""


@pytest.mark.parametrize(("office", "words"), [
    ({"NAME": "x", "MAP_URL": "javascript:alert(1)"}, "MAP_URL"),
    ({"NAME": "x", "MAP_URL": 'https://maps.example.org/"><script>'}, "MAP_URL"),
    ({"NAME": "x", "MAP": "https://maps.example.org/"}, "unknown key(s) in OFFICE: MAP"),
    ({"NAME": "x", "PHONE": 53150195}, "['PHONE'] ต้องเป็นข้อความ"),
    ({"NAME": "  "}, "['NAME']"),
    ({"NAME": "x", "EMAIL": "javascript:alert(1)//@x"}, "['EMAIL']"),
])
def test_a_wrong_office_setting_stops_the_build_naming_the_key(office, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        check_office(office_settings(**office))


def test_the_project_s_office_has_a_plain_https_map_link():
    """pelicanconf.py's own OFFICE passes its check, and its map is a link to another site, not a
    map embedded in the page."""
    import pelicanconf

    pelican = SimpleNamespace(settings={"OFFICE": dict(pelicanconf.OFFICE)})
    check_office(pelican)
    assert pelican.settings["OFFICE"]["MAP_URL"].startswith("https://")
    assert "office" in pelicanconf.PLUGINS


# ---------------------------------------------------------------------------------------------
# The built test site.

def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def visible_faq(page: BeautifulSoup) -> list[tuple[str, str]]:
    """The questions (h2) of the page's prose, each with the text shown under it."""
    entries = []
    for heading in page.select("main .prose > h2"):
        answer = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            answer.append(sibling.get_text())  # as a browser shows it: inline tags run on
        entries.append((squash(heading.get_text()), squash(" ".join(answer))))
    return entries


def structured_faq(page: BeautifulSoup) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_the_new_pages_exist_parse_and_every_footer_and_the_sitemap_link_them(site):
    for path in NEW_PAGES.values():
        text = (site / path).read_text(encoding="utf-8")
        assert html_errors(text) == [], path
        assert soup(site, path).select_one("main h1"), path
    for path in ("index.html", "sitemap/index.html", NEW_PAGES["faq"], "news/index.html"):
        footer = {a["href"] for a in soup(site, path).select("footer a")}
        assert {"/faq/", "/en/", "/contact/", "/sitemap/"} <= footer, path
    in_sitemap = {a["href"]: a for a in soup(site, "sitemap/index.html").select("main a")}
    assert {"/faq/", "/en/", "/contact/"} <= set(in_sitemap)
    assert in_sitemap["/en/"]["lang"] == "en"


def test_the_faq_structured_data_is_the_questions_and_answers_the_page_shows(site):
    page = soup(site, NEW_PAGES["faq"])
    shown = visible_faq(page)
    assert len(shown) >= 4
    topics = " ".join(question for question, _ in shown)
    for topic in ("ปฏิทิน", "ส่งข่าว", "ค้นหา", "ข้อมูลส่วนตัว"):  # subscribe, send news, search, privacy
        assert topic in topics, topic
    data = structured_faq(page)
    assert data["@type"] == "FAQPage" and data["@context"] == "https://schema.org"
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in data["mainEntity"]] == shown
    assert squash(page.h1.get_text()) == data["name"]


def test_only_the_questions_page_carries_faq_data(site):
    for path in ("about/index.html", NEW_PAGES["en"], NEW_PAGES["contact"]):
        assert not soup(site, path).find("script", type="application/ld+json"), path


def test_the_english_page_is_marked_english_and_the_site_around_it_thai(site):
    page = soup(site, NEW_PAGES["en"])
    assert page.html["lang"] == "th"
    assert page.select_one("main h1")["lang"] == "en"
    assert page.select_one("main .prose")["lang"] == "en"
    assert page.select_one("main .office")["lang"] == "en"
    assert page.find("meta", property="og:locale")["content"] == "en_US"
    links = {a["href"] for a in page.select("main .prose a")}
    assert {f"../network/{network.slug}/" for network in NETWORKS} <= links  # the 13 networks
    assert "Chiang Rai Provincial Cultural Office" in page.select_one("main .office").get_text()
    for thai_page in ("index.html", NEW_PAGES["faq"]):
        assert not soup(site, thai_page).select("main [lang=en]"), thai_page
        assert soup(site, thai_page).find("meta", property="og:locale")["content"] == "th_TH"


def test_the_contact_page_and_every_footer_give_the_office_s_address_and_a_plain_map_link(site):
    import pelicanconf

    office = pelicanconf.OFFICE
    page = soup(site, NEW_PAGES["contact"])
    block = page.select_one("main .office address")
    assert office["ADDRESS"] in squash(block.get_text())
    [map_link] = [a for a in block.find_all("a") if a["href"] == office["MAP_URL"]]
    assert map_link["rel"] == ["external"]
    assert not page.find(["iframe", "object", "embed"])
    footer = soup(site, "index.html").select_one("footer address")
    assert office["NAME"] in footer.get_text() and office["ADDRESS"] in footer.get_text()
    assert footer.find("a", href=office["MAP_URL"])
    # Nothing on these pages is loaded from another host: only links point away.
    for path in NEW_PAGES.values():
        for tag in soup(site, path).find_all(src=True):
            assert tag["src"].startswith("/"), (path, tag)


def test_the_published_faq_data_names_the_page_s_absolute_address(published_site):
    data = structured_faq(soup(published_site, NEW_PAGES["faq"]))
    assert data["url"] == "https://news.example.org/faq/"


# ---------------------------------------------------------------------------------------------
# Mistakes an officer can make in the questions page.

@pytest.mark.slow
@pytest.mark.parametrize(("body", "line", "words"), [
    ("คำนำอย่างเดียว ไม่มีหัวข้อคำถาม\n", 3, "ยังไม่มีคำถาม"),
    ("## ถามแรก\n\nตอบแรก\n\n## ถามไม่มีคำตอบ\n", 10, "'ถามไม่มีคำตอบ' ยังไม่มีคำตอบ"),
])
def test_a_broken_questions_page_stops_the_build_naming_the_file_and_line(body, line, words, content_copy,
                                                                          tmp_path, capsys):
    (content_copy / "pages" / "faq.md").write_text(
        f"Title: คำถามที่พบบ่อย\nSlug: faq\nTemplate: faq\nSummary: ทดสอบ\n\n{body}", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    expected = f"content/pages/faq.md:{line}:"
    [shown] = [row for row in report.splitlines() if expected in row]
    assert words in shown, report
    assert "Found 1 problem" in report


# ---------------------------------------------------------------------------------------------
# In Chromium: what a browser and a screen reader get.

@pytest.mark.browser
def test_in_chromium_the_new_pages_load_nothing_from_elsewhere_pass_axe_and_speak_english_where_marked(
        site, browser, serve):
    from browser import leaves_localhost, load_axe

    axe = load_axe()
    base = serve(site)
    context = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        for name, path in NEW_PAGES.items():
            page.goto(f"{base}/{path.removesuffix('index.html')}", wait_until="load")
            serious = [(violation["id"], violation["impact"]) for violation in axe.run(page).response["violations"]
                       if violation["impact"] in ("serious", "critical")]
            assert serious == [], (name, serious)
            # The language a screen reader uses for the heading and the first paragraph.
            spoken = page.evaluate("""() => ['main h1', 'main .prose p'].map(
                selector => document.querySelector(selector).closest('[lang]').lang)""")
            assert spoken == (["en", "en"] if name == "en" else ["th", "th"]), name
        page.goto(f"{base}/faq/", wait_until="load")
        data = page.evaluate("""() => JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)""")
        headings = [squash(text) for text in page.locator("main .prose h2").all_inner_texts()]
        assert [question["name"] for question in data["mainEntity"]] == headings
        assert context.cookies() == []  # the privacy page and the FAQ promise it
        assert page.evaluate("() => document.cookie") == ""
    finally:
        context.close()
    assert not [url for url in requests if leaves_localhost(url)]
