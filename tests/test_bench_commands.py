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
