"""Publishing to plain hosting: drafts, sub-paths, links, headers, `make deploy`, `make github`."""

import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from linkcheck import broken_links
from newsroom.desk_site import hosted_backend, hosted_policy
from serving import nginx_policies

DRAFT = "Title: ข่าวฉบับร่างยังไม่เผยแพร่\nDate: 2567-02-01\nStatus: draft\nSlug: secret-draft\n\nร่างข่าวที่ยังไม่เผยแพร่\n"


@pytest.fixture(scope="module")
def with_draft(build_test_site) -> dict[str, Path]:
    """The test site with a draft: its preview build and its publish build under a sub-path."""
    files = {"news/2567/draft.md": DRAFT}
    return {"preview": build_test_site("drafts", files=files),
            "public": build_test_site("drafts", files=files, config="publishconf.py", SITEURL="https://example.org/news")}


def all_text(folder):
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt"))


def test_drafts_show_in_preview_only(with_draft):
    preview, public = with_draft["preview"], with_draft["public"]
    assert (preview / "drafts" / "secret-draft" / "index.html").is_file()
    assert "ข่าวฉบับร่างยังไม่เผยแพร่" in (preview / "drafts" / "index.html").read_text(encoding="utf-8")
    assert not (public / "drafts").exists()
    assert "ข่าวฉบับร่างยังไม่เผยแพร่" not in all_text(public)
    assert "secret-draft" not in all_text(public)


def test_the_site_works_under_a_sub_path(with_draft):
    public = with_draft["public"]
    assert broken_links(public, "https://example.org/news") == []
    home = (public / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/news/theme/css/site.css"' in home
    assert re.search(r'href="/(?!/)', home) is None  # nothing points at the host's root
    search = (public / "search.html").read_text(encoding="utf-8")
    assert 'data-index="https://example.org/news/search/manifest.json"' in search


def test_links_in_the_preview_build_resolve(site):
    assert broken_links(site) == []


def test_link_checker_finds_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="/missing/">x</a><img src="/theme/x.png" alt="">', encoding="utf-8")
    assert len(broken_links(tmp_path)) == 2


def test_headers_file_and_nginx_config_carry_the_same_policy(site):
    """...and it is CONTENT_SECURITY_POLICY, the policy every page also carries in a <meta> tag
    (tests/test_csp.py): one policy, written in three places that must agree."""
    assert (site / "_headers").is_file()  # extra/_headers is published with the site
    # live content: _headers is the deployment policy file, not news; the real one must agree
    headers = (ROOT / "content" / "extra" / "_headers").read_text(encoding="utf-8")
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    policy = re.search(r"Content-Security-Policy: (.+)", headers).group(1).strip()
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    site_policies, editor_policies = nginx_policies(nginx)
    assert site_policies == {policy}
    # the hosted editor's location carries the editor's policy (for DESK_HOSTED=github), not the site's
    hosted = hosted_policy(hosted_backend({"DESK_HOSTED": "github", "DESK_REPO": "a/b", "DESK_AUTH_URL": "https://x.org"}))
    assert editor_policies == [hosted]
    assert policy == runpy.run_path(str(ROOT / "pelicanconf.py"))["CONTENT_SECURITY_POLICY"]


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")
def test_make_deploy_to_a_local_folder_uploads_only_changes(made_public, tmp_path):
    site = made_public
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("old page", encoding="utf-8")

    def deploy():
        return subprocess.run(["make", "-s", "deploy", f"OUTPUT={site}", f"DEPLOY_TARGET={target}/"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)

    first = deploy()
    assert first.returncode == 0, first.stderr
    assert (target / "index.html").read_bytes() == (site / "index.html").read_bytes()
    assert not (target / "stale.html").exists()  # --delete
    assert not (target / ".publish-complete.json").exists()  # the marker stays at home
    second = deploy()
    assert second.returncode == 0
    assert not [line for line in second.stdout.splitlines() if line.startswith(">f")]  # nothing sent again


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")
def test_make_deploy_refuses_a_preview_build(site, tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    result = subprocess.run(["make", "-s", "deploy", f"OUTPUT={site}", f"DEPLOY_TARGET={target}/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "make publish" in result.stderr, result.stdout + result.stderr
    assert list(target.iterdir()) == []


def test_make_deploy_explains_what_is_missing(tmp_path):
    result = subprocess.run(["make", "-s", "deploy", f"OUTPUT={tmp_path}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "DEPLOY_TARGET" in result.stdout + result.stderr


def test_make_github_puts_the_published_site_on_the_gh_pages_branch(published_site, tmp_path):
    """`make github` = `make publish`, then ghp-import. The published site is the fixture's; the
    ghp-import command is the Makefile's own (`make -n`), run in a scratch repository, not this one."""
    bin_folder = Path(sys.executable).parent
    dry = subprocess.run(["make", "-n", "github", f"OUTPUT={published_site}", f"BIN={bin_folder}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert any("publishconf.py" in line for line in dry.stdout.splitlines())  # it publishes first
    command = shlex.split(next(line for line in dry.stdout.splitlines() if "ghp-import" in line))
    repo = tmp_path / "repo"
    repo.mkdir()
    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    environment = {**os.environ, **identity}
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=environment)
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode == 0, result.stderr

    def on_branch(path):
        return subprocess.run(["git", "show", f"gh-pages:{path}"], cwd=repo, capture_output=True, check=True).stdout

    assert on_branch("index.html") == (published_site / "index.html").read_bytes()
    assert on_branch(".nojekyll") == b""  # GitHub Pages serves folders starting with _ as they are
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout.split()
    assert len(listed) == sum(1 for path in published_site.rglob("*") if path.is_file()) + 1
