"""The benchmarks build with the settings they say they use.

Pelican keeps only the last `-e` option of a command line, so a benchmark that passed its cache
folder in one `-e` and its plugins in another built with the repository's warm cache without a
word, and measured the wrong thing. These tests read the benchmark commands with Pelican's own
argument parser.
"""

import sys
from pathlib import Path

import pytest
from pelican import parse_arguments

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import build_bench  # noqa: E402
import gallery_bench  # noqa: E402
import lighthouse_bench  # noqa: E402
import search_quality  # noqa: E402
import slug_bench  # noqa: E402


def settings_of(command: list[str]):
    return parse_arguments(command[1:])  # command[0] is the pelican executable


def test_search_bench_builds_use_their_own_cache_and_plugins(tmp_path):
    cache = tmp_path / "cache"
    args = settings_of(search_quality.ours_command(tmp_path / "content", tmp_path / "out", cache, ["sharing"]))
    assert args.cache_path == str(cache)
    assert args.overrides == {"PLUGINS": ["sharing"]}
    args = settings_of(search_quality.ours_command(tmp_path / "content", tmp_path / "out", cache))
    assert args.cache_path == str(cache)
    assert "PLUGINS" not in args.overrides and "CACHE_PATH" not in args.overrides


def test_build_bench_builds_use_their_own_cache_and_plugins(tmp_path):
    builds = {build.name: build for build in build_bench.plan_builds(tmp_path, tmp_path / "content", None)}
    assert list(builds) == ["plain", "plain-again", "foundation", "ours", "ours-warm", "ours-again"]
    for name in ("foundation", "ours", "ours-warm", "ours-again"):
        args = settings_of(builds[name].command)
        assert args.cache_path == str(builds[name].cache), name
        assert Path(args.cache_path).is_relative_to(tmp_path), name  # never the repository's cache/
    assert settings_of(builds["foundation"].command).overrides == {"PLUGINS": build_bench.FOUNDATION_PLUGINS}
    assert settings_of(builds["ours"].command).cache_path == settings_of(builds["ours-warm"].command).cache_path
    # the everyday rebuilds: into the output of the first build of their kind, kept; each paired with its own kind
    assert builds["ours-again"].output == builds["ours"].output and builds["ours-again"].keep_output
    assert builds["plain-again"].output == builds["plain"].output and builds["plain-again"].keep_output
    assert builds["plain-again"].command == builds["plain"].command
    assert not builds["ours-warm"].keep_output and builds["ours-warm"].output != builds["ours"].output
    assert build_bench.BASELINE == {"ours-again": "plain-again"}


def test_build_bench_ratios_pair_each_build_with_the_plain_build_of_its_round():
    def run(wall):
        return build_bench.Run(wall=wall, cpu=wall, peak_rss_mb=100.0, files=10)

    plain = [run(30.0), run(40.0), run(30.0)]  # the machine slowed down in round 2
    ours = [run(33.0), run(44.0), run(36.0)]
    assert build_bench.round_ratios(ours, plain) == [1.1, 1.1, 1.2]
    assert build_bench.paired(ours, plain) == "1.10 (1.10, 1.10, 1.20)"
    assert build_bench.paired(ours[:1], plain[:1]) == "1.10"
    assert build_bench.paired(ours, None) == "n/a"  # --only without plain
    summaries = {"plain": build_bench.summarize(plain), "ours": build_bench.summarize(ours)}
    row = build_bench.table(summaries, {"plain": plain, "ours": ours}).splitlines()[3]
    assert "| 1.10 (1.10, 1.10, 1.20) |" in row and "| 1.20 |" in row  # medians: 36 / 30
    plain_again = [run(20.0), run(22.0), run(18.0)]
    again = [run(18.0), run(22.0), run(19.8)]
    every = {"plain": plain, "plain-again": plain_again, "ours-again": again}
    rows = build_bench.table({name: build_bench.summarize(runs) for name, runs in every.items()}, every).splitlines()
    assert "| 1.00 (0.90, 1.00, 1.10) |" in rows[4]  # ours-again over plain-again of its round, not over plain


def test_gallery_bench_pairs_each_rebuild_with_its_first_build_and_makes_distinct_camera_photos(tmp_path):
    import io

    from PIL import Image


    args = gallery_bench.parse_args(["--stories", "2", "--photos", "3", "--distinct", "2", "--size", "64x48"])
    without, with_photos, photos = gallery_bench.prepare(tmp_path, args)
    assert photos == 6
    stories = sorted((with_photos / "news" / "synthetic").rglob("*.md"))
    assert len(stories) == 2 and all("\nPhotos: images/bench-photos/" in path.read_text(encoding="utf-8")
                                      for path in stories)
    assert not any("Photos:" in path.read_text(encoding="utf-8") for path in (without / "news").rglob("*.md"))
    assert not (without / "images" / "bench-photos").exists()
    files = sorted((with_photos / "images" / "bench-photos").rglob("*.jpg"))
    assert len({path.read_bytes() for path in files}) == 6  # copies are named by content: all different
    with Image.open(io.BytesIO(files[0].read_bytes())) as image:
        assert image.size == (64, 48) and image.getexif().get_ifd(0x8825)  # a GPS position, as a phone's
    builds = {build.name: build for build in gallery_bench.plan_builds(tmp_path, without, with_photos)}
    assert list(builds) == list(gallery_bench.ROUND)
    for name in ("without", "with"):
        cold, warm = settings_of(builds[name].command), settings_of(builds[f"{name}-warm"].command)
        again = settings_of(builds[f"{name}-again"].command)
        assert cold.cache_path == warm.cache_path == again.cache_path and Path(cold.cache_path).is_relative_to(tmp_path)
        assert not builds[name].warm and builds[f"{name}-warm"].warm and builds[f"{name}-again"].warm
        # `make html` again: into the first build's output, kept; the publish rebuild: an emptied folder of its own
        assert builds[f"{name}-again"].output == builds[name].output and builds[f"{name}-again"].keep_output
        assert builds[f"{name}-warm"].output != builds[name].output and not builds[f"{name}-warm"].keep_output
        # both rebuilds run once unmeasured first (the first build's disk traffic is not theirs); nothing else
        assert [build.name for build in builds.values() if build.warmup] == ["without-again", "with-again"]
    assert settings_of(builds["without"].command).cache_path != settings_of(builds["with"].command).cache_path


def test_a_build_into_a_kept_output_finds_what_the_last_build_left(tmp_path):
    import sys

    logs = tmp_path / "logs"
    logs.mkdir()
    for keep in (True, False):
        output = tmp_path / f"out-{keep}"
        output.mkdir()
        (output / "index.html").write_text("the last build's page", encoding="utf-8")
        build = build_bench.Build(f"noop-{keep}", [sys.executable, "-c", "pass"], tmp_path, output, keep_output=keep)
        run = build_bench.run_build(build, logs)
        assert (output / "index.html").exists() is keep and run.files == (1 if keep else 0)


def test_a_warm_up_run_goes_before_the_measured_one_and_only_into_a_kept_output(tmp_path):
    import sys

    logs, output, runs = tmp_path / "logs", tmp_path / "out", tmp_path / "runs"
    logs.mkdir()
    output.mkdir()
    command = [sys.executable, "-c", f"open({str(runs)!r}, 'a').write('run ')"]
    build_bench.run_build(build_bench.Build("twice", command, tmp_path, output, keep_output=True, warmup=True), logs)
    assert runs.read_text() == "run run "
    with pytest.raises(ValueError, match="keep_output"):
        build_bench.run_build(build_bench.Build("empty", command, tmp_path, output, warmup=True), logs)
    assert runs.read_text() == "run run "


def test_slug_bench_has_forty_titles_with_hand_written_rtgs_slugs_and_judges_the_letters():
    from thainews.slugs import is_valid_slug

    rows = slug_bench.read_titles()
    assert len([row for row in rows if row[0] in ("A", "B")]) >= 40 and {row[0] for row in rows} == {"A", "B", "C", "D"}
    assert len([row for row in rows if row[0] == "D"]) >= 20  # the split held out last (written 2026-12-03)
    assert len({title for _, title, _ in rows}) == len(rows)
    site_titles = {line.removeprefix("Title:").strip() for path in slug_bench.SITE_CONTENT.rglob("*.md")
                   for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Title:")}
    for _split, title, slug in rows:
        assert is_valid_slug(slug) and slug.isascii(), slug
        assert title not in site_titles  # titles of its own, not the site's
    assert slug_bench.letters("pi-mai") == slug_bench.letters("pimai")
    assert slug_bench.wrong_words("kan-ranarong-yaek", "kan-ronnarong-yaek") == ["ranarong → ronnarong"]


def test_slug_bench_counts_the_old_and_the_new_romaniser_apart(monkeypatch):
    monkeypatch.setattr(slug_bench, "old_slug", lambda title: "pihaim")
    monkeypatch.setattr(slug_bench, "new_slug", lambda title: {"ก": "pi-mai", "ข": "thadasop"}[title])
    monkeypatch.setattr(slug_bench, "dictionary_slug", lambda title: "free")
    table, wrong = slug_bench.accuracy([("A", "ก", "pimai"), ("B", "ข", "thot-sop")])
    lines = table.splitlines()
    assert lines[2] == "| A | 1 | 0/1 (0 %) | 1/1 (100 %) | 0/1 (0 %) | 0/1 (0 %) |"
    assert lines[3].startswith("| B | 1 | 0/1 (0 %) | 0/1 (0 %) |")
    assert lines[4].startswith("| all | 2 | 0/2 (0 %) | 1/2 (50 %) |")
    assert len(wrong) == 1 and "thadasop" in wrong[0] and "want thot-sop" in wrong[0]


def test_slug_bench_checks_pythainlps_transliteration_dictionary_on_words_chosen_by_a_rule_alone():
    """The 50 words with hand-written RTGS are the dictionary's most frequent in the Thai
    National Corpus list, and the dictionary layer comes after the lexicon, before the model."""
    from thainews import slugs

    slug_bench.use_test_site(None)
    assert list(slug_bench.COMMON_ENTRIES_RTGS) == slug_bench.common_entries(50)
    assert all(slugs.is_valid_slug(latin) for latin in slug_bench.COMMON_ENTRIES_RTGS.values())
    assert slug_bench.transliteration_dictionary()["ฟุตบอล"] == "football"
    assert slug_bench.dictionary_slug("ฟุตบอล") == "football"  # the dictionary's entry over the model's
    assert slug_bench.dictionary_slug("เทคโนโลยี") == "theknoloyi"  # the lexicon's over the dictionary's
    assert slug_bench.new_slug("ฟุตบอล") == "futbon"  # and the site's slugs are left as they were


def test_every_build_starts_after_the_disk_writes_of_the_one_before(tmp_path, monkeypatch):
    """A rebuild timed while the kernel still flushes a first build's copies measures that build."""
    events = []
    monkeypatch.setattr(build_bench.os, "sync", lambda: events.append("sync"))
    real_run = build_bench.subprocess.run
    monkeypatch.setattr(build_bench.subprocess, "run",
                        lambda *args, **kwargs: (events.append("build"), real_run(*args, **kwargs))[1])
    logs = tmp_path / "logs"
    logs.mkdir()
    build = build_bench.Build("noop", [sys.executable, "-c", "pass"], tmp_path, tmp_path / "out")
    build_bench.run_all([build, build], 1, logs)
    assert events == ["sync", "build", "sync", "build"]


def test_lighthouse_bench_serves_the_site_s_own_headers_and_holds_every_page_but_search_seo_to_the_target(tmp_path):
    (tmp_path / "_headers").write_text(
        "# comment\n/*\n  Content-Security-Policy: default-src 'self'\n  X-Content-Type-Options: nosniff\n\n"
        "/theme/js/*\n  Cache-Control: no-cache\n", encoding="utf-8")
    assert lighthouse_bench.site_headers(tmp_path) == {"Content-Security-Policy": "default-src 'self'",
                                                      "X-Content-Type-Options": "nosniff"}
    assert lighthouse_bench.site_headers(tmp_path / "none") == {}

    def result(name, seo):
        scores = {category: [100, 100, 100] for category in lighthouse_bench.CATEGORIES}
        scores["seo"] = seo
        return lighthouse_bench.Result(name, f"{name}/", scores, {c: {} for c in lighthouse_bench.CATEGORIES})

    results = [result("home", [100, 90, 94]), result("search", [69, 69, 69])]
    assert lighthouse_bench.below_target(results) == ["home SEO 94"]  # the median; search's SEO is excepted
    rows = lighthouse_bench.table(results, 3).splitlines()
    assert rows[2].endswith("| 94 (100, 90, 94) |") and rows[3].endswith("| 69 ¹ |")
    assert [name for name, _ in lighthouse_bench.pages("news/x/", "network/y/")] == \
        ["home", "story", "network", "calendar", "search"]


def test_plain_pelican_gets_a_page_template_for_each_of_the_sites_own(tmp_path):
    """Plain Pelican's theme has no faq.html or contact.html: without these its build fails."""
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "faq.md").write_text("Title: FAQ\nTemplate: faq\n\n## Q?\n\nA.\n", encoding="utf-8")
    (content / "pages" / "about.md").write_text("Title: About\n\nTemplate: not a header\n", encoding="utf-8")
    folder = build_bench.plain_templates(content, tmp_path / "plain-templates")  # where plan_builds puts it
    assert sorted(path.name for path in folder.iterdir()) == ["faq.html"]
    assert "page.html" in (folder / "faq.html").read_text(encoding="utf-8")
    builds = build_bench.plan_builds(tmp_path, content, ["plain"])
    settings = (tmp_path / "plain_settings.py").read_text(encoding="utf-8")
    assert f"THEME_TEMPLATES_OVERRIDES = [{str(folder)!r}]" in settings and builds[0].name == "plain"


def test_gallery_bench_adds_rebuild_pairs_in_alternating_order_and_takes_the_median_of_every_pair(tmp_path):
    """--pairs: after each round's six builds, more pairs of the two rebuilds (without, with; then
    with, without), without their warm-up; the ratio is the median over every pair."""
    builds = gallery_bench.plan_builds(tmp_path, tmp_path / "without", tmp_path / "with")
    walls = iter([10, 2.0, 10, 100, 2.1, 10,  # round 1: its own pair 1.05
                  2.0, 2.2,  # pair 1: without, with: 1.1
                  2.0, 2.0])  # pair 2: with, without: 1.0
    order = []

    def fake_run(build, logs):
        order.append((build.name, build.warmup))
        return build_bench.Run(wall=next(walls), cpu=1.0, peak_rss_mb=1.0, files=1)

    runs, ratios = gallery_bench.run_rounds(builds, 1, 2, tmp_path, run=fake_run)
    assert [name for name, _warmup in order] == [*gallery_bench.ROUND, "without-again", "with-again",
                                                 "with-again", "without-again"]
    assert [warmup for name, warmup in order[6:]] == [False] * 4  # the extra pairs: no warm-up run each
    assert dict(order[:6])["with-again"] and dict(order[:6])["without-again"]  # the rounds' own: as before
    assert [round(ratio, 3) for ratio in ratios] == [1.05, 1.1, 1.0]
    assert len(runs["with-again"]) == 1  # the table's rows: the rounds' own builds
    assert gallery_bench.spread(ratios) == "1.050 (pairs: 1.050, 1.100, 1.000)"
    assert gallery_bench.spread([1.0, 1.02, 1.04, 1.06, 1.3]).startswith("1.040 (middle half of 5 pairs: ")
    with pytest.raises(SystemExit):
        gallery_bench.parse_args(["--pairs", "-1"])
