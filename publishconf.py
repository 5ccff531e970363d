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

# The hosted editor (issue 17, point 7; newsroom/desk_site.py): off unless DESK_HOSTED is `github`
# or `gitlab`; then output/admin/ holds the desk, saving into the repository (each save a commit
# the CI workflow publishes). Set in the CI's variables (README, "Publishing without a terminal").
DESK_HOSTED = os.environ.get("DESK_HOSTED", "")
# owner/name; GitHub Actions and GitLab CI say it themselves.
DESK_REPO = os.environ.get("DESK_REPO") or os.environ.get("GITHUB_REPOSITORY") or os.environ.get("CI_PROJECT_PATH", "")
DESK_BRANCH = os.environ.get("DESK_BRANCH", "main")
DESK_AUTH_URL = os.environ.get("DESK_AUTH_URL", "")  # github: the sign-in (OAuth) proxy
DESK_APP_ID = os.environ.get("DESK_APP_ID", "")  # gitlab: the OAuth application's ID (PKCE, no secret)
DESK_GITLAB_URL = os.environ.get("DESK_GITLAB_URL", "https://gitlab.com")  # gitlab: a self-managed GitLab
