"""strict_content's checks of the whole site, made once every file is read (the reader, in
strict_content.py, checks one file at a time): files Pelican would ignore without a word, links
(symlinks, `{static}`) that leave content/, files that would run as pages or scripts of the
site, unsafe SVG, articles with one slug and files with one URL.

`site_problems` is connected to `buildcore.site_checks`, so its problems join the build's one
report (and `make check`'s).
"""

import os
from pathlib import Path, PurePosixPath

from buildcore import display_path
from thainews.images import svg_problem
from thainews.paths import RUNNABLE_SUFFIXES, content_file, runnable_file_problem, walk_content
from thainews.problems import Problem, line_of_field

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif"}


def _stray_files(settings, extensions) -> list[Problem]:
    """Files in the news, pages and events folders that Pelican would ignore without a word."""
    problems = []
    root = Path(settings["PATH"])
    for folder in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"], *settings.get("EVENT_PATHS", [])]:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            suffix = path.suffix.lower()
            if suffix.lstrip(".") in extensions or suffix in IMAGE_EXTENSIONS:
                continue
            problems.append(Problem(
                display_path(str(path), settings), 1, "",
                f"ไฟล์ '{path.name}' จะไม่ถูกเผยแพร่ เพราะไม่ใช่ไฟล์ Markdown: เปลี่ยนชื่อให้ลงท้ายด้วย .md (หรือใช้ make import สำหรับข้อความธรรมดา)",
                f"'{path.name}' would not be published because it is not Markdown: rename it to end in .md (or use make import for plain text)",
            ))
    return problems


def _unsafe_files(settings) -> list[Problem]:
    """Links that leave content/ (Pelican would read or copy what they point to), files of the
    static folders that would run as pages or scripts of the site, and unsafe SVG anywhere."""
    root = Path(settings["PATH"])
    files, outside = walk_content(root)
    problems = [Problem(
        display_path(str(link), settings), 1, "",
        f"'{link.name}' เป็นลิงก์ (symlink) ที่ชี้ออกไปนอกโฟลเดอร์ content/ หรือชี้ไปยังไฟล์ที่ไม่มีอยู่ ({target}): "
        f"คัดลอกไฟล์จริงมาวางแทนลิงก์ หรือลบลิงก์ออก",
        f"'{link.name}' is a link (symlink) to something outside content/, or to nothing ({target}): "
        f"put a copy of the real file there instead, or remove the link",
    ) for link, target in outside]
    static = [PurePosixPath(folder.strip("/")) for folder in settings.get("STATIC_PATHS", [])]
    for found in files:
        suffix = os.path.splitext(found)[1].lower()
        if suffix != ".svg" and suffix not in RUNNABLE_SUFFIXES:
            continue  # most files: nothing more to look at (10,000 stories, a few milliseconds)
        path = Path(found)
        relative = PurePosixPath(path.relative_to(root).as_posix())
        name = relative.as_posix()
        if suffix == ".svg":  # published as it is, from a static folder or a story's {static} link
            wrong = svg_problem(path, name)
        elif any(relative.is_relative_to(folder) for folder in static):
            wrong = runnable_file_problem(path, name)
        else:
            continue
        if wrong:
            problems.append(Problem(display_path(str(path), settings), 1, "", *wrong))
    return problems


def _static_links_out(generators, settings) -> list[Problem]:
    """`{static}` and `{attach}` links in a story that lead outside content/: Pelican would copy
    that file of the machine (`{static}../../../etc/passwd`), to a place outside the output too."""
    root = settings["PATH"]
    linked = generators[0].context.get("static_links", set())
    leaving = {link for link in linked if isinstance(content_file(root, link), tuple)}
    if not leaving:
        return []
    problems = []
    for generator in generators:
        for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            for item in getattr(generator, attribute, []):
                for link in sorted(leaving & item.get_static_links()):
                    text = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
                    needle = link.rsplit("/", 1)[-1]
                    line = text.count("\n", 0, max(text.find(needle), 0)) + 1
                    problems.append(Problem(
                        display_path(item.source_path, settings), line, "",
                        f"ลิงก์ไปยังไฟล์ '{link}' ชี้ออกไปนอกโฟลเดอร์ content/: วางไฟล์ไว้ใน content/images/ "
                        f"แล้วลิงก์เป็น {{static}}/images/ชื่อไฟล์",
                        f"the link to '{link}' leads outside content/: put the file in content/images/ and link "
                        f"it as {{static}}/images/file-name",
                    ))
    return problems


def _duplicate_slugs(generators, settings) -> list[Problem]:
    """Two articles with one slug, whatever their dates and status: one story, one slug.

    Pelican would publish both (at two dates' URLs) and only warn; a draft would take the
    published story's address the day it is published.
    """
    owners: dict[str, dict[str, object]] = {}
    for generator in generators:
        for attribute in ("articles", "drafts", "hidden_articles"):
            for item in getattr(generator, attribute, []):
                # By file: an article listed twice (by another generator) is still one story.
                owners.setdefault(item.slug, {})[item.source_path] = item
    problems = []
    for slug, by_file in sorted(owners.items()):
        items = list(by_file.values())
        if len(items) < 2:
            continue
        shown = sorted(display_path(item.source_path, settings) for item in items)
        for item in items:
            path = display_path(item.source_path, settings)
            others = ", ".join(other for other in shown if other != path)
            text = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
            problems.append(Problem(
                path, line_of_field(text, "Slug"), "Slug",
                f"ข่าวนี้ใช้ Slug '{slug}' ซ้ำกับ {others}: ตั้ง 'Slug:' ให้ต่างกัน (ข่าวหนึ่งเรื่อง Slug เดียวทั้งเว็บไซต์ ไม่ว่าวันที่ใด)",
                f"this article has the Slug '{slug}', like {others}: give one of them a different 'Slug:' "
                f"(one slug, one story, across the whole site and every date)",
            ))
    return problems


def _duplicate_urls(generators, settings, reported: frozenset[str] | set[str] = frozenset()) -> list[Problem]:
    """Two files that would be written to one URL: Pelican would stop with a bare traceback."""
    owners: dict[str, list] = {}
    for generator in generators:
        for attribute in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for item in getattr(generator, attribute, []):
                if item.save_as:  # publishconf.py writes no drafts: they have no URL to clash
                    owners.setdefault(item.url, []).append(item)
    problems = []
    for url, items in sorted(owners.items()):
        if len(items) < 2:
            continue
        shown = sorted(display_path(item.source_path, settings) for item in items)
        if reported.issuperset(shown):
            continue  # articles with one slug: already reported, once, by _duplicate_slugs
        for path in shown:
            others = ", ".join(other for other in shown if other != path)
            problems.append(Problem(
                path, 1, "Slug",
                f"ข่าวนี้ใช้ที่อยู่เว็บ /{url} ซ้ำกับ {others}: ตั้ง 'Slug:' ให้ต่างกัน เช่น เติมคำที่บอกความต่าง",
                f"this file would be published at /{url}, like {others}: give one of them a different 'Slug:'",
            ))
    return problems


def site_problems(generators) -> list[Problem]:
    """Problems only the whole site shows (a `buildcore.site_checks` receiver): stray files,
    links (symlinks, `{static}`) that leave content/, files that would run as pages of the site,
    articles with one slug and clashing URLs. The readers' own problems, and those other plugins
    hand in (plugins/events: links between files), `buildcore.collect_problems` adds."""
    settings = generators[0].settings
    extensions: set[str] = set()
    for generator in generators:
        readers = getattr(generator, "readers", None)
        if readers is not None:
            extensions |= set(readers.extensions)
    problems = _stray_files(settings, extensions)
    problems.extend(_unsafe_files(settings))
    problems.extend(_static_links_out(generators, settings))
    same_slug = _duplicate_slugs(generators, settings)
    problems.extend(same_slug)
    problems.extend(_duplicate_urls(generators, settings, {problem.path for problem in same_slug}))
    return problems
