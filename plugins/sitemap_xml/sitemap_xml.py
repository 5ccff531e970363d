"""sitemap_xml: a deterministic sitemap.xml of every public page.

pelican-sitemap stamps index pages with the time of the build, so every build changes the
file; here a list page's `lastmod` is the date of the newest article it shows, and URLs are
sorted, so unchanged content gives a byte-identical sitemap.
"""

import os
from xml.sax.saxutils import escape

from pelican import signals

from thainews.dates import iso_datetime


def _newest(articles):
    return max((getattr(a, "modified", None) or a.date for a in articles), default=None)


def sitemap_entries(context, settings) -> dict[str, object]:
    """URL (relative to SITEURL) → lastmod datetime or None."""
    articles = context.get("articles", [])
    entries: dict[str, object] = {"": _newest(articles)}
    for article in articles:
        entries[article.url] = getattr(article, "modified", None) or article.date
    for page in context.get("pages", []):
        entries[page.url] = getattr(page, "modified", None)
    for network in context.get("NETWORKS", []):
        if network.articles:
            entries[network.url] = _newest(network.articles)
    if context.get("NETWORKS"):
        entries[context["NETWORKS_URL"]] = _newest(articles)
    for key in ("categories", "tags"):
        for item, item_articles in context.get(key, []):
            entries[item.url] = _newest(item_articles)
    entries.update(context.get("CALENDAR_SITEMAP", {}))  # plugins/events: calendar and event pages
    if settings.get("ARCHIVES_SAVE_AS"):
        entries[settings["ARCHIVES_URL"]] = _newest(articles)
    for archives in context.get("period_archives", {}).values():
        for period in archives:
            entries[period["url"]] = _newest(period["articles"])
    return entries


def render_sitemap(entries: dict[str, object], siteurl: str) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(entries):
        lastmod = entries[url]
        lines.append(f"<url><loc>{escape(siteurl + '/' + url)}</loc>"
                     + (f"<lastmod>{iso_datetime(lastmod)}</lastmod>" if lastmod else "")
                     + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(generator, writer) -> None:
    settings = generator.settings
    text = render_sitemap(sitemap_entries(generator.context, settings), settings["SITEURL"])
    with open(os.path.join(settings["OUTPUT_PATH"], "sitemap.xml"), "w", encoding="utf-8") as file:
        file.write(text)


def register() -> None:
    signals.page_writer_finalized.connect(write_sitemap)
