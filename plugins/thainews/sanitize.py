"""Officers' HTML is cleaned, not trusted: an allowlist sanitiser for story and page bodies.

Markdown lets officers write raw HTML, and a story pasted from a web page or a Word document
can carry scripts, event handlers, `javascript:` links, frames and inline styles. `clean_html`
keeps what a news story legitimately holds (everything Python-Markdown's "extra" writes, plus
figures) and removes the rest with nh3 (Rust's ammonia, an HTML5 parser: what it keeps is
what a browser would see). nh3 does not say what it removed, so `clean_html` also lists it,
for the warning that names each removed thing and its line in the officer's file.

Decisions:
- URLs: http, https, mailto and tel, and relative URLs, which include Pelican's intra-site
  links (`{filename}/news/x.md`, `{static}/images/x.jpg`), resolved after reading.
- `rel`: none added (`link_rel=None`). No `target` attribute is allowed, so no link opens a
  new window (the reason for `noopener`), and the site sets a Referrer-Policy for all links.
  Adding `rel` to every internal link and footnote would only change Markdown's output.
- `id`: footnote ids as Markdown writes them (`fn:1`, `fnref:1`, `fnref2:1`) are kept as
  they are: they hold a colon, which no id of the theme does. Any other id (`{#plan}` after a
  heading) is prefixed with `content-`, and in-page links (`#plan`) with it, so that a story
  cannot clobber the ids our templates and scripts use (`share-url`, `search-q`, `main`).
- `class`: only those Markdown writes (`footnote`, `footnote-ref`, `footnote-backref`,
  `language-…` on code): a class such as `video-facade` would make our scripts act on
  an officer's markup.
- No `style` attribute at all: the Content-Security-Policy forbids inline style anyway, and
  `url()` in it loads from anywhere. Markdown's table alignment (`style="text-align: …"`)
  becomes the `align` attribute instead.
- Entities come out as characters (nh3 writes what it parsed): Markdown's entity-encoded
  `mailto:` links become plain `mailto:x@y.th`, `&#160;` becomes `&nbsp;`; same meaning.
- Comments are removed; `script`, `style` and other elements whose content is code or a
  foreign document (`svg`, `math`, `iframe`, `object`, `template`) are removed with their content.
"""

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import nh3

from .problems import Problem

TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "figure", "figcaption", "blockquote", "q", "cite",
    "pre", "code", "kbd", "samp", "var",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr",
    "time", "details", "summary",
})
# Removed with everything inside: code, or a document of another kind.
CONTENT_TAGS = frozenset({
    "script", "style", "template", "noscript", "iframe", "object", "svg", "math",
    "textarea", "select", "title", "xmp", "noembed", "noframes",
})
GLOBAL_ATTRIBUTES = frozenset({"title", "lang", "dir", "id", "class"})
ATTRIBUTES = {
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
}
_ALLOWED_BY_TAG = {tag: frozenset(ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())) for tag in TAGS}
URL_ATTRIBUTES = frozenset({("a", "href"), ("img", "src")})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
ID_PREFIX = "content-"
# Python-Markdown's footnotes: `fn:1`, `fnref:1`, `fnref2:1` (a footnote referred to twice).
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[^\s#]+")
_CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}  # as Markdown writes them
_LANGUAGE_CLASS = re.compile(r"language-[\w+#.-]{1,40}")
_MARKDOWN_ALIGN = re.compile(r'<(t[hd]) style="text-align: (left|center|right);">')
# What no page, feed or XML writer should receive: C0 controls but tab, newline and carriage
# return, DEL, C1 controls, surrogates and the noncharacters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Removed:
    """One thing taken out of the HTML: `what` as shown to officers (`<script>`, `onerror=`,
    `href="javascript:…"`), and text to look for in the source file to find its line."""

    what: str
    needles: tuple[str, ...]
    video: bool = False  # a YouTube <iframe>: the fix is a video link on its own line


# The URL attributes nh3 kept in the current call (nh3 calls the filter only for those it keeps):
# one list for the one Cleaner, built once; reading is single-threaded in each process.
_KEPT: list[tuple[str, str, str]] = []


# A "relative" address that is a scheme once its blanks are gone (`jav    ascript:`, as Markdown
# writes a tab): browsers do not run it, but a feed reader or another tool may tidy it up first.
_BLANKS = re.compile(r"[\s\x00-\x1f]+")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


def _disguised_scheme(value: str) -> bool:
    scheme = _SCHEME.match(_BLANKS.sub("", value).lower())
    return bool(scheme) and scheme.group(0)[:-1] not in URL_SCHEMES


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """nh3 calls this for every attribute it keeps (URLs only when their scheme is allowed)."""
    if (tag, name) in URL_ATTRIBUTES:
        if _disguised_scheme(value):
            return None  # not in _KEPT: named as removed, like any URL nh3 refuses
        _KEPT.append((tag, name, value))
    if name == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) or value.startswith(ID_PREFIX) else ID_PREFIX + value
    if name == "class":
        allowed = [token for token in value.split() if _class_allowed(tag, token)]
        return " ".join(allowed) or None
    if name == "href" and value.startswith("#") and len(value) > 1:
        fragment = value[1:]
        if not _FOOTNOTE_ID.fullmatch(fragment) and not fragment.startswith(ID_PREFIX):
            return "#" + ID_PREFIX + fragment
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CONTENT_TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=None,
    url_schemes=URL_SCHEMES,
)


def _class_allowed(tag: str, token: str) -> bool:
    if tag in ("code", "pre"):
        return bool(_LANGUAGE_CLASS.fullmatch(token))
    return token in _CLASSES.get(tag, ())


class _Lister(HTMLParser):
    """Lists the tags and attributes of an HTML fragment that the allowlist does not keep."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # In document order; a URL attribute comes with its key, as it is removed only if nh3
        # does not keep it (nh3 knows how browsers read `jav&#x09;ascript:`; we ask it).
        self.items: list[tuple[tuple[str, str, str] | None, Removed]] = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or f"<{tag}"
        if tag not in TAGS:
            source = dict(attrs).get("src") or ""
            video = tag == "iframe" and ("youtube" in source or "youtu.be" in source)
            self.items.append((None, Removed(f"<{tag}>", (raw, f"<{tag}"), video)))
            return
        allowed = _ALLOWED_BY_TAG[tag]
        for name, value in attrs:
            if name not in allowed:
                self.items.append((None, Removed(f"{name}=", (raw, f"{name}="))))
            elif (tag, name) in URL_ATTRIBUTES:
                shown = _short(value or "")
                self.items.append(((tag, name, value or ""), Removed(f'{name}="{shown}"', (raw, f"{name}="))))
            elif name == "class":
                dropped = [token for token in (value or "").split() if not _class_allowed(tag, token)]
                if dropped:
                    self.items.append((None, Removed(f'class="{" ".join(dropped)}"', (raw, "class="))))


def _short(value: str, length: int = 40) -> str:
    value = " ".join(_CONTROL.sub(" ", value).split())
    return value if len(value) <= length else value[:length - 1] + "…"


def clean_html(fragment: str) -> tuple[str, list[Removed]]:
    """The fragment with only allowed HTML, and what was removed, in document order.

    Control characters (from `&#7;` and the like, which the HTML parser turns into characters)
    are removed from the result too: feeds and XML writers cannot hold them.
    """
    # The reader has removed raw control characters already (and named them); a lone surrogate
    # from another caller would make nh3 raise.
    fragment = _MARKDOWN_ALIGN.sub(r'<\1 align="\2">', _CONTROL.sub("", fragment))
    _KEPT.clear()
    cleaned = _CONTROL.sub("", _CLEANER.clean(fragment))
    kept = list(_KEPT)
    removed = _nothing_removed(fragment, kept)
    return cleaned, [] if removed is not None else removed_parts(fragment, kept)


# Markup as Markdown writes it: lower-case names, double-quoted values without < or >.
_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*/?>')
_PLAIN_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)(?:="([^"<>]*)")?')


def _nothing_removed(fragment: str, kept: list[tuple[str, str, str]]) -> list | None:
    """`[]` when the fragment is plain markup (every `<` starts a tag as Markdown writes it) with
    only allowed tags, attributes and classes, and every URL kept by nh3; else None, and the
    HTML parser lists what was removed. Most stories are like that: a regex is 5× faster."""
    tags = _PLAIN_TAG.findall(fragment)
    if len(tags) != fragment.count("<"):
        return None
    urls: dict[tuple[str, str, str], int] = {}
    for closing, tag, attributes in tags:
        if tag not in TAGS:
            return None
        if closing:
            continue
        allowed = _ALLOWED_BY_TAG[tag]
        for name, value in _PLAIN_ATTRIBUTE.findall(attributes):
            if name not in allowed:
                return None
            if (tag, name) in URL_ATTRIBUTES:
                key = (tag, name, unescape(value))
                urls[key] = urls.get(key, 0) + 1
            elif name == "class" and not all(_class_allowed(tag, token) for token in value.split()):
                return None
    for key in kept:
        if key in urls:
            urls[key] -= 1
    return [] if all(count <= 0 for count in urls.values()) else None


def removed_parts(fragment: str, kept: list[tuple[str, str, str]]) -> list[Removed]:
    """What the allowlist removes from `fragment`, given the URL attributes nh3 kept."""
    if "<" not in fragment:
        return []
    lister = _Lister()
    try:
        lister.feed(fragment)
        lister.close()
    except Exception:  # noqa: BLE001 - never a traceback: nh3 has cleaned it; only the list is lost
        return [Removed("HTML", ("<",))]
    remaining: dict[tuple[str, str, str], int] = {}
    for key in kept:
        remaining[key] = remaining.get(key, 0) + 1
    removed = []
    for key, item in lister.items:
        if key is not None and remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            removed.append(item)
    return removed


def line_of(lowered: str, needles: tuple[str, ...], start: int, floor: int, fallback: int) -> tuple[int, int]:
    """(1-based line, offset) of the first needle found in `lowered` (the source, lower-cased
    once by the caller: HTML is case-insensitive) from `start` (else from `floor`), trying each
    in turn; (fallback, start) when none is there."""
    for needle in needles:
        needle = needle.lower()
        index = lowered.find(needle, start)
        if index < 0 and start > floor:
            index = lowered.find(needle, floor)
        if index >= 0:
            return lowered.count("\n", 0, index) + 1, index
    return fallback, start


def removed_html_problems(path: str, source: str, removed: list[Removed], start: int = 0,
                          field: str = "") -> list[Problem]:
    """One warning per line of `source` (the officer's file) naming what was removed there.

    `start` is where the HTML's text begins in the file (the body, or the `Summary:` line);
    each removed thing is looked for from there, and from after the one before it, so that
    two `<script>`s point to their own lines. The body's first line when it cannot be found
    (markup written by Markdown itself, e.g. from `{: onclick=…}`, is found by its name).
    """
    fallback = source.count("\n", 0, start) + 1
    by_line: dict[int, list[Removed]] = {}
    position = start
    lowered = source.lower() if removed else ""
    for item in removed:
        line, found_at = line_of(lowered, item.needles, position, start, fallback)
        if found_at >= position:
            position = found_at + 1
        names = by_line.setdefault(line, [])
        if all(item.what != name.what for name in names):
            names.append(item)
    problems = []
    for line, items in sorted(by_line.items()):
        names = ", ".join(item.what for item in items)
        thai = (f"นำ HTML ที่ไม่อนุญาตออกแล้ว: {names} ข่าวยังเผยแพร่ได้ แต่ให้ลบส่วนนี้ออกจากไฟล์"
                " แล้วเขียนด้วย Markdown แทน เช่น **ตัวหนา**, [ข้อความ](https://…), ![บอกว่าในรูปมีอะไร](images/รูป.jpg)")
        english = (f"removed HTML that is not allowed: {names}. The story is still published; delete it"
                   " from the file and write Markdown instead: **bold**, [text](https://…), ![what the picture shows](images/photo.jpg)")
        if any(item.video for item in items):
            thai += " สำหรับวิดีโอ YouTube: วางลิงก์วิดีโอไว้บรรทัดเดียวโดด ๆ หรือใส่ในช่อง YouTube:"
            english += ". For a YouTube video: put the video link alone on a line, or in the YouTube: field"
        problems.append(Problem(path, line, field, thai, english, severity="warning"))
    return problems
