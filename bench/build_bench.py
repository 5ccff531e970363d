"""Time the site's build against plain Pelican on the same synthetic Thai news content.

What it measures
    The cost of our theme and plugins (strict checks, Thai slugs and dates, network pages and
    feeds, links, sitemap; search, share cards, calendar) on top of Pelican itself. Six builds
    read the same content folder:

    * plain      - Pelican 4 with its default theme, default URLs and no plugins (a small
                   settings file written into the temporary folder);
    * foundation - the site's settings with only the foundation plugins (FOUNDATION_PLUGINS:
                   no search index, share cards or calendar);
    * ours       - the site's own settings (`pelicanconf.py`: real theme and plugins), run from
                   the repository root with `--fatal errors`, as `make html` does, with an
                   empty cache: a first build (every search term segmented, every card drawn);
    * ours-warm  - the same again, keeping the cache that "ours" left, into an empty folder (as
                   `make publish`, which builds in a new folder every time);
    * plain-again, ours-again - each again into the output its first build left, ours with its
                   cache: `pelican content` twice and `make html` twice (DELETE_OUTPUT_DIRECTORY
                   is False in both), the everyday rebuild. ours-again's ratio is to plain-again
                   of the same round: both find the files of the build before (Pelican writes
                   every page again; ours leaves a page whose bytes are unchanged, plugins/safe_output).

    For each build it records wall time, CPU time (user + system) and peak resident memory
    (of the largest single process), then reports the medians over `--repeat` runs and the
    ratios to plain: of the medians, and round by round (each build over the plain build of
    its own round, which ran minutes apart at most: steadier on a machine whose speed drifts).
    Targets at 10,000 articles: a first build ≤ 1.5 × plain; a rebuild with the cache ≤ 1.0 ×.

How
    1. A temporary folder gets a copy of the test site, `tests/data/site/content/`
       (SITE_CONTENT of tests/sites.py: a frozen copy of `content/` with its real news,
       activities, pages, lexicon and extra; never the live `content/`, so that an officer's
       edit cannot change a result or break `make bench`), plus N synthetic Thai articles in
       `content/news/synthetic/YYYY/<n>.md`. Their words come from the test site's articles,
       split once with PyThaiNLP newmm; sentences are sampled from that vocabulary (no spaces
       inside a sentence, one space between sentences).
       Everything is drawn from `random.Random(seed)`, so a given N and seed always give the
       same files. Half the dates are Buddhist-era (2566-03-01), half Common-era; one third
       of the articles have `Slug: bench-<n>`, the others get the slug the site computes
       from the Thai title. Each title starts with its article number, so no two slugs
       collide even after the site cuts slugs to 60 characters.
    2. Each build runs in its own fresh `pelican` subprocess into an empty output folder.
       A tiny `python -c` wrapper (MEASURE) starts it and reads getrusage(RUSAGE_CHILDREN)
       once it ends, so wall time, CPU time (user + system) and peak RSS (ru_maxrss) belong
       to that one build alone; the wrapper is small, so its own memory cannot inflate the
       peak, as this process (with PyThaiNLP loaded) would.
       Builds alternate plain, plain-again, foundation, ours, ours-warm, ours-again, plain, ...
    3. A markdown table goes to stdout. Exit status 0 whatever the ratio (this is a
       measurement, not a test); 1 only when a build fails, after printing its error tail.

Run from the repository root (PyThaiNLP must not write to the home folder):
    PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/build_bench.py --articles 2000
    make bench ARTICLES=10000
"""

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench_folder import work_folder

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from pythainlp.tokenize import word_tokenize  # after the read-only switch (ruff allows os.environ before imports)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "tests"))
from sites import SITE_CONTENT  # noqa: E402  (the frozen test site: the tests build it too)
from thainews.networks import NETWORKS  # noqa: E402

DEFAULT_SEED = 20230301
TARGET = "targets at 10,000 articles: a first build ≤ 1.5 × plain, a rebuild with the cache ≤ 1.0 × (ours-again: × plain-again)"
BUILDS = ("plain", "plain-again", "foundation", "ours", "ours-warm", "ours-again")
# Each build's ratio is to plain Pelican's build of the same round; a rebuild into the output the
# build before left (`make html` twice) is compared with plain Pelican doing the same.
BASELINE = {"ours-again": "plain-again"}
# The site without search, share cards and calendar (issue 2's part of the build).
# security_policy too: the theme needs its meta_policy filter (every page carries the policy).
FOUNDATION_PLUGINS = ["strict_content", "quick_lists", "parallel_articles", "thai_dates", "networks",
                      "article_links", "sitemap_xml", "security_policy", "story_cards"]
DESCRIPTIONS = {
    "plain": "plain Pelican, default theme, no plugins",
    "foundation": "ours, foundation plugins only (no search, share cards, calendar)",
    "ours": "ours, everything, cold cache (a first build)",
    "ours-warm": "ours, everything, again with the cache, into an empty folder (a rebuild as `make publish`)",
    "plain-again": "plain Pelican again, into the output it left (`pelican content` twice)",
    "ours-again": "ours again with the cache, into the output it left (`make html` twice: an everyday rebuild; "
                  "× plain Pelican again)",
}

FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2026, 12, 31)
BE_OFFSET = 543
TITLE_WORDS = (8, 16)
BODY_WORDS = 360
PARAGRAPHS = (3, 6)
SENTENCE_WORDS = (8, 20)
TAGS_PER_ARTICLE = (1, 3)
NETWORKS_PER_ARTICLE = (1, 2)
STDERR_TAIL_LINES = 40

CATEGORIES = ("ข่าวกิจกรรม", "ข่าวประชาสัมพันธ์", "ข่าวเครือข่าย")
TAGS = (
    "สมัชชาคุณธรรม", "ศูนย์ประสานงาน", "ปฏิทินความดี", "เครือข่ายทางสังคม", "แผนขับเคลื่อน",
    "เชียงรายจังหวัดคุณธรรม", "จิตอาสา", "ความพอเพียง", "วินัย", "ความซื่อสัตย์",
    "ชุมชนคุณธรรม", "โรงเรียนคุณธรรม", "องค์กรคุณธรรม", "อำเภอคุณธรรม", "วัดประชารัฐสร้างสุข",
    "ประเพณีล้านนา", "ยี่เป็ง", "สงกรานต์", "ลอยกระทง", "บุญบั้งไฟ",
    "ทำบุญตักบาตร", "เข้าพรรษา", "ออกพรรษา", "วันมาฆบูชา", "วันวิสาขบูชา",
    "วันอาสาฬหบูชา", "ผ้าป่าสามัคคี", "ปลูกป่า", "ขยะเป็นศูนย์", "รักษ์แม่น้ำกก",
    "ผู้สูงอายุ", "คนพิการ", "เยาวชนต้นแบบ", "ครูต้นแบบ", "ปราชญ์ชาวบ้าน",
    "ภูมิปัญญาท้องถิ่น", "ผ้าทอไทลื้อ", "อาหารพื้นเมือง", "ดนตรีพื้นบ้าน", "ฟ้อนเล็บ",
    "ตลาดคุณธรรม", "เกษตรอินทรีย์", "ชากาแฟดอยตุง", "สับปะรดนางแล", "วิสาหกิจชุมชน",
    "ธรรมาภิบาล", "ต่อต้านการทุจริต", "การประเมินผล", "ประชุมคณะทำงาน", "อบรมเชิงปฏิบัติการ",
    "ลงนามบันทึกข้อตกลง", "มอบเกียรติบัตร", "ถอดบทเรียน", "แลกเปลี่ยนเรียนรู้", "ศึกษาดูงาน",
    "สื่อสร้างสรรค์", "ข่าวดีเชียงราย", "สุขภาพชุมชน", "อาสาสมัครสาธารณสุข", "ความปลอดภัยทางถนน",
)

_THAI_WORD = re.compile(r"^[\u0e01-\u0e5b]+$")

# Pelican's default theme and URLs, no plugins: the baseline the site is compared with.
PLAIN_SETTINGS = '''\
PATH = {content!r}
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
TIMEZONE = "Asia/Bangkok"
DEFAULT_LANG = "th"
READERS = {{"rst": None}}
PLUGINS = []
SITEURL = ""
FEED_ALL_ATOM = "feeds/all.atom.xml"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
THEME_TEMPLATES_OVERRIDES = [{overrides!r}]
'''


# Runs one build and writes "exit_code wall_s cpu_s max_rss_kb" to argv[1]. Peak memory needs this
# small middle process: a child started straight from the benchmark (big: PyThaiNLP and its
# dictionaries are loaded) inherits the benchmark's own RSS high-water mark in ru_maxrss.
MEASURE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    out.write(f"{code} {wall!r} {usage.ru_utime + usage.ru_stime!r} {usage.ru_maxrss}")
"""


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to add (default 2000)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="builds of each kind; the median is reported (default 3 up to 2000 articles, else 1)")
    parser.add_argument("--only", choices=BUILDS, action="append",
                        help="run only these builds (repeatable; ours-warm and ours-again need ours, "
                             "plain-again needs plain)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.articles < 0:
        parser.error("--articles must be 0 or more")
    if args.repeat is None:
        args.repeat = 3 if args.articles <= 2000 else 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


# ---------------------------------------------------------------- vocabulary

def article_body(path: Path) -> str:
    """The text after the metadata header, which ends at the first blank line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if not line.strip():
            return "\n".join(lines[number + 1:])
    return ""


def thai_vocabulary(news_dir: Path) -> list[str]:
    """Every Thai word of the articles (real reports, in the test site), repeats kept, so
    sampling follows real frequencies."""
    vocabulary = []
    for path in sorted(news_dir.rglob("*.md")):
        tokens = word_tokenize(article_body(path), engine="newmm", keep_whitespace=False)
        vocabulary.extend(token for token in tokens if _THAI_WORD.match(token))
    if not vocabulary:
        raise SystemExit(f"no Thai words found in {news_dir}: the benchmark needs the test site's articles")
    return vocabulary


# ---------------------------------------------------------------- synthetic articles

def sentence(rng: random.Random, vocabulary: list[str], length: int) -> str:
    """Thai writes no spaces between words."""
    return "".join(rng.choices(vocabulary, k=length))


def paragraph(rng: random.Random, vocabulary: list[str], words: int) -> str:
    """Sentences of SENTENCE_WORDS words, one space between them, about `words` words in all."""
    sentences = []
    while words > 0:
        length = min(words, rng.randint(*SENTENCE_WORDS))
        sentences.append(sentence(rng, vocabulary, length))
        words -= length
    return " ".join(sentences)


def body(rng: random.Random, vocabulary: list[str]) -> str:
    """About BODY_WORDS words in PARAGRAPHS paragraphs of uneven but reasonable length."""
    total = rng.randint(int(BODY_WORDS * 0.9), int(BODY_WORDS * 1.1))
    weights = [rng.uniform(0.5, 1.5) for _ in range(rng.randint(*PARAGRAPHS))]
    sizes = [max(1, round(total * weight / sum(weights))) for weight in weights]
    return "\n\n".join(paragraph(rng, vocabulary, size) for size in sizes)


def headline(rng: random.Random, vocabulary: list[str], number: int) -> str:
    """8-16 words in two phrases. The number comes first so the 60-character slug keeps it."""
    words = rng.randint(*TITLE_WORDS)
    split = rng.randint(2, words - 2)
    return f"ข่าวที่ {number} {sentence(rng, vocabulary, split)} {sentence(rng, vocabulary, words - split)}"


def news_date(rng: random.Random, buddhist_era: bool) -> tuple[int, str]:
    """A random day in FIRST_DAY..LAST_DAY as written by an officer: (year as written, value)."""
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    year = day.year + BE_OFFSET if buddhist_era else day.year
    value = f"{year:04d}-{day.month:02d}-{day.day:02d}"
    if rng.random() < 0.5:
        value += f" {rng.randint(6, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    return year, value


def synthetic_article(rng: random.Random, vocabulary: list[str], number: int) -> tuple[int, str]:
    """(year as written, Markdown text) of article `number`."""
    year, when = news_date(rng, buddhist_era=number % 2 == 0)
    header = [f"Title: {headline(rng, vocabulary, number)}", f"Date: {when}"]
    if number % 3 == 0:
        header.append(f"Slug: bench-{number}")
    header.append(f"Category: {rng.choice(CATEGORIES)}")
    header.append("Tags: " + ", ".join(rng.sample(TAGS, rng.randint(*TAGS_PER_ARTICLE))))
    networks = rng.sample(NETWORKS, rng.randint(*NETWORKS_PER_ARTICLE))
    header.append("Networks: " + ", ".join(network.name for network in networks))
    return year, "\n".join(header) + "\n\n" + body(rng, vocabulary) + "\n"


def write_synthetic_articles(news_dir: Path, count: int, seed: int, vocabulary: list[str]) -> None:
    rng = random.Random(seed)
    for number in range(1, count + 1):
        year, text = synthetic_article(rng, vocabulary, number)
        folder = news_dir / "synthetic" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number}.md").write_text(text, encoding="utf-8")


def prepare_content(workdir: Path, count: int, seed: int) -> Path:
    """Copy the test site (SITE_CONTENT), add `count` synthetic articles made of its words;
    return the content folder."""
    content = workdir / "content"
    shutil.copytree(SITE_CONTENT, content)
    vocabulary = thai_vocabulary(SITE_CONTENT / "news")
    write_synthetic_articles(content / "news", count, seed, vocabulary)
    return content


# ---------------------------------------------------------------- builds

@dataclass
class Build:
    name: str
    command: list[str]
    cwd: Path
    output: Path
    cache: Path | None = None  # emptied before the build unless `warm`
    warm: bool = False
    keep_output: bool = False  # build into what the last build there left (`make html` twice), not an empty folder
    # Run once, unmeasured, before the measured run (a rebuild into what it leaves: only with
    # `keep_output`). For a rebuild that follows a build which wrote half a gigabyte (the gallery
    # case's first build): the next process, whatever it is, then starts with the page cache
    # turned over (measured here: a 2.4 s rebuild took 2.7 s right after 3 GB were written and
    # synced, 2.35 s the time after), which is the disk's cost, not the rebuild's.
    warmup: bool = False


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_rss_mb: float
    files: int


class BuildFailed(Exception):
    def __init__(self, build: Build, status: int, log_tail: str):
        super().__init__(f"{build.name} build failed with exit status {status}")
        self.build = build
        self.status = status
        self.log_tail = log_tail


def pelican_executable() -> Path:
    for candidate in (Path(sys.prefix) / "bin" / "pelican", ROOT / ".venv" / "bin" / "pelican"):
        if candidate.exists():
            return candidate
    raise SystemExit("pelican not found: run `make venv`, then use .venv/bin/python")


def ours_build(name: str, content: Path, output: Path, cache: Path, *extra: str, warm: bool = False,
               keep_output: bool = False) -> Build:
    """The site's own build (`pelicanconf.py`, `--fatal errors`, as `make html`) of `content`.
    --cache-path: a cache in the temporary folder, never the repository's cache/: emptied first
    (a first build: search terms, share cards, photo copies made) unless `warm` (the next build
    with the same cache); into an emptied `output` unless `keep_output`."""
    return Build(name, [str(pelican_executable()), str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output),
                        "--fatal", "errors", "--cache-path", str(cache), *extra], ROOT, output, cache, warm,
                 keep_output)


def plain_templates(content: Path, folder: Path) -> Path:
    """For plain Pelican's theme, which has no template of the site's own pages (`Template: faq`,
    `contact`, ...): each as its page.html, so the same content builds there too."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((content / "pages").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").partition("\n\n")[0].splitlines():
            key, colon, value = line.partition(":")
            if colon and key.strip().lower() == "template" and value.strip():
                (folder / f"{value.strip()}.html").write_text('{% extends "page.html" %}\n', encoding="utf-8")
    return folder


def plan_builds(workdir: Path, content: Path, only: list[str] | None) -> list[Build]:
    pelican = str(pelican_executable())
    plain_settings = workdir / "plain_settings.py"
    overrides = plain_templates(content, workdir / "plain-templates")
    plain_settings.write_text(PLAIN_SETTINGS.format(content=str(content), overrides=str(overrides)), encoding="utf-8")

    def ours(name: str, cache: Path, *extra: str, warm: bool = False) -> Build:
        return ours_build(name, content, workdir / f"out-{name}", cache, *extra, warm=warm)

    builds = {
        "plain": Build("plain", [pelican, str(content), "-s", str(plain_settings), "-o", str(workdir / "out-plain")],
                       workdir, workdir / "out-plain"),
        "foundation": ours("foundation", workdir / "cache-foundation", "-e", f"PLUGINS={json.dumps(FOUNDATION_PLUGINS)}"),
        "ours": ours("ours", workdir / "cache-ours"),
        "ours-warm": ours("ours-warm", workdir / "cache-ours", warm=True),
        "ours-again": ours_build("ours-again", content, workdir / "out-ours", workdir / "cache-ours", warm=True,
                                 keep_output=True),
    }
    builds["plain-again"] = Build("plain-again", builds["plain"].command, workdir, workdir / "out-plain",
                                  keep_output=True)
    return [builds[name] for name in BUILDS if not only or name in only]


def child_environment() -> dict[str, str]:
    # COLUMNS keeps Pelican's log lines readable when they land in a file.
    return {**os.environ, "PYTHAINLP_READ_ONLY": "1", "COLUMNS": "160"}


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def tail(path: Path, lines: int = STDERR_TAIL_LINES) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def settle() -> None:
    """Write out what earlier builds (and the folders just emptied) left in the page cache
    before the next build's clock starts: otherwise a rebuild that follows a first build which
    wrote half a gigabyte of copies pays for that build's disk writes (the kernel flushes them
    while it runs), and the build after a small one does not; measured on the gallery case:
    the same rebuild 5.7 s right after the first build, 3.1–3.6 s after a `sync`."""
    os.sync()


def run_build(build: Build, logs: Path) -> Run:
    """One build in a fresh process, into an empty output folder (unless `keep_output`), measured by MEASURE."""
    if not build.keep_output:
        shutil.rmtree(build.output, ignore_errors=True)
    if build.cache and not build.warm:
        shutil.rmtree(build.cache, ignore_errors=True)  # a first build: nothing cached
    stdout_log, stderr_log = logs / f"{build.name}.stdout", logs / f"{build.name}.stderr"
    usage_file = logs / f"{build.name}.usage"
    usage_file.unlink(missing_ok=True)  # never read a previous round's numbers
    settle()
    if build.warmup:
        if not build.keep_output:
            raise ValueError(f"{build.name}: a warm-up run is a rebuild into the output it leaves (keep_output)")
        subprocess.run(build.command, cwd=build.cwd, env=child_environment(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        settle()
    with stdout_log.open("wb") as out, stderr_log.open("wb") as err:
        subprocess.run([sys.executable, "-I", "-c", MEASURE, str(usage_file), *build.command],
                       cwd=build.cwd, env=child_environment(), stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    fields = usage_file.read_text().split() if usage_file.exists() else ["-1", "0", "0", "0"]
    exit_code, wall, cpu, max_rss_kb = int(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    if exit_code != 0:
        raise BuildFailed(build, exit_code, tail(stderr_log) or tail(stdout_log))
    return Run(wall=wall, cpu=cpu, peak_rss_mb=max_rss_kb / 1024,  # ru_maxrss is in kilobytes on Linux
               files=count_files(build.output))


def run_all(builds: list[Build], repeat: int, logs: Path) -> dict[str, list[Run]]:
    """plain, foundation, ours, ours-warm, plain, ... so that drift in the machine's speed hits all alike."""
    runs: dict[str, list[Run]] = {build.name: [] for build in builds}
    for round_number in range(1, repeat + 1):
        for build in builds:
            run = run_build(build, logs)
            runs[build.name].append(run)
            print(f"  round {round_number}/{repeat} {build.name:10}  wall {run.wall:7.2f} s  "
                  f"cpu {run.cpu:7.2f} s  peak {run.peak_rss_mb:7.1f} MB  {run.files} files", file=sys.stderr)
    return runs


# ---------------------------------------------------------------- report

@dataclass
class Summary:
    wall: float
    cpu: float
    peak_rss_mb: float
    files: int


def summarize(runs: list[Run]) -> Summary:
    return Summary(wall=statistics.median(run.wall for run in runs),
                   cpu=statistics.median(run.cpu for run in runs),
                   peak_rss_mb=statistics.median(run.peak_rss_mb for run in runs),
                   files=runs[-1].files)


def ratio(ours: float | None, plain: float | None) -> str:
    return f"{ours / plain:.2f}" if ours is not None and plain else "n/a"


def seconds(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def value(summary: Summary | None, name: str):
    """A field of a build that may not have run (`--only`)."""
    return getattr(summary, name) if summary else None


def round_ratios(runs: list[Run], plain: list[Run]) -> list[float]:
    """Wall time over plain's in the same round: builds of one round run back to back, so
    the machine's drift over minutes, which moves the medians apart, cancels out."""
    return [run.wall / base.wall for run, base in zip(runs, plain, strict=True)]


def paired(runs: list[Run], plain: list[Run] | None) -> str:
    ratios = round_ratios(runs, plain) if plain else []
    if not ratios:
        return "n/a"
    rounds = f" ({', '.join(f'{item:.2f}' for item in ratios)})" if len(ratios) > 1 else ""
    return f"{statistics.median(ratios):.2f}{rounds}"


def table(summaries: dict[str, Summary], runs: dict[str, list[Run]]) -> str:
    header = ("build", "wall s", "× plain (wall)", "× plain, round by round (median (rounds))", "CPU s",
              "× plain (CPU)", "peak RSS MB", "output files")
    lines = [header, tuple("---" for _ in header)]
    for name, summary in summaries.items():
        base = BASELINE.get(name, "plain")
        plain = summaries.get(base)
        lines.append((DESCRIPTIONS[name], seconds(summary.wall), ratio(summary.wall, value(plain, "wall")),
                      paired(runs[name], runs.get(base)), seconds(summary.cpu), ratio(summary.cpu, value(plain, "cpu")),
                      f"{summary.peak_rss_mb:.0f}", f"{summary.files:,}"))
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def pelican_version() -> str:
    result = subprocess.run([str(pelican_executable()), "--version"], capture_output=True, text=True,
                            env=child_environment())
    return result.stdout.strip() or "unknown"


def command_line() -> str:
    """This run's command, with the environment variables that change a build."""
    env = [f"{name}={shlex.quote(os.environ[name])}" for name in ("PYTHAINLP_READ_ONLY", "PYTHONPATH") if name in os.environ]
    return " ".join([*env, shlex.join([sys.executable, *sys.argv])])


def report(args: argparse.Namespace, builds: list[Build], runs: dict[str, list[Run]], site_articles: int) -> str:
    summaries = {name: summarize(items) for name, items in runs.items()}
    lines = [
        "",
        table(summaries, runs),
        "",
        f"{args.articles:,} synthetic articles + {site_articles} of the test site; median of {args.repeat} build(s) each; "
        f"seed {args.seed}",
        "command: " + command_line(),
    ]
    lines += [f"{build.name} build: (cd {shlex.quote(str(build.cwd))} && {shlex.join(build.command)})" for build in builds]
    lines += [
        f"Python {platform.python_version()} ({sys.executable}), Pelican {pelican_version()}, {platform.platform()}",
        TARGET,
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with work_folder("thainews-bench-", args.keep) as workdir:
        started = time.perf_counter()
        content = prepare_content(workdir, args.articles, args.seed)
        site_articles = sum(1 for path in (SITE_CONTENT / "news").rglob("*.md"))
        print(f"wrote {args.articles:,} synthetic articles in {time.perf_counter() - started:.1f} s to {content}",
              file=sys.stderr)
        builds = plan_builds(workdir, content, args.only)
        logs = workdir / "logs"
        logs.mkdir()
        try:
            runs = run_all(builds, args.repeat, logs)
        except BuildFailed as failure:
            print(f"\n{failure}:\n  (cd {shlex.quote(str(failure.build.cwd))} && {shlex.join(failure.build.command)})\n"
                  f"--- last lines of its output ---\n{failure.log_tail}", file=sys.stderr)
            return 1
        print(report(args, builds, runs, site_articles))
        return 0


if __name__ == "__main__":
    sys.exit(main())
