"""Lists with more articles than fit on one page: networks, home, archives; and drafts."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_CONTENT, build

SITE_BUILDS = {"busy_site"}  # fixtures that build a site: the tests using them are slow (conftest.py)


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory):
    """The test site plus 30 stories of the youth network, one a day, and one draft."""
    import shutil


    root = tmp_path_factory.mktemp("busy")
    content = root / "content"
    shutil.copytree(SITE_CONTENT, content)
    for day in range(1, 31):
        (content / "news" / "2567" / f"youth-{day}.md").parent.mkdir(parents=True, exist_ok=True)
        (content / "news" / "2567" / f"youth-{day}.md").write_text(
            f"Title: เยาวชนจิตอาสาทำความดีวันที่ {day}\nDate: 2567-04-{day:02d}\n"
            f"Networks: youth\nTags: จิตอาสา\n\nเยาวชนเชียงรายร่วมกันทำความดีครั้งที่ {day}\n",
            encoding="utf-8",
        )
    (content / "news" / "2567" / "draft.md").write_text(
        "Title: ข่าวที่ยังไม่เผยแพร่\nDate: 2567-05-01\nStatus: draft\n\nร่างข่าว\n", encoding="utf-8")
    build(content, root / "out")
    return root / "out"


def titles(page_path):
    page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    return [a.get_text(" ", strip=True) for a in page.find("main").find_all("a", href=re.compile(r"^/news/\d{4}/\d{2}/.+/$"))]


def test_network_pages_are_paginated_newest_first(busy_site):
    first = titles(busy_site / "network" / "youth" / "index.html")
    second = titles(busy_site / "network" / "youth" / "page" / "2" / "index.html")
    third = titles(busy_site / "network" / "youth" / "page" / "3" / "index.html")
    assert "เยาวชนจิตอาสาทำความดีวันที่ 30" in first[0]
    assert any(t.endswith("วันที่ 1") for t in third)  # the oldest is on the last page
    assert not set(first) & set(second)
    assert (busy_site / "network" / "youth" / "page" / "3" / "index.html").is_file()
    assert not (busy_site / "network" / "youth" / "page" / "4").exists()


def test_home_page_is_paginated(busy_site):
    assert (busy_site / "page" / "2" / "index.html").is_file()


def test_related_articles_share_tags_or_networks(busy_site):
    article_pages = sorted((busy_site / "news" / "2024" / "04").glob("*/index.html"))
    assert len(article_pages) == 30
    page = BeautifulSoup(article_pages[0].read_text(encoding="utf-8"), "html.parser")
    related = page.find(attrs={"aria-labelledby": "related-heading"})
    assert related is not None
    assert all("เยาวชน" in a.get_text() for a in related.find_all("a", href=re.compile(r"^/news/")))


def test_drafts_are_not_published_in_lists(busy_site):
    for feed in (busy_site / "feeds").rglob("*.xml"):
        assert "ข่าวที่ยังไม่เผยแพร่" not in feed.read_text(encoding="utf-8")
    assert "ข่าวที่ยังไม่เผยแพร่" not in (busy_site / "index.html").read_text(encoding="utf-8")


def test_quick_period_archives_are_pelicans_own():
    """quick_lists fills the period archives' `articles` in one pass: the same lists, in the same
    order, as Pelican's own `[a for a in articles if a in dates]`."""
    from datetime import datetime
    from functools import partial
    from types import SimpleNamespace

    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    from quick_lists.quick_lists import quick_period_archives

    stories = [SimpleNamespace(date=datetime(2020 + n % 3, 1 + n % 12, 1 + n % 27), n=n) for n in range(120)]
    settings = {**DEFAULT_CONFIG, "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html", "YEAR_ARCHIVE_URL": "{date:%Y}/",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html", "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
                "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html", "DAY_ARCHIVE_URL": ""}
    by_date = sorted(stories, key=lambda story: story.date, reverse=True)
    articles = stories[::2] + stories[1::2]  # an order of their own, which the archives keep
    pelicans = ArticlesGenerator._build_period_archives(None, by_date, articles, settings)
    ours = quick_period_archives(partial(ArticlesGenerator._build_period_archives, None), by_date, articles, settings)
    assert set(ours) == set(pelicans) == {"year", "month", "day"}
    for granularity, archives in pelicans.items():
        assert len(ours[granularity]) == len(archives) > 1
        for mine, theirs in zip(ours[granularity], archives, strict=True):
            assert [a.n for a in mine["articles"]] == [a.n for a in theirs["articles"]]
            assert {key: value for key, value in mine.items() if key != "articles"} == \
                {key: value for key, value in theirs.items() if key != "articles"}
