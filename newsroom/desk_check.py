"""The build's own checks on a story the officer has not saved yet (issue 17, point 5).

`make desk` answers `POST /desk/api/check` with `check_story`: the problems the build and
`make check` would report for the file `path` if it held `text`, in Thai and English. Nothing
here is a second validator; it calls the build's:

* plugins/strict_content's reader (`ThaiNewsReader.checked`, through `buildcore.checking_reader`,
  as plugins/events gets it): the file read exactly as the build
  reads it (UTF-8, control characters, HTML that is removed, `thainews.metadata.check_metadata`:
  unknown fields and networks, dates, Slug, Status, links, alt text of the cover, an empty story;
  events through `thainews.events.check_event`) and the cover picture's file;
* `thainews.photos.read_gallery` for `Photos:` (the folder, captions.txt, each photo), as
  plugins/photos calls it;
* `thainews.attachments.find_file` for each of `Attachments:`, as plugins/attachments does;
* newsroom/check.py's `page_problems` (`make check`): pictures in the text without alt text or
  not in content/, `{filename}`/`{static}` links to files that do not exist, a title too long for
  the share card.

What needs the whole site is left to the build and `make check`: two stories with one Slug, links
to pages by their address, the text of PDF attachments.
"""

import posixpath
import re
import threading
from pathlib import Path

from newsroom.check import page_problems
from thainews import attachments, photos
from thainews.problems import Problem, line_of_field

_LOADING = threading.Lock()
_PLACEHOLDER = re.compile(r"^\{(filename|static|attach)\}|^\|(filename|static|attach)\|")


def check_story(settings, path: Path, text: str, uploading=()) -> list[Problem]:
    """Every problem of the file `path` (inside the settings' PATH; it need not exist) holding
    `text`, sorted, each once. `uploading`: names of pictures the editor will write with the story
    (its cover, uploaded but kept in the browser until the save), not looked for yet."""
    from buildcore import content_kind, display_path

    content = Path(settings["PATH"])
    reader = checking_reader(settings)(settings)
    html, metadata, problems = reader.checked(str(path), text.encode("utf-8"), frozenset(uploading))
    shown = display_path(str(path), settings)
    source = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    title = str(metadata.get("title", "")).strip()
    fields = {key.lower(): str(value) for key, value in metadata.items() if isinstance(value, str)}
    if fields.get("photos", "").strip():
        problems += photos.read_gallery(content, fields["photos"], title, shown,
                                        line_of_field(source, photos.FIELD)).problems
    for written in attachments.parse_field(fields.get("attachments", "")):
        found = attachments.find_file(content, written)
        if isinstance(found, tuple):
            problems.append(attachments.problem(shown, line_of_field(source, attachments.FIELD), found))
    kind = content_kind(str(path), settings)
    if kind != "event":  # make check looks at stories and pages (activities: the build's checks)
        page_url = _page_url(settings, kind, metadata)
        problems += page_problems(shown, source, html, page_url, title, settings.get("SITEURL", ""),
                                  _known(settings, path))
    return sorted(set(problems))


def checking_reader(settings) -> type:
    """The build's checking reader (plugins/strict_content's, offered through buildcore): the
    site's plugins are registered first, as Pelican registers them, when this process has not
    (the desk's server process never builds: only their signals are connected)."""
    from buildcore import checking_reader as offered

    with _LOADING:
        if offered() is None:
            from pelican.plugins._utils import load_plugins

            for plugin in load_plugins(settings):
                plugin.register()
    if offered() is None:
        raise RuntimeError("the site's PLUGINS lack strict_content: the desk cannot check stories without it")
    return offered()


def _page_url(settings, kind: str, metadata: dict) -> str:
    """The story's address on the site (relative links are read from it), "" when unknown."""
    try:
        return settings["ARTICLE_URL" if kind == "article" else "PAGE_URL"].format(**metadata)
    except (KeyError, AttributeError, ValueError, IndexError):
        return ""


def _known(settings, path: Path):
    """`known(target, link)` for page_problems without a built site: a file of content/ (a
    picture, a document, `{filename}` another story) is there or not; a link to a page by its
    address cannot be told (None)."""
    content = Path(settings["PATH"]).absolute()
    static = tuple(folder.strip("/") for folder in settings.get("STATIC_PATHS", []))

    def exists(relative: str) -> bool:
        parts = [part for part in relative.split("/") if part]
        if not parts or ".." in parts:
            return False
        return content.joinpath(*parts).is_file()

    def known(target: str, link: bool) -> bool | None:
        placeholder = _PLACEHOLDER.match(target)
        if placeholder:
            written = target[placeholder.end():].split("#")[0].split("?")[0]
            if written.startswith("/"):
                return exists(written)
            folder = posixpath.relpath(str(Path(path).absolute().parent), str(content))
            return exists(posixpath.normpath(posixpath.join(folder, written)))
        if "{" in target:
            return False
        if not link or target.split("/")[0] in static:
            return exists(target)  # a picture is a file (of a static folder): there or not
        return None

    return known
