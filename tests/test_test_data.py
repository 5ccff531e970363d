"""Tests and benchmarks build from their own site, never from the officers' content/ (issue 14,
point 5).

SITE_CONTENT (tests/sites.py, which tests/conftest.py and bench/ import) is
tests/data/site/content/, a frozen copy of content/ that the tests were written against: an
officer's edit to content/ must never break CI, nor change a benchmark's result or break
`make bench`. The live content/ is only checked to build (here, `make check` in
tests/test_newsroom.py, the sanitiser in tests/test_sanitize.py), and its extra/_headers is read
as the deployment policy it is.
"""

import importlib
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITE_CONTENT, run_build_command

TESTS = Path(__file__).resolve().parent
BENCH = ROOT / "bench"

# The only test modules that may read the live content/, and why. Every such line also says
# "live content" in a comment on it or just above it.
ALLOWED = {
    "test_test_data.py": "the live content builds without problems (this module)",
    "test_sanitize.py": "the sanitiser removes nothing from what officers publish today",
    "test_newsroom.py": "`make check` passes on the live content (check's default folder)",
    "browser.py": "content/extra/_headers is the deployment policy, not news: the browser tests hold the site to it",
    "test_deploy.py": "_headers, nginx.conf and pelicanconf.py carry one policy: the real _headers",
    "test_deploy_e2e.py": "the shipped _headers gives scripts the same caching as the shipped nginx block",
    "test_desk_format.py": "the desk opens and saves the officers' own files byte-identically",
}

# Ways a test reaches the live content folder: a path built from the project's root, or
# newsroom.check run without --content (it then checks the settings' PATH, content/).
LIVE = re.compile(
    r"""ROOT\s*/\s*["']content\b"""
    r"""|joinpath\(\s*["']content\b"""
    r"""|Path\(\s*["'](?:\./)?content\b"""
    r"""|os\.path\.join\([^)]*["']content["']"""
    r"""|check\.main\(\s*(?:\[\s*\])?\s*\)"""
)


def live_content_lines(folder: Path = TESTS) -> dict[str, list[tuple[int, str, bool]]]:
    """{module: [(line number, line, whether it or the line above says "live content")]} of the
    Python files in `folder` (but its data/)."""
    found: dict[str, list[tuple[int, str, bool]]] = {}
    for path in sorted(folder.rglob("*.py")):
        if "data" in path.relative_to(folder).parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if LIVE.search(line) and not line.lstrip().startswith("#"):
                said = "live content" in line or (number > 1 and "live content" in lines[number - 2])
                found.setdefault(path.relative_to(folder).as_posix(), []).append((number, line.strip(), said))
    return found


def test_no_test_reads_the_live_content_unless_allowed():
    """A new test cannot quietly depend on officers' files: it builds from SITE_CONTENT, or it is
    added to ALLOWED with the reason, and its line says "live content"."""
    found = live_content_lines()
    outside = [f"{module}:{number}: {line}" for module, hits in found.items() if module not in ALLOWED
               for number, line, _ in hits]
    assert outside == [], "use SITE_CONTENT (tests/conftest.py), not the live content/:\n" + "\n".join(outside)
    unexplained = [f"{module}:{number}: {line}" for module, hits in found.items()
                   for number, line, said in hits if not said]
    assert unexplained == [], "say why in a `# live content: ...` comment:\n" + "\n".join(unexplained)
    # The scan works, and ALLOWED holds no module that no longer needs it.
    assert set(found) == set(ALLOWED)


def test_the_guard_sees_the_usual_ways_to_the_live_content():
    # {c} stands for content and {e} for nothing, so that these lines are not hits of the scan above
    for line in ['ROOT / "{c}"', "ROOT/'{c}' / 'news'", 'ROOT / "{c}/news/2566/x.md"',
                 'ROOT.joinpath("{c}", "news")', 'Path("{c}")', 'Path("./{c}/news")',
                 'os.path.join(ROOT, "{c}")', "check.main([{e}])", "check.main({e})"]:
        assert LIVE.search(line.format(c="content", e="")), line
    for line in ['SITE_CONTENT / "news"', 'tmp_path / "{c}"', 'root / "{c}"', '"{c}/news/x.md"',
                 'check.main(["--content", str(content_copy)])', 'ROOT / "{c}s"']:
        assert not LIVE.search(line.format(c="content")), line


def test_no_benchmark_reads_the_live_content():
    """bench/ builds from SITE_CONTENT plus its synthetic articles: no exception, not even with a
    comment (a benchmark that read content/ would change its results with every officer's edit)."""
    found = live_content_lines(BENCH)
    assert found == {}, "bench/ must build from SITE_CONTENT (tests/sites.py), not the live content/:\n" + "\n".join(
        f"bench/{module}:{number}: {line}" for module, hits in found.items() for number, line, _ in hits)
    assert list(BENCH.glob("*.py")), "the scan read no benchmark"


def bench_module(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def tiny_site(tmp_path) -> Path:
    """A site that is neither content/ nor SITE_CONTENT: one story whose only Thai word is สวัสดี,
    a page no other site has."""
    content = tmp_path / "tiny-site"
    (content / "news" / "2567").mkdir(parents=True)
    (content / "news" / "2567" / "hello.md").write_text(
        "Title: สวัสดี\nDate: 2567-01-01\nNetworks: youth\n\nสวัสดี สวัสดี สวัสดี\n", encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "only-here.md").write_text("Title: หน้านี้\n\nมีที่นี่ที่เดียว\n", encoding="utf-8")
    return content


def files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def test_the_benchmarks_build_from_the_test_site(tiny_site, tmp_path, monkeypatch):
    """What prepare_content copies, and where the synthetic articles' words come from, is
    SITE_CONTENT as the benchmarks import it: swapped for a tiny site here, the copy holds that
    site and nothing else, and every synthetic body is made of its one word."""
    build_bench = bench_module("build_bench")
    search_quality = bench_module("search_quality")
    assert build_bench.SITE_CONTENT == search_quality.SITE_CONTENT == SITE_CONTENT  # one definition
    monkeypatch.setattr(build_bench, "SITE_CONTENT", tiny_site)
    monkeypatch.setattr(search_quality, "SITE_CONTENT", tiny_site)

    content = build_bench.prepare_content(tmp_path / "bench", 5, build_bench.DEFAULT_SEED)
    synthetic = sorted((content / "news" / "synthetic").rglob("*.md"))
    assert len(synthetic) == 5
    assert files_under(content) - {f"news/{path.relative_to(content / 'news').as_posix()}" for path in synthetic} \
        == files_under(tiny_site)
    for path in synthetic:
        body = build_bench.article_body(path)
        assert body.strip() and set(body.replace("สวัสดี", "").split()) == set(), path.name

    content = search_quality.prepare_content(tmp_path / "quality")
    assert {name for name in files_under(content) if not name.startswith("news/eval/")} == files_under(tiny_site)


def test_the_test_site_is_a_whole_site():
    """What the tests read: stories, activities, the footer's pages, the lexicon, the headers file."""
    assert SITE_CONTENT.is_dir() and SITE_CONTENT.is_relative_to(ROOT / "tests" / "data")
    assert list((SITE_CONTENT / "news").rglob("*.md")) and list((SITE_CONTENT / "events").glob("*.md"))
    for page in ("about", "accessibility", "contact", "privacy", "faq", "en"):
        assert (SITE_CONTENT / "pages" / f"{page}.md").is_file(), page
    assert (SITE_CONTENT / "lexicon.txt").is_file() and (SITE_CONTENT / "extra" / "_headers").is_file()


@pytest.mark.slow
def test_the_live_content_builds_without_problems(tmp_path):
    """`make publish` of what officers have written today: no error stops it (warnings may be
    printed; they do not stop a publish). No story is named: the content is theirs to change."""
    # live content on purpose: the one build of the real content/, to check it builds; a copy of
    # it, so that the build writes no record of given slugs (content/slugs.json) into the repository
    content = shutil.copytree(ROOT / "content", tmp_path / "content")  # live content, copied
    result = run_build_command("publish", content, tmp_path / "output", "-s", str(ROOT / "publishconf.py"),
                               "--fatal", "errors", env={"SITEURL": "https://news.example.org"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert list((tmp_path / "output").rglob("index.html"))
