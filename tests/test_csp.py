"""Defence in depth on plain hosts (issue 13): every page carries the site's Content-Security-Policy
in a <meta> tag, so that a host that sends no headers (GitHub Pages) still blocks inline script.

One policy, `CONTENT_SECURITY_POLICY` in pelicanconf.py: the header files say the same
(tests/test_deploy.py), and the meta tag says it less what a meta tag cannot carry.
"""

import re
import runpy
import shutil

import pytest
from bs4 import BeautifulSoup

from browser import serve_folder
from conftest import ROOT
from thainews.csp import meta_policy

SETTING = runpy.run_path(str(ROOT / "pelicanconf.py"))["CONTENT_SECURITY_POLICY"]
# Written out here rather than computed with meta_policy: the header's policy less frame-ancestors.
EXPECTED_META = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                 "connect-src 'self'; frame-src https://www.youtube-nocookie.com; object-src 'none'; "
                 "base-uri 'self'; form-action 'self'")
ARTICLE = "news/2023/03/moralcenter-coordination-centre/index.html"


def policy_metas(page: BeautifulSoup) -> list:
    return page.find_all("meta", attrs={"http-equiv": re.compile(r"^content-security-policy$", re.IGNORECASE)})


def test_meta_policy_leaves_out_what_a_meta_tag_cannot_carry():
    header = ("default-src 'self';  script-src 'self' ; frame-ancestors 'none'; report-uri /csp; "
              "Report-To csp; sandbox allow-forms; upgrade-insecure-requests")
    assert meta_policy(header) == "default-src 'self'; script-src 'self'; upgrade-insecure-requests"
    assert meta_policy(SETTING) == EXPECTED_META
    assert meta_policy("") == ""


@pytest.mark.slow
@pytest.mark.parametrize("build", ["site", "published_site"])
def test_every_page_carries_the_policy_first(build, request):
    site = request.getfixturevalue(build)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        metas = policy_metas(page)
        assert len(metas) == 1, path
        assert metas[0]["content"] == EXPECTED_META, path
        # Right after <meta charset>: before it, nothing a policy could govern has been read.
        first, second = page.head.find_all(True)[:2]
        assert first.name == "meta" and first.get("charset") == "utf-8", path
        assert second is metas[0], path


def served_title(site_copy, page: str, chromium) -> tuple[str, list[str]]:
    """Load `page` from a server that sends no headers at all; the title after load and the
    console's errors (Chromium reports a blocked script there)."""
    with serve_folder(site_copy) as url:
        context = chromium.new_context()
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1)"), lambda route: route.abort())
        tab.goto(f"{url}/{page}", wait_until="load")
        title = tab.title()
        context.close()
    return title, errors


@pytest.mark.browser
def test_an_injected_inline_script_does_not_run_on_a_host_without_headers(site, tmp_path, browser):
    site_copy = tmp_path / "site"
    shutil.copytree(site, site_copy)
    target = site_copy / ARTICLE
    original = target.read_text(encoding="utf-8")
    injected = '<script>document.title = "injected"</script><img src="x.png" alt="" onerror="document.title = \'handler\'">'
    target.write_text(original.replace("<main ", injected + "<main ", 1), encoding="utf-8")
    # The same injection into a copy without the meta tag: it runs, so the tag is what stops it.
    bare = site_copy / "bare.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', "", target.read_text(encoding="utf-8")),
                    encoding="utf-8")
    title, errors = served_title(site_copy, ARTICLE, browser)
    bare_title, _ = served_title(site_copy, "bare.html", browser)
    assert title == BeautifulSoup(original, "html.parser").title.string
    assert any("Content Security Policy" in error for error in errors), errors
    assert bare_title in ("injected", "handler")
