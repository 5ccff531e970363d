"""The test site, built from tests/data/site/content/ into a temporary folder, checked page by page."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import SITE_CONTENT
from htmlcheck import html_errors
from thainews.networks import NETWORKS

MORALCENTER = "news/2023/03/moralcenter-coordination-centre/index.html"
PRD = "news/2020/03/chiangrai-social-networks-plan/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_article_in_content_has_a_page(site):
    sources = sorted((SITE_CONTENT / "news").rglob("*.md"))
    assert sources
    pages = list((site / "news").glob("*/*/*/index.html"))
    assert len(pages) == len(sources)
    assert (site / MORALCENTER).is_file() and (site / PRD).is_file()


def test_output_file_names_are_ascii(site):
    for path in site.rglob("*"):
        assert str(path.relative_to(site)).isascii(), path


def test_every_html_page_is_well_formed_thai_and_script_free(site):
    pages = html_pages(site)
    assert len(pages) > 30
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert html_errors(text) == [], path
        page = BeautifulSoup(text, "html.parser")
        assert page.html["lang"] == "th", path
        assert len(page.find_all("main")) == 1, path
        assert page.find("a", href="#main"), f"{path}: no skip link"
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", f"{path}: inline script"
        for tag in page.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), f"{path}: inline handler on <{tag.name}>"
            assert "style" not in tag.attrs, f"{path}: inline style on <{tag.name}>"


def test_article_shows_buddhist_era_date_with_iso_datetime(site):
    page = soup(site, MORALCENTER)
    times = page.find("article").find_all("time")
    assert any(t["datetime"] == "2023-03-01T00:00:00+07:00" and t.get_text(strip=True) == "1 มีนาคม 2566" for t in times)
    prd = soup(site, PRD)
    assert any(t["datetime"].startswith("2020-03-11") and "11 มีนาคม 2563" in t.get_text() for t in prd.find_all("time"))


def test_seed_articles_are_whole_and_clean(site):
    article = soup(site, MORALCENTER).find("article")
    text = article.get_text(" ")
    assert "ศูนย์คุณธรรมจับมือสำนักวัฒนธรรมจังหวัดเชียงราย" in article.find("h1").get_text()
    assert "moralcenter" not in article.find("h1").get_text()
    assert "ลงนามต่อไป" in text and "New Paradigm Shift" in text
    assert "????" not in text and not re.search(r"\d{4} \d{4} \d{4}", text)
    assert article.find("a", href="https://www.facebook.com/MoralCenter")
    assert article.find("a", href="https://youtube.com/user/moralcenter")
    assert "กลุ่มงานสมัชชาคุณธรรมและความร่วมมือนานาชาติ" in text  # Writer credit
    prd = soup(site, PRD).find("article").get_text(" ")
    assert "293" not in prd and "อ่าน :" not in prd
    for credit in ("ทีมข่าว สวท.เชียงราย", "สมชาย เกิงฝาก", "สวท.เชียงราย"):
        assert credit in prd


def test_summary_is_cut_between_words(site):
    from thainews.text import words

    page = soup(site, MORALCENTER)
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.endswith("…")
    kept = description.removesuffix("…")
    first_paragraph = " ".join(page.find("article").find("p", string=re.compile("มอบหมาย")).get_text().split())
    assert first_paragraph.startswith(kept)
    # the cut falls on a word boundary of the paragraph's own segmentation
    boundaries, position = set(), 0
    for token in words(first_paragraph):
        position += len(token)
        boundaries.add(position)
    assert len(kept) in boundaries or len(kept.rstrip()) + 1 in boundaries
    # the short lead of the PRD report is its own summary, whole
    prd = soup(site, PRD).find("meta", attrs={"name": "description"})["content"]
    assert prd == "เครือข่ายร่วมกันขับเคลื่อนงานส่งเสริมคุณธรรมเชิงพื้นที่และให้เกิดโมเดล เป้าหมาย เชียงรายจังหวัดคุณธรรม"


def test_each_network_has_a_page_and_the_overview_counts_them(site):
    overview = soup(site, "network/index.html")
    for network in NETWORKS:
        page = soup(site, f"network/{network.slug}/index.html")
        assert network.name in page.find("h1").get_text()
        assert overview.find("a", href=re.compile(rf"/network/{network.slug}/$")), network.slug
    religion = soup(site, "network/religion/index.html")
    links = [a["href"] for a in religion.find("main").find_all("a", href=True)]
    newest, older = links.index("/" + MORALCENTER.removesuffix("index.html")), links.index("/" + PRD.removesuffix("index.html"))
    assert newest < older  # newest first
    # networks named by an article link back to their pages
    article_links = {a["href"] for a in soup(site, MORALCENTER).find("article").find_all("a", href=True)}
    assert "/network/districts/" in article_links and "/network/agriculture/" not in article_links


def test_feeds_are_valid_xml_and_hold_the_articles(site):
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert {"all.atom.xml", "all.rss.xml", "religion.atom.xml", "religion.rss.xml"} <= {f.name for f in feeds}
    for feed in feeds:
        ET.parse(feed)
    atom = ET.parse(site / "feeds" / "all.atom.xml").getroot()
    titles = [entry.find(f"{ATOM}title").text for entry in atom.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and titles[1] == "จังหวัดเชียงรายขับเคลื่อนเครือข่ายทางสังคมให้เป็นจังหวัดคุณธรรม"
    business = ET.parse(site / "feeds" / "network" / "business.atom.xml").getroot()
    assert len(business.findall(f"{ATOM}entry")) == 2


def test_archives_use_buddhist_era_labels(site):
    assert "2566" in soup(site, "news/index.html").find("main").get_text()
    year = soup(site, "news/2023/index.html").find("main").get_text()
    assert "2566" in year and "ศูนย์คุณธรรม" in year
    assert "มีนาคม 2563" in soup(site, "news/2020/03/index.html").find("main").get_text()


def test_discovery_files(site):
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "/" + MORALCENTER.removesuffix("index.html") in locs
    assert "/network/religion/" in locs
    # A preview has no address of its own: a relative Sitemap: line is invalid, so there is none.
    assert (site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert (site / "theme" / "favicon.svg").is_file()
    assert (site / "404.html").is_file()


def test_pages_exist(site):
    for slug in ("about", "networks-about", "contact", "privacy", "accessibility", "faq", "en"):
        assert soup(site, f"{slug}/index.html").find("h1"), slug


def test_category_and_tag_urls_are_readable(site):
    for path in [*site.glob("category/*/index.html"), *site.glob("tag/*/index.html")]:
        assert re.fullmatch(r"[a-z0-9-]+", path.parent.name), path


def test_publish_build_uses_absolute_urls(published_site):
    page = soup(published_site, MORALCENTER)
    assert page.find("link", rel="stylesheet")["href"].startswith("https://news.example.org/")
    atom = ET.parse(published_site / "feeds" / "all.atom.xml").getroot()
    assert atom.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("https://news.example.org/news/")
    assert (published_site / "robots.txt").read_text() == \
        "User-agent: *\nAllow: /\nSitemap: https://news.example.org/sitemap.xml\n"


def test_same_content_gives_byte_identical_output(site, tmp_path):
    from conftest import build

    again = tmp_path / "again"
    build(SITE_CONTENT, again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_search_page_box_and_index(site):
    page = soup(site, "search.html")
    results = page.find(id="search-results")
    assert results.name == "ol" and results["data-index"].endswith("/search/manifest.json")
    assert page.find("noscript") and "JavaScript" in page.find("noscript").get_text()
    assert page.find("script", type="module", src=re.compile(r"/theme/js/search\.js$"))
    assert page.find(attrs={"role": "status"})
    for path in html_pages(site):
        form = soup(site, str(path.relative_to(site))).find("form", attrs={"role": "search"})
        assert form and form["action"].endswith("/search.html") and form.find("input", attrs={"name": "q"}), path
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == len(list(SITE_CONTENT.rglob("*.md")))
    for name in [*manifest["cards"], *manifest["shards"].values(), *(n["file"] for n in manifest["networks"])]:
        assert (site / "search" / name).is_file(), name
    for name in manifest["shards"].values():  # long postings: in the file their shard names
        for entry in json.loads((site / "search" / name).read_text(encoding="utf-8")).values():
            assert not isinstance(entry, str) or (site / "search" / entry).is_file(), entry


def test_every_category_and_tag_page_offers_its_own_feeds(site):
    """RSS and Atom for each category and each tag, beside the networks' (issue 18, point 4)."""
    pages = sorted(site.glob("category/*/index.html")) + sorted(site.glob("tag/*/index.html"))
    assert len([page for page in pages if page.parent.parent.name == "category"]) >= 1
    assert len([page for page in pages if page.parent.parent.name == "tag"]) >= 3
    for page in pages:
        html = soup(site, page.relative_to(site).as_posix())
        kind, slug = page.parent.parent.name, page.parent.name
        heads = {link["type"]: link["href"] for link in html.find_all("link", rel="alternate")
                 if f"/feeds/{kind}/" in link["href"]}
        assert heads == {"application/atom+xml": f"/feeds/{kind}/{slug}.atom.xml",
                         "application/rss+xml": f"/feeds/{kind}/{slug}.rss.xml"}, page
        listed = {a["href"] for a in html.select("ul.feeds a")}
        assert listed == set(heads.values()), page
        atom = ET.parse(site / f"feeds/{kind}/{slug}.atom.xml").getroot()
        stories = atom.findall(f"{ATOM}entry")
        assert stories and len(stories) in (len(html.select("ul.cards > li")), 30), page  # FEED_MAX_ITEMS: 30
        ET.parse(site / f"feeds/{kind}/{slug}.rss.xml")  # well-formed
    home = soup(site, "index.html")  # and every page offers the whole site's feeds
    whole = {link["href"]: link["title"] for link in home.find_all("link", rel="alternate")}
    assert whole == {"/feeds/all.atom.xml": "ข่าวจังหวัดคุณธรรมเชียงราย · ข่าวทั้งหมด (Atom)",
                     "/feeds/all.rss.xml": "ข่าวจังหวัดคุณธรรมเชียงราย · ข่าวทั้งหมด (RSS)"}


def test_the_html_sitemap_lists_every_section_network_and_feed_and_the_footer_links_to_it(site):
    """แผนผังเว็บไซต์ (issue 18, point 4): one page, linked from every page's footer."""
    path = "sitemap/index.html"
    html = (site / path).read_text(encoding="utf-8")
    assert html_errors(html) == []
    page = soup(site, path)
    links = [a["href"] for a in page.select("main a")]
    for href in ("/", "/news/", "/category/", "/tag/", "/network/", "/search.html", "/feeds/all.atom.xml",
                 "/feeds/all.rss.xml", "/sitemap.xml", "/about/", "/privacy/", "/contact/"):
        assert href in links, href
    assert len([href for href in links if re.fullmatch(r"/network/[a-z-]+/", href)]) == len(NETWORKS)
    assert any(href.startswith("/feeds/category/") for href in links)
    assert any(href.endswith(".ics") for href in links)  # the calendar to subscribe to
    for href in links:  # every link is a file of the site
        target = site / href.lstrip("/")
        assert target.is_file() or (target / "index.html").is_file(), href
    assert "/sitemap/" in {a["href"] for a in soup(site, "index.html").select("footer a")}
