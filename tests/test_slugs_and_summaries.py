import re

import pytest

from conftest import SITE_CONTENT
from thainews import slugs
from thainews.slugs import MAX_SLUG_LENGTH, is_valid_slug, slugify_thai
from thainews.summaries import ELLIPSIS, summarize
from thainews.text import words


@pytest.fixture(autouse=True)
def test_site_lexicon():
    """Slugs as the test site's build makes them: its romanisation.txt (thainews.romanise)."""
    slugs.use_site(SITE_CONTENT, None)


LONG_TITLE = "ศูนย์คุณธรรมจับมือสำนักวัฒนธรรมจังหวัดเชียงราย และ 13 เครือข่ายคุณธรรม เคาะศูนย์ประสานงานส่งเสริมและขับเคลื่อนคุณธรรมจังหวัดเชียงราย"


@pytest.mark.parametrize("title", [LONG_TITLE, "จังหวัดเชียงรายขับเคลื่อนเครือข่ายทางสังคมให้เป็นจังหวัดคุณธรรม", "ค่า PM2.5 ที่แม่สาย", "ข่าว"])
def test_slugs_are_readable_ascii_and_short(title):
    slug = slugify_thai(title)
    assert is_valid_slug(slug), slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.isascii()


def test_slug_romanises_each_word():
    assert slugify_thai("จังหวัดเชียงราย").split("-") == ["changwat", "chiang", "rai"]  # a name of the lexicon


def test_slug_is_cut_between_words():
    slug = slugify_thai(LONG_TITLE, max_length=30)
    full = slugify_thai(LONG_TITLE, max_length=500).split("-")
    assert slug.split("-") == full[: len(slug.split("-"))]
    assert len(slug) <= 30


def test_invalid_slugs_are_recognised():
    for slug in ["ข่าว", "Has-Capitals", "two--hyphens", "-lead", "space here"]:
        assert not is_valid_slug(slug)


def test_short_text_is_its_own_summary():
    assert summarize("  ข่าวสั้น  มาก ") == "ข่าวสั้น มาก"


def test_summary_ends_between_words_with_an_ellipsis():
    paragraph = "สำนักงานวัฒนธรรมจังหวัดเชียงรายร่วมกับเครือข่ายคุณธรรมจัดกิจกรรมสวดมนต์ข้ามปี " * 10
    summary = summarize(paragraph, max_chars=100)
    assert summary.endswith(ELLIPSIS)
    kept = summary.removesuffix(ELLIPSIS)
    assert len(kept) <= 100
    # What is kept is a whole number of the paragraph's own words.
    tokens = words(paragraph[:200])
    rebuilt = ""
    for token in tokens:
        if len(rebuilt) >= len(kept):
            break
        rebuilt += token
    assert rebuilt.rstrip() == kept


def test_summary_never_ends_with_a_combining_mark():
    paragraph = "ผู้ว่าราชการจังหวัดเชียงรายมอบหมายให้วัฒนธรรมจังหวัดเป็นประธานการประชุม" * 8
    for limit in range(40, 160, 7):
        kept = summarize(paragraph, max_chars=limit).removesuffix(ELLIPSIS)
        assert paragraph.startswith(kept)
        assert not re.match(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", paragraph[len(kept):])
