"""sharing: what a link to the site shows on Facebook, LINE and X; share links; YouTube videos
that ask YouTube for nothing until the reader presses play; cover pictures in several sizes.

For every article and page, after strict_content has checked the content (buildcore's "prepare"
step at `all_generators_finalized`, after its "report"), this plugin sets on the content object:

* `share_image`: what og:image and twitter:image show (a `ShareImage`, absolute URL, size, alt):
  the large copy of the cover picture (`Image:`), else the 1200×630 copy of the story's first
  photo (`Photos:`, made by the photos step: `first_photo`), else (articles) a card drawn with
  the headline (`thainews.cards`), else the site's default image (`SHARE_DEFAULT_IMAGE`);
* `cover`: the cover picture with its WebP and JPEG copies for `srcset` (a `Cover`), else the
  story's first photo, or None;
* `video_html`: the player for the `YouTube:` field, unless the story itself shows that video;
  a paragraph holding only a YouTube link becomes a player in the story (`thainews.youtube`);
* `has_video`, `share_url`, `share_links`, `crossposts` and, on articles, `structured_data`
  (schema.org NewsArticle; templates write it with the `jsonld` filter); on a questions page
  (`Template: faq`), `structured_data` too: its FAQPage, from the questions and answers
  strict_content read (`thainews.faq`).

Drawings (cards, video posters, the logo, cover copies) are named by a hash of what they show
and kept in CACHE_PATH, so a rebuild draws only what changed; they are copied into the output
at `finalized`, after Pelican has emptied it. The cache's index (`index.json`) holds the size
and sha256 of each file as drawn: a cached file whose bytes no longer match (cut off, replaced)
is drawn again, never published. A cover picture that cannot be decoded stops the build with a
report like strict_content's (`buildcore.stop_on_problems`).

Settings: `SHARING` (see DEFAULTS), checked at `initialized`.

The code, one thing a module: this file checks the settings (`check_settings`) and is the
Pelican glue (`register`, `prepare`, `write_files`); `options.py` reads the SHARING setting;
`drawings.py` (`SiteDrawings`) draws into the cache and copies into the output;
`structured_data.py` writes the schema.org NewsArticle and FAQPage.
"""

import logging
import os
import shutil
import sys
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article
from PIL import ImageFont

from buildcore import at, stop_on_problems
from thainews import card_text
from thainews.metadata import is_remote
from thainews.paths import content_file
from thainews.plugin_settings import check_known_keys
from thainews.share import SHARE_TARGETS, facebook_link_kind, image_object, organisation, share_links
from thainews.youtube import facade_html, replace_video_paragraphs, video_paragraphs, watch_url

from .drawings import Cover, ShareImage, SiteDrawings
from .options import DEFAULTS, SETTINGS_KEY, font_files, options
from .structured_data import article_data, faq_data, jsonld

logger = logging.getLogger(__name__)

VIDEO_TITLE = "วิดีโอ YouTube"
_PENDING: dict[str, "SiteDrawings"] = {}  # output folder -> what `finalized` copies there


# ---------------------------------------------------------------------------- settings


def plain_title(item) -> str:
    """The title, the officer's text as it is (templates escape it when they print it)."""
    return str(item.title or "").strip()


def check_settings(pelican) -> None:
    """Name the plugin and the bad key at start-up, rather than fail mid-build."""
    check_fonts_exist(pelican)  # first: a missing font is one line, before the fonts are opened
    check_known_keys("sharing", pelican.settings, SETTINGS_KEY, DEFAULTS)
    config = options(pelican.settings)
    for key in ("CARDS", "VIDEO_EMBEDS", "CACHE"):
        if not isinstance(config[key], bool):
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}'] must be True or False, got {config[key]!r}")
    targets = config["SHARE_TARGETS"]
    if isinstance(targets, str) or not all(target in SHARE_TARGETS for target in targets):
        raise ValueError(f"sharing: {SETTINGS_KEY}['SHARE_TARGETS'] must be a list of {', '.join(SHARE_TARGETS)}, "
                         f"got {targets!r}")
    widths = config["COVER_WIDTHS"]
    if isinstance(widths, (str, int)) or not widths or not all(isinstance(w, int) and 100 <= w <= 4000 for w in widths):
        raise ValueError(f"sharing: {SETTINGS_KEY}['COVER_WIDTHS'] must be a list of widths in pixels "
                         f"(100 to 4000), got {widths!r}")
    for key in ("DEFAULT_IMAGE", "DEFAULT_IMAGE_ALT", "OUTPUT_DIR", "FONT_THAI", "FONT_LATIN"):
        if not isinstance(config[key], str):
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}'] must be text, got {config[key]!r}")
    if not config["OUTPUT_DIR"].strip("/") or ".." in Path(config["OUTPUT_DIR"]).parts:
        raise ValueError(f"sharing: {SETTINGS_KEY}['OUTPUT_DIR'] must be a folder inside the output, "
                         f"got {config['OUTPUT_DIR']!r}")
    files = font_files(pelican.settings)
    for key, path in (("FONT_THAI", files.thai), ("FONT_LATIN", files.latin)):
        try:
            ImageFont.truetype(path, 20)
        except OSError as error:
            raise ValueError(f"sharing: {SETTINGS_KEY}['{key}']: cannot read the font {path} ({error}); "
                             f"give a TTF, OTF, WOFF or WOFF2 file in the theme's static folder") from None
    default = config["DEFAULT_IMAGE"]
    found = content_file(pelican.settings["PATH"], default) if default and not is_remote(default) else None
    if default and not (isinstance(found, Path) and found.is_file()):
        raise ValueError(f"sharing: {SETTINGS_KEY}['DEFAULT_IMAGE']: no file {default} in {pelican.settings['PATH']}")
    if not card_text.layout_engine()[1]:
        logger.warning("sharing: Pillow has no libraqm here (it needs the system's libfribidi), so Thai "
                       "vowels and tone marks on share cards and video posters may overlap. "
                       "Install libfribidi (apt-get install libfribidi0) for correct Thai.")
    pelican.settings.setdefault("JINJA_FILTERS", {})
    pelican.settings["JINJA_FILTERS"].setdefault("jsonld", jsonld)


def check_fonts_exist(pelican) -> None:
    """A missing font file (a theme copied without its fonts): one line naming it, exit 1."""
    config = options(pelican.settings)
    if not all(isinstance(config[key], str) for key in ("FONT_THAI", "FONT_LATIN")):
        return  # check_settings names the bad setting
    files = font_files(pelican.settings)
    for path in (files.thai, files.latin):
        if not Path(path).is_file():
            print(f"ไม่พบฟอนต์ {path} ที่ใช้วาดภาพสำหรับแชร์: เอาคืนด้วย git checkout -- theme/static/fonts "
                  f"หรือตั้ง {SETTINGS_KEY}['FONT_THAI'] / ['FONT_LATIN'] เป็นไฟล์ฟอนต์ในโฟลเดอร์ static ของธีม / "
                  f"the font {path} for share cards is missing: restore it with git checkout -- theme/static/fonts, "
                  f"or set {SETTINGS_KEY}['FONT_THAI'] / ['FONT_LATIN'] to a font file in the theme's static folder",
                  file=sys.stderr)
            raise SystemExit(1)  # printed, not raised as an error: a traceback would bury the line


# ---------------------------------------------------------------------------- content

_ITEM_LISTS = ("articles", "translations", "drafts", "drafts_translations", "pages", "hidden_pages",
               "hidden_translations", "draft_pages", "draft_translations")


def content_items(generators) -> list:
    seen, items = set(), []
    for generator in generators:
        for attribute in _ITEM_LISTS:
            for item in getattr(generator, attribute, None) or []:
                # publishconf.py writes no drafts (no save_as): nothing to draw for them.
                if id(item) not in seen and item.save_as:
                    seen.add(id(item))
                    items.append(item)
    return items


def _add_videos(item, drawings: SiteDrawings, enabled: bool) -> None:
    """Players for the video paragraphs of the story and for the `YouTube:` field."""
    title = plain_title(item) or VIDEO_TITLE
    field_id = getattr(item, "youtube_id", None)
    content = item._content or ""
    in_story = [paragraph.video_id for paragraph in video_paragraphs(content)] if enabled else []
    shown = in_story + ([field_id] if field_id and field_id not in in_story else [])
    # Each player is named after the story; with several, each gets its number too.
    facades = []
    for index, video_id in enumerate(shown):
        video_title = title if len(shown) == 1 else f"{title} (วิดีโอที่ {index + 1})"
        poster_url, size = drawings.poster(video_id, video_title)
        facades.append(facade_html(video_id, video_title, poster_url, size))
    if in_story:
        item._content = replace_video_paragraphs(content, lambda index, _paragraph: facades[index])
    item.video_html = Markup(facades[-1]) if len(shown) > len(in_story) else ""
    item.has_video = bool(shown)


def _crossposts(item) -> list[tuple[str, str]]:
    links = []
    facebook = (getattr(item, "facebook", "") or "").strip()
    if facebook:
        label = "ดูโพสต์ข่าวนี้บน Facebook" if facebook_link_kind(facebook) == "post" else "เพจ Facebook ของผู้เผยแพร่ข่าวนี้"
        links.append((label, facebook))
    if getattr(item, "youtube_id", None):
        links.append(("ดูวิดีโอข่าวนี้บน YouTube", watch_url(item.youtube_id)))
    return links


def first_photo(item) -> tuple[Cover | None, ShareImage | None]:
    """A story without `Image` but with photos: its first photo is its cover and its share
    picture. Read from the attribute `gallery` that the photos step sets before "prepare" (a
    list of objects with `src`, `alt`, `width`, `height`, `webp_srcset`, `jpeg_srcset`, and on
    the first `share`, `share_width`, `share_height`: the 1200×630 JPEG it made); this plugin
    never imports that one, and without it (or without photos) there is no gallery."""
    gallery = getattr(item, "gallery", None) or []
    if not gallery:
        return None, None
    first = gallery[0]
    cover = Cover(first.src, first.alt, first.width, first.height, first.webp_srcset, first.jpeg_srcset)
    share = getattr(first, "share", "")
    large = ShareImage(share, first.share_width, first.share_height, first.alt, "image/jpeg") if share else None
    return cover, large


def prepare(generators) -> None:
    settings = generators[0].settings
    context = generators[0].context
    stale = _PENDING.pop(os.path.abspath(settings["OUTPUT_PATH"]), None)
    if stale is not None:  # a build that stopped after drawing started (pelican -r after an error)
        stale.abandon()
    drawings = SiteDrawings(settings)
    config = drawings.config
    siteurl = drawings.siteurl

    default = drawings.default_image()
    logo = drawings.logo()
    context["SHARE_DEFAULT_IMAGE"] = default
    context["SITE_LOGO"] = logo
    publisher = organisation(
        settings.get("AUTHOR") or drawings.site_name, f"{siteurl}/",
        image_object(logo.url, logo.width, logo.height),
        [link for _label, link in settings.get("SOCIAL_LINKS", ())],
    )

    for item in content_items(generators):
        is_article = isinstance(item, Article)
        _add_videos(item, drawings, config["VIDEO_EMBEDS"])
        image = (getattr(item, "image", "") or "").strip()
        alt = str(getattr(item, "imagealt", "") or "").strip()  # text: templates escape it
        item.cover, large = drawings.cover(image, alt, item.source_path) if image else (None, None)
        if not image:
            item.cover, large = first_photo(item)
        if large:
            item.share_image = large
        elif is_article and config["CARDS"]:
            item.share_image = drawings.card(plain_title(item))
        else:
            item.share_image = default
        item.share_url = f"{siteurl}/{item.url}"
        item.crossposts = _crossposts(item)
        if not is_article:
            if getattr(item, "faq", None):  # a questions page (Template: faq), read by strict_content
                item.structured_data = faq_data(item, plain_title(item))
            continue
        item.share_links = share_links(item.share_url, plain_title(item), config["SHARE_TARGETS"])
        item.structured_data = article_data(item, plain_title(item), publisher)

    problems = drawings.draw()
    if problems:
        drawings.wait()
        if drawings.temporary:
            shutil.rmtree(drawings.temporary, ignore_errors=True)
        stop_on_problems(problems)  # the build's report, as for problems in the content
    _PENDING[os.path.abspath(settings["OUTPUT_PATH"])] = drawings


def write_files(pelican) -> None:
    drawings = _PENDING.pop(os.path.abspath(pelican.output_path), None)
    if drawings is not None:
        drawings.copy_into(Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(check_settings)  # which checks the fonts exist first
    at("prepare", prepare)  # after strict_content's report (buildcore.STEPS)
    signals.finalized.connect(write_files)
