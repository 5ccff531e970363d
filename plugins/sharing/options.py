"""The SHARING setting: its defaults, the setting as the build reads it, the font files it names.

sharing.check_settings checks it at `initialized`; every other module reads it through `options`.
"""

from pathlib import Path

from thainews import card_text
from thainews import images as pictures
from thainews.plugin_settings import plugin_options

SETTINGS_KEY = "SHARING"
DEFAULTS = {
    "CARDS": True,  # draw a share card for each article without a cover picture
    "VIDEO_EMBEDS": True,  # a paragraph holding only a YouTube link becomes a player
    "SHARE_TARGETS": ("facebook", "line", "x"),  # share links under each article, in order
    "COVER_WIDTHS": pictures.COVER_WIDTHS,  # copies of cover pictures, pixels wide
    "DEFAULT_IMAGE": "",  # a picture in content/ for pages without one; "" draws a card
    "DEFAULT_IMAGE_ALT": "",  # its description; "" gives the site's name and description
    "FONT_THAI": "fonts/sarabun-thai-700-normal.woff2",  # in the theme's static/ folder
    "FONT_LATIN": "fonts/sarabun-latin-700-normal.woff2",
    "OUTPUT_DIR": "images",  # drawings go to share/, video/ and sizes/ under it
    "CACHE": True,  # keep drawings in CACHE_PATH/sharing between builds
}


def options(settings) -> dict:
    return plugin_options(settings, SETTINGS_KEY, DEFAULTS)


def font_files(settings) -> card_text.FontFiles:
    config = options(settings)
    static = Path(settings["THEME"]) / "static"
    return card_text.FontFiles(str(static / config["FONT_THAI"]), str(static / config["FONT_LATIN"]))
