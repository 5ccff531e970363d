"""What the browser end-to-end tests share: Debian's Chromium launched headless through Python
Playwright (which never downloads a browser here), skipping with a clear reason when either is
missing (the `browser` fixture in tests/conftest.py uses this); and serving a built site over
HTTP on 127.0.0.1 with the headers a test asks for (for a whole module: the `serve` fixture).
Both come from tests/serving.py, which the benchmarks share.
"""

import re
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

from serving import chromium_problem, headless_chromium, serve_folder  # noqa: F401 (serve_folder: for the tests)
from sites import ROOT


@contextmanager
def launch_chromium(tests: str):
    """Headless Chromium, driven by Playwright, closed on leaving.

    Skips the calling test (or module fixture) when Chromium or Python Playwright is missing;
    `tests` names them in the reason: "... to run the {tests}".
    """
    problem = chromium_problem()
    if problem:
        pytest.skip(f"{problem} to run the {tests}")
    with headless_chromium() as chromium:
        yield chromium


def site_policy() -> str:
    """The Content-Security-Policy the site is deployed with (content/extra/_headers)."""
    # live content: _headers is the deployment policy file, not news; the tests hold the site to the real one
    headers = (ROOT / "content" / "extra" / "_headers").read_text(encoding="utf-8")
    return re.search(r"Content-Security-Policy: (.+)", headers).group(1).strip()


def leaves_localhost(url: str) -> bool:
    """Whether the browser asked a host other than 127.0.0.1 (data:, blob: and about: stay in the page)."""
    parsed = urlparse(url)
    return parsed.scheme not in ("data", "blob", "about") and parsed.hostname != "127.0.0.1"


def load_axe():
    """axe-core for Playwright (axe-playwright-python), skipping the caller when it is missing."""
    module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python is not installed (pip install -r requirements.txt)")
    return module.Axe()
