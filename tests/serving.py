"""Serving a built site on 127.0.0.1 and launching Debian's Chromium: shared by the browser tests
(tests/browser.py and the `browser` fixture in tests/conftest.py, which turn what is missing into
pytest's skips) and the search benchmarks (bench/), which exit with the message instead.
Nothing here imports pytest.
"""

import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

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


def chromium_problem() -> str | None:
    """What is missing to launch Chromium through Playwright, or None when nothing is."""
    if not find_chromium():
        return "headless Chromium not found: install Debian's chromium (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401 (only whether it is there)
    except ImportError:
        return "Python Playwright is not installed (.venv/bin/python -m pip install -r requirements.txt)"
    return None


@contextmanager
def headless_chromium():
    """Headless Chromium, driven by Playwright (which never downloads a browser here), closed on
    leaving. Check chromium_problem() first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class _Handler(SimpleHTTPRequestHandler):
    """Static files, with `headers` added to every response (error pages included), each path of
    `delays` answered that many seconds late (a slow network for one file); no request log."""

    # What a static host sends: modules and WebAssembly (Pagefind's) need their own types.
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                      ".wasm": "application/wasm", ".css": "text/css", ".html": "text/html; charset=utf-8"}

    def __init__(self, *args, headers: dict[str, str], delays: dict[str, float], **kwargs):
        self.extra_headers = headers  # before super().__init__, which handles the request
        self.delays = delays
        super().__init__(*args, **kwargs)

    def send_head(self):
        time.sleep(self.delays.get(self.path.split("?", 1)[0], 0))
        return super().send_head()

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):  # quiet: failures are reported, not every request
        pass


@contextmanager
def serve_folder(folder: Path, headers: dict[str, str] | None = None,
                 delays: dict[str, float] | None = None, port: int = 0) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1 (`port`, else a free one) from a thread, adding
    `headers` to every response and answering each path of `delays` ({"/theme/js/x.js": seconds})
    that late; yields the base URL (no trailing slash) and stops the server on leaving."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, headers=headers or {}, delays=delays or {},
                                                              directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url: str) -> str:
    """The page at `url` as text, or "" when it cannot be had (not there yet, server starting)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def nginx_policies(conf: str) -> tuple[set[str], list[str]]:
    """The Content-Security-Policy headers of an nginx config (deploy/nginx.conf): those of the
    site, and those of its `location /admin/` block (the hosted editor's own policy)."""
    header = r'Content-Security-Policy "([^"]+)"'
    editor = re.search(r"location /admin/ \{(.*?)\n    \}", conf, re.S)
    site = conf.replace(editor.group(0), "") if editor else conf
    return set(re.findall(header, site)), re.findall(header, editor.group(1)) if editor else []
