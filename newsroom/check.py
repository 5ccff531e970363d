"""`make check`: check all content without building the site.

The same checks as the build (plugins/strict_content reads every file with the same
validator), and also: pictures in stories exist and have alt text, links inside the site lead
somewhere, titles fit on a share card. Prints `file:line: message` in Thai and English; exits 1
when there are errors, 0 with warnings only.
"""

import argparse
import re
import sys
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from newsroom import ROOT
from thainews.problems import Problem

SHARE_CARD_TITLE_CHARS = 90  # about three lines on a 1200×630 card
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"', re.IGNORECASE)


def read_site(settings_file: Path, content: Path | None):
    """Read every content file through Pelican and our plugins, writing nothing."""
    from pelican import Pelican
    from pelican.settings import read_settings

    overrides = {"PATH": str(content)} if content else {}
    overrides["OUTPUT_PATH"] = tempfile.mkdtemp(prefix="newsroom-check-")
    settings = read_settings(str(settings_file), override=overrides)
    pelican = Pelican(settings)
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
    generators = [cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                      output_path=pelican.output_path) for cls in pelican._get_generator_classes()]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    return settings, context, generators


def _line_of(source: str, needle: str) -> int:
    index = source.find(needle)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def site_urls(context, settings) -> set[str]:
    """Every path the build would publish, without a leading slash."""
    urls = {"", "search.html", "404.html", "sitemap.xml", "robots.txt"}
    for item in [*context.get("articles", []), *context.get("pages", []), *context.get("drafts", [])]:
        urls.add(item.url)
    for key in ("categories", "tags"):
        urls.update(item.url for item, _articles in context.get(key, []))
    urls.update(network.url for network in context.get("NETWORKS", []))
    urls.add(context.get("NETWORKS_URL", "network/"))
    urls.add(settings.get("ARCHIVES_URL", "news/"))
    urls.update(context.get("CALENDAR_SITEMAP", {}))  # calendar, month and event pages
    for save_as in settings.get("TEMPLATE_PAGES", {}).values():  # the site map page (sitemap/), …
        urls.add(save_as.removesuffix("index.html"))
    content = Path(settings["PATH"])
    for folder in settings["STATIC_PATHS"]:
        for path in (content / folder).rglob("*"):
            if path.is_file():
                urls.add(str(path.relative_to(content)))
    return urls


def body_problems(context, settings) -> list[Problem]:
    problems: list[Problem] = []
    urls = site_urls(context, settings)
    root = Path(settings["PATH"]).resolve().parent

    def known(target: str, link: bool) -> bool:
        return "{" not in target and (target in urls or (link and target.rstrip("/") + "/" in urls))

    for item in [*context.get("articles", []), *context.get("pages", []), *context.get("drafts", [])]:
        shown = str(Path(item.source_path).resolve().relative_to(root))
        source = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
        problems += page_problems(shown, source, item.content, item.url, getattr(item, "title", ""),
                                  settings.get("SITEURL", ""), known)
    return problems


def page_problems(shown: str, source: str, html: str, page_url: str, title: str, siteurl: str,
                  known) -> list[Problem]:
    """The problems of one story's or page's HTML: pictures that are not on the site or have no
    alt text, links that lead nowhere on it, a title too long for the share card. `known(target,
    link)`: is the site path `target` (of a picture; of a link when `link`) on the site? True,
    False, or None when that cannot be told (the officers' desk, which has no built site:
    newsroom/desk_check.py)."""
    problems: list[Problem] = []
    for tag in _IMG.findall(html):
        attrs = dict(_ATTR.findall(tag))
        src = unescape(attrs.get("src", ""))
        target = _local_path(src, siteurl, page_url)
        needle = Path(src).name or src
        if target is not None and known(target, False) is False:
            problems.append(Problem(shown, _line_of(source, needle), "",
                                    f"ไม่พบรูป '{src}': วางรูปไว้ใน content/images/ แล้วอ้างถึงเป็น {{static}}/images/ชื่อไฟล์",
                                    f"the picture '{src}' was not found: put it in content/images/ and link it as {{static}}/images/file-name"))
        if not attrs.get("alt", "").strip():
            problems.append(Problem(shown, _line_of(source, needle), "",
                                    f"รูป '{src}' ไม่มีคำบรรยาย: เขียนเป็น ![บอกว่าในรูปมีอะไร]({src})",
                                    f"the picture '{src}' has no alt text: write it as ![what the picture shows]({src})",
                                    severity="warning"))
    for href in _LINK.findall(html):
        href = unescape(href)
        target = _local_path(href, siteurl, page_url)
        if target is not None and known(target, True) is False:
            problems.append(Problem(shown, _line_of(source, href.split("}")[-1] or href), "",
                                    f"ลิงก์ '{href}' ไม่ได้พาไปหน้าใดในเว็บไซต์: ตรวจชื่อไฟล์หรือที่อยู่ (เช่น {{filename}}/news/2566/ชื่อไฟล์.md)",
                                    f"the link '{href}' leads nowhere on the site: check the file name or address (e.g. {{filename}}/news/2566/file.md)"))
    if len(title) > SHARE_CARD_TITLE_CHARS:
        problems.append(Problem(shown, _line_of(source, "Title:"), "Title",
                                f"หัวข้อยาว {len(title)} ตัวอักษร ภาพแชร์จะแสดงได้ไม่ครบ (เกิน {SHARE_CARD_TITLE_CHARS}): ลองย่อหัวข้อ",
                                f"the title is {len(title)} characters long and will be cut on the share card (over {SHARE_CARD_TITLE_CHARS}): consider a shorter one",
                                severity="warning"))
    return problems


def _local_path(url: str, siteurl: str, page_url: str = "") -> str | None:
    """The site-relative path of a link to this site, or None for other sites and anchors.

    A relative link (`../network/religion/`) is read from the page it is on, as a browser would.
    """
    if url.startswith("{"):
        return url  # an unresolved {filename} or {static} link
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl):]
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path or url.startswith("#"):
        return None
    path = unquote(parsed.path)
    if not path.startswith("/"):
        path = urlparse(urljoin("http://site.invalid/" + page_url, path)).path
    return path.lstrip("/")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check all content without building the site")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--content", default=None, help="the content folder (default: the settings' PATH)")
    args = parser.parse_args(argv)
    from buildcore import collect_problems  # the build's report: what the readers and plugins/strict_content found

    settings, context, generators = read_site(Path(args.settings), Path(args.content) if args.content else None)
    problems = sorted(set(collect_problems(generators) + body_problems(context, settings)))
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in problems:
        prefix = "" if problem.severity == "error" else "คำเตือน/warning: "
        field = f" [{problem.field}]" if problem.field else ""
        print(f"{problem.path}:{problem.line}:{field} {prefix}{problem.thai}\n    {problem.english}")
    articles = len(context.get("articles", [])) + len(context.get("drafts", []))
    events = len(context.get("events", []))
    print(f"ตรวจ {articles} ข่าว {len(context.get('pages', []))} หน้า {events} กิจกรรม: ข้อผิดพลาด {len(errors)} คำเตือน {len(warnings)}\n"
          f"checked {articles} articles, {len(context.get('pages', []))} pages and {events} events: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
