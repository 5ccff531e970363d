"""Shared fixtures: real builds of the test site (tests/data/site/) into temporary folders, the
same site published with `make publish`'s own command, a server for built folders and headless
Chromium: one set for the site, browser, deploy and publish tests (issue 14, point 5).

Where the test sites are is tests/sites.py, which the benchmarks (bench/) import too.
"""

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import launch_chromium, load_axe
from serving import serve_folder
from sites import HOSTILE_CONTENT, ROOT, SITE_CONTENT  # the test site, never the live content/ (tests/sites.py)

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
PUBLIC_URL = "https://news.example.org"  # the SITEURL of the test site's publish builds


@pytest.fixture(scope="session", autouse=True)
def the_test_sites_stay_as_committed():
    """Builds of tests/data/ in place must not write the record of given slugs there (a build
    writes it when it changes: tests/test_slug_record.py checks the committed ones are current)."""
    records = [folder / "slugs.json" for folder in (SITE_CONTENT, HOSTILE_CONTENT)]
    before = {path: path.read_bytes() if path.exists() else None for path in records}
    yield
    changed = [str(path) for path in records if (path.read_bytes() if path.exists() else None) != before[path]]
    assert changed == [], f"a test wrote into the repository: {changed} (restore with git checkout)"


def site_settings(content: Path, output: Path, config: str = "pelicanconf.py", **overrides):
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(ROOT)  # publishconf imports pelicanconf from the current folder
    try:
        settings = read_settings(str(ROOT / config), override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
            **overrides,
        })
    finally:
        os.chdir(cwd)
    return settings


def build(content: Path, output: Path, config: str = "pelicanconf.py", **overrides) -> None:
    """Build in this process, as pelican-plugins' own tests do."""
    from unittest import mock

    from pelican import Pelican

    # As `pelican content` would be called: pytest's own flags (`-rA`) must not look like `-r`.
    with mock.patch.object(sys, "argv", ["pelican", str(content)]):
        Pelican(site_settings(content, output, config, **overrides)).run()


def run_pelican_cli(content: Path, output: Path, config: str = "pelicanconf.py", env=None):
    """Build with the `pelican` command and `make html`'s options (`make html` itself runs
    newsroom/build.py, which lets the content report through unchanged: tests/test_publish.py)."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "pelican"), str(content), "-s", str(ROOT / config),
         "-o", str(output), "--fatal", "errors", "-t", str(ROOT / "theme")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The test site, built once from SITE_CONTENT with the development settings."""
    output = tmp_path_factory.mktemp("site")
    build(SITE_CONTENT, output)
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The test site built with publishconf.py, as `make publish` does."""
    output = tmp_path_factory.mktemp("published")
    build(SITE_CONTENT, output, "publishconf.py", SITEURL=PUBLIC_URL)
    return output


@pytest.fixture(scope="module")
def browser(request):
    """Headless Chromium for a module's browser tests (tests/browser.py), closed after the module;
    the module is skipped, with the reason, when Chromium or Python Playwright is missing."""
    with launch_chromium(f"browser tests in {request.path.name}") as chromium:
        yield chromium


@pytest.fixture(scope="module")
def axe():
    """axe-core for Playwright (tests/browser.py) for a module's accessibility checks: `axe.run(page)`;
    skips the test when axe-playwright-python is missing."""
    return load_axe()


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A throw-away copy of the test site's content, for tests that add broken files."""
    return copy_site(tmp_path / "content")


def run_build_command(mode: str, content: Path, output: Path, *options: str, env=None, timeout=300):
    """`make html` / `make publish` as the Makefile runs them: `python -m newsroom.build`."""
    return subprocess.run(
        [sys.executable, "-m", "newsroom.build", mode, str(content), "-o", str(output),
         "-t", str(ROOT / "theme"), "--cache-path", str(output.parent / f"{output.name}-cache"), *options],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout,
    )


def copy_site(target: Path, content: Path = SITE_CONTENT, files: dict[str, str] | None = None) -> Path:
    """A copy of `content` (the test site) at `target`, with `files` ({path in it: text})
    written into it; returns `target`."""
    shutil.copytree(content, target)
    for name, text in (files or {}).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def build_test_site(tmp_path_factory):
    """Builds a site in this process (`build`) into a new temporary folder and returns the
    output folder, `<tmp>/<name>N/out`:

        build_test_site(name, files=None, prepare=None, config="pelicanconf.py",
                        content=SITE_CONTENT, **settings)

    With `files` ({path in content: text}) or `prepare` (called with the content folder), a copy
    of `content` is built, `<tmp>/<name>N/content`, with the files written and `prepare` run
    first; without them, `content` itself. The fixture of a module that calls it builds once."""
    def make(name: str, *, files: dict[str, str] | None = None, prepare=None,
             config: str = "pelicanconf.py", content: Path = SITE_CONTENT, **settings) -> Path:
        root = tmp_path_factory.mktemp(name)
        if files or prepare:
            content = copy_site(root / "content", content, files)
            if prepare:
                prepare(content)
        build(content, root / "out", config, **settings)
        return root / "out"
    return make


@pytest.fixture(scope="session")
def make_publish(tmp_path_factory):
    """`make publish`'s own command (`python -m newsroom.build publish`, publishconf.py) on the
    test site, into `<tmp>/<name>N/output`, with the publish marker `make deploy` wants:

        make_publish(name, siteurl=PUBLIC_URL) -> the output folder

    Fails the calling test, with the build's last lines, when the build fails."""
    def publish(name: str, siteurl: str = PUBLIC_URL) -> Path:
        output = tmp_path_factory.mktemp(name) / "output"
        result = run_build_command("publish", SITE_CONTENT, output, env={"SITEURL": siteurl})
        assert result.returncode == 0, result.stderr[-3000:]
        return output
    return publish


@pytest.fixture(scope="session")
def made_public(make_publish) -> Path:
    """The test site after `make publish` (SITEURL PUBLIC_URL), once for the session: read it, or
    work on a copy (nothing else may be written into its folder)."""
    return make_publish("made-public")


@pytest.fixture(scope="module")
def serve():
    """Serves built folders over HTTP on 127.0.0.1 (tests/serving.py) until the module's tests
    are done: `serve(folder, headers=None, delays=None)` returns the base URL (no trailing slash);
    every response carries `headers`, and each path of `delays` is answered that many seconds late."""
    with contextlib.ExitStack() as servers:
        yield lambda folder, headers=None, delays=None: servers.enter_context(serve_folder(folder, headers, delays))


# Fixtures that build a whole site (these, and those a test module names in its own SITE_BUILDS):
# whichever test asks for one first pays for the build, seconds that grow with the site's
# content, so every test that uses one, itself or through another fixture, is marked `slow`
# (pyproject.toml), left out by `make test-fast`.
SITE_BUILDS = {"site", "published_site", "build_test_site", "make_publish"}


def pytest_collection_modifyitems(items):
    for item in items:
        builds = SITE_BUILDS | getattr(getattr(item, "module", None), "SITE_BUILDS", set())
        if builds & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
