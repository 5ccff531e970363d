"""Sharing: meta tags and structured data in the publish build, share links, share cards,
video posters and players, cover picture sizes. The pure parts are tested on their own; the
rest on real builds (the test site, and a copy with videos and a cover picture added)."""

import io
import json
import random
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageStat

from conftest import ROOT, SITE_CONTENT, build
from thainews import card_text, cards, palette_png
from thainews.share import facebook_link_kind, json_for_script, share_links
from thainews.youtube import embed_url, facade_html, is_video_paragraph, replace_video_paragraphs, video_paragraphs

SITEURL = "https://news.example.org"
FONTS = card_text.FontFiles(str(ROOT / "theme/static/fonts/sarabun-thai-700-normal.woff2"),
                        str(ROOT / "theme/static/fonts/sarabun-latin-700-normal.woff2"))
SITE_NAME = "ข่าวจังหวัดคุณธรรมเชียงราย"

# Articles added to a copy of the test site (never to the original): (folder, file name, text).
# Quotes, an ampersand, a closing script tag and a comment: none may break the meta tags,
# the JSON-LD or the player's name.
HOSTILE_TITLE = 'เยาวชนปลูกต้นไม้ "รักษ์โลก" </script><!-- & ชมคลิป'
EXTRA_ARTICLES = {
    "video-field": ("2567", f"""Title: {HOSTILE_TITLE}
Date: 2567-06-05
Modified: 2567-06-07 10:30
Slug: video-field
Networks: เครือข่ายเด็กและเยาวชนคุณธรรม
Writer: สมหญิง ใจดี & สมศรี มีสุข
Facebook: https://www.facebook.com/MoralCenter/posts/pfbid0abc123
YouTube: https://youtu.be/dQw4w9WgXcQ

เยาวชนจากโรงเรียนในอำเภอเมืองเชียงรายร่วมปลูกต้นไม้ริมแม่น้ำกกกว่า 500 ต้น
"""),
    "video-body": ("2567", """Title: ประชุมเครือข่ายชุมชนคุณธรรมประจำปี
Date: 2567-07-01
Slug: video-body
Networks: เครือข่ายชุมชนคุณธรรม

https://www.youtube.com/watch?v=aBcDeFgHiJk&t=30s

ที่ประชุมเครือข่ายชุมชนคุณธรรมหารือแผนงานปีหน้า ชมบันทึกการประชุมได้จากวิดีโอ

<https://youtu.be/ZyXwVuTsRqP>

[ดูคลิปย้อนหลังบน YouTube](https://youtu.be/QqQqQqQqQqQ) และลิงก์ในประโยค https://youtu.be/RrRrRrRrRrR ยังเป็นข้อความ
"""),
    "with-cover": ("2567", """Title: ถนนสายวัฒนธรรมเชียงราย
Date: 2567-08-01
Slug: with-cover
Image: images/test-cover.jpg
ImageAlt: ขบวนแห่ "ตุง" & <ช่อ> บนถนนสายวัฒนธรรม

ถนนสายวัฒนธรรมเปิดให้ชมการแสดงพื้นบ้านทุกเย็นวันเสาร์
"""),
}
COVER_ALT = 'ขบวนแห่ "ตุง" & <ช่อ> บนถนนสายวัฒนธรรม'
ARTICLE_PATHS = {
    "video-field": "news/2024/06/video-field/index.html",
    "video-body": "news/2024/07/video-body/index.html",
    "with-cover": "news/2024/08/with-cover/index.html",
}


def add_articles(content: Path) -> None:
    for name, (folder, text) in EXTRA_ARTICLES.items():
        (content / "news" / folder).mkdir(parents=True, exist_ok=True)
        (content / "news" / folder / f"{name}.md").write_text(text, encoding="utf-8")
    # A camera-sized photo with detail, so that the copies are real work.
    photo = Image.radial_gradient("L").resize((2400, 1600)).convert("RGB")
    photo = Image.merge("RGB", (photo.getchannel(0), photo.getchannel(1).transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                Image.effect_noise((2400, 1600), 40)))
    (content / "images").mkdir(exist_ok=True)
    photo.save(content / "images" / "test-cover.jpg", quality=90)


@pytest.fixture(scope="module")
def extra_site(build_test_site) -> Path:
    """The publish build of the test site plus the articles above."""
    return build_test_site("sharing", prepare=add_articles, config="publishconf.py", SITEURL=SITEURL)


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITEURL + "/"), url
    return site / url.removeprefix(SITEURL + "/")


def structured_data(page: BeautifulSoup) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


# ---------------------------------------------------------------------------- pure functions

def test_lines_are_filled_greedily_between_words():
    tokens = ["aaa", " ", "bb", " ", "cccc", " ", "d"]
    assert card_text.break_lines(tokens, len, 7) == (["aaa bb", "cccc d"], False)
    assert card_text.break_lines(tokens, len, 100) == (["aaa bb cccc d"], False)


def test_a_very_long_title_gets_three_lines_and_an_ellipsis():
    words = ["ข่าว", "จังหวัด", "เชียงราย", "คุณธรรม"] * 12
    lines, cut = card_text.break_lines(words, len, 20)
    assert cut and len(lines) == 3
    assert lines[-1].endswith("…") and len(lines[-1]) <= 20
    assert all(len(line) <= 20 for line in lines)
    # whole words only: the last line is words from the list, then the ellipsis
    assert "".join(lines).removesuffix("…") == "".join(words)[:len("".join(lines)) - 1]
    assert lines[-1].removesuffix("…").endswith(("ข่าว", "จังหวัด", "เชียงราย", "คุณธรรม"))


def test_a_word_wider_than_a_line_is_cut_between_characters_not_marks():
    lines, cut = card_text.break_lines(["ที่น้ำ" * 6], len, 5)
    assert cut and len(lines) == 3
    for line in lines:
        assert line[0] not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # no line starts with a mark


def test_thai_titles_break_at_word_boundaries_and_keep_punctuation_attached():
    from thainews.text import words

    title = "ศูนย์คุณธรรมจับมือสำนักวัฒนธรรมจังหวัดเชียงราย (องค์การมหาชน) เคาะศูนย์ประสานงาน"
    lines, cut = card_text.wrap_words(title, len, 24, max_lines=6)
    assert not cut and "".join(lines).replace(" ", "") == title.replace(" ", "")
    boundaries, position = {0}, 0
    for token in words(title):
        position += len(token)
        boundaries.add(position)
    position = 0
    for line in lines:
        start = title.index(line, position)
        assert start in boundaries and start + len(line) in boundaries, line
        position = start + len(line)
    assert not any(line.startswith(")") or line.endswith("(") for line in lines)


def test_json_for_script_cannot_close_the_script_element():
    data = {"headline": "</script><script>alert(1)</script> <!-- & \u2028"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize("unsafe", ["<", ">", "&", "\u2028", "\u2029"])
def test_json_for_script_escapes_each_unsafe_character_even_alone(unsafe):
    data = {"headline": f"ข่าว{unsafe}ภาพ"}
    text = json_for_script(data)
    assert unsafe not in text and json.loads(text) == data
    assert json_for_script({"headline": "ข่าวภาพ"}) == '{"headline":"ข่าวภาพ"}'


def test_share_links_are_plain_links_with_encoded_url_and_title():
    links = dict((key, href) for key, _name, href in share_links("https://news.example.org/news/a b/", "ข่าว & ภาพ"))
    assert links["facebook"] == "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnews.example.org%2Fnews%2Fa%20b%2F"
    assert links["line"] == "https://social-plugins.line.me/lineit/share?url=https%3A%2F%2Fnews.example.org%2Fnews%2Fa%20b%2F"
    assert links["x"].startswith("https://x.com/intent/post?url=https%3A%2F%2Fnews.example.org")
    assert links["x"].endswith("&text=%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7%20%26%20%E0%B8%A0%E0%B8%B2%E0%B8%9E")


def test_facebook_posts_and_pages_are_told_apart():
    assert facebook_link_kind("https://www.facebook.com/MoralCenter") == "page"
    for url in ("https://www.facebook.com/MoralCenter/posts/pfbid0abc", "https://fb.watch/abcDEF/",
                "https://www.facebook.com/permalink.php?story_fbid=1&id=2", "https://www.facebook.com/share/p/1AbC/"):
        assert facebook_link_kind(url) == "post", url


def test_paragraphs_that_are_only_a_video_link_are_found():
    html = (
        "<p>https://www.youtube.com/watch?v=aBcDeFgHiJk&amp;t=30s</p>\n"
        '<p><a href="https://youtu.be/ZyXwVuTsRqP">https://youtu.be/ZyXwVuTsRqP</a></p>\n'
        '<p> <a href="https://youtube.com/shorts/QqQqQqQqQqQ">https://youtube.com/shorts/QqQqQqQqQqQ</a> </p>\n'
        '<p><a href="https://youtu.be/RrRrRrRrRrR">ดูคลิป</a></p>\n'  # a link with words stays a link
        "<p>ดูที่ https://youtu.be/SsSsSsSsSsS</p>\n"  # a URL inside a sentence stays text
        "<p>https://youtube.com/user/moralcenter</p>\n"  # a channel, not a video
    )
    assert [p.video_id for p in video_paragraphs(html)] == ["aBcDeFgHiJk", "ZyXwVuTsRqP", "QqQqQqQqQqQ"]
    replaced = replace_video_paragraphs(html, lambda index, paragraph: f"[{index}:{paragraph.video_id}]")
    assert replaced.startswith("[0:aBcDeFgHiJk]\n[1:ZyXwVuTsRqP]\n[2:QqQqQqQqQqQ]\n")
    assert "ดูคลิป" in replaced and "SsSsSsSsSsS" in replaced
    assert is_video_paragraph("<p>https://youtu.be/ZyXwVuTsRqP</p>")
    assert not is_video_paragraph("<p>ข่าว https://youtu.be/ZyXwVuTsRqP</p>")


def test_the_facade_is_a_plain_link_that_loads_nothing_from_youtube():
    html = facade_html("dQw4w9WgXcQ", 'ชื่อ "วิดีโอ" <ทดสอบ>', "/images/video/x.png", (1280, 720))
    page = BeautifulSoup(html, "html.parser")
    link = page.find("a", class_="video-facade")
    assert link["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert link["data-video-title"] == 'ชื่อ "วิดีโอ" <ทดสอบ>'
    assert 'ชื่อ "วิดีโอ" <ทดสอบ>' in link.get_text()  # the link's accessible name names the video
    assert [img["src"] for img in page.find_all("img")] == ["/images/video/x.png"]
    assert "youtube-nocookie" not in html and "<iframe" not in html and "<script" not in html
    assert embed_url("dQw4w9WgXcQ") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"


# ---------------------------------------------------------------------------- drawings

def test_a_card_is_1200x630_not_blank_and_differs_per_title():
    first = cards.draw_card("เครือข่ายเด็กและเยาวชนคุณธรรมปลูกต้นไม้ที่แม่สาย", SITE_NAME, FONTS).convert("RGB")
    second = cards.draw_card("ประชุมเครือข่ายชุมชนคุณธรรมประจำปี 2567", SITE_NAME, FONTS).convert("RGB")
    assert first.size == second.size == (1200, 630)
    assert first.tobytes() != second.tobytes()
    assert max(ImageStat.Stat(first).stddev) > 30  # not one flat colour
    headline = first.crop((72, 120, 1128, 400)).convert("L")  # where the headline is drawn
    low, high = headline.getextrema()
    assert high - low > 150  # dark text on the light paper
    dark = sum(headline.histogram()[:100]) / (headline.width * headline.height)
    assert 0.03 < dark < 0.6  # some text, not a filled block
    band = first.crop((0, 480, 1200, 630)).convert("RGB")  # the brand band with the name
    assert max(ImageStat.Stat(band).stddev) > 20


def test_drawings_are_byte_identical_for_the_same_input():
    title = "ผู้ใหญ่บ้านที่น้ำใจดี ปลูกต้นไม้ 2567"
    assert palette_png.png_bytes(cards.draw_card(title, SITE_NAME, FONTS)) == palette_png.png_bytes(cards.draw_card(title, SITE_NAME, FONTS))
    assert cards.card_png(title, SITE_NAME, FONTS) == cards.card_png(title, SITE_NAME, FONTS)  # what the build writes
    assert cards.poster_png(title, SITE_NAME, FONTS) == cards.poster_png(title, SITE_NAME, FONTS)
    data = palette_png.png_bytes(cards.draw_poster(title, SITE_NAME, FONTS))
    poster = Image.open(io.BytesIO(data))
    assert poster.size == (1280, 720) and poster.format == "PNG"
    assert not (set(poster.info) - {"transparency"})  # no text chunks, no time stamp


def test_a_card_has_the_same_bytes_whatever_was_drawn_before():
    """Words are drawn once and copied after (card_text._piece_mask): a card must not depend on
    what the process drew before it (cards are drawn in any order, in any worker)."""
    title = "ผู้ใหญ่บ้านที่น้ำใจดี ร่วมปลูกต้นไม้ ประจำปี 2567 ณ โรงเรียนบ้านแม่สาย"
    card_text._piece_mask.cache_clear()
    card_text._length.cache_clear()
    first = cards.card_png(title, SITE_NAME, FONTS)
    for other in ("โรงเรียนบ้านแม่สายปลูกต้นไม้ 2567", "ใจดี น้ำใจ ผู้ใหญ่บ้าน", "ประจำปี ณ ร่วม"):
        cards.card_png(other, SITE_NAME, FONTS)
    assert cards.card_png(title, SITE_NAME, FONTS) == first


def _card_digest(title: str) -> str:
    import hashlib

    return hashlib.sha256(cards.card_png(title, SITE_NAME, FONTS)).hexdigest()


@pytest.mark.slow
def test_cards_drawn_by_workers_in_any_order_have_the_same_bytes():
    """The build draws cards in two workers, in whatever order the pages come: each card's
    bytes must not depend on what its worker drew before (ISA-L's levels 1 to 3 failed this:
    about 1 card in 250 came out with other bytes for the same pixels)."""
    import sys

    from thainews import parallel

    sys.path.insert(0, str(ROOT / "bench"))
    import build_bench  # the benchmark's headlines: real words of the test site, as many as a big site's

    chance, vocabulary = random.Random(20230301), build_bench.thai_vocabulary(SITE_CONTENT / "news")
    titles = [build_bench.headline(chance, vocabulary, number) for number in range(4000)]
    with parallel.Workers(2) as workers:
        forwards = list(workers.map(_card_digest, titles, chunksize=16))
    with parallel.Workers(2) as workers:
        backwards = list(workers.map(_card_digest, titles[::-1], chunksize=7))[::-1]
    differ = [title for title, one, other in zip(titles, forwards, backwards, strict=True) if one != other]
    assert differ == []


def test_words_drawn_one_by_one_look_like_the_line_drawn_whole():
    from PIL import ImageChops, ImageDraw

    title = "เยาวชนคุณธรรม “ร่วมใจ” ปลูกป่าชายเลน 1,500 ต้น ณ บ้านแม่สาย อำเภอแม่สาย จังหวัดเชียงราย"
    font, lines = card_text.fit_text(FONTS, title, 1056, (70, 62, 54), 3)
    assert len(lines) > 1 and all(isinstance(line, list) for line in lines)
    pieces, whole = Image.new("L", (1120, 400), 0), Image.new("L", (1120, 400), 0)
    for number, line in enumerate(lines):
        baseline = 90 + number * font.size * 1.42
        font.draw_pieces(pieces, (20, baseline), line)
        font.draw(ImageDraw.Draw(whole), (20, round(baseline)), "".join(line), fill=255)
    difference = ImageStat.Stat(ImageChops.difference(pieces, whole)).mean[0]
    assert ImageStat.Stat(whole).mean[0] > 10  # there is text to compare
    assert difference < 1.5, difference  # measured 0.4; one pixel off gives 5.9: the same text in the same places, to a fraction of a pixel


def test_thai_marks_are_shaped_when_raqm_is_there():
    if not card_text.layout_engine()[1]:
        pytest.skip("Pillow has no libraqm here (needs the system's libfribidi): cards use the basic layout")
    from PIL import ImageFont

    shaped = cards.draw_card("ที่น้ำ", SITE_NAME, FONTS)
    basic = cards.draw_card("ที่น้ำ", SITE_NAME, FONTS, engine=ImageFont.Layout.BASIC)
    assert shaped.tobytes() != basic.tobytes()  # marks moved into place by HarfBuzz


def _png_parts(data: bytes) -> tuple[list[bytes], bytes]:
    """The chunk types of a PNG file, each CRC checked, and its zlib stream decompressed (which
    checks the stream's Adler-32)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, stream, position = [], b"", 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        assert struct.unpack(">I", data[position + 8 + length:position + 12 + length])[0] == zlib.crc32(kind + body)
        kinds.append(kind)
        stream += body if kind == b"IDAT" else b""
        position += 12 + length
    inflater = zlib.decompressobj()
    rows = inflater.decompress(stream)
    assert inflater.eof and not inflater.unused_data
    return kinds, rows


@pytest.mark.parametrize("title", ["", "ข่าวสั้น", "ประชุมเครือข่ายชุมชนคุณธรรมประจำปี 2567 ที่ศาลากลางจังหวัดเชียงราย",
                                   "ที่น้ำ" * 40, "Moral Province (2024): “ข่าว” 100% AVATAR"])
def test_the_card_and_poster_files_hold_exactly_the_drawn_pixels(title):
    # The build writes card_png/poster_png, which compress only the rows with text and reuse
    # the rest: the file must decode, strictly, to the very image draw_card/draw_poster give.
    for image, data in ((cards.draw_card(title, SITE_NAME, FONTS), cards.card_png(title, SITE_NAME, FONTS)),
                        (cards.draw_poster(title or "วิดีโอ", SITE_NAME, FONTS), cards.poster_png(title or "วิดีโอ", SITE_NAME, FONTS))):
        kinds, rows = _png_parts(data)
        assert kinds[:2] == [b"IHDR", b"PLTE"] and kinds[-1] == b"IEND" and set(kinds[2:-1]) == {b"IDAT"}
        width = image.width
        pixels = image.tobytes()
        assert rows == b"".join(b"\0" + pixels[start:start + width] for start in range(0, len(pixels), width))
        decoded = Image.open(io.BytesIO(data))
        assert decoded.mode == "P" and decoded.size == image.size and not decoded.info
        assert decoded.getpalette() == image.getpalette() and decoded.tobytes() == pixels


def test_adler32_of_joined_pieces():
    rng = random.Random(1)
    for first_length, second_length in ((0, 0), (0, 5), (7, 0), (1, 1), (1000, 70000), (200000, 300000)):
        first, second = rng.randbytes(first_length), bytes([255]) * second_length
        assert palette_png._adler32_join(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(first + second)


# ---------------------------------------------------------------------------- the publish build

REQUIRED_PROPERTIES = ("og:title", "og:description", "og:url", "og:image", "og:image:width", "og:image:height",
                       "og:image:alt", "og:type", "og:locale", "og:site_name", "twitter:card", "twitter:title",
                       "twitter:description", "twitter:image", "twitter:image:alt")


def articles_of(site: Path) -> list[Path]:
    pages = sorted(site.glob("news/*/*/*/index.html"))
    assert pages
    return pages


def test_every_article_head_has_open_graph_twitter_and_canonical_with_absolute_urls(published_site):
    for path in articles_of(published_site):
        page = soup(published_site, str(path.relative_to(published_site)))
        head = page.find("head")
        for key in REQUIRED_PROPERTIES:
            assert meta(head, key), f"{path}: no {key}"
        url = f"{SITEURL}/{path.relative_to(published_site).parent.as_posix()}/"
        assert head.find("link", rel="canonical")["href"] == url
        assert meta(head, "og:url") == url
        assert meta(head, "og:type") == "article" and meta(head, "og:locale") == "th_TH"
        assert meta(head, "twitter:card") == "summary_large_image"
        assert meta(head, "og:title") == page.find("h1").get_text()
        for key in ("og:image", "twitter:image"):
            image = local(published_site, meta(head, key))
            assert image.is_file(), image
            with Image.open(image) as opened:
                assert opened.size == (int(meta(head, "og:image:width")), int(meta(head, "og:image:height"))) == (1200, 630)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", meta(head, "article:published_time"))
        assert meta(head, "article:modified_time") == meta(head, "article:published_time")  # no Modified: field


def test_every_article_has_news_article_structured_data(published_site):
    for path in articles_of(published_site):
        page = soup(published_site, str(path.relative_to(published_site)))
        data = structured_data(page)
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] == page.find("h1").get_text() and data["inLanguage"] == "th"
        assert data["datePublished"] == meta(page, "article:published_time") == data["dateModified"]
        assert data["mainEntityOfPage"]["@id"] == page.find("link", rel="canonical")["href"]
        assert data["author"] and all(author["name"] for author in data["author"])
        publisher = data["publisher"]
        assert publisher["@type"] == "Organization" and publisher["name"]
        logo = publisher["logo"]
        assert logo["@type"] == "ImageObject"
        with Image.open(local(published_site, logo["url"])) as opened:
            assert opened.size == (logo["width"], logo["height"]) and opened.format == "PNG"
        assert data["image"][0]["url"] == meta(page, "og:image")
        assert "https://www.facebook.com/MoralCenter" in publisher["sameAs"]


def test_pages_and_lists_get_the_default_share_image(published_site):
    images = set()
    for path in ("index.html", "about/index.html", "network/religion/index.html", "news/index.html", "search.html"):
        head = soup(published_site, path).find("head")
        for key in ("og:image", "og:url", "og:title", "twitter:image", "og:image:alt"):
            assert meta(head, key), f"{path}: {key}"
        assert meta(head, "og:type") == "website"
        assert not head.find("script", type="application/ld+json")
        images.add(meta(head, "og:image"))
    assert len(images) == 1
    with Image.open(local(published_site, images.pop())) as opened:
        assert opened.size == (1200, 630)


def test_articles_have_share_links_and_a_copy_box_that_works_without_javascript(published_site):
    for path in articles_of(published_site):
        page = soup(published_site, str(path.relative_to(published_site)))
        share = page.find("section", class_="share")
        url = page.find("link", rel="canonical")["href"]
        links = {a["href"]: a for a in share.find_all("a")}
        expected = {
            "https://www.facebook.com/sharer/sharer.php?u=": "Facebook",
            "https://social-plugins.line.me/lineit/share?url=": "LINE",
            "https://x.com/intent/post?url=": "X",
        }
        for prefix, name in expected.items():
            href = next(href for href in links if href.startswith(prefix))
            assert href.startswith(prefix + url.replace(":", "%3A").replace("/", "%2F"))
            assert set(links[href]["rel"]) == {"noopener", "noreferrer"}
            assert f"แชร์ไปที่ {name}" in links[href].get_text()
        assert "&text=" in next(href for href in links if href.startswith("https://x.com/"))
        box = share.find("input", id="share-url")
        assert box["value"] == url and box.has_attr("readonly")
        assert share.find("label", attrs={"for": "share-url"})
        assert share.find("button", attrs={"data-copy-from": "share-url"}).has_attr("hidden")  # shown by the script
        assert page.find("script", type="module", src=f"{SITEURL}/theme/js/sharing.js")
        # no SDK, no third-party script
        assert all(script["src"].startswith(SITEURL) for script in page.find_all("script", src=True))


def test_cross_posts_and_social_links(published_site):
    page = soup(published_site, "news/2023/03/moralcenter-coordination-centre/index.html")
    crosspost = page.find("section", class_="crosspost")
    assert crosspost.find("a", href="https://www.facebook.com/MoralCenter")
    footer = page.find("footer", class_="site-footer")
    for label, href in (("Facebook", "https://www.facebook.com/MoralCenter"), ("YouTube", "https://youtube.com/user/moralcenter")):
        link = footer.find("a", href=href)
        assert link and label in link.get_text()


# ---------------------------------------------------------------------------- videos and covers

def test_a_youtube_field_becomes_a_facade_with_a_local_poster(extra_site):
    page = soup(extra_site, ARTICLE_PATHS["video-field"])
    section = page.find("section", class_="video-section")
    link = section.find("a", class_="video-facade")
    assert link["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert link["data-video-title"] == HOSTILE_TITLE
    poster = link.find("img")
    assert poster["src"].startswith(f"{SITEURL}/images/video/dQw4w9WgXcQ-") and poster["src"].endswith(".png")
    with Image.open(local(extra_site, poster["src"])) as opened:
        assert opened.size == (1280, 720) == (int(poster["width"]), int(poster["height"]))
    # Nothing asks YouTube before play: only the Content-Security-Policy (in <head>) names the player's host.
    assert "youtube-nocookie" not in str(page.body) and not page.find("iframe")
    assert not page.find("iframe")
    crosspost = {a.get_text(): a["href"] for a in page.find("section", class_="crosspost").find_all("a")}
    assert crosspost["ดูโพสต์ข่าวนี้บน Facebook"] == "https://www.facebook.com/MoralCenter/posts/pfbid0abc123"
    assert crosspost["ดูวิดีโอข่าวนี้บน YouTube"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_the_structured_data_survives_a_hostile_title(extra_site):
    text = (extra_site / ARTICLE_PATHS["video-field"]).read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL).group(1)
    assert "<" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == HOSTILE_TITLE
    assert data["dateModified"] == "2024-06-07T10:30:00+07:00" != data["datePublished"]
    assert data["author"] == [{"@type": "Person", "name": "สมหญิง ใจดี & สมศรี มีสุข"}]
    page = BeautifulSoup(text, "html.parser")
    assert meta(page, "og:title") == HOSTILE_TITLE == meta(page, "twitter:title")
    assert meta(page, "og:image:alt") == f"{HOSTILE_TITLE} · {SITE_NAME}" == meta(page, "twitter:image:alt")
    assert meta(page, "article:modified_time") == "2024-06-07T10:30:00+07:00"


def test_video_paragraphs_in_the_story_become_facades(extra_site):
    page = soup(extra_site, ARTICLE_PATHS["video-body"])
    prose = page.find("div", class_="prose")
    facades = prose.find_all("a", class_="video-facade")
    assert [a["data-video-id"] for a in facades] == ["aBcDeFgHiJk", "ZyXwVuTsRqP"]
    assert len({a["data-video-title"] for a in facades}) == 2  # each player has its own name
    for facade in facades:
        assert local(extra_site, facade.find("img")["src"]).is_file()
    assert prose.find("a", href="https://youtu.be/QqQqQqQqQqQ", string="ดูคลิปย้อนหลังบน YouTube")  # a link stays a link
    assert "https://youtu.be/RrRrRrRrRrR" in prose.get_text()
    assert not page.find("section", class_="video-section")  # no YouTube: field
    # the summary is the first real paragraph, not the video link
    assert meta(page, "og:description").startswith("ที่ประชุมเครือข่ายชุมชนคุณธรรม")


def test_a_cover_picture_comes_in_sizes_with_webp_and_jpeg(extra_site):
    page = soup(extra_site, ARTICLE_PATHS["with-cover"])
    picture = page.find("figure", class_="cover").find("picture")
    source, img = picture.find("source"), picture.find("img")
    assert source["type"] == "image/webp"
    webp = [part.split() for part in source["srcset"].split(", ")]
    jpeg = [part.split() for part in img["srcset"].split(", ")]
    assert [width for _url, width in webp] == [width for _url, width in jpeg] == ["480w", "960w", "1440w"]
    for (url, width), kind in [*((entry, "WEBP") for entry in webp), *((entry, "JPEG") for entry in jpeg)]:
        with Image.open(local(extra_site, url)) as opened:
            assert opened.format == kind and opened.width == int(width.removesuffix("w"))
            assert opened.height == round(1600 * opened.width / 2400)
            assert "exif" not in opened.info
    assert img["sizes"] and source["sizes"] == img["sizes"]
    assert (img["width"], img["height"]) == ("960", "640") and img["alt"] == COVER_ALT
    assert img["loading"] == "eager"  # the first picture of the page
    head = page.find("head")
    assert meta(head, "og:image") == jpeg[-1][0]
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1440", "960")
    assert meta(head, "og:image:alt") == COVER_ALT and meta(head, "og:image:type") == "image/jpeg"
    # in lists the picture is small and lazy
    card = soup(extra_site, "index.html").find("img", alt=COVER_ALT)
    assert card["loading"] == "lazy" and card.find_parent("picture")


def test_the_extra_build_links_resolve(extra_site):
    from linkcheck import broken_links

    assert broken_links(extra_site, SITEURL) == []


@pytest.mark.slow
def test_drawings_are_cached_and_rebuilds_are_byte_identical(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    add_articles(content)
    cache = tmp_path / "cache"
    build(content, tmp_path / "one", CACHE_PATH=str(cache))
    drawn = {path: path.stat().st_mtime_ns for path in (cache / "sharing").rglob("*") if path.is_file()}
    assert len([path for path in drawn if path.parent.name == "video"]) == 3
    build(content, tmp_path / "two", CACHE_PATH=str(cache))
    assert {path: path.stat().st_mtime_ns for path in (cache / "sharing").rglob("*") if path.is_file()} == drawn
    # a title changed: its new card is drawn, the old one leaves the cache
    article = content / "news" / "2567" / "video-body.md"
    article.write_text(article.read_text(encoding="utf-8").replace("ประจำปี", "ประจำปี 2567"), encoding="utf-8")
    build(content, tmp_path / "three", CACHE_PATH=str(cache), PROCESSES=1)
    now = {path for path in (cache / "sharing").rglob("*") if path.is_file()}
    assert len(now - set(drawn)) == 3 and len(set(drawn) - now) == 3  # the card and two posters
    # and a build without the cache, drawing on two cores while the pages are written, gives the same bytes
    from sharing import drawings

    pools = []
    monkeypatch.setattr(drawings, "PARALLEL_FROM", 2)
    monkeypatch.setattr(drawings, "_workers_for",
                        lambda jobs, processes, real=drawings._workers_for: pools.append(real(jobs, processes)) or pools[-1])
    build(content, tmp_path / "four", CACHE_PATH=str(tmp_path / "other-cache"), PROCESSES=2)
    # the cards and posters on two cores (the one cover picture is done in this process)
    assert [workers.processes for workers in pools] == [1, 2]
    for folder in ("images/share", "images/video", "images/sizes"):
        three = {p.name: p.read_bytes() for p in (tmp_path / "three" / folder).iterdir()}
        four = {p.name: p.read_bytes() for p in (tmp_path / "four" / folder).iterdir()}
        assert three == four and three, folder


def test_unknown_or_wrong_settings_name_the_plugin_and_the_key(tmp_path):
    with pytest.raises(ValueError, match=r"sharing: unknown key\(s\) in SHARING: CARD\b"):
        build(SITE_CONTENT, tmp_path / "a", SHARING={"CARD": False})
    with pytest.raises(ValueError, match=r"sharing: SHARING\['SHARE_TARGETS'\]"):
        build(SITE_CONTENT, tmp_path / "b", SHARING={"SHARE_TARGETS": ("facebook", "myspace")})
    with pytest.raises(ValueError, match=r"sharing: SHARING\['FONT_THAI'\]"):
        build(SITE_CONTENT, tmp_path / "c", SHARING={"FONT_THAI": "fonts/OFL.txt"})
