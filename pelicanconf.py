"""Settings for building the site locally (`make html`, `make devserver`).

`publishconf.py` imports these and changes only what differs in production.
Every setting is data; behaviour lives in `plugins/`.
"""

import os
import sys
from pathlib import Path

# Plugins import the plain functions in plugins/thainews; Pelican loads plugins by path only.
PLUGINS_FOLDER = str(Path(__file__).resolve().parent / "plugins")
if PLUGINS_FOLDER not in sys.path:
    sys.path.insert(0, PLUGINS_FOLDER)

SITENAME = "ข่าวจังหวัดคุณธรรมเชียงราย"
SITENAME_EN = "Chiang Rai Moral Province News"
SITE_DESCRIPTION = (
    "ข่าวสารการขับเคลื่อนเชียงรายจังหวัดคุณธรรม จากสำนักงานวัฒนธรรมจังหวัดเชียงราย "
    "ศูนย์คุณธรรม และ 13 เครือข่ายทางสังคม"
)
AUTHOR = "สำนักงานวัฒนธรรมจังหวัดเชียงราย"
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False

PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
EVENT_PATHS = ["events"]  # the calendar of good deeds: plugins/events
STATIC_PATHS = ["images", "documents", "extra"]  # documents: attachments (plugins/attachments)
# Files copied to the site root as they are: headers for hosts that read a _headers file.
EXTRA_PATH_METADATA = {"extra/_headers": {"path": "_headers"}}
OUTPUT_PATH = "output"
THEME = "theme"
# Pelican's defaults, plus: every value a template prints is escaped, once (autoescape: officers'
# fields are plain text; the few HTML values, such as a story's body, are marked `|safe`; see
# theme/templates/base.html); templates are not checked for changes on every use (each build,
# `make devserver`'s too, makes a new Jinja environment; the checks were 150,000 stat calls).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "auto_reload": False,
                     "autoescape": True}
DELETE_OUTPUT_DIRECTORY = False
OUTPUT_RETENTION = [".git"]
# The one Content-Security-Policy: deploy/nginx.conf and content/extra/_headers send it as a header
# (tests check that they agree), and every page carries it in a <meta> tag too (less
# frame-ancestors, which a meta tag cannot carry; plugins/security_policy), for hosts that send
# no headers, such as GitHub Pages.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-src https://www.youtube-nocookie.com; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

TIMEZONE = "Asia/Bangkok"
DEFAULT_LANG = "th"
# Thai month names and Buddhist-era years come from our own filters, not a locale:
# th_TH is not installed on a fresh machine.
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_CATEGORY = "ข่าวกิจกรรม"
# Year folders (content/news/2566/) are for tidiness, not categories.
USE_FOLDER_AS_CATEGORY = False
# Markdown only; the reStructuredText reader would make Docutils warn about "th" on every build.
READERS = {"rst": None, "html": None}
# Dates come only from the Date: field, never from file names.
FILENAME_METADATA = ""
SLUGIFY_SOURCE = "title"

# Folders with index.html, so that any static host serves the readable URL.
ARTICLE_URL = "news/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "news/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "news/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "news/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]
TEMPLATE_PAGES = {
    "404.html": "404.html",
    "robots.txt": "robots.txt",
    "search.html": "search.html",
    "sitemap.html": "sitemap/index.html",  # แผนผังเว็บไซต์: every section, network and feed
    "drafts.html": "drafts/index.html",  # preview only: publishconf.py removes it
}

DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "network": None}
INDEX_URL = ""
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: all news, and one per network (see plugins/networks). Absolute links need SITEURL.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
# A feed for each category and each tag, beside the networks' (plugins/networks) and the whole site's.
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 30
RSS_FEED_SUMMARY_ONLY = True

PLUGIN_PATHS = [PLUGINS_FOLDER]
# The order of this list does not matter (reversed, the site is the same: tests/test_build_order.py).
# Where order matters, plugins/buildcore runs the steps in its own fixed order, buildcore.STEPS:
# strict_content's report before sharing draws anything, then thai_search's index_beside_pages,
# last: the index reads stories with sharing's video players and attachments' text in place
# (docs/architecture.md, "Where the order of plugins matters").
# safe_output: pages and feeds appear whole or not at all (a patch of Pelican's writer).
# security_policy: the Content-Security-Policy <meta> tag every page carries.
# office: the office's address, phone and map link (OFFICE below), checked, for the templates.
PLUGINS = ["safe_output", "strict_content", "quick_lists", "parallel_articles", "thai_dates", "networks", "events",
           "article_links", "sitemap_xml", "photos", "attachments", "sharing", "thai_search", "security_policy",
           "office", "story_cards"]
# PROCESSES = 2  # processes the build may use (default: every core); 1 builds in one process, the same site
STRICT_CONTENT = {"SUMMARY_MAX_CHARS": 180, "SLUG_MAX_LENGTH": 60}
# Share cards, video posters, cover picture sizes, share links: see plugins/sharing (defaults).
SHARING = {"SHARE_TARGETS": ("facebook", "line", "x")}
# Galleries (`Photos: images/<folder>`): copies of each photo for phones; see plugins/photos (defaults).
PHOTOS = {}
# Documents (`Attachments: documents/<file>, …`): labels, sizes, pages, a PDF's text for search; see plugins/attachments.
ATTACHMENTS = {}

# The office that runs the site (plugins/office): shown in every footer, on the contact page
# (content/pages/contact.md, `Template: contact`) and on the English page (`Template: english`).
# Officers: change the address, phone, e-mail or map link here, in one place.
# The repository had only "ศาลากลางจังหวัดเชียงราย, อำเภอเมืองเชียงราย" (content/pages/contact.md), so
# ADDRESS is the Chiang Rai Provincial Cultural Office's (สำนักงานวัฒนธรรมจังหวัดเชียงราย) as the
# provincial hall's postal address (the hall on Mae Fah Luang Road, Rim Kok, 57100): confirm the
# building and floor with the office before launch. PHONE and EMAIL stay empty until the office
# gives public ones (nothing invented). MAP_URL is a plain link to a search on Google Maps: no map
# is embedded and nothing is loaded from Google until the reader follows it.
OFFICE = {
    "NAME": "สำนักงานวัฒนธรรมจังหวัดเชียงราย",
    "NAME_EN": "Chiang Rai Provincial Cultural Office",
    "ADDRESS": "ศาลากลางจังหวัดเชียงราย ถนนแม่ฟ้าหลวง ตำบลริมกก อำเภอเมืองเชียงราย จังหวัดเชียงราย 57100",
    "ADDRESS_EN": "Chiang Rai Provincial Hall, Mae Fah Luang Road, Rim Kok, Mueang Chiang Rai, Chiang Rai 57100, Thailand",
    "PHONE": "",
    "EMAIL": "",
    "MAP_URL": "https://www.google.com/maps/search/?api=1&query=สำนักงานวัฒนธรรมจังหวัดเชียงราย",
}

# Links to the programme's own channels, shown in the footer.
SOCIAL_LINKS = (
    ("Facebook ศูนย์คุณธรรม", "https://www.facebook.com/MoralCenter"),
    ("YouTube Moral Channel", "https://youtube.com/user/moralcenter"),
)

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}
CACHE_PATH = "cache"  # search terms, by content hash (see plugins/thai_search)
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
