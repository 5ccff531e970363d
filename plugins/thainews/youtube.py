"""YouTube links: the video id from any common URL form, and videos alone in a paragraph.

A paragraph of an article that holds nothing but a YouTube video link becomes a video on the
page (see plugins/sharing): typed as plain text (`https://youtu.be/…`), as an autolink
(`<https://youtu.be/…>`) or as a link whose text is the URL. A link with other words
(`[ดูคลิป](https://youtu.be/…)`) stays a link: the officer chose to write a link.

Nothing here touches the network: the page asks YouTube for nothing until the reader presses
play, and then only youtube-nocookie.com.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlparse

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}
_PATH_FORMS = {"shorts", "embed", "live", "v"}

WATCH_URL = "https://www.youtube.com/watch?v={id}"
EMBED_URL = "https://www.youtube-nocookie.com/embed/{id}?autoplay=1"
EMBED_ORIGIN = "https://www.youtube-nocookie.com"  # the one host the CSP must allow in frame-src

# <p>URL</p> or <p><a href="URL" …>URL</a></p>, as Python-Markdown writes them. The text and
# the address are compared after HTML unescaping (Markdown writes & as &amp;).
_VIDEO_PARAGRAPH = re.compile(
    r"<p>\s*(?:"
    r"<a\s+href=\"(?P<href>https?://[^\"<>\s]+)\"[^<>]*>\s*(?P<text>https?://[^<>\s]+)\s*</a>"
    r"|(?P<bare>https?://[^<>\s]+)"
    r")\s*</p>",
    re.IGNORECASE,
)


def youtube_video_id(url: str) -> str | None:
    """The 11-character video id from any common YouTube URL form, else None."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https"):
        return None
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parsed.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        path = parsed.path.strip("/").split("/")
        if path[0] == "watch":
            candidate = dict(parse_qsl(parsed.query)).get("v")
        elif path[0] in _PATH_FORMS and len(path) > 1:
            candidate = path[1]
    return candidate if candidate and _VIDEO_ID.match(candidate) else None


def watch_url(video_id: str) -> str:
    return WATCH_URL.format(id=quote(video_id, safe=""))


def embed_url(video_id: str) -> str:
    """The privacy-enhanced player, started at once: the reader has just pressed play."""
    return EMBED_URL.format(id=quote(video_id, safe=""))


@dataclass(frozen=True)
class VideoParagraph:
    start: int  # offsets of the whole <p>…</p> in the HTML
    end: int
    video_id: str
    url: str  # as written, unescaped


def _paragraph_video(match: re.Match) -> tuple[str, str] | None:
    if match.group("bare"):
        url = html.unescape(match.group("bare"))
        video_id = youtube_video_id(url)
        return (video_id, url) if video_id else None
    href, text = html.unescape(match.group("href")), html.unescape(match.group("text"))
    video_id = youtube_video_id(href)
    if video_id and youtube_video_id(text) == video_id:
        return video_id, href
    return None


def video_paragraphs(content_html: str) -> list[VideoParagraph]:
    """Every paragraph that is only a YouTube video link, in order."""
    found = []
    for match in _VIDEO_PARAGRAPH.finditer(content_html):
        video = _paragraph_video(match)
        if video:
            found.append(VideoParagraph(match.start(), match.end(), *video))
    return found


def is_video_paragraph(paragraph_html: str) -> bool:
    """True for `<p>https://youtu.be/…</p>` and its autolink form: not a summary."""
    match = _VIDEO_PARAGRAPH.fullmatch(paragraph_html.strip())
    return bool(match and _paragraph_video(match))


def replace_video_paragraphs(content_html: str, render) -> str:
    """The HTML with each video paragraph replaced by `render(index, paragraph)`."""
    parts, position = [], 0
    for index, paragraph in enumerate(video_paragraphs(content_html)):
        parts.append(content_html[position:paragraph.start])
        parts.append(render(index, paragraph))
        position = paragraph.end
    parts.append(content_html[position:])
    return "".join(parts)


def facade_html(video_id: str, title: str, poster_url: str, poster_size: tuple[int, int]) -> str:
    """A link to the video on YouTube, showing a local poster; theme/static/js/sharing.js turns
    it into a play button that loads the nocookie player only when pressed.

    Without JavaScript it stays what it is: a plain link to the video. Nothing in it loads
    anything from YouTube or Google.
    """
    title_text = html.escape(title)
    width, height = poster_size
    return (
        f'<figure class="video">\n'
        f'<a class="video-facade" href="{html.escape(watch_url(video_id))}" rel="external noopener noreferrer"'
        f' data-video-id="{html.escape(video_id)}" data-video-title="{title_text}">'
        f'<img src="{html.escape(poster_url)}" alt="" width="{width}" height="{height}" loading="lazy" decoding="async">'
        f'<span class="video-label">ดูวิดีโอบน YouTube<span class="visually-hidden">: {title_text}</span></span></a>\n'
        f'<figcaption class="video-title">{title_text}</figcaption>\n'
        f"</figure>"
    )
