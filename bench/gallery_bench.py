"""Photos: the cost of galleries (issue 15, point 6). The same site built with and without a
gallery on each story, a first build and a rebuild each, A B A B in one run.

What it measures
    `--stories` synthetic stories (500 by default; build_bench.prepare_content: the test site
    and N synthetic Thai articles) each with a gallery of `--photos` camera-sized JPEGs (12 by
    default, 4032×3024, EXIF with a camera, a date and a GPS position), against the very same
    content without them (no `Photos:` lines, no photo folders). Four builds a round, each in a
    fresh `pelican` process with the site's own settings (build_bench.ours_build, as `make html`):

    * without, first build - the site without photos, empty cache;
    * without, rebuild     - again with the cache it left: an everyday rebuild;
    * with, first build    - the site with the galleries, empty cache: every photo copied;
    * with, rebuild        - again with its cache, into the output the first build left, as
                             `make html` twice (DELETE_OUTPUT_DIRECTORY is False): nothing
                             changed, so every gallery is taken from its record (checked in a
                             child process: plugins/photos, `thainews.gallery_record`), no photo
                             read, no copy made and none linked (they are there);
    * with, publish rebuild - again with its cache into an emptied folder, as `make publish`
                             (which builds in a new folder every time): every copy linked again.

    Each "without" build is paired with its "with" build in the same way. Then `--pairs` more
    rebuild pairs (`make html` again, without then with, then with then without, ...): a rebuild
    takes two seconds and this machine's speed moves by ±5 % from one to the next, so one pair
    a round cannot tell 3 % from 6 %; the ratio reported is the median over every pair of every
    round (measured: ten pairs of the same two builds gave 0.98 to 1.13). Each rebuild is run
    once unmeasured first, both with and without photos (build_bench.Build.warmup): the first
    build with photos writes half a gigabyte, and whatever process follows it runs slower
    (measured: a 2.4 s rebuild took 2.7 s right after 3 GB were written and synced; the
    gallery rebuild right after its first build 3.07 s, the same rebuild a minute later 2.5 s),
    which is the disk's cost of that first build, not the rebuild's. Target: the rebuild
    with photos takes at most 5 % more wall time than the rebuild without, the median of the
    pairs' ratios (the two builds of a pair run seconds apart); the publish rebuild's ratio is
    printed too. It cannot be as low: an empty folder needs every copy linked into it again (a
    link costs ~15 µs on this machine's ext4; 12 photos of a story are 72 to 100 files).

The photos
    Encoding thousands of 12-megapixel JPEGs would take longer than the builds, so `--distinct`
    base pictures (60 by default: a gradient and noise, about 2.6 MB each, like a camera's) are
    encoded once, and every photo of every story is one of them with its own EXIF block spliced
    in (story and photo number in ImageDescription, a date, a GPS position that differs by
    story). So every photo has different bytes: its copies are named by a hash of its bytes,
    so each is made, cached and published on its own, as 6,000 real photos would be; only the
    pixels repeat (decoding and resizing cost the same whatever the pixels show).

Run from the repository root (a full run makes 6,000 photos, about 16 GB, and its first
builds take hours on two cores: `--stories 20` takes minutes):
    PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/gallery_bench.py --stories 20
    make bench GALLERY_STORIES=20
"""

import argparse
import dataclasses
import io
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

import build_bench
from bench_folder import work_folder

TARGET = "target: the rebuild with photos at most 1.05 × the rebuild without"
ROUND = ("without", "without-again", "without-warm", "with", "with-again", "with-warm")
DESCRIPTIONS = {
    "without": "without photos, first build",
    "without-again": "without photos, rebuild (`make html` again)",
    "without-warm": "without photos, publish rebuild (empty folder)",
    "with": "with photos, first build",
    "with-again": "with photos, rebuild (`make html` again)",
    "with-warm": "with photos, publish rebuild (empty folder)",
}
PHOTO_FOLDER = "bench-photos"  # in content/images/


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=500, help="stories with a gallery (default 500)")
    parser.add_argument("--photos", type=int, default=12, help="photos a story (default 12)")
    parser.add_argument("--distinct", type=int, default=60, help="base pictures encoded (default 60)")
    parser.add_argument("--size", default="4032x3024", help="the photos' size in pixels (default 4032x3024)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (default 2: A B A B)")
    parser.add_argument("--pairs", type=int, default=4,
                        help="more rebuild pairs a round, for the rebuild's ratio (default 4; 0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--seed", type=int, default=build_bench.DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        args.width, args.height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must be WIDTHxHEIGHT, got {args.size!r}")
    if min(args.stories, args.photos, args.distinct, args.repeat, args.width, args.height) < 1:
        parser.error("--stories, --photos, --distinct, --repeat and --size must be at least 1")
    if args.pairs < 0:
        parser.error("--pairs must be 0 or more")
    return args


# ---------------------------------------------------------------- the photos

def base_picture(number: int, width: int, height: int) -> bytes:
    """A JPEG with a camera photo's weight: a gradient turned by `number`, smooth and fine noise."""
    red = Image.linear_gradient("L").rotate(number * 37 % 360).resize((width, height))
    green = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 40 + number % 30).resize(
        (width, height), Image.BILINEAR)
    blue = Image.effect_noise((width, height), 25)
    buffer = io.BytesIO()
    Image.merge("RGB", (red, green.convert("L"), blue.convert("L"))).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def camera_exif(story: int, photo: int) -> bytes:
    """The APP1 segment of a phone's EXIF: camera, date, owner and a GPS position of this story."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "PhoneMaker", "Phone 15", "OWNER NAME"
    exif[0x0112] = 1
    exif[0x010E] = f"story {story} photo {photo}"  # ImageDescription: every photo's bytes differ
    exif[0x0132] = f"2024:05:{story % 28 + 1:02d} 10:{photo % 60:02d}:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (19.0, 54.0, float(story % 60)), "E", (99.0, 49.0, float(photo % 60))
    data = exif.tobytes()
    return b"\xff\xe1" + (len(data) + 2).to_bytes(2, "big") + data


def with_exif(jpeg: bytes, app1: bytes) -> bytes:
    """`jpeg` (no EXIF) with `app1` after its JFIF segment (APP0), where cameras put theirs."""
    at = 2
    if jpeg[2:4] == b"\xff\xe0":
        at = 4 + int.from_bytes(jpeg[4:6], "big")
    return jpeg[:at] + app1 + jpeg[at:]


def add_galleries(content: Path, args: argparse.Namespace) -> int:
    """A folder of photos for each synthetic story and its `Photos:` line; the photos written."""
    rng = random.Random(args.seed)
    bases = [base_picture(number, args.width, args.height) for number in range(args.distinct)]
    stories = sorted((content / "news" / "synthetic").rglob("*.md"), key=lambda path: int(path.stem))
    written = 0
    for path in stories:
        story = int(path.stem)
        folder = content / "images" / PHOTO_FOLDER / str(story)
        folder.mkdir(parents=True)
        for photo in range(1, args.photos + 1):
            data = with_exif(rng.choice(bases), camera_exif(story, photo))
            (folder / f"p{photo:02d}.jpg").write_bytes(data)
            written += 1
        head, blank, body = path.read_text(encoding="utf-8").partition("\n\n")
        path.write_text(f"{head}\nPhotos: images/{PHOTO_FOLDER}/{story}{blank}{body}", encoding="utf-8")
    return written


def prepare(workdir: Path, args: argparse.Namespace) -> tuple[Path, Path, int]:
    """(content without photos, the same content with them, photos written)."""
    without = build_bench.prepare_content(workdir / "without", args.stories, args.seed)
    shutil.copytree(without, workdir / "with" / "content")
    return without, workdir / "with" / "content", add_galleries(workdir / "with" / "content", args)


def plan_builds(workdir: Path, without: Path, with_photos: Path) -> list[build_bench.Build]:
    """One round: without, without-again, without-warm, with, ...; each trio shares its cache,
    the first build and its "again" their output."""
    builds = []
    for name, content in (("without", without), ("with", with_photos)):
        cache = workdir / f"cache-{name}"
        builds += [
            build_bench.ours_build(name, content, workdir / f"out-{name}", cache),
            dataclasses.replace(build_bench.ours_build(f"{name}-again", content, workdir / f"out-{name}", cache,
                                                       warm=True, keep_output=True), warmup=True),
            build_bench.ours_build(f"{name}-warm", content, workdir / f"out-{name}-warm", cache, warm=True),
        ]
    return builds


def run_rounds(builds: list[build_bench.Build], rounds: int, pairs: int, logs: Path,
               run=build_bench.run_build) -> tuple[dict[str, list[build_bench.Run]], list[float]]:
    """Each round: the six builds (`ROUND`), then `pairs` more pairs of the two rebuilds, their
    order swapped every other pair (without, with; with, without; ...) so that a drift within a
    pair favours neither. (The builds' runs; the ratio of every pair: each round's own and the
    extra ones.)"""
    runs: dict[str, list[build_bench.Run]] = {build.name: [] for build in builds}
    again = {build.name: dataclasses.replace(build, warmup=False) for build in builds if build.name.endswith("-again")}
    ratios: list[float] = []
    for round_number in range(1, rounds + 1):
        for build in builds:
            runs[build.name].append(report(run(build, logs), build.name, f"round {round_number}/{rounds}"))
        ratios.append(runs["with-again"][-1].wall / runs["without-again"][-1].wall)
        for pair in range(1, pairs + 1):
            order = ("without-again", "with-again") if pair % 2 else ("with-again", "without-again")
            walls = {name: report(run(again[name], logs), name, f"round {round_number}/{rounds} pair {pair}").wall
                     for name in order}
            ratios.append(walls["with-again"] / walls["without-again"])
    return runs, ratios


def report(result: build_bench.Run, name: str, when: str) -> build_bench.Run:
    print(f"  {when} {name:14} wall {result.wall:7.2f} s  cpu {result.cpu:7.2f} s  peak {result.peak_rss_mb:7.1f} MB  "
          f"{result.files} files", file=sys.stderr)
    return result


def spread(ratios: list[float]) -> str:
    """The median of the ratios and where the middle half of them lies."""
    if len(ratios) < 4:
        return f"{statistics.median(ratios):.3f} (pairs: {', '.join(f'{ratio:.3f}' for ratio in ratios)})"
    low, _median, high = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.3f} (middle half of {len(ratios)} pairs: {low:.3f} to {high:.3f})"


# ---------------------------------------------------------------- report

def table(runs: dict[str, list[build_bench.Run]]) -> str:
    header = ("build", "wall s (median)", "wall s, round by round", "CPU s", "peak RSS MB", "output files")
    lines = [header, tuple("---" for _ in header)]
    for name in ROUND:
        summary = build_bench.summarize(runs[name])
        lines.append((DESCRIPTIONS[name], f"{summary.wall:.2f}", ", ".join(f"{run.wall:.2f}" for run in runs[name]),
                      f"{summary.cpu:.2f}", f"{summary.peak_rss_mb:.0f}", f"{summary.files:,}"))
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def rebuild_ratio(runs: dict[str, list[build_bench.Run]], kind: str = "again") -> tuple[float, list[float]]:
    """The rebuild (`kind` "again", or "warm": the publish rebuild) with photos over the one
    without, round by round, and their median."""
    ratios = build_bench.round_ratios(runs[f"with-{kind}"], runs[f"without-{kind}"])
    return statistics.median(ratios), ratios


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with work_folder("thainews-gallery-bench-", args.keep) as workdir:
        started = time.perf_counter()
        without, with_photos, photos = prepare(workdir, args)
        size = sum(path.stat().st_size for path in (with_photos / "images" / PHOTO_FOLDER).rglob("*.jpg"))
        print(f"wrote {args.stories:,} stories and {photos:,} photos ({size / 1e9:.2f} GB) in "
              f"{time.perf_counter() - started:.1f} s to {workdir}", file=sys.stderr)
        builds = plan_builds(workdir, without, with_photos)
        logs = workdir / "logs"
        logs.mkdir()
        try:
            runs, pair_ratios = run_rounds(builds, args.repeat, args.pairs, logs)
        except build_bench.BuildFailed as failure:
            print(f"\n{failure}:\n--- last lines of its output ---\n{failure.log_tail}", file=sys.stderr)
            return 1
        median, ratios = rebuild_ratio(runs)
        publish_median, publish_ratios = rebuild_ratio(runs, "warm")
        verdict = "met" if statistics.median(pair_ratios) <= 1.05 else "NOT met"
        print("\n".join([
            "", table(runs), "",
            f"rebuild with photos / rebuild without, every pair: {spread(pair_ratios)}; {TARGET}: {verdict}",
            f"rebuild with photos / rebuild without, the rounds' own pairs: {median:.3f} "
            f"(rounds: {', '.join(f'{r:.3f}' for r in ratios)})",
            f"publish rebuild (empty folder) with photos / without: {publish_median:.3f} "
            f"(rounds: {', '.join(f'{r:.3f}' for r in publish_ratios)}); for information",
            f"{args.stories:,} stories × {args.photos} photos ({photos:,} JPEGs {args.width}×{args.height}, "
            f"{size / max(photos, 1) / 1e6:.1f} MB each, {args.distinct} distinct pictures, every file's bytes "
            f"different) + the test site; {args.repeat} round(s), {args.pairs} more rebuild pair(s) each; "
            f"{os.cpu_count()} cores",
            "command: " + build_bench.command_line(),
        ]))
        return 0


if __name__ == "__main__":
    sys.exit(main())
