"""Every mistake an officer can make stops the build with a message naming file, field and fix."""

import pytest

from conftest import build, run_pelican_cli

GOOD_HEADER = "Title: x\nDate: 2566-05-01\nNetworks: เครือข่ายศาสนา\n"
BODY = "\nเนื้อหาข่าวทดสอบการตรวจสอบ\n"

# name: (file content as bytes, field named in the report, words the Thai and English messages hold)
CASES = {
    "missing-title": (b"Date: 2566-05-01\n" + BODY.encode(), "[Title]", "ไม่มี Title", "missing Title"),
    "missing-date": (b"Title: x\n" + BODY.encode(), "[Date]", "ไม่มี Date", "missing Date"),
    "unreadable-date": ("Title: x\nDate: 1 มีนาคม 2566\n".encode() + BODY.encode(), "[Date]", "อ่านวันที่", "cannot read the date"),
    "impossible-date": (b"Title: x\nDate: 2566-02-30\n" + BODY.encode(), "[Date]", "ไม่มีวันที่", "not a calendar date"),
    "unknown-network": ("Title: x\nDate: 2566-05-01\nNetworks: เครือข่ายกีฬา\n".encode() + BODY.encode(),
                        "[Networks]", "ไม่รู้จักเครือข่าย", "unknown network"),
    "misspelt-key": ((GOOD_HEADER + "Catgory: ข่าว\n" + BODY).encode(), "[catgory]", "หมายถึง 'Category'", "Did you mean 'Category'"),
    "not-utf8": ((GOOD_HEADER + BODY).encode("tis-620"), "", "UTF-8", "not UTF-8"),
    "missing-image": ((GOOD_HEADER + "Image: images/no-such-photo.jpg\nImageAlt: ภาพการประชุม\n" + BODY).encode(),
                      "[Image]", "ไม่พบไฟล์รูป", "was not found"),
    "empty-body": (GOOD_HEADER.encode() + b"\n   \n", "", "ไม่มีเนื้อหา", "no body text"),
}


def add_file(content, name, data, suffix=".md"):
    path = content / "news" / "bad" / f"{name}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Each broken file gets its own title, so that only its own mistake is reported.
    path.write_bytes(data.replace(b"Title: x\n", f"Title: ทดสอบ {name}\n".encode()))
    return f"content/news/bad/{name}{suffix}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_fails_the_build_with_its_message(case, content_copy, tmp_path, capsys):
    data, field, thai, english = CASES[case]
    shown = add_file(content_copy, case, data)
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    line = next(line for line in report.splitlines() if line.startswith(shown))
    assert field in line and thai in line, line
    assert english in report
    assert "Found 1 problem" in report and "พบปัญหา 1 จุด" in report


@pytest.mark.parametrize("second_date", ["2566-05-01", "2567-11-20"], ids=["same-month", "other-year"])
def test_two_articles_with_one_slug(second_date, content_copy, tmp_path, capsys):
    first = add_file(content_copy, "one", (GOOD_HEADER + "Slug: same-story\n" + BODY).encode())
    second = add_file(content_copy, "two", (GOOD_HEADER.replace("2566-05-01", second_date) + "Slug: same-story\n" + BODY).encode())
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    for path, other in ((first, second), (second, first)):
        line = next(line for line in report.splitlines() if line.startswith(path))
        assert line.startswith(f"{path}:4: [Slug]") and "same-story" in line and other in line, line
    # One clash, one report: the same-month pair would also share a URL; it is not told twice.
    assert "Found 2 problem(s)" in report, report


def test_a_draft_may_not_take_a_published_story_s_slug(content_copy, tmp_path, capsys):
    first = add_file(content_copy, "published", (GOOD_HEADER + "Slug: same-story\n" + BODY).encode())
    second = add_file(content_copy, "draft", (GOOD_HEADER + "Slug: same-story\nStatus: draft\n" + BODY).encode())
    with pytest.raises(SystemExit):
        build(content_copy, tmp_path / "out")
    report = capsys.readouterr().err
    for path, other in ((first, second), (second, first)):
        assert any(line.startswith(path) and "[Slug]" in line and other in line for line in report.splitlines()), report


def test_a_file_that_is_not_markdown_is_not_silently_ignored(content_copy, tmp_path, capsys):
    shown = add_file(content_copy, "pasted", (GOOD_HEADER + BODY).encode(), suffix=".txt")
    with pytest.raises(SystemExit):
        build(content_copy, tmp_path / "out")
    report = capsys.readouterr().err
    assert any(line.startswith(shown) and ".md" in line for line in report.splitlines()), report


@pytest.mark.slow
def test_the_command_line_build_lists_every_problem_and_exits_non_zero(content_copy, tmp_path):
    shown = [add_file(content_copy, case, data) for case, (data, *_rest) in CASES.items()]
    result = run_pelican_cli(content_copy, tmp_path / "out")
    assert result.returncode == 1, result.stderr[-2000:]
    for path in shown:
        assert path in result.stderr, path
    assert f"Found {len(CASES)} problem(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()  # nothing half-published


def test_the_dev_server_keeps_running_after_a_bad_save():
    from buildcore import autoreloading

    assert autoreloading(["pelican", "content", "-r", "-l"])
    assert autoreloading(["pelican", "-lr", "content"])
    assert autoreloading(["pelican", "--autoreload"])
    assert not autoreloading(["pelican", "content", "-s", "pelicanconf.py", "-o", "output"])


@pytest.mark.slow
def test_control_characters_are_removed_with_a_warning_and_the_feeds_stay_xml(content_copy, tmp_path):
    """Bytes an XML writer cannot hold (raw or as `&#7;`) never reach a page or a feed."""
    import xml.dom.minidom

    data = ("Title: ข่าวอักขระ\x07ควบคุม\x1b&#7;\nDate: 2566-05-01\nNetworks: เครือข่ายศาสนา\n\n"
            "ย่อหน้าแรก\x07ของข่าว\x7f และ &#x1b;ต่อ\n\nย่อหน้าสอง &#7; ท้าย\x0b\n").encode()
    shown = add_file(content_copy, "controls", data)
    output = tmp_path / "out"
    result = run_pelican_cli(content_copy, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith(f"{shown}:1:"))
    assert "U+0007" in line and "U+001B" in line and "5: U+0007, U+007F, U+001B" in line and "7: U+0007, U+000B" in line
    assert "อักขระควบคุม" in line and "control character" in result.stderr
    feeds = list((output / "feeds").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        xml.dom.minidom.parse(str(feed))
    atom = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "ข่าวอักขระควบคุม" in atom and "ย่อหน้าแรกของข่าว" in atom
