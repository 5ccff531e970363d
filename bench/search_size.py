"""Search cost at scale: bytes of a first query, time to results, and the cost of indexing.

What it measures, on N synthetic Thai articles (default 10,000, from bench/build_bench.py's
generator) plus the test site (tests/data/site/content/, a frozen copy of content/: never the
live one) and the evaluation corpus (bench/search-corpus/, so that rare words such as โคมลอย
exist):

    * indexing - three builds of the same content in fresh processes: plain Pelican (as
      build_bench.py's "plain"), ours without the search plugin (PLUGINS without
      "thai_search"), ours with it. Indexing cost = ours - ours without search, compared
      with the plain build; with --repeat N, the median of N such differences, each of two
      builds run back to back (which of the two goes first alternates), since this machine's
      speed drifts over minutes. Wall and CPU time come from getrusage in a small wrapper
      process, as in build_bench.py; memory is reported twice: the largest single process
      (ru_maxrss, what build_bench.py reports) and the whole process tree (the search plugin
      segments in a pool of worker processes), sampled every 0.2 s as the sum of
      proportional set sizes (PSS: shared pages counted once).
      The search term cache goes to the temporary folder, so every build indexes from cold.
    * first query bytes - for each query of QUERIES, a fresh browser context (empty cache)
      opens `search.html?q=…`; every file it fetches is recorded. Bytes are those files
      gzipped at level 6 (the static server here does not compress): the index files under
      search/ (manifest, term shards, postings files, cards, network file) plus the JavaScript
      modules (search.js, search-text.js). The page shell (HTML, CSS, fonts) is listed
      apart and not counted, as Pagefind's published figure counts only its own files.
      The largest of the set is the figure compared with the target ("largest first query").
    * time to results once loaded -
      compute: a fresh SearchIndex whose files are already in memory as text (JSON parse,
      decoding, segmentation, ranking and the top 10 cards), median of 5;
      repeat: the same query submitted again in the page (form submit until the results are
      shown), median of 5;
      cold: the first query on localhost, from navigation start (informative only).

Targets: first query ≤ 150 kB gzipped; ≤ 100 ms from query to results once loaded;
indexing ≤ 0.5 × a plain Pelican build; peak memory < 1 GB.

Run from the repository root (takes about 4-6 minutes at 10,000 articles on 2 cores):
    PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/search_size.py --articles 10000
"""

import argparse
import gzip
import json
import os
import platform
import re
import runpy
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench_folder import work_folder

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import build_bench  # noqa: E402  (the synthetic article generator and the plain build)
import search_quality as sq  # noqa: E402  (server, browser, build command)

ROOT = BENCH.parent
KB = 1000
TARGET_BYTES = 150 * KB
TARGET_MS = 100
TARGET_INDEXING_RATIO = 0.5
TARGET_MEMORY_MB = 1024
SAMPLE_SECONDS = 0.2
REPEAT_TIMING = 5

# (what it stands for, query, network filter). Every one must stay under TARGET_BYTES: the
# report gives the largest. The synthetic articles are made of the test site's 330 words, so
# most of them are in most stories: the common words below have postings in nearly all 10,000.
QUERIES = (
    ("common word", "คุณธรรม", ""),
    ("rare word", "โคมลอย", ""),
    ("two words", "ประชุม เยาวชน", ""),
    ("two common words", "เครือข่าย ขับเคลื่อน", ""),
    ("compound typed without spaces", "ขับเคลื่อนจังหวัดคุณธรรม", ""),
    ("four words typed without spaces", "ประชุมคณะทำงานขับเคลื่อนคุณธรรม", ""),
    ("long compound: seven words, no spaces", "การประชุมคณะกรรมการขับเคลื่อนยุทธศาสตร์ส่งเสริมคุณธรรมจังหวัด", ""),
    ("common word + network filter", "คุณธรรม", "religion"),
    ("misspelt word (โอกาส)", "โอกาศ", ""),
    ("Latin with a dot", "pm2.5", ""),
    ("typo searched at once", "ประชาสัมพัน", ""),  # ประชาสัมพันธ์ without ธ์ (search-typos.js)
    ("typo offered", "ขับเคลื่น", ""),  # ขับเคลื่อน without อ: offered as a link
    ("Thai typed on the English keyboard", "86ITii,", ""),  # คุณธรรม
)

# In the page after the first query: time a fresh SearchIndex over the files the page fetched
# (kept in memory as text), then the same query submitted again through the form.
TIMING_JS = """async ([moduleUrl, manifestUrl, query, network, repeat]) => {
  const { SearchIndex } = await import(moduleUrl);
  const names = performance.getEntriesByType('resource').map((entry) => entry.name)
    .filter((name) => new URL(name).pathname.includes('/search/'));
  const texts = new Map();
  await Promise.all(names.map(async (name) => texts.set(name, await (await fetch(name)).text())));
  const load = async (url) => {
    const text = texts.get(String(url));
    if (text === undefined) throw new Error('not fetched by the first query: ' + url);
    return JSON.parse(text);
  };
  const compute = [];
  let found = 0;
  for (let i = 0; i < repeat; i++) {
    const index = new SearchIndex(manifestUrl, load);
    const start = performance.now();
    const result = await index.search(query, { network, year: 0 });
    await index.cards(result.ranked.slice(0, 10).map((entry) => entry.id));
    compute.push(performance.now() - start);
    found = result.ranked.length;
  }
  const form = document.getElementById('search-form');
  const results = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const finished = () => results.getAttribute('aria-busy') === 'false'
    && status.textContent.trim() !== '' && status.textContent.trim() !== 'กำลังค้นหา…';
  const ui = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const done = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (finished()) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(results, { attributes: true, attributeFilter: ['aria-busy'] });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    });
    form.requestSubmit();
    ui.push((await done) - start);
  }
  return { compute, ui, found };
}"""


# ---------------------------------------------------------------- builds, measured

@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    largest_rss_mb: float  # ru_maxrss of the largest process of the build
    tree_pss_mb: float  # peak of the summed PSS of the build's whole process tree
    tree_rss_mb: float  # peak of the summed RSS (counts shared pages once per process)
    files: int
    load: float = 0.0  # the machine's mean 1-minute load average during the build (other work competes)


def process_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in kB over `root` and all its descendants."""
    children = process_children()
    stack, pss, rss = [root], 0, 0
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue  # ended meanwhile
    return pss, rss


def run_build(name: str, command: list[str], cwd: Path, output: Path, logs: Path) -> Run:
    shutil.rmtree(output, ignore_errors=True)
    usage_file = logs / f"{name}.usage"
    usage_file.unlink(missing_ok=True)
    peak = {"pss": 0, "rss": 0}
    loads = []
    with (logs / f"{name}.stdout").open("wb") as out, (logs / f"{name}.stderr").open("wb") as err:
        # Wide lines: the search plugin's timing line must not be wrapped in the log.
        process = subprocess.Popen([sys.executable, "-I", "-c", build_bench.MEASURE, str(usage_file), *command],
                                   cwd=cwd, env={**build_bench.child_environment(), "COLUMNS": "400"},
                                   stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=err)
        while process.poll() is None:
            pss, rss = tree_memory_kb(process.pid)
            peak["pss"], peak["rss"] = max(peak["pss"], pss), max(peak["rss"], rss)
            loads.append(os.getloadavg()[0])
            time.sleep(SAMPLE_SECONDS)
    fields = usage_file.read_text().split() if usage_file.exists() else ["-1", "0", "0", "0"]
    code, wall, cpu, max_rss_kb = int(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    if code != 0:
        tail = build_bench.tail(logs / f"{name}.stderr") or build_bench.tail(logs / f"{name}.stdout")
        raise SystemExit(f"{name} build failed (exit {code}):\n  (cd {shlex.quote(str(cwd))} && {shlex.join(command)})\n"
                         f"--- last lines of its output ---\n{tail}")
    run = Run(name, wall, cpu, max_rss_kb / 1024, peak["pss"] / 1024, peak["rss"] / 1024,
              build_bench.count_files(output), statistics.mean(loads) if loads else os.getloadavg()[0])
    print(f"  {name:18} load {run.load:4.1f}  wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  largest process {run.largest_rss_mb:6.0f} MB  "
          f"tree PSS {run.tree_pss_mb:6.0f} MB  {run.files} files", file=sys.stderr)
    return run


PLUGIN_TIMING = re.compile(r"thai_search: [^\n]*? in [\d.]+ s \([^)]*\)")


def plugin_timing(logs: Path) -> str:
    """The search plugin's own account of its time, from the last `ours` build's log."""
    text = ""
    for name in ("ours.stdout", "ours.stderr"):
        if (logs / name).is_file():
            text += (logs / name).read_text(encoding="utf-8", errors="replace")
    found = PLUGIN_TIMING.findall(text)
    return found[-1] if found else "the search plugin's timing line was not found in the build log"


def site_plugins() -> list[str]:
    return list(runpy.run_path(str(ROOT / "pelicanconf.py"))["PLUGINS"])


def run_builds(workdir: Path, content: Path, repeat: int) -> dict[str, list[Run]]:
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    plain = build_bench.plan_builds(workdir, content, ["plain"])[0]
    without = [plugin for plugin in site_plugins() if plugin != "thai_search"]
    runs: dict[str, list[Run]] = {"plain": [], "ours without search": [], "ours": []}
    for round_number in range(1, repeat + 1):
        runs["plain"].append(run_build("plain", plain.command, plain.cwd, plain.output, logs))
        # A cold cache for every build (search terms and share cards both live there): sharing
        # one between the two builds would hand the second one the first one's drawings.
        cold = workdir / f"cache-{round_number}-nosearch"
        cache = workdir / f"cache-{round_number}"
        # --verbose on both of ours (same logging cost): the search plugin logs its own timings.
        pair = [
            ("ours without search", [*sq.ours_command(content, workdir / "out-nosearch", cold, without), "--verbose"],
             workdir / "out-nosearch"),
            ("ours", [*sq.ours_command(content, workdir / "out-ours", cache), "--verbose"], workdir / "out-ours"),
        ]
        # This machine's speed drifts over minutes: the pair runs back to back, in turn first.
        for name, command, output in pair if round_number % 2 else reversed(pair):
            runs[name].append(run_build(name, command, ROOT, output, logs))
    return runs


def paired_costs(runs: dict[str, list[Run]]) -> list[tuple[float, float]]:
    """(wall, CPU) of ours − ours without search, per round: each pair ran back to back."""
    return [(ours.wall - without.wall, ours.cpu - without.cpu)
            for ours, without in zip(runs["ours"], runs["ours without search"], strict=True)]


def median_run(runs: list[Run]) -> Run:
    return Run(runs[0].name, statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.largest_rss_mb for r in runs), max(r.tree_pss_mb for r in runs),
               max(r.tree_rss_mb for r in runs), runs[-1].files, statistics.mean(r.load for r in runs))


# ---------------------------------------------------------------- bytes and time in Chromium

def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


@dataclass
class Fetched:
    path: str
    raw: int
    gz: int

    @property
    def kind(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        if "/search/" in self.path:
            if name == "manifest.json":
                return "manifest"
            return {"t": "shards", "p": "postings", "c": "cards", "n": "network"}.get(name.split("-", 1)[0], "index other")
        if name.endswith((".js", ".mjs")):
            return "js"
        return "page"


@dataclass
class QueryCost:
    what: str
    query: str
    network: str
    found: int = 0
    fetched: list[Fetched] = field(default_factory=list)
    cold_ms: float = 0.0
    compute_ms: list[float] = field(default_factory=list)
    ui_ms: list[float] = field(default_factory=list)
    error: str = ""

    def gz(self, *kinds: str) -> int:
        return sum(item.gz for item in self.fetched if item.kind in kinds)

    def count(self, kind: str) -> int:
        return sum(item.kind == kind for item in self.fetched)

    @property
    def counted(self) -> int:
        return self.gz("manifest", "shards", "postings", "cards", "network", "index other", "js")


def local_file(output: Path, url: str) -> Path | None:
    path = urlsplit(url).path
    target = output / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def measure_query(browser, base: str, output: Path, what: str, query: str, network: str) -> QueryCost:
    cost = QueryCost(what, query, network)
    context = browser.new_context()  # empty cache: a reader's first query
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda request: urls.append(request.url))
    try:
        page.goto(sq.search_url(base, query, network))
        page.wait_for_function(sq.OURS_DONE, timeout=120_000)
        cost.cold_ms = page.evaluate("performance.now()")
        for url in dict.fromkeys(urls):
            path = local_file(output, url)
            if path:
                cost.fetched.append(Fetched(urlsplit(url).path, path.stat().st_size, gzip_size(path)))
        timing = page.evaluate(TIMING_JS, [f"{base}/theme/js/search.js", f"{base}/search/manifest.json",
                                           query, network, REPEAT_TIMING])
        cost.compute_ms, cost.ui_ms, cost.found = timing["compute"], timing["ui"], timing["found"]
    except Exception as error:  # noqa: BLE001 (one query's failure is reported in its row; the others go on)
        cost.error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        context.close()
    return cost


def module_url_ok(output: Path) -> bool:
    return (output / "theme" / "js" / "search.js").is_file()


# ---------------------------------------------------------------- report

def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def kb(value: int) -> str:
    return f"{value / KB:.1f}"


def index_stats(output: Path) -> str:
    folder = output / "search"
    files = sorted(folder.glob("*.json"))
    raw = sum(path.stat().st_size for path in files)
    sizes = {path.name: gzip_size(path) for path in files}
    shards = {name: size for name, size in sizes.items() if name.startswith("t-")}
    largest = max(shards.items(), key=lambda item: item[1]) if shards else ("—", 0)
    postings = {name: size for name, size in sizes.items() if name.startswith("p-")}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return (f"index: {len(files):,} files, {raw / 1e6:.1f} MB raw, {sum(sizes.values()) / 1e6:.1f} MB gzipped; "
            f"{manifest['docs']:,} documents, {len(manifest['shards']):,} term shards (largest {kb(largest[1])} kB gz), "
            f"{len(postings):,} postings files (largest {kb(max(postings.values(), default=0))} kB gz), "
            f"{len(manifest['cards']):,} card files; manifest {kb(sizes['manifest.json'])} kB gz "
            f"({(folder / 'manifest.json').stat().st_size / KB:.1f} kB raw)")


def indexing_table(runs: dict[str, Run], costs: list[tuple[float, float]]) -> str:
    lines = ["| build | wall s | CPU s | largest process MB | process tree peak PSS MB | output files "
             f"| load average (on {os.cpu_count()} CPUs) |",
             "|---|---|---|---|---|---|---|"]
    for name, run in runs.items():
        lines.append(f"| {name} | {run.wall:.2f} | {run.cpu:.2f} | {run.largest_rss_mb:.0f} | {run.tree_pss_mb:.0f} "
                     f"| {run.files:,} | {run.load:.1f} |")
    plain, without, ours = runs["plain"], runs["ours without search"], runs["ours"]
    wall = statistics.median(wall for wall, _cpu in costs)
    cpu = statistics.median(cpu for _wall, cpu in costs)
    spread = ""
    if len(costs) > 1:
        spread = " (rounds: " + ", ".join(f"{delta / plain.wall:.2f}×" for delta, _cpu in costs) + ")"
    lines += [
        "",
        f"| indexing cost (ours − ours without search, median of {len(costs)} back-to-back pairs) "
        "| measured | target | |",
        "|---|---|---|---|",
        f"| wall time | {wall:.2f} s = {wall / plain.wall:.2f} × plain ({plain.wall:.2f} s){spread} "
        f"| ≤ {TARGET_INDEXING_RATIO} × plain | {mark(wall / plain.wall <= TARGET_INDEXING_RATIO)} |",
        f"| CPU time | {cpu:.2f} s = {cpu / plain.cpu:.2f} × plain ({plain.cpu:.2f} s) | ≤ {TARGET_INDEXING_RATIO} × plain "
        f"| {mark(cpu / plain.cpu <= TARGET_INDEXING_RATIO)} |",
        f"| peak memory of the build with search (process tree PSS) | {ours.tree_pss_mb:.0f} MB "
        f"(largest process {ours.largest_rss_mb:.0f} MB; tree RSS {ours.tree_rss_mb:.0f} MB) | < {TARGET_MEMORY_MB} MB "
        f"| {mark(ours.tree_pss_mb < TARGET_MEMORY_MB)} |",
        f"| memory added by search (tree PSS, ours − without) | {ours.tree_pss_mb - without.tree_pss_mb:+.0f} MB | | |",
    ]
    return "\n".join(lines)


def query_table(costs: list[QueryCost]) -> str:
    lines = ["| first query | filter | results | files: manifest + shards + postings + cards + network | index kB gz | JS kB gz "
             f"| total kB gz (≤ {TARGET_BYTES // KB}) | compute ms, median of {REPEAT_TIMING} (≤ {TARGET_MS}) "
             f"| repeat in page ms (≤ {TARGET_MS}) | cold first query on localhost ms | page shell kB gz (not counted) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for cost in costs:
        if cost.error:
            lines.append(f"| {cost.what}: `{cost.query}` | {cost.network or '—'} | ERROR {cost.error} |" + " |" * 8)
            continue
        compute = statistics.median(cost.compute_ms)
        ui = statistics.median(cost.ui_ms)
        files = (f"{cost.count('manifest')} + {cost.count('shards')} + {cost.count('postings')} + {cost.count('cards')} "
                 f"+ {cost.count('network')}")
        lines.append(
            f"| {cost.what}: `{cost.query}` | {cost.network or '—'} | {cost.found:,} | {files} "
            f"| {kb(cost.gz('manifest', 'shards', 'postings', 'cards', 'network', 'index other'))} | {kb(cost.gz('js'))} "
            f"| {kb(cost.counted)} {mark(cost.counted <= TARGET_BYTES)} | {compute:.1f} {mark(compute <= TARGET_MS)} "
            f"| {ui:.1f} {mark(ui <= TARGET_MS)} | {cost.cold_ms:.0f} | {kb(cost.gz('page'))} |")
    return "\n".join(lines)


def largest(costs: list[QueryCost]) -> str:
    """The line compared with the target: the largest first query of the set."""
    measured = [cost for cost in costs if not cost.error]
    if not measured:
        return "largest first query: none measured"
    worst = max(measured, key=lambda cost: cost.counted)
    where = f"{worst.query}{' [' + worst.network + ']' if worst.network else ''}"
    failed = f"; {len(costs) - len(measured)} queries failed" if len(measured) < len(costs) else ""
    return (f"largest first query: {kb(worst.counted)} KB ({where}), target ≤ {TARGET_BYTES // KB} KB "
            f"{mark(worst.counted <= TARGET_BYTES and not failed)}{failed}")


def breakdown(costs: list[QueryCost]) -> str:
    lines = []
    for cost in costs:
        if cost.error:
            continue
        parts = ", ".join(f"{item.path.rsplit('/', 1)[-1]} {kb(item.gz)}" for item in cost.fetched
                          if item.kind not in ("page",))
        lines.append(f"- `{cost.query}`{' [' + cost.network + ']' if cost.network else ''}: {parts}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="synthetic articles (default 10000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind; medians reported (default 1)")
    parser.add_argument("--seed", type=int, default=build_bench.DEFAULT_SEED, help="random seed of the generator")
    parser.add_argument("--no-builds-timing", action="store_true",
                        help="build only ours (no plain, no without-search build): bytes and query times only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)
    if args.articles < 0 or args.repeat < 1:
        parser.error("--articles must be 0 or more and --repeat at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with work_folder("thainews-search-size-", args.keep) as workdir:
        started = time.perf_counter()
        content = build_bench.prepare_content(workdir, args.articles, args.seed)
        eval_dir = content / "news" / "eval"
        eval_dir.mkdir(parents=True)
        for path in sorted(sq.CORPUS.glob("*.md")):
            shutil.copy2(path, eval_dir / path.name)
        print(f"wrote {args.articles:,} synthetic articles (+ the test site's and the evaluation corpus) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        if args.no_builds_timing:
            logs = workdir / "logs"
            logs.mkdir()
            ours = run_build("ours", [*sq.ours_command(content, workdir / "out-ours", workdir / "cache"), "--verbose"],
                             ROOT, workdir / "out-ours", logs)
            builds = {"ours": ours}
        else:
            rounds = run_builds(workdir, content, args.repeat)
            builds = {name: median_run(items) for name, items in rounds.items()}
        output = workdir / "out-ours"
        if not module_url_ok(output):
            raise SystemExit(f"{output}/theme/js/search.js not found: has the theme moved it?")

        costs = []
        with sq.serve_folder(output) as base, sq.chromium() as browser:
            chromium_version = browser.version
            for what, query, network in QUERIES:
                cost = measure_query(browser, base, output, what, query, network)
                costs.append(cost)
                print(f"  {what:32} {cost.counted / KB:7.1f} kB gz  "
                      f"{statistics.median(cost.compute_ms) if cost.compute_ms else float('nan'):6.1f} ms "
                      f"{cost.error}", file=sys.stderr)

        articles = sum(1 for _ in (content / "news").rglob("*.md"))
        print(f"\n## Search at scale: {args.articles:,} synthetic articles ({articles:,} articles in all)\n")
        if "plain" in builds:
            print(indexing_table(builds, paired_costs(rounds)))
        else:
            run = builds["ours"]
            print(f"ours: wall {run.wall:.2f} s, CPU {run.cpu:.2f} s, tree PSS {run.tree_pss_mb:.0f} MB "
                  f"(indexing cost not measured: --no-builds-timing)")
        print(f"\nthe plugin's log: {plugin_timing(workdir / 'logs')}\n")
        print(query_table(costs))
        print(f"\n{largest(costs)}")
        print("\nkB = 1,000 bytes, gzip level 6. Files fetched by each first query (kB gz):")
        print(breakdown(costs))
        print()
        print(index_stats(output))
        print(f"seed {args.seed}; builds: median of {args.repeat}; Chromium {chromium_version}; "
              f"Python {platform.python_version()}; {platform.platform()}; {os.cpu_count()} CPUs")
        print("targets: every first query ≤ 150 kB gz (the largest above); ≤ 100 ms from query to results once loaded; "
              "indexing ≤ 0.5 × a plain Pelican build; peak memory < 1 GB")
        return 0


if __name__ == "__main__":
    sys.exit(main())
