"""Shared fixtures: real builds of the test site (tests/data/site/) into temporary folders."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sites import ROOT, SITE_CONTENT  # the test site, never the live content/ (tests/sites.py)

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


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
    build(SITE_CONTENT, output, "publishconf.py", SITEURL="https://news.example.org")
    return output


@pytest.fixture(scope="module")
def browser(request):
    """Headless Chromium for a module's browser tests (tests/browser.py), closed after the module;
    the module is skipped, with the reason, when Chromium or Python Playwright is missing."""
    from browser import launch_chromium  # here, not at the top: tests/browser.py imports conftest

    with launch_chromium(f"browser tests in {request.path.name}") as chromium:
        yield chromium


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A throw-away copy of the test site's content, for tests that add broken files."""
    target = tmp_path / "content"
    shutil.copytree(SITE_CONTENT, target)
    return target


def run_build_command(mode: str, content: Path, output: Path, *options: str, env=None, timeout=300):
    """`make html` / `make publish` as the Makefile runs them: `python -m newsroom.build`."""
    return subprocess.run(
        [sys.executable, "-m", "newsroom.build", mode, str(content), "-o", str(output),
         "-t", str(ROOT / "theme"), "--cache-path", str(output.parent / f"{output.name}-cache"), *options],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout,
    )


# Fixtures that build a whole site (these two, and those a test module names in its own
# SITE_BUILDS): whichever test asks for one first pays for the build, seconds that grow with
# the site's content, so every test that uses one is marked `slow` (pyproject.toml), left out by
# `make test-fast`.
SITE_BUILDS = {"site", "published_site"}


def pytest_collection_modifyitems(items):
    for item in items:
        builds = SITE_BUILDS | getattr(getattr(item, "module", None), "SITE_BUILDS", set())
        if builds & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
