"""The benchmarks build with the settings they say they use.

Pelican keeps only the last `-e` option of a command line, so a benchmark that passed its cache
folder in one `-e` and its plugins in another built with the repository's warm cache without a
word, and measured the wrong thing. These tests read the benchmark commands with Pelican's own
argument parser.
"""

import sys
from pathlib import Path

from pelican import parse_arguments

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import build_bench  # noqa: E402
import search_quality  # noqa: E402


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
    assert set(builds) == {"plain", "foundation", "ours", "ours-warm"}
    for name in ("foundation", "ours", "ours-warm"):
        args = settings_of(builds[name].command)
        assert args.cache_path == str(builds[name].cache), name
        assert Path(args.cache_path).is_relative_to(tmp_path), name  # never the repository's cache/
    assert settings_of(builds["foundation"].command).overrides == {"PLUGINS": build_bench.FOUNDATION_PLUGINS}
    assert settings_of(builds["ours"].command).cache_path == settings_of(builds["ours-warm"].command).cache_path


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
