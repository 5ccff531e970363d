"""Lighthouse on the built site: the four categories (performance, accessibility, best practices,
SEO) of the home page, a story, a network page, the calendar and the search page (issue 18,
point 5).

Which site: by default the test site (tests/data/site/content/, a frozen copy of content/:
never the live one), built as `make publish` builds it (`python -m newsroom.build publish`,
publishconf.py) with SITEURL http://127.0.0.1:<port>, so that canonical links, og: tags and
the sitemap point at the server Lighthouse reads; then served over HTTP on that port, each
response carrying the headers the site's `_headers` file gives every path (`/*`: the
Content-Security-Policy, nosniff, the referrer and permissions policies). `--site FOLDER`
measures a site already built with `make publish SITEURL=http://127.0.0.1:<port>` instead
(the live site, for instance), served the same way on `--port`.

Lighthouse: the npm package `lighthouse`, pinned in bench/lighthouse/package.json and its
package-lock.json, installed there by `make bench` (`npm ci`); run with CHROME_PATH set to
Debian's Chromium (tests/serving.py finds it), never a downloaded browser, with its default
settings (a mobile page, simulated slow 4G and a 4× slower CPU: the scores PageSpeed Insights
gives). Each page is measured --runs times (default 3), and each category's median is shown;
the audits that cost points are listed under the table.

Target: every category ≥ 95, except the search page's SEO: that page is `noindex` on purpose
(a results page for every query would be thin content), which Lighthouse counts against it.

Run from the repository root (about a minute a run of the five pages on 2 cores):
    make bench-lighthouse                # installs Lighthouse first (npm ci), then this
    .venv/bin/python bench/lighthouse_bench.py --runs 3
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench_folder import work_folder

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
from serving import CHROMIUM_ARGS, find_chromium, free_port, serve_folder  # noqa: E402  (shared with the browser tests)
from sites import SITE_CONTENT  # noqa: E402  (the frozen test site, never the live content/)

LIGHTHOUSE = BENCH / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
HEADINGS = {"performance": "performance", "accessibility": "accessibility", "best-practices": "best practices",
            "seo": "SEO"}
TARGET = 95
SEARCH_QUERY = "คุณธรรม"
# (name, path): a story and a network page that the test site has; --story/--network change them.
STORY = "news/2023/03/moralcenter-coordination-centre/"
NETWORK = "network/religion/"
EXCEPTED = {("search", "seo")}  # noindex on purpose


@dataclass
class Result:
    """One page's runs: each category's scores (0-100) and the audits that cost points."""

    name: str
    path: str
    scores: dict[str, list[int]]
    losses: dict[str, dict[str, list[str]]]  # category -> audit id -> what it showed, each run it failed

    def median(self, category: str) -> int:
        return round(statistics.median(self.scores[category]))


def pages(story: str, network: str) -> list[tuple[str, str]]:
    return [("home", ""), ("story", story), ("network", network), ("calendar", "calendar/"),
            ("search", f"search.html?q={SEARCH_QUERY}")]


def build_site(work: Path, port: int) -> Path:
    """The test site, built like `make publish` for http://127.0.0.1:<port>."""
    content = shutil.copytree(SITE_CONTENT, work / "content")  # the build may write its record of slugs
    output = work / "output"
    command = [sys.executable, "-m", "newsroom.build", "publish", str(content), "-s", str(ROOT / "publishconf.py"),
               "-o", str(output), "-t", str(ROOT / "theme"), "--cache-path", str(work / "cache"), "--fatal", "errors"]
    env = {**os.environ, "SITEURL": f"http://127.0.0.1:{port}", "PYTHAINLP_READ_ONLY": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the test site did not build:\n{result.stdout}\n{result.stderr}")
    return output


def site_headers(site: Path) -> dict[str, str]:
    """The headers the site's `_headers` file gives every path (its `/*` block), as a static
    host that reads the file sends them."""
    headers, in_block = {}, False
    path = site / "_headers"
    if not path.is_file():
        return headers
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            in_block = line.strip() == "/*"
        elif in_block and ":" in line:
            name, _, value = line.strip().partition(":")
            headers[name.strip()] = value.strip()
    return headers


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run of `url`: its JSON report."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"]
    env = {**os.environ, "CHROME_PATH": find_chromium() or ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"Lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def losses(report: dict, category: str) -> dict[str, str]:
    """The audits of `category` that count towards its score and did not pass (Lighthouse's own
    pass mark: a score of 0.9; a metric scored 0.97 is a pass that still cost a point)."""
    audits = report["audits"]
    lost = {}
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 0.9:
            shown = audit.get("displayValue") or f"score {audit['score']:.2f}"
            lost[ref["id"]] = shown
    return lost


def measure(base: str, targets: list[tuple[str, str]], runs: int, work: Path) -> list[Result]:
    results = [Result(name, path, {c: [] for c in CATEGORIES}, {c: {} for c in CATEGORIES})
               for name, path in targets]
    for run in range(runs):  # page after page, then again: a slow minute of the machine hits every page alike
        for result in results:
            report = lighthouse(f"{base}/{result.path}", work / f"{result.name}-{run}.json")
            for category in CATEGORIES:
                score = report["categories"][category]["score"]
                result.scores[category].append(round(score * 100) if score is not None else 0)
                for audit, shown in losses(report, category).items():
                    result.losses[category].setdefault(audit, []).append(shown)
            print(f"run {run + 1}/{runs} {result.name}: " + ", ".join(
                f"{HEADINGS[c]} {result.scores[c][-1]}" for c in CATEGORIES), file=sys.stderr)
    return results


def table(results: list[Result], runs: int) -> str:
    lines = ["| page | address | " + " | ".join(HEADINGS[c] for c in CATEGORIES) + " |",
             "|---|---|" + "---:|" * len(CATEGORIES)]
    for result in results:
        cells = []
        for category in CATEGORIES:
            cell = str(result.median(category))
            if runs > 1 and len(set(result.scores[category])) > 1:
                cell += f" ({', '.join(map(str, result.scores[category]))})"
            if (result.name, category) in EXCEPTED:
                cell += " ¹"
            cells.append(cell)
        lines.append(f"| {result.name} | `/{result.path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def below_target(results: list[Result]) -> list[str]:
    return [f"{result.name} {HEADINGS[category]} {result.median(category)}"
            for result in results for category in CATEGORIES
            if (result.name, category) not in EXCEPTED and result.median(category) < TARGET]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs of each page (median shown)")
    parser.add_argument("--site", type=Path, help="a built site (make publish SITEURL=http://127.0.0.1:PORT)")
    parser.add_argument("--port", type=int, default=0, help="the port to serve on (with --site: the one of its SITEURL)")
    parser.add_argument("--story", default=STORY, help=f"the story's address in the site (default {STORY})")
    parser.add_argument("--network", default=NETWORK, help=f"the network page's address (default {NETWORK})")
    parser.add_argument("--also", nargs="*", default=[], metavar="PATH",
                        help="more pages to measure, by address in the site (faq/ en/ contact/)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a category is below the target")
    parser.add_argument("--keep", action="store_true", help="keep the built site and the Lighthouse reports")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.is_file():
        sys.exit("Lighthouse is not installed: run `make bench-lighthouse` (npm ci in bench/lighthouse/)")
    if not find_chromium():
        sys.exit("headless Chromium not found: install Debian's chromium (apt-get install chromium)")
    if args.site and not args.port:
        sys.exit("--site needs --port: the port of the SITEURL the site was published with")
    port = args.port or free_port()
    with work_folder("lighthouse-bench-", args.keep) as work:
        site = args.site or build_site(work, port)
        targets = pages(args.story.strip("/") + "/", args.network.strip("/") + "/")
        targets += [(path.strip("/") or "home", path.strip("/") + "/" if path.strip("/") else "") for path in args.also]
        for name, path in targets:
            if not ((site / path.split("?")[0]).is_file() or (site / path / "index.html").is_file()):
                sys.exit(f"the {name} page /{path} is not in {site}")
        with serve_folder(site, site_headers(site), port=port) as base:
            results = measure(base, targets, args.runs, work)
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    chromium = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"Lighthouse {version}, {chromium}, default (mobile) settings; median of {args.runs} run(s)")
    print(f"site: {'the test site, built like make publish' if not args.site else args.site}\n")
    print(table(results, args.runs))
    print("\n¹ the search page is noindex on purpose: its SEO is not held to the target\n")
    for result in results:
        for category in CATEGORIES:
            if result.losses[category]:
                print(f"{result.name}, {HEADINGS[category]}: " + "; ".join(
                    f"{audit} ({', '.join(shown)})" for audit, shown in sorted(result.losses[category].items())))
    under = below_target(results)
    print(f"\ntarget: every category ≥ {TARGET}: " + ("met" if not under else "below on " + ", ".join(under)))
    return 1 if under and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
