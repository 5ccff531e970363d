"""What the browser end-to-end tests share: find Debian's Chromium and launch it headless through
Python Playwright (which never downloads a browser here), skipping with a clear reason when either
is missing; and serve a built site over HTTP on 127.0.0.1 with the headers a test asks for.
"""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def find_chromium() -> str | None:
    """The Chromium executable: `chromium` on the PATH, else Debian's /usr/bin/chromium."""
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


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


class _HeadersHandler(SimpleHTTPRequestHandler):
    """Static files, with `headers` added to every response (error pages included); no request log."""

    def __init__(self, *args, headers: dict[str, str], **kwargs):
        self.extra_headers = headers  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):  # quiet: pytest shows failures, not every request
        pass


@contextmanager
def serve_folder(folder: Path, headers: dict[str, str]) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1 (a free port) from a thread, adding `headers` to
    every response; yields the base URL (no trailing slash) and stops the server on leaving."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_HeadersHandler, headers=headers, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def leaves_localhost(url: str) -> bool:
    """Whether the browser asked a host other than 127.0.0.1 (data:, blob: and about: stay in the page)."""
    parsed = urlparse(url)
    return parsed.scheme not in ("data", "blob", "about") and parsed.hostname != "127.0.0.1"
