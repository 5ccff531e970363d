from thainews.metadata import check_metadata, youtube_video_id
from thainews.networks import NETWORKS, find_network

GOOD = {"title": "ข่าว", "date": "2566-03-01", "networks": "เครือข่ายศาสนา, media"}


def check(meta, body="เนื้อหาข่าว", kind="article"):
    source = "\n".join(f"{key.capitalize()}: {value}" for key, value in meta.items()) + "\n\n" + body
    return check_metadata("content/news/x.md", source, meta, body, kind)


def test_a_good_article_has_no_problems():
    result = check(GOOD)
    assert result.problems == []
    assert result.date.year == 2023
    assert [network.slug for network in result.networks] == ["religion", "media"]


def test_thirteen_networks_with_unique_names_and_slugs():
    assert len(NETWORKS) == 13
    assert len({n.slug for n in NETWORKS}) == len({n.name for n in NETWORKS}) == 13
    for network in NETWORKS:
        assert find_network(network.name) is network
        assert find_network(network.slug.upper()) is network
        assert find_network(network.name.removeprefix("เครือข่าย")) is network


def test_every_problem_is_reported_at_once_with_field_and_line():
    meta = {"title": "", "date": "1 มีนาคม 2566", "networks": "เครือข่ายศาสนาา", "netwroks": "x"}
    problems = check(meta, body="   ").problems
    fields = sorted(problem.field for problem in problems)
    assert fields == ["", "Date", "Networks", "Title", "netwroks"]
    by_field = {problem.field: problem for problem in problems}
    assert by_field["Date"].line == 2
    assert "Networks" in by_field["netwroks"].english  # did you mean
    assert "เครือข่ายศาสนา" in by_field["Networks"].thai  # did you mean
    for problem in problems:
        assert problem.thai and problem.english and problem.path == "content/news/x.md"


def test_missing_date_is_named():
    problems = check({"title": "ข่าว"}).problems
    assert [(p.field, "Date" in p.english) for p in problems] == [("Date", True)]


def test_pages_need_no_date_but_reject_article_fields():
    assert check({"title": "เกี่ยวกับเรา", "slug": "about"}, kind="page").problems == []
    problems = check({"title": "เกี่ยวกับเรา", "networks": "media"}, kind="page").problems
    assert [p.field for p in problems] == ["networks"]


def test_slug_status_image_and_link_rules():
    meta = {**GOOD, "slug": "ข่าว", "status": "publish", "image": "images/a.jpg",
            "facebook": "http://example.com/x", "youtube": "https://youtube.com/user/moralcenter"}
    fields = sorted(p.field for p in check(meta).problems)
    assert fields == ["Facebook", "Image", "Slug", "Status", "YouTube"]


def test_youtube_forms():
    for url in ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ",
                "https://youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ",
                "https://www.youtube.com/live/dQw4w9WgXcQ?si=abc", "https://m.youtube.com/watch?feature=x&v=dQw4w9WgXcQ"]:
        assert youtube_video_id(url) == "dQw4w9WgXcQ", url
    for url in ["https://youtube.com/user/moralcenter", "https://vimeo.com/123", "youtu.be/dQw4w9WgXcQ", "https://youtu.be/short"]:
        assert youtube_video_id(url) is None, url
