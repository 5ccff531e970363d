"""Search quality on Thai news: our search against Pagefind 1.5.2 extended, same corpus, same queries.

What it measures
    For each query of `bench/search-queries.json`, whether the top 10 results contain one of
    the expected articles ("right"), and the reciprocal rank of the best expected one (MRR).
    A query with no expected article is right when nothing at all is returned. A query may
    also list `exclude`: documents that must not appear in the top 10 (`ขาว` must not find
    articles that only say `ข่าว`); one that does makes the query wrong (reciprocal rank 0).
    A query of `"kind": "typo"` (a misspelling) or `"kind": "layout"` (Thai typed with the
    keyboard set to English) is counted apart, on lines of its own: the 78 ordinary queries
    keep their own score. For ours, such a query is also scored after following the first
    spelling offered in `#search-suggestion` ("with one click"), when the page offered one
    instead of searching it at once.

    Systems, all over the same documents (the test site's 5 pages and 2 articles, and the
    evaluation corpus):
    * ours      - the site's own search page (`search.html?q=…`) in headless Chromium; result
                  links read in order once `#search-results` is no longer busy;
    * pagefind  - Pagefind 1.5.2 extended (`pip install -r bench/requirements-bench.txt`),
                  indexing exactly our documents' HTML files (`--glob`), each page's
                  `<article>` marked `data-pagefind-body` (so menus and footers, which say
                  ข่าว on every page, are not indexed); queried with its JS API
                  (`pagefind.search(q)`, then `data()` of the first 10) in the same Chromium;
    * substring - a baseline without a browser: every space-separated query word must occur
                  as a substring of the article's normalised text (what SQL `LIKE '%…%'` does
                  on a CMS), ranked by number of occurrences, then newest.

How
    1. A temporary folder gets a copy of the test site, `tests/data/site/content/` (a frozen
       copy of `content/`: never the live one, so that an officer's edit changes no score),
       plus `bench/search-corpus/*.md` in `content/news/eval/`, built with the site's own
       settings (`pelicanconf.py`, the `pelican` command as `make html` runs it, term cache in
       the temporary folder).
    2. The output is served by a small threaded HTTP server on 127.0.0.1 (random port).
    3. Chromium is /usr/bin/chromium driven by Python Playwright (never downloaded).
    4. Markdown tables and the failing queries go to stdout. Exit status 0 whatever the
       scores (a measurement, not a test); 1 when the build or a browser step fails.

Run from the repository root:
    .venv/bin/python -m pip install -r bench/requirements-bench.txt
    PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/search_quality.py
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from bench_folder import work_folder

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from serving import chromium_problem, headless_chromium, serve_folder  # noqa: E402  (shared with the browser tests)
from sites import SITE_CONTENT  # noqa: E402  (the frozen test site the tests build too)

BENCH = ROOT / "bench"
CORPUS = BENCH / "search-corpus"
QUERIES = BENCH / "search-queries.json"
TOP = 10
PAGEFIND_VERSION = "1.5.2"
PAGEFIND_PAGE = "pagefind-bench.html"
SYSTEMS = ("ours", "pagefind", "substring")

# The search page is done when it is not busy and its status says something other than
# "searching" (the HTML starts with aria-busy="false" before the module has even run).
OURS_DONE = """() => {
  const results = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  return results && status && results.getAttribute('aria-busy') === 'false'
    && status.textContent.trim() !== '' && status.textContent.trim() !== 'กำลังค้นหา…';
}"""

OURS_READ = """() => ({
  status: document.getElementById('search-status').textContent.trim(),
  links: Array.from(document.querySelectorAll('#search-results li a')).map((a) => a.getAttribute('href')),
  offers: Array.from(document.querySelectorAll('#search-suggestion a')).map((a) => a.href),
})"""
KINDS = {"": "ordinary", "typo": "typos", "layout": "English keyboard"}  # "kind" of a query → its line

PAGEFIND_HTML = """<!doctype html>
<html lang="th"><head><meta charset="utf-8"><title>pagefind bench</title></head><body>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
window.pfSearch = async (q, top) => {
  const search = await pagefind.search(q);
  if (!search) return { total: 0, urls: [] };
  const data = await Promise.all(search.results.slice(0, top).map((result) => result.data()));
  return { total: search.results.length, urls: data.map((item) => item.url) };
};
window.pfReady = true;
</script></body></html>
"""


# ---------------------------------------------------------------- shared with search_size.py

def child_environment() -> dict[str, str]:
    return {**os.environ, "PYTHAINLP_READ_ONLY": "1", "COLUMNS": "160"}


def pelican_executable() -> Path:
    for candidate in (Path(sys.prefix) / "bin" / "pelican", ROOT / ".venv" / "bin" / "pelican"):
        if candidate.exists():
            return candidate
    raise SystemExit("pelican not found: run `make venv`, then use .venv/bin/python")


def ours_command(content: Path, output: Path, cache: Path, plugins: list[str] | None = None) -> list[str]:
    """`make html` on another content folder, with the search term cache kept out of the repository."""
    # --cache-path, not `-e CACHE_PATH=…`: Pelican keeps only the last -e option, so a second
    # one (PLUGINS) would silently send the share cards and search terms to the repository's cache.
    command = [str(pelican_executable()), str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output),
               "--fatal", "errors", "--cache-path", str(cache)]
    if plugins is not None:
        command += ["-e", f"PLUGINS={json.dumps(plugins)}"]
    return command


def build_site(content: Path, output: Path, cache: Path) -> None:
    result = subprocess.run(ours_command(content, output, cache), cwd=ROOT, env=child_environment(),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).splitlines()[-40:])
        raise SystemExit(f"site build failed (exit {result.returncode}):\n{tail}")


@contextlib.contextmanager
def chromium():
    """Headless Chromium from the system, through Playwright; never downloads a browser."""
    problem = chromium_problem()
    if problem:
        raise SystemExit(problem)
    with headless_chromium() as browser:
        yield browser


def search_url(base: str, query: str, network: str = "") -> str:
    url = f"{base}/search.html?q={quote(query)}"
    return url + (f"&network={quote(network)}" if network else "")


def ours_query(page, base: str, query: str, timeout_ms: int = 30_000) -> dict:
    page.goto(search_url(base, query))
    page.wait_for_function(OURS_DONE, timeout=timeout_ms)
    return page.evaluate(OURS_READ)


def doc_urls(output: Path) -> list[str]:
    """The URLs of every document our index holds, in id order (from the card files)."""
    manifest = json.loads((output / "search" / "manifest.json").read_text(encoding="utf-8"))
    urls = []
    for name in manifest["cards"]:
        urls += [card["u"] for card in json.loads((output / "search" / name).read_text(encoding="utf-8"))]
    return urls


# ---------------------------------------------------------------- corpus and queries

def prepare_content(workdir: Path) -> Path:
    """The test site (SITE_CONTENT) and the evaluation corpus in news/eval/; the content folder."""
    content = workdir / "content"
    shutil.copytree(SITE_CONTENT, content)
    target = content / "news" / "eval"
    target.mkdir(parents=True)
    corpus = sorted(CORPUS.glob("*.md"))
    if not corpus:
        raise SystemExit(f"no articles in {CORPUS}")
    for path in corpus:
        shutil.copy2(path, target / path.name)
    return content


@dataclass
class Query:
    q: str
    expect: list[str]
    case: str
    exclude: list[str] = field(default_factory=list)
    kind: str = ""  # "" (ordinary), "typo" or "layout": counted apart


def load_queries(path: Path) -> list[Query]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    queries = []
    for number, item in enumerate(raw, 1):
        unknown = set(item) - {"q", "expect", "case", "exclude", "kind"}
        if (unknown or not isinstance(item.get("q"), str) or not isinstance(item.get("expect"), list)
                or item.get("kind", "") not in KINDS):
            raise SystemExit(f"{path}: query {number} is malformed: {item}")
        queries.append(Query(item["q"], item["expect"], item.get("case", ""), item.get("exclude", []),
                             item.get("kind", "")))
    return queries


def doc_key(url: str) -> str:
    """`/news/2024/01/mae-salong-youth-camp/` or `http://…/about/` → the slug (last path part)."""
    path = urlsplit(url).path
    path = path.removesuffix("index.html")
    parts = [part for part in path.split("/") if part]
    return parts[-1] if parts else ""


def check_expectations(queries: list[Query], urls: list[str]) -> list[str]:
    """Every expected or excluded slug must be a document of the built site."""
    keys = {doc_key(url) for url in urls}
    problems = []
    for query in queries:
        for slug in (*query.expect, *query.exclude):
            if doc_key(slug) not in keys:
                problems.append(f"query {query.q!r}: {slug!r} is not a document of the built site")
    return problems


# ---------------------------------------------------------------- scoring

@dataclass
class Outcome:
    keys: list[str]  # the top results, as slugs, in order
    total: int  # how many results the system found in all
    right: bool = False
    rr: float = 0.0
    rank: int | None = None
    excluded: list[str] = field(default_factory=list)
    error: str = ""
    clicked: "Outcome | None" = None  # ours, a typo or layout query: after following the first offer


def score(query: Query, keys: list[str], total: int, error: str = "") -> Outcome:
    outcome = Outcome(keys=keys[:TOP], total=total, error=error)
    if error:
        return outcome
    if not query.expect:
        outcome.right = total == 0
        outcome.rr = 1.0 if outcome.right else 0.0
        return outcome
    expected = {doc_key(slug) for slug in query.expect}
    for position, key in enumerate(outcome.keys, 1):
        if key in expected:
            outcome.rank = position
            break
    outcome.excluded = [key for key in outcome.keys if key in {doc_key(slug) for slug in query.exclude}]
    outcome.right = outcome.rank is not None and not outcome.excluded
    outcome.rr = 1.0 / outcome.rank if outcome.right else 0.0
    return outcome


# ---------------------------------------------------------------- the three systems

def run_ours(browser, base: str, queries: list[Query]) -> list[Outcome]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outcomes = []
    for query in queries:
        errors.clear()
        try:
            found = ours_query(page, base, query.q)
        except Exception as error:  # a timeout or a crash of the page: report, go on
            outcomes.append(score(query, [], 0, f"{type(error).__name__}: {str(error).splitlines()[0]}"
                                  + (f" (page error: {errors[0]})" if errors else "")))
            if len(outcomes) == 3 and all(outcome.error for outcome in outcomes):
                raise SystemExit("the search page never finished its first 3 queries: has search.html or "
                                 f"search.js changed? last error: {outcomes[-1].error}") from error
            continue
        outcomes.append(ours_outcome(query, found))
        if query.kind and found["offers"]:  # offered, not searched at once: one click further
            page.goto(found["offers"][0])
            page.wait_for_function(OURS_DONE, timeout=30_000)
            outcomes[-1].clicked = ours_outcome(query, page.evaluate(OURS_READ))
    page.close()
    return outcomes


def ours_outcome(query: Query, found: dict) -> Outcome:
    match = re.search(r"พบ\s*([\d,]+)", found["status"])
    total = int(match.group(1).replace(",", "")) if match else (len(found["links"]) if found["links"] else 0)
    return score(query, [doc_key(link) for link in found["links"]], total)


def pagefind_available() -> str | None:
    """The version of the pagefind package in this Python, or None."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return None


def index_with_pagefind(output: Path, urls: list[str]) -> str:
    """Mark each document's <article> as the body to index, then run Pagefind over exactly those files."""
    files = []
    for url in urls:
        path = output / url / "index.html" if url.endswith("/") or not url else output / url
        html = path.read_text(encoding="utf-8")
        marked, count = re.subn(r"<article\b", "<article data-pagefind-body", html, count=1)
        if count:
            path.write_text(marked, encoding="utf-8")
        files.append(str(path.relative_to(output)))
    glob = "{" + ",".join(files) + "}"
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--glob", glob],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SystemExit(f"pagefind failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    (output / PAGEFIND_PAGE).write_text(PAGEFIND_HTML, encoding="utf-8")
    summary = re.search(r"Indexed (\d+) pages.*?Indexed (\d+) words", result.stdout, re.S)
    extended = "Extended" in result.stdout
    return (f"{'extended' if extended else 'standard (not extended!)'}, "
            + (f"{summary.group(1)} pages, {summary.group(2)} words" if summary else "summary not found"))


def run_pagefind(browser, base: str, queries: list[Query]) -> list[Outcome]:
    page = browser.new_page()
    page.goto(f"{base}/{PAGEFIND_PAGE}")
    page.wait_for_function("() => window.pfReady === true", timeout=30_000)
    outcomes = []
    for query in queries:
        try:
            found = page.evaluate("([q, top]) => window.pfSearch(q, top)", [query.q, TOP])
        except Exception as error:  # noqa: BLE001 (a timeout or a crash of the page: report, go on)
            outcomes.append(score(query, [], 0, f"{type(error).__name__}: {str(error).splitlines()[0]}"))
            continue
        outcomes.append(score(query, [doc_key(url) for url in found["urls"]], found["total"]))
    page.close()
    return outcomes


def article_texts(output: Path, urls: list[str]) -> list[tuple[str, str]]:
    """(slug, normalised text of the <article>) for each document, oldest id first."""
    from bs4 import BeautifulSoup

    sys.path.insert(0, str(ROOT / "plugins"))
    from thainews.search_text import normalize_search

    texts = []
    for url in urls:
        soup = BeautifulSoup((output / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup.body
        texts.append((doc_key(url), normalize_search(" ".join(article.get_text(" ").split()))))
    return texts


def run_substring(texts: list[tuple[str, str]], queries: list[Query]) -> list[Outcome]:
    sys.path.insert(0, str(ROOT / "plugins"))
    from thainews.search_text import normalize_search

    outcomes = []
    for query in queries:
        words = normalize_search(query.q).split()
        hits = []
        for position, (key, text) in enumerate(texts):
            counts = [text.count(word) for word in words]
            if words and all(counts):
                hits.append((sum(counts), position, key))
        hits.sort(key=lambda hit: (-hit[0], -hit[1]))  # more occurrences first, then newer
        outcomes.append(score(query, [key for _count, _position, key in hits], len(hits)))
    return outcomes


# ---------------------------------------------------------------- report

def summary_table(queries: list[Query], results: dict[str, list[Outcome]], labels: dict[str, str]) -> str:
    """One line per system and kind of query (ordinary, typos, English keyboard), each scored alone."""
    lines = ["| system | queries | right (top 10) | MRR | queries with any result | right with one click on the offer |",
             "|---|---|---|---|---|---|"]
    for name, outcomes in results.items():
        for kind, label in KINDS.items():
            group = [outcome for query, outcome in zip(queries, outcomes, strict=True) if query.kind == kind]
            if not group:
                continue
            right = sum(outcome.right for outcome in group)
            mrr = sum(outcome.rr for outcome in group) / len(group)
            answered = sum(outcome.total > 0 for outcome in group)
            clicked = (f"{sum(outcome.right or bool(outcome.clicked and outcome.clicked.right) for outcome in group)}"
                       f"/{len(group)}" if kind and name == "ours" else "")
            lines.append(f"| {labels[name]} | {label} | {right}/{len(group)} | {mrr:.2f} | {answered} | {clicked} |")
    return "\n".join(lines)


def cell(outcome: Outcome, query: Query) -> str:
    if outcome.error:
        return "error"
    if not query.expect:
        return "✓ none" if outcome.right else f"✗ {outcome.total} found"
    if outcome.excluded:
        return f"✗ excluded @{outcome.keys.index(outcome.excluded[0]) + 1}"
    if outcome.right:
        return f"✓ {outcome.rank}"
    if outcome.clicked and outcome.clicked.right:
        return f"✗ ({outcome.total}), offered: ✓ {outcome.clicked.rank}"
    return f"✗ ({outcome.total})"


def escape(text: str) -> str:
    return text.replace("|", "\\|")


def side_by_side(queries: list[Query], results: dict[str, list[Outcome]], labels: dict[str, str]) -> str:
    header = ["#", "query", "case", *(labels[name].split(" ")[0] for name in results)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for number, query in enumerate(queries, 1):
        cells = [str(number), f"`{escape(query.q)}`", escape(f"{query.kind}: {query.case}" if query.kind else query.case)]
        cells += [cell(results[name][number - 1], query) for name in results]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(queries: list[Query], results: dict[str, list[Outcome]], labels: dict[str, str]) -> str:
    lines = []
    for name, outcomes in results.items():
        lines.append(f"\n### Failures: {labels[name]}\n")
        failed = [(number, query, outcome) for number, (query, outcome) in enumerate(zip(queries, outcomes, strict=True), 1)
                  if not outcome.right]
        if not failed:
            lines.append("none")
        for number, query, outcome in failed:
            got = ", ".join(outcome.keys[:5]) + (" …" if len(outcome.keys) > 5 else "") if outcome.keys else "nothing"
            expected = ", ".join(query.expect) if query.expect else "nothing"
            line = (f"- #{number} `{query.q}` ({query.case}): expected {expected}; got {got}"
                    f" [{outcome.total} found]")
            if outcome.excluded:
                line += f"; excluded in top {TOP}: {', '.join(outcome.excluded)}"
            if outcome.error:
                line += f"; ERROR {outcome.error}"
            lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=QUERIES, help=f"query file (default {QUERIES.relative_to(ROOT)})")
    parser.add_argument("--only", choices=SYSTEMS, action="append", help="run only these systems (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    systems = [name for name in SYSTEMS if not args.only or name in args.only]
    queries = load_queries(args.queries)
    pagefind_version = pagefind_available()
    if "pagefind" in systems and pagefind_version != PAGEFIND_VERSION:
        print(f"pagefind {PAGEFIND_VERSION} is not installed (found {pagefind_version}): skipping it; "
              f"install with .venv/bin/python -m pip install -r bench/requirements-bench.txt", file=sys.stderr)
        systems.remove("pagefind")
    with work_folder("thainews-search-quality-", args.keep) as workdir:
        started = time.perf_counter()
        content = prepare_content(workdir)
        output = workdir / "output"
        build_site(content, output, workdir / "cache")
        urls = doc_urls(output)
        print(f"built {len(urls)} documents in {time.perf_counter() - started:.1f} s into {output}", file=sys.stderr)
        problems = check_expectations(queries, urls)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        labels = {"ours": "ours (search.html in Chromium)",
                  "pagefind": f"Pagefind {PAGEFIND_VERSION} extended",
                  "substring": "substring (LIKE over article text, no browser)"}
        notes = []
        if "pagefind" in systems:
            notes.append("Pagefind index: " + index_with_pagefind(output, urls))
        results: dict[str, list[Outcome]] = {}
        if "ours" in systems or "pagefind" in systems:
            with serve_folder(output) as base, chromium() as browser:
                notes.append(f"Chromium {browser.version}, served at {base}")
                for name in ("ours", "pagefind"):
                    if name in systems:
                        began = time.perf_counter()
                        results[name] = (run_ours if name == "ours" else run_pagefind)(browser, base, queries)
                        print(f"{name}: {len(queries)} queries in {time.perf_counter() - began:.1f} s", file=sys.stderr)
        if "substring" in systems:
            results["substring"] = run_substring(article_texts(output, urls), queries)
        results = {name: results[name] for name in SYSTEMS if name in results}

        corpus = len(list(CORPUS.glob("*.md")))
        print(f"\n## Search quality: {len(queries)} Thai queries over {len(urls)} documents "
              f"({corpus} evaluation articles + {len(urls) - corpus} from the test site: articles, pages, …)\n")
        print(summary_table(queries, results, labels))
        print("\nright: an expected document in the top 10 (and no excluded one), or nothing returned when "
              "nothing is expected; MRR: mean of 1/rank of the first expected document in the top 10 (0 if wrong).")
        print("\n### Per query (✓ rank of the first expected document; ✗ (n) wrong, n results in all)\n")
        print(side_by_side(queries, results, labels))
        print(failures(queries, results, labels))
        print()
        for note in notes:
            print(note)
        print(f"Python {platform.python_version()}, {platform.platform()}; queries: {args.queries}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
