"""Sharing an article: plain share links, cross-post labels and schema.org structured data.

Share links are ordinary links to each service's share page: no SDK, no script from the
service, no cookie and no request to it until the reader follows the link.
"""

import json
from urllib.parse import quote, urlparse

SHARE_TARGETS = {
    # key: (label, share page; {url} and {text} are filled in percent-encoded)
    "facebook": ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    "line": ("LINE", "https://social-plugins.line.me/lineit/share?url={url}"),
    "x": ("X", "https://x.com/intent/post?url={url}&text={text}"),
}

# Organisations, not people, when a credit starts with one of these words.
_ORGANISATION_WORDS = (
    "กลุ่ม", "ทีม", "สำนัก", "ศูนย์", "กอง", "ฝ่าย", "กรม", "กระทรวง", "สถานี", "สวท", "เครือข่าย",
    "องค์การ", "องค์กร", "มูลนิธิ", "สมาคม", "ชมรม", "โรงเรียน", "มหาวิทยาลัย", "วัด", "เทศบาล",
    "อบต", "อบจ", "จังหวัด", "อำเภอ", "ประชาสัมพันธ์",
)
_FACEBOOK_POST_MARKERS = ("/posts/", "/videos/", "/photos/", "/photo", "/permalink", "story.php",
                          "/reel/", "/watch", "/share/", "/events/", "/groups/")


def share_links(url: str, title: str, targets=tuple(SHARE_TARGETS)) -> list[tuple[str, str, str]]:
    """(key, service name, link) for each share target, in order."""
    filled = {"url": quote(url, safe=""), "text": quote(title, safe="")}
    return [(key, SHARE_TARGETS[key][0], SHARE_TARGETS[key][1].format(**filled)) for key in targets]


def facebook_link_kind(url: str) -> str:
    """"post" for a post, photo, video or event link; "page" for a page's own address."""
    parsed = urlparse(url)
    if parsed.netloc.lower() == "fb.watch":
        return "post"
    address = (parsed.path.lower() + "?" + parsed.query.lower()) if parsed.query else parsed.path.lower()
    return "post" if any(marker in address for marker in _FACEBOOK_POST_MARKERS) else "page"


def credit(name: str) -> dict:
    """A schema.org Person, or an Organization when the name is a group or an office."""
    kind = "Organization" if name.strip().startswith(_ORGANISATION_WORDS) else "Person"
    return {"@type": kind, "name": name.strip()}


def image_object(url: str, width: int, height: int) -> dict:
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def news_article(*, url: str, headline: str, description: str, published: str, modified: str,
                 authors: list[str], publisher: dict, images: list[dict], section: str = "",
                 keywords: list[str] = ()) -> dict:
    """schema.org NewsArticle for Google and other readers of structured data. Dates ISO 8601."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline,
        "description": description,
        "inLanguage": "th",
        "datePublished": published,
        "dateModified": modified,
        "author": [credit(name) for name in authors] or [{key: publisher[key] for key in ("@type", "name", "url") if key in publisher}],
        "publisher": publisher,
        "image": images,
        "isAccessibleForFree": True,
    }
    if section:
        data["articleSection"] = section
    if keywords:
        data["keywords"] = list(keywords)
    return data


def organisation(name: str, url: str, logo: dict, same_as: list[str]) -> dict:
    data = {"@type": "Organization", "name": name, "url": url, "logo": logo}
    if same_as:
        data["sameAs"] = list(same_as)
    return data


# Characters that could end a <script> element or start an HTML comment or entity inside it.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SCRIPT_UNSAFE = tuple(chr(code) for code in _SCRIPT_SAFE)


def json_for_script(data) -> str:
    """JSON to put inside <script type="application/ld+json">: valid JSON that no value can break
    out of (`</script>`, `<!--`), since <, > and & are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Most stories hold none of them: a look for each (in C) is far quicker than translate,
    # which goes through a Thai text character by character (0.8 s of 10,000 pages).
    if any(character in text for character in _SCRIPT_UNSAFE):
        return text.translate(_SCRIPT_SAFE)
    return text
