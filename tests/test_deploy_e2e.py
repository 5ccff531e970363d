"""Deployment end to end: `make publish` (newsroom/build.py), `make deploy` to a folder, the shipped
deploy/nginx.conf serving it, and a reader's visit in headless Chromium (Debian's, driven by
Playwright; Playwright never downloads a browser here).

One build, one nginx and one browser for the module. The visit opens the home page, follows
the first article, searches with the header box and opens a network page. Each page is
checked afterwards: no console error (Chromium reports CSP violations there), no failed
request, no request to any host but 127.0.0.1, the Content-Security-Policy of
deploy/nginx.conf on every HTML response, and no serious or critical axe-core violation.
Screenshots at 360 and 1280 px go to test-artifacts/screenshots/ (git-ignored).
"""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from browser import leaves_localhost
from conftest import ROOT
from serving import nginx_policies

# Every test here drives headless Chromium (tests/browser.py), and is slow too: the module builds
# a site and starts Chromium first. `pytest -m "not slow and not browser"` leaves them out.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

NO_NGINX = "nginx is not installed: install Debian's nginx-light (apt-get install nginx-light)"
NO_RSYNC = "rsync is not installed (apt-get install rsync): `make deploy` needs it"
SHIPPED_CONF = ROOT / "deploy" / "nginx.conf"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (360, 1280)
QUERY = "คุณธรรม"
NETWORK_PATH = "/network/religion/"
SERIOUS = ("serious", "critical")


def find_nginx() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shipped_policy() -> str:
    policies, _ = nginx_policies(SHIPPED_CONF.read_text(encoding="utf-8"))  # the site's, not the editor's
    assert len(policies) == 1, policies
    return policies.pop()


def server_block(port: int, root: Path) -> str:
    """deploy/nginx.conf with only its `# test:` lines replaced."""
    replacements = {"listen": f"listen 127.0.0.1:{port};",
                    "server_name": "server_name 127.0.0.1;",
                    "root": f"root {root};"}
    replaced, lines = [], []
    for line in SHIPPED_CONF.read_text(encoding="utf-8").splitlines():
        marked = re.search(r"#\s*test:\s*(\w+)\s*$", line)
        if marked:
            key = marked.group(1)
            assert key in replacements, f"unknown '# test:' line in deploy/nginx.conf: {line!r}"
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + replacements[key]
            replaced.append(key)
        lines.append(line)
    assert sorted(replaced) == sorted(replacements), f"deploy/nginx.conf '# test:' lines: {replaced}"
    return "\n".join(lines)


def nginx_conf(tmp: Path, port: int, www: Path) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the temp folder
    block = "\n".join("    " + line if line else line for line in server_block(port, www).splitlines())
    return f"""{user}worker_processes 1;
error_log {tmp}/logs/error.log warn;
pid {tmp}/logs/nginx.pid;

events {{
    worker_connections 64;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    sendfile on;

{block}
}}
"""


# ---------------------------------------------------------------------------------------------
# Fixtures: build, deploy, serve, browse.

@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def base_url(port) -> str:
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def deployed(make_publish, base_url) -> Path:
    """Built with publishconf.py for this server's address, then uploaded with `make deploy`."""
    if shutil.which("rsync") is None:
        pytest.skip(NO_RSYNC)
    built = make_publish("deploy-e2e", siteurl=base_url)  # `make publish`
    tmp = built.parent
    www = tmp / "www"
    www.mkdir()
    result = subprocess.run(["make", "-s", "deploy", f"OUTPUT={built}", f"DEPLOY_TARGET={www}/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (www / "index.html").read_bytes() == (built / "index.html").read_bytes()
    assert (www / NETWORK_PATH.strip("/") / "index.html").is_file(), "the religion network page is missing"
    return www


@pytest.fixture(scope="module")
def server(deployed, port, base_url):
    """The shipped nginx server block serving the deployed folder; stopped at the end."""
    nginx = find_nginx()
    if not nginx:
        pytest.skip(NO_NGINX)
    tmp = deployed.parent
    for folder in ("logs", "temp"):
        (tmp / folder).mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_conf(tmp, port, deployed), encoding="utf-8")
    command = [nginx, "-p", f"{tmp}/", "-e", f"{tmp}/logs/error.log", "-c", str(conf)]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"nginx -t rejected the configuration:\n{check.stderr}\n{conf.read_text()}"
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()

    deadline = time.monotonic() + 15
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                log = (tmp / "logs" / "error.log")
                pytest.fail(f"nginx exited with {process.returncode}:\n{output}\n"
                            f"{log.read_text() if log.exists() else ''}")
            try:
                with urllib.request.urlopen(f"{base_url}/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"nginx did not answer on {base_url} within 15 s")
            time.sleep(0.1)
        yield base_url
    finally:
        stop()


class Visit:
    """One tab, and everything each page it showed did."""

    def __init__(self, page):
        self.page = page
        self.current = "start"
        self.console_errors: list[tuple[str, str]] = []
        self.failures: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.documents: list[tuple[str, str, dict]] = []  # (page, url, headers)
        self.violations: list[tuple[str, int, dict]] = []  # (page, width, axe violation)
        page.on("console", lambda message: message.type == "error"
                and self.console_errors.append((self.current, f"{message.text} ({message.location.get('url', '')})")))
        page.on("pageerror", lambda error: self.console_errors.append((self.current, f"uncaught: {error}")))
        page.on("request", lambda request: self.requests.append((self.current, request.url)))
        page.on("requestfailed", lambda request: self.failures.append(
            (self.current, f"{request.method} {request.url}: {request.failure}")))
        page.on("response", self._response)

    def _response(self, response):
        if response.status >= 400:
            self.failures.append((self.current, f"HTTP {response.status} {response.url}"))
        if response.request.resource_type == "document" or \
                response.headers.get("content-type", "").startswith("text/html"):
            self.documents.append((self.current, response.url, response.all_headers()))


@pytest.fixture(scope="module")
def visit(server, browser, axe) -> Visit:
    """The reader's path through the deployed site, recorded once for the module's checks."""
    context = browser.new_context(locale="th-TH", viewport={"width": WIDTHS[-1], "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen = Visit(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def inspect(name: str):
        """Screenshots at every width and axe at every width (the layouts differ)."""
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(100)  # let the layout settle after the resize
            page.screenshot(path=str(SCREENSHOTS / f"deploy-{name}-{width}.png"), full_page=True)
            for violation in axe.run(page).response["violations"]:
                seen.violations.append((name, width, violation))
        page.set_viewport_size({"width": WIDTHS[-1], "height": 900})

    try:
        seen.current = "home"
        page.goto(f"{server}/", wait_until="load")
        inspect("home")

        seen.current = "article"
        first = page.locator("main .card-title a").first
        href = first.get_attribute("href")
        assert href and urlparse(href).hostname == "127.0.0.1", href
        with page.expect_navigation(wait_until="load"):
            first.click()
        assert page.url == href
        assert page.locator("main h1").count() >= 1
        inspect("article")

        seen.current = "search"
        page.fill("#site-search-q", QUERY)
        with page.expect_navigation(wait_until="load"):
            page.press("#site-search-q", "Enter")
        assert page.url == f"{server}/search.html?{urlencode({'q': QUERY})}"
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
        assert page.locator("#search-results > li").count() > 0, page.locator("#search-status").text_content()
        inspect("search")

        seen.current = "network"
        response = page.goto(f"{server}{NETWORK_PATH}", wait_until="load")
        assert response is not None and response.status == 200
        inspect("network")
        seen.current = "done"
        yield seen
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# Checks on what the visit recorded.

def test_the_visit_reached_every_page(visit):
    assert {name for name, _, _ in visit.documents} >= {"home", "article", "search", "network"}


def test_no_console_errors_or_csp_violations(visit):
    assert visit.console_errors == [], "console errors:\n" + "\n".join(f"[{p}] {t}" for p, t in visit.console_errors)


def test_no_failed_requests(visit):
    assert visit.failures == [], "failed requests:\n" + "\n".join(f"[{p}] {t}" for p, t in visit.failures)


def test_no_request_leaves_the_server(visit):
    foreign = [(name, url) for name, url in visit.requests if leaves_localhost(url)]
    assert foreign == [], "requests to other hosts:\n" + "\n".join(f"[{p}] {u}" for p, u in foreign)


def test_every_html_response_carries_the_shipped_policy(visit):
    policy = shipped_policy()
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    wrong = [(name, url, headers.get("content-security-policy")) for name, url, headers in visit.documents
             if headers.get("content-security-policy") != policy]
    assert wrong == [], "HTML responses without the policy of deploy/nginx.conf:\n" + "\n".join(map(str, wrong))
    for _, _, headers in visit.documents:
        assert headers.get("x-content-type-options") == "nosniff"


def test_no_serious_accessibility_violations(visit):
    found = {}
    for name, width, violation in visit.violations:
        if violation.get("impact") not in SERIOUS:
            continue
        for node in violation.get("nodes", []):
            key = (name, violation["id"], str(node.get("target")))
            found.setdefault(key, (violation, node, []))[2].append(width)
    report = [f"[{name} @ {'/'.join(map(str, widths))}px] {rule} ({violation['impact']}): {violation['help']}\n"
              f"    target: {node.get('target')}\n    {node.get('html', '')[:200]}\n"
              f"    {node.get('failureSummary', '').strip()}"
              for (name, rule, _), (violation, node, widths) in found.items()]
    assert not report, "axe-core found serious or critical violations:\n" + "\n".join(report)


def test_screenshots_were_taken(visit):
    for name in ("home", "article", "search", "network"):
        for width in WIDTHS:
            shot = SCREENSHOTS / f"deploy-{name}-{width}.png"
            assert shot.is_file() and shot.stat().st_size > 1000, shot


def test_scripts_are_always_revalidated_so_a_new_index_never_meets_an_old_script(server, base_url):
    """A script cached for a week would read a search index of a newer format after a publish
    (format 2 of this round) and search would stop working for returning readers."""
    expected = {"/theme/js/search.js": "no-cache", "/theme/js/search-text.js": "no-cache",
                "/search/manifest.json": "no-cache", "/theme/css/site.css": "public, max-age=604800"}
    for path, cache_control in expected.items():
        with urllib.request.urlopen(f"{base_url}{path}") as response:
            assert response.headers["Cache-Control"] == cache_control, path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Content-Security-Policy"] == shipped_policy(), path
    # The same rules for hosts that read _headers (Netlify, Cloudflare Pages).
    rules, pattern = {}, None
    # live content: the deployment's _headers (what Netlify and Cloudflare Pages read), not news
    for line in (ROOT / "content" / "extra" / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            pattern = line.strip()
        elif line.strip() and not line.lstrip().startswith("#") and pattern:
            name, _, value = line.strip().partition(":")
            rules.setdefault(pattern, {})[name] = value.strip()
    assert rules["/theme/js/*"]["Cache-Control"] == "no-cache"
    assert rules["/search/manifest.json"]["Cache-Control"] == "no-cache"
    assert not any(pattern in rules for pattern in ("/theme/*", "/*.js"))  # nothing that would cache scripts a week too
