"""Every mistake in an event file stops the build with a message naming file, field and fix,
in the same report (and through the same exit path) as the articles' problems."""

import pytest

from conftest import SITE_CONTENT, build, run_pelican_cli

GOOD = ("Title: ทดสอบ {name}\nStart: 2570-05-01 09:00\nEnd: 2570-05-01 12:00\nLocation: วัดทดสอบ\n"
        "District: แม่สาย\nNetworks: เครือข่ายศาสนา\n")
BODY = "\nรายละเอียดกิจกรรมทดสอบ\n"

# name: (header lines replacing GOOD's, field named in the report, words of the Thai and English messages)
CASES = {
    "end-before-start": ({"End": "2570-05-01 08:00"}, "[End]", "อยู่ก่อนวันเริ่ม", "is before Start"),
    "unknown-district": ({"District": "อำเภอเชียงดาว"}, "[District]", "ไม่รู้จักอำเภอ", "unknown district"),
    "unknown-network": ({"Networks": "เครือข่ายกีฬา"}, "[Networks]", "ไม่รู้จักเครือข่าย", "unknown network"),
    "unreadable-start": ({"Start": "1 พฤษภาคม 2570"}, "[Start]", "อ่านวันที่", "cannot read the date"),
    "impossible-end": ({"End": "2570-02-30 12:00"}, "[End]", "ไม่มีวันที่", "not a calendar date"),
    "time-and-whole-day": ({"End": "2570-05-02"}, "[End]", "ไม่มีเวลา", "has none"),
    "no-such-article": ({"Article": "no-such-story"}, "[Article]", "ไม่พบข่าวที่มี Slug 'no-such-story'", "no published article"),
    "missing-title": ({"Title": None}, "[Title]", "ไม่มี Title", "missing Title"),
    "missing-start": ({"Start": None, "End": None}, "[Start]", "ไม่มี Start", "missing Start"),
    "missing-location": ({"Location": None}, "[Location]", "ไม่มี Location", "missing Location"),
    "plain-http-link": ({"Link": "http://forms.example.org/a"}, "[Link]", "https://", "full web address"),
    "misspelt-key": ({"Organiser": "เครือข่ายศาสนา"}, "[organiser]", "หมายถึง 'Organizer'", "Did you mean 'Organizer'"),
}
DUPLICATES = ("same-slug-a", "same-slug-b")
STRAY = "pasted-event.txt"


def event_text(name: str, changes: dict) -> str:
    lines = dict(line.split(": ", 1) for line in GOOD.format(name=name).splitlines())
    for key, value in changes.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    return "".join(f"{key}: {value}\n" for key, value in lines.items()) + BODY


def add_event(content, name, text, suffix=".md"):
    path = content / "events" / "bad" / f"{name}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"content/events/bad/{name}{suffix}"


SITE_BUILDS = {"broken"}  # fixtures that build a site: the tests using them are slow (conftest.py)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One command-line build, exactly as `make html`, of the content plus every broken event."""
    import shutil


    root = tmp_path_factory.mktemp("bad-events")
    content = root / "content"
    shutil.copytree(SITE_CONTENT, content)
    shown = {name: add_event(content, name, event_text(name, changes)) for name, (changes, *_rest) in CASES.items()}
    for name in DUPLICATES:
        shown[name] = add_event(content, name, event_text(name, {"Slug": "same-slug"}))
    shown[STRAY] = add_event(content, "pasted-event", event_text("stray", {}), suffix=".txt")
    result = run_pelican_cli(content, root / "out")
    return result, shown, root


def report_line(report: str, path: str) -> str:
    return next(line for line in report.splitlines() if line.startswith(path + ":"))


def test_the_build_fails_and_publishes_nothing(broken):
    result, shown, root = broken
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert f"Found {len(shown)} problem(s)" in result.stderr, result.stderr[-3000:]
    assert f"พบปัญหา {len(shown)} จุด" in result.stderr
    assert not (root / "out" / "index.html").exists()


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_names_file_field_in_thai_and_english(broken, case):
    result, shown, _root = broken
    _changes, field, thai, english = CASES[case]
    line = report_line(result.stderr, shown[case])
    assert field in line and thai in line, line
    following = result.stderr.split(line, 1)[1].splitlines()[1]  # the English line under it
    assert english in following, following


def test_two_events_with_one_slug(broken):
    result, shown, _root = broken
    for name in DUPLICATES:
        line = report_line(result.stderr, shown[name])
        assert "[Slug]" in line and "same-slug" in line and shown[next(n for n in DUPLICATES if n != name)] in line


def test_a_file_in_events_that_is_not_markdown_is_not_ignored(broken):
    result, shown, _root = broken
    assert ".md" in report_line(result.stderr, shown[STRAY])


def test_a_missing_article_alone_fails_the_in_process_build(content_copy, tmp_path, capsys):
    shown = add_event(content_copy, "lonely", event_text("lonely", {"Article": "moralcenter-coordination-centr"}))
    with pytest.raises(SystemExit) as stopped:
        build(content_copy, tmp_path / "out")
    assert stopped.value.code == 1
    report = capsys.readouterr().err
    assert "[Article]" in report_line(report, shown)
    assert "Found 1 problem" in report and "พบปัญหา 1 จุด" in report


@pytest.mark.slow
def test_an_article_that_is_a_draft_is_a_warning_only(content_copy, tmp_path):
    (content_copy / "news" / "2567").mkdir(parents=True, exist_ok=True)
    (content_copy / "news" / "2567" / "draft.md").write_text(
        "Title: ข่าวร่าง\nDate: 2567-02-01\nStatus: draft\nSlug: draft-report\n\nร่าง\n", encoding="utf-8")
    add_event(content_copy, "early", event_text("early", {"Article": "draft-report", "Slug": "early"}))
    add_event(content_copy, "secret", event_text("secret", {"Status": "draft", "Slug": "secret-event"}))
    out = tmp_path / "out"
    build(content_copy, out)  # builds: the event links to the report once it is published
    early = (out / "events" / "early" / "index.html").read_text(encoding="utf-8")
    assert "draft-report" not in early and "ข่าวของกิจกรรมนี้" not in early
    # a draft event is checked but published nowhere
    assert not (out / "events" / "secret-event").exists()
    for path in [out / "calendar" / "index.html", out / "calendar" / "events.ics", out / "search" / "manifest.json"]:
        assert "secret" not in path.read_text(encoding="utf-8"), path


def test_make_check_lists_event_problems(content_copy, capsys):
    from newsroom import check

    shown = add_event(content_copy, "no-place", event_text("no-place", {"Location": None, "District": "เชียงใหม่"}))
    assert check.main(["--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    for field in ("[Location]", "[District]"):
        assert any(line.startswith(shown + ":") and field in line for line in out.splitlines()), field
