"""Time `make devserver` (newsroom/devserver.py) against plain Pelican's rebuild on the same files.

What it measures (issue 14, point 4, "Preview that keeps up")
    On N synthetic stories plus the test site (build_bench.prepare_content: the same files as
    `bench/build_bench.py`), the devserver is started with the site's own settings and, once its
    first build is done:

    (a) edit   - an existing story gets a new title; the time from the save until its URL shows
                 it (polled over HTTP every POLL s);
    (b) new    - a new story (with `Slug:`, the newest date) is saved while the whole-site build
                 that (a) asked for runs; the time until its URL shows it;
    (c) lists  - the time from (b)'s save until the home page lists that story (a whole-site
                 build, or two: the one running when (b) was saved had not read it).

    Plain Pelican's `pelican -r` rebuilds the whole site on every save: its time is the time of
    one plain build of the same files (default theme, no plugins: build_bench's "plain"),
    measured first, alone on the machine. Target: (a) and (b) at most 0.1 × that and at most 2 s.
    A measurement, not a test: exit 0 whatever the times; 1 when something never shows up.

Run from the repository root:
    PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/devserver_bench.py --articles 2000
"""

import argparse
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import build_bench  # puts tests/ on sys.path
from bench_folder import work_folder
from serving import free_port, page_text

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.05
TARGET_RATIO, TARGET_SECONDS = 0.1, 2.0
NEW_STORY = """\
Title: ข่าวใหม่วัดเวลาแสดงตัวอย่าง {marker}
Date: 2026-12-31 23:59
Slug: {slug}
Networks: เครือข่ายสื่อคุณธรรม

เนื้อหาข่าวใหม่ {marker}
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles (default 2000)")
    parser.add_argument("--seed", type=int, default=build_bench.DEFAULT_SEED)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for any one thing (default 3600)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    return parser.parse_args(argv)


def story_url(path: Path) -> str:
    """`/news/YYYY/MM/slug/` of a synthetic story that has a `Slug:` (Buddhist-era years too)."""
    text = path.read_text(encoding="utf-8")
    year, month = map(int, re.search(r"^Date: (\d{4})-(\d{2})", text, re.MULTILINE).groups())
    slug = re.search(r"^Slug: (\S+)", text, re.MULTILINE).group(1)
    return f"/news/{year - 543 if year > 2400 else year}/{month:02d}/{slug}/"


class Gone(Exception):
    pass


def wait_for(condition, timeout: float, what: str, log: Path) -> float:
    """Seconds until `condition()` holds (polled every POLL s)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise Gone(f"gave up waiting for {what} after {timeout:.0f} s; the devserver said:\n{tail}")
        time.sleep(POLL)
    return time.perf_counter() - started


def plain_rebuild(workdir: Path, content: Path) -> float:
    """One plain `pelican` build of the same files: what `pelican -r` does on every save."""
    (build,) = build_bench.plan_builds(workdir, content, ["plain"])
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    return build_bench.run_build(build, logs).wall


def measure(workdir: Path, content: Path, timeout: float) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = workdir / "devserver.log"
    command = [sys.executable, "-m", "newsroom.devserver", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(workdir / "out"), "-t", str(ROOT / "theme"), "--cache-path", str(workdir / "cache"),
               "-p", str(port)]
    print("devserver: " + shlex.join(command), file=sys.stderr)
    times = {}
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=build_bench.child_environment(), stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        times["first build"] = wait_for(lambda: "whole site built" in log.read_text(errors="replace"), timeout,
                                        "the first build", log)
        print(f"  first build {times['first build']:.1f} s", file=sys.stderr)
        existing = next(path for path in sorted((content / "news" / "synthetic").rglob("*.md"))
                        if int(path.stem) % 3 == 0)  # one with `Slug: bench-<n>`
        url = story_url(existing)
        if "ข่าวที่" not in page_text(base + url):
            raise Gone(f"{url} is not served after the first build")
        text = existing.read_text(encoding="utf-8")
        existing.write_text(text.replace("Title: ", "Title: EDIT-MARK ", 1), encoding="utf-8")
        times["edit"] = wait_for(lambda: "EDIT-MARK" in page_text(base + url), timeout, "the edited story", log)
        print(f"  (a) edit shown after {times['edit']:.2f} s", file=sys.stderr)
        time.sleep(1)  # the whole-site build the edit asked for is running now
        new = content / "news" / "synthetic" / "2026" / "bench-new-story.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(NEW_STORY.format(marker="NEW-MARK", slug="bench-new-story"), encoding="utf-8")
        saved = time.perf_counter()
        times["new"] = wait_for(lambda: "NEW-MARK" in page_text(base + "/news/2026/12/bench-new-story/"), timeout,
                                "the new story", log)
        print(f"  (b) new story shown after {times['new']:.2f} s", file=sys.stderr)
        wait_for(lambda: "NEW-MARK" in page_text(base + "/"), timeout, "the new story on the home page", log)
        times["lists"] = time.perf_counter() - saved
        print(f"  (c) home page lists it after {times['lists']:.1f} s", file=sys.stderr)
        renders = [float(value) for value in re.findall(r"shown \((\d+\.\d+) s\)", log.read_text(errors="replace"))]
        times["fast render"] = max(renders) if renders else float("nan")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return times


def report(args, plain: float, times: dict[str, float], site_articles: int) -> str:
    def row(what, seconds, ratio=True):
        verdict = ""
        if ratio:
            met = seconds <= TARGET_SECONDS and seconds / plain <= TARGET_RATIO
            verdict = "met" if met else "missed"
        return f"| {what} | {seconds:.2f} | {seconds / plain:.3f} | {verdict} |"

    lines = [
        "",
        "| what | seconds | × plain rebuild | target ≤ 2 s and ≤ 0.1× |",
        "|---|---|---|---|",
        f"| plain Pelican rebuild (`pelican -r` on every save) | {plain:.2f} | 1 | |",
        row("(a) edited story shown at its URL", times["edit"]),
        row("(b) new story shown at its URL (during a whole-site build)", times["new"]),
        row("(c) home page lists the new story", times["lists"], ratio=False),
        row("slowest fast render (the devserver's own count)", times["fast render"], ratio=False),
        row("devserver: first whole-site build (ours, cold cache, from the start)", times["first build"], ratio=False),
        "",
        f"{args.articles:,} synthetic articles + {site_articles} of the test site; seed {args.seed}",
        "command: " + shlex.join([sys.executable, *sys.argv]),
        f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    with work_folder("thainews-devserver-bench-", args.keep) as workdir:
        content = build_bench.prepare_content(workdir, args.articles, args.seed)
        site_articles = sum(1 for _ in (build_bench.SITE_CONTENT / "news").rglob("*.md"))
        plain = plain_rebuild(workdir, content)
        print(f"  plain Pelican build {plain:.1f} s", file=sys.stderr)
        try:
            times = measure(workdir, content, args.timeout)
        except Gone as gone:
            print(gone, file=sys.stderr)
            return 1
        print(report(args, plain, times, site_articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
