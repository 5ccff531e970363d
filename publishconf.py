"""Production settings (`make publish`): absolute URLs from SITEURL, drafts never published."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://news.chiangrai-moral.example").rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# Drafts (Status: draft) are for the preview only: not written, not listed.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
TEMPLATE_PAGES = {name: path for name, path in TEMPLATE_PAGES.items() if name != "drafts.html"}  # noqa: F405
