"""What the browser end-to-end tests share: find Debian's Chromium and launch it headless through
Python Playwright (which never downloads a browser here), skipping with a clear reason when either
is missing; and serve a built site over HTTP on 127.0.0.1 with the headers a test asks for
(tests/serving.py, which the benchmarks share).
"""

import re
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

from conftest import ROOT
from serving import CHROMIUM_ARGS, find_chromium, serve_folder  # noqa: F401 (serve_folder: for the tests)


@contextmanager
def launch_chromium(tests: str):
    """Headless Chromium, driven by Playwright, closed on leaving.

    Skips the calling test (or module fixture) when Chromium or Python Playwright is missing;
    `tests` names them in the reason: "... to run the {tests}".
    """
    executable = find_chromium()
    if not executable:
        pytest.skip("headless Chromium not found: install Debian's chromium (apt-get install chromium) "
                    f"to run the {tests}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(f"Python Playwright is not installed (pip install -r requirements.txt) to run the {tests}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def site_policy() -> str:
    """The Content-Security-Policy the site is deployed with (content/extra/_headers)."""
    headers = (ROOT / "content" / "extra" / "_headers").read_text(encoding="utf-8")
    return re.search(r"Content-Security-Policy: (.+)", headers).group(1).strip()


def leaves_localhost(url: str) -> bool:
    """Whether the browser asked a host other than 127.0.0.1 (data:, blob: and about: stay in the page)."""
    parsed = urlparse(url)
    return parsed.scheme not in ("data", "blob", "about") and parsed.hostname != "127.0.0.1"
