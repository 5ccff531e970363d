"""Issue 13, points 3, 5 and 7: addresses that cannot break out of href, files that stay inside
content/, SVG that cannot run script, one slug per story. The pure checks first, then one
command-line build with every hostile input, then `make check` on the same content."""

import os
import shutil

import pytest

from conftest import SITE_CONTENT, build, run_pelican_cli
from thainews.images import image_file_problem, svg_problem
from thainews.paths import content_file, runnable_file_problem, walk_content
from thainews.urls import has_scheme, url_problem

# -------------------------------------------------------------------------------- addresses

BAD_URLS = {
    "quote-breaks-href": 'https://x.example/" onmouseover="alert(1)',
    "single-quote": "https://x.example/a'b",
    "angle-bracket": "https://x.example/<script>",
    "backtick": "https://x.example/`x`",
    "space": "https://x.example/a b",
    "tab": "https://x.example/a\tb",
    "newline": "https://x.example/a\nb",
    "javascript": "javascript:alert(1)",
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "data": "data:text/html,<b>x</b>",
    "data-base64": "data:text/html;base64,PHNjcmlwdD4=",
    "ftp": "ftp://files.example.org/a",
    "scheme-relative": "//evil.example/x",
    "no-scheme": "www.example.org/page",
    "missing-host": "https:///path",
    "empty-host": "https://",
    "no-dot-host": "https://localhost/x",
    "user-before-host": "https://www.facebook.com@evil.example/x",
    "bad-port": "https://x.example:99999/",
    "broken-ipv6": "https://[::1/",
    "backslash": "https:\\\\evil.example\\x",
}
GOOD_URLS = ("https://forms.gle/AbC123", "http://www.example.org/a?b=1&c=2#d", "HTTPS://WWW.EXAMPLE.ORG/",
             "https://ไทย.example/ข่าว?q=คุณธรรม", "https://x.example:8443/a", "https://a-b.example.co.th/")


@pytest.mark.parametrize("case", sorted(BAD_URLS))
def test_url_problem_refuses(case):
    wrong = url_problem(BAD_URLS[case])
    assert wrong is not None, case
    thai, english = wrong
    assert thai.startswith("ที่อยู่เว็บ '") and english.startswith("the address '")  # Thai first, then English


@pytest.mark.parametrize("url", GOOD_URLS)
def test_url_problem_accepts_full_web_addresses(url):
    assert url_problem(url) is None


def test_https_only_when_asked():
    assert url_problem("http://forms.example.org/a", ("https",)) is not None
    assert url_problem("https://forms.example.org/a", ("https",)) is None


def test_what_counts_as_an_address_rather_than_a_path():
    assert has_scheme("https://x.example/a.jpg") and has_scheme("data:image/png;base64,AA") and has_scheme("//x/y")
    assert not has_scheme("images/a.jpg") and not has_scheme("/images/a.jpg")


# -------------------------------------------------------------------------------- paths


@pytest.fixture
def tree(tmp_path):
    """content/images/{real.jpg, in.jpg → real.jpg, out.jpg → ../../secret.txt}, and secret.txt outside."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "real.jpg").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (content / "images" / "in.jpg").symlink_to("real.jpg")
    (content / "images" / "out.jpg").symlink_to(tmp_path / "secret.txt")
    return content


@pytest.mark.parametrize("value", ["../../etc/passwd", "../secret.txt", "images/../../secret.txt",
                                   "images/../../../etc/passwd", "images\\..\\..\\secret.txt", "images/out.jpg"])
def test_a_path_that_leaves_content_is_refused(tree, value):
    found = content_file(tree, value)
    assert isinstance(found, tuple), found
    assert "content/" in found[0] and "content/" in found[1]


def test_an_absolute_path_is_read_from_the_site_root_never_from_the_machine(tree):
    found = content_file(tree, "/etc/passwd")
    assert not isinstance(found, tuple) and found.is_relative_to(tree.resolve()) and not found.exists()
    assert isinstance(content_file(tree, "/etc/passwd", ("images",)), tuple)  # and not in images/
    assert content_file(tree, "/images/real.jpg", ("images",)) == (tree / "images" / "real.jpg").resolve()


def test_a_link_inside_content_is_fine(tree):
    assert content_file(tree, "images/in.jpg", ("images",)) == (tree / "images" / "real.jpg").resolve()
    assert content_file(tree, "./images/real.jpg", ("images",)) == (tree / "images" / "real.jpg").resolve()


def test_a_folder_that_is_a_link_out_is_refused(tree, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "photo.jpg").write_bytes(b"x")
    (tree / "images" / "linked").symlink_to(tmp_path / "elsewhere")
    assert isinstance(content_file(tree, "images/linked/photo.jpg"), tuple)


def test_walk_content_finds_links_out_and_to_nothing_once(tree, tmp_path):
    (tree / "images" / "nothing.jpg").symlink_to(tree / "images" / "gone.jpg")
    (tree / "images" / "loop").symlink_to(tree / "images")  # a loop back inside: walked once
    (tree / "images" / "outdir").symlink_to(tmp_path)
    files, outside = walk_content(tree)
    links = [link.name for link, _target in outside]
    assert links == ["nothing.jpg", "out.jpg", "outdir"], outside
    assert dict((link.name, target) for link, target in outside)["out.jpg"] == tmp_path / "secret.txt"
    names = [os.path.basename(path) for path in files]
    assert "real.jpg" in names and "in.jpg" in names and "secret.txt" not in names


def test_runnable_files_are_refused_but_documents_and_headers_are_not(tmp_path):
    for name in ("page.html", "x.HTM", "a.js", "a.mjs", "feed.xml", "a.xhtml", "a.svgz", "a.php"):
        (tmp_path / name).write_text("x", encoding="utf-8")
        assert runnable_file_problem(tmp_path / name) is not None, name
    for name in ("_headers", "report.pdf", "photo.jpg", "robots.txt", "calendar.ics"):
        (tmp_path / name).write_text("x", encoding="utf-8")
        assert runnable_file_problem(tmp_path / name) is None, name
    verification = tmp_path / "google0123456789abcdef.html"
    verification.write_text("google-site-verification: google0123456789abcdef.html\n", encoding="utf-8")
    assert runnable_file_problem(verification) is None
    verification.write_text("<script>alert(1)</script>", encoding="utf-8")
    assert runnable_file_problem(verification) is not None


# -------------------------------------------------------------------------------- SVG

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
CLEAN_SVG = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<svg {NS} {XLINK} viewBox="0 0 10 10">'
             '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
             '<style>.a { fill: url(#g); } .b { fill: url( "#g" ) }</style>'
             '<title>โลโก้</title><rect class="a" width="5" height="5" style="fill:url(#g)"/>'
             '<use xlink:href="#g"/><a href="#top"><text>x</text></a>'
             '<animate attributeName="opacity" from="0" to="1" dur="1s"/></svg>')
HOSTILE_SVG = {
    "script": f"<svg {NS}><script>alert(1)</script></svg>",
    "script-other-namespace": f'<svg {NS}><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
    "onload": f'<svg {NS} onload="alert(1)"/>',
    "onclick-inner": f'<svg {NS}><rect onclick="alert(1)"/></svg>',
    "foreign-object": f'<svg {NS}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    "iframe": f'<svg {NS}><iframe src="https://evil.example/"/></svg>',
    "embed": f'<svg {NS}><embed src="x.swf"/></svg>',
    "object": f'<svg {NS}><object data="x.html"/></svg>',
    "doctype": f"<!DOCTYPE svg><svg {NS}/>",
    "entity": f'<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg {NS}><text>&b;</text></svg>',
    "external-entity": f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg {NS}><text>&x;</text></svg>',
    "stylesheet-instruction": f'<?xml-stylesheet href="https://evil.example/a.css"?><svg {NS}/>',
    "xlink-href-out": f'<svg {NS} {XLINK}><image xlink:href="https://evil.example/track.png"/></svg>',
    "href-javascript": f'<svg {NS}><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "href-data": f'<svg {NS}><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
    "use-other-file": f'<svg {NS}><use href="other.svg#x"/></svg>',
    "style-import": f"<svg {NS}><style>@import 'https://evil.example/a.css';</style></svg>",
    "style-url": f"<svg {NS}><style>rect {{ fill: url(https://evil.example/x) }}</style></svg>",
    "style-url-cdata": f"<svg {NS}><style><![CDATA[ rect {{ background: url(//evil.example/x) }} ]]></style></svg>",
    "style-attribute-url": f'<svg {NS}><rect style="fill: url(\'https://evil.example/x\')"/></svg>',
    "fill-url-out": f'<svg {NS}><rect fill="url(https://evil.example/x#g)"/></svg>',
    "set-href": f'<svg {NS}><a href="#x"><set attributeName="href" to="https://evil.example/"/><text>x</text></a></svg>',
    "animate-xlink-href": f'<svg {NS} {XLINK}><a xlink:href="#x"><animate attributeName="xlink:href" values="https://e.example/"/></a></svg>',
    "set-onclick": f'<svg {NS}><set attributeName="onclick" to="alert(1)"/></svg>',
    "not-xml": "not a drawing",
    "html-not-svg": '<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>',
    "svg-without-namespace": "<svg><rect/></svg>",
    "cut-off": f"<svg {NS}><rect>",
}


def test_a_plain_svg_is_accepted(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text(CLEAN_SVG, encoding="utf-8")
    assert svg_problem(path) is None
    assert image_file_problem(path) is None


@pytest.mark.parametrize("case", sorted(HOSTILE_SVG))
def test_a_hostile_svg_is_refused(tmp_path, case):
    path = tmp_path / f"{case}.svg"
    path.write_text(HOSTILE_SVG[case], encoding="utf-8")
    wrong = svg_problem(path, f"images/{case}.svg")
    assert wrong is not None, case
    thai, english = wrong
    assert f"images/{case}.svg" in thai and "PNG" in thai and "export the picture as PNG" in english
    assert image_file_problem(path) is not None  # the Image: check uses it too


def test_a_link_named_svg_is_checked_as_svg(tmp_path):
    real = tmp_path / "real.png"
    real.write_text(HOSTILE_SVG["script"], encoding="utf-8")
    assert image_file_problem(real, name="images/drawing.svg") is not None


# -------------------------------------------------------------------------------- whole builds

HEADER = "Title: ทดสอบ {name}\nDate: 2567-05-01\nNetworks: เครือข่ายศาสนา\n"
BODY = "\nเนื้อหาข่าวทดสอบเส้นทางไฟล์และลิงก์\n"
EVENT = ("Title: กิจกรรม {name}\nStart: 2570-05-01 09:00\nLocation: วัดทดสอบ\nSlug: {name}\n")


def add_article(content, name, fields):
    path = content / "news" / "hostile" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(name=name) + fields + BODY, encoding="utf-8")
    return f"content/news/hostile/{name}.md"


def hostile_content(content, outside):
    """Every hostile input of the issue, each in its own file; {case: (shown path, field, words)}."""
    (content / "images").mkdir(exist_ok=True)
    secret = outside / "secret.jpg"
    secret.write_bytes(b"\xff\xd8 not really a picture, but a file of the build machine")
    (content / "images" / "link-out.jpg").symlink_to(secret)
    (content / "images" / "lonely-link.txt").symlink_to(outside / "secret.jpg")
    (content / "images" / "script.svg").write_text(HOSTILE_SVG["script"], encoding="utf-8")
    (content / "images" / "lonely.svg").write_text(HOSTILE_SVG["onload"], encoding="utf-8")
    (content / "extra" / "page.html").write_text("<script>alert(document.cookie)</script>", encoding="utf-8")
    event = content / "events" / "hostile" / "link-breaks-out.md"
    event.parent.mkdir(parents=True, exist_ok=True)
    event.write_text(EVENT.format(name="link-breaks-out")
                     + 'Link: https://x.example/" onmouseover="alert(1)\n' + "\nรายละเอียด\n", encoding="utf-8")
    # A link in the story's text: Pelican would copy the file it names, from wherever it is.
    body_link = content / "news" / "hostile" / "body-static-out.md"
    body_link.parent.mkdir(parents=True, exist_ok=True)
    body_link.write_text(HEADER.format(name="body-static-out") + "\nดู[เอกสาร]({static}../../../outside/secret.jpg)\n",
                         encoding="utf-8")
    (content / "pages" / "attach-out.md").write_text(
        "Title: แนบไฟล์\n\n![รูป]({attach}/../outside/secret.jpg)\n", encoding="utf-8")
    for name, start in (("event-slug-a", "2570-05-01 09:00"), ("event-slug-b", "2571-02-01 09:00")):
        (event.parent / f"{name}.md").write_text(EVENT.format(name="same-event").replace("2570-05-01 09:00", start)
                                                 + "\nรายละเอียด\n", encoding="utf-8")
    alt = "ImageAlt: ภาพทดสอบ\n"
    # One slug, two stories, two years apart: two URLs, so only the slug check can catch it.
    first_slug = add_article(content, "same-slug-2567", "Slug: one-slug-two-stories\n")
    later = content / "news" / "hostile" / "same-slug-2569.md"
    later.write_text(HEADER.format(name="later").replace("2567-05-01", "2569-01-15") + "Slug: one-slug-two-stories\n" + BODY,
                     encoding="utf-8")
    return {
        "event-slug-a": ("content/events/hostile/event-slug-a.md", "[Slug]", "content/events/hostile/event-slug-b.md"),
        "event-slug-b": ("content/events/hostile/event-slug-b.md", "[Slug]", "content/events/hostile/event-slug-a.md"),
        "body-static-out": ("content/news/hostile/body-static-out.md", "", "leads outside content/"),
        "page-attach-out": ("content/pages/attach-out.md", "", "leads outside content/"),
        "slug-first": (first_slug, "[Slug]", "content/news/hostile/same-slug-2569.md"),
        "slug-later": ("content/news/hostile/same-slug-2569.md", "[Slug]", first_slug),
        "event-link": ("content/events/hostile/link-breaks-out.md", "[Link]", "double quote"),
        "facebook-quote": (add_article(content, "facebook-quote", 'Facebook: https://www.facebook.com/x"><script>\n'),
                           "[Facebook]", "double quote"),
        "credit-url": (add_article(content, "credit-url", "Source: https://news.example.org/a b\n"), "[Source]", "a space"),
        "image-dot-dot": (add_article(content, "image-dot-dot", "Image: ../../etc/passwd\n" + alt), "[Image]", "'..'"),
        "image-absolute": (add_article(content, "image-absolute", "Image: /etc/passwd\n" + alt), "[Image]", "content/images/"),
        "image-link-out": (add_article(content, "image-link-out", "Image: images/link-out.jpg\n" + alt),
                           "[Image]", "outside content/"),
        "image-remote": (add_article(content, "image-remote", "Image: https://cdn.example.org/a.jpg\n" + alt),
                         "[Image]", "download it into content/images/"),
        "image-svg-script": (add_article(content, "image-svg-script", "Image: images/script.svg\n" + alt),
                             "[Image]", "<script>"),
        "static-link-out": ("content/images/link-out.jpg", "", "outside content/"),
        "static-lonely-link": ("content/images/lonely-link.txt", "", "outside content/"),
        "static-svg": ("content/images/lonely.svg", "", "onload"),
        "static-script-svg": ("content/images/script.svg", "", "<script>"),
        "static-html": ("content/extra/page.html", "", "run it as a page"),
    }


SITE_BUILDS = {"hostile"}  # fixtures that build a site: the tests using them are slow (conftest.py)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One command-line build, exactly as `make html`, of the content plus every hostile input."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(SITE_CONTENT, content)
    outside = root / "outside"
    outside.mkdir()
    cases = hostile_content(content, outside)
    result = run_pelican_cli(content, root / "out")
    return result, cases, root


def report_lines(report: str, path: str) -> list[tuple[str, str]]:
    """(the Thai line, the English line under it) of every problem reported for `path`."""
    lines = report.splitlines()
    return [(line, lines[index + 1]) for index, line in enumerate(lines) if line.startswith(path + ":")]


def test_the_hostile_build_fails_and_publishes_nothing(hostile):
    result, cases, root = hostile
    assert set(cases) == set(CASES)  # every hostile input has its test below
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert not (root / "out" / "index.html").exists()
    assert not list((root / "out").rglob("secret*")) and not list((root / "out").rglob("link-out*"))


CASES = ("body-static-out", "page-attach-out", "event-slug-a", "event-slug-b", "slug-first", "slug-later", "event-link", "facebook-quote", "credit-url", "image-dot-dot", "image-absolute", "image-link-out",
         "image-remote", "image-svg-script", "static-link-out", "static-lonely-link", "static-svg",
         "static-script-svg", "static-html")


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_input_is_named_with_file_and_field(hostile, case):
    result, cases, _root = hostile
    path, field, words = cases[case]
    found = report_lines(result.stderr, path)
    assert found, f"{path} not in the report:\n{result.stderr[-3000:]}"
    assert any((not field or f": {field} " in thai) and words in thai + english for thai, english in found), found


def test_make_check_reports_the_same_problems(tmp_path, capsys):
    from newsroom import check

    content = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, content)
    (tmp_path / "outside").mkdir()
    cases = hostile_content(content, tmp_path / "outside")
    assert check.main(["--content", str(content)]) == 1
    out = capsys.readouterr().out
    for case, (path, field, _words) in cases.items():
        assert any(line.startswith(path + ":") and field in line for line in out.splitlines()), case


def test_a_lone_static_link_out_alone_fails_the_in_process_build(content_copy, tmp_path, capsys):
    (content_copy / "images").mkdir(exist_ok=True)
    (tmp_path / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    os.symlink(tmp_path / "id_rsa", content_copy / "images" / "photo.jpg")
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    assert report_lines(report, "content/images/photo.jpg"), report
    assert "Found 1 problem" in report
    assert not (tmp_path / "out" / "images" / "photo.jpg").exists()


@pytest.mark.slow
def test_a_clean_svg_and_a_link_inside_content_are_published(content_copy, tmp_path):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "logo.svg").write_text(CLEAN_SVG, encoding="utf-8")
    (content_copy / "images" / "same-logo.svg").symlink_to("logo.svg")
    add_article(content_copy, "clean-svg", "Image: images/same-logo.svg\nImageAlt: โลโก้\n"
                "Source: https://news.example.org/story?id=1\n")
    out = tmp_path / "out"
    build(content_copy, out)
    assert (out / "images" / "logo.svg").read_text(encoding="utf-8") == CLEAN_SVG
    assert (out / "images" / "same-logo.svg").is_file()


def test_sharing_never_reads_a_cover_outside_content(content_copy, tmp_path):
    """Even called without strict_content's checks, the cover code does not read outside content/."""
    from conftest import site_settings
    from sharing.drawings import SiteDrawings

    (tmp_path / "secret.jpg").write_bytes(b"secret")
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "out.jpg").symlink_to(tmp_path / "secret.jpg")
    drawings = SiteDrawings(site_settings(content_copy, tmp_path / "out", SHARING={"CACHE": False}))
    for image in ("../secret.jpg", "images/out.jpg", "https://cdn.example.org/a.jpg", "//cdn.example.org/a.jpg"):
        assert drawings.cover(image, "alt", None) == (None, None), image
    assert not drawings.jobs


# -------------------------------------------------------------------------------- the validator

def checked_fields(meta: dict, kind: str = "article") -> dict[str, str]:
    from thainews.metadata import check_metadata

    source = "".join(f"{key}: {value}\n" for key, value in meta.items())
    result = check_metadata("x.md", source, {key.lower(): value for key, value in meta.items()}, "เนื้อหา", kind)
    return {problem.field: problem.english for problem in result.problems}


@pytest.mark.parametrize("field, value, words", [
    ("Facebook", 'https://www.facebook.com/x" onclick="alert(1)', "double quote"),
    ("Facebook", "https://www.facebook.com@evil.example/x", "no valid site name"),
    ("Facebook", "http://www.facebook.com/MoralCenter", "is not valid"),  # the stronger check on top
    ("YouTube", "https://youtu.be/dQw4w9WgXcQ'><script>", "a quote"),
    ("YouTube", "javascript:alert('https://youtu.be/dQw4w9WgXcQ')", "a quote"),
    ("Source", "https://news.example.org/<b>", "'<'"),
    ("Writer", "https://", "no valid site name"),
    ("Image", "https://cdn.example.org/photo.jpg", "download it into content/images/"),
    ("Image", "//cdn.example.org/photo.jpg", "download it into content/images/"),
    ("Image", "data:image/png;base64,iVBORw0KGgo=", "download it into content/images/"),
])
def test_every_address_field_is_checked(field, value, words):
    meta = {"Title": "ข่าว", "Date": "2567-05-01", field: value}
    if field == "Image":
        meta["ImageAlt"] = "ภาพ"
    problems = checked_fields(meta)
    assert words in problems.get(field, ""), problems


def test_plain_credits_and_good_addresses_pass():
    assert checked_fields({"Title": "ข่าว", "Date": "2567-05-01", "Source": "สำนักข่าว: NNT", "Writer": "HTTP ทีมข่าว",
                           "Facebook": "https://www.facebook.com/MoralCenter/posts/pfbid0abc",
                           "YouTube": "https://youtu.be/dQw4w9WgXcQ", "Editor": "https://news.example.org/a?b=1&c=2"}) == {}


@pytest.mark.parametrize("link, words", [
    ('https://x.example/" onmouseover="alert(1)', "double quote"),
    ("http://forms.example.org/a", "starting with https://"),
    ("javascript:alert(1)", "starting with https://"),
])
def test_an_event_link_is_checked(link, words):
    problems = checked_fields({"Title": "กิจกรรม", "Start": "2570-05-01", "Location": "วัด", "Link": link}, "event")
    assert "registration link" in problems["Link"] and words in problems["Link"], problems


def test_a_loop_of_links_is_refused_not_followed_for_ever(tree):
    (tree / "images" / "a.jpg").symlink_to("b.jpg")
    (tree / "images" / "b.jpg").symlink_to("a.jpg")
    assert isinstance(content_file(tree, "images/a.jpg", ("images",)), tuple)
    _files, outside = walk_content(tree)
    assert {"a.jpg", "b.jpg"} <= {link.name for link, _target in outside}
