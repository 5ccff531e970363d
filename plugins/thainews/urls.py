"""Web addresses that officers write in a field (`Link`, `Facebook`, `YouTube`, a credit).

Templates put these addresses into `href="…"`, so an address must not be able to end the
attribute or the tag, nor run script: `url_problem` accepts only a full `http://` or `https://`
address to a named host, without whitespace, quotes, angle brackets or backticks. Fields with
stronger rules (Facebook, YouTube, an event's `Link`) check those on top of this.
"""

import re
from urllib.parse import urlsplit

# Anything that could end an HTML attribute or tag, or that a browser drops or reads oddly.
_FORBIDDEN = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f]")
_HOST_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]*[^\W_])?$")  # letters (any script), digits, inner hyphens


def has_scheme(value: str) -> bool:
    """`https://…`, `data:…`, `//host/…`: an address, not a path of the site.

    One letter before a colon is a Windows drive (`C:\\photos`), a path written wrongly.
    """
    value = value.strip()
    return bool(re.match(r"^[a-z][a-z0-9+.-]+:", value, re.IGNORECASE)) or value.startswith(("//", "\\\\"))


def url_problem(value: str, schemes: tuple[str, ...] = ("https", "http")) -> tuple[str, str] | None:
    """(Thai, English) saying what is wrong with the address `value`, or None when it is fine.

    The messages quote the address and say how to fix it; the caller names the field.
    """
    value = value.strip()
    shown = value if len(value) <= 120 else value[:117] + "..."
    example = "https://" if schemes == ("https",) else "https:// หรือ http://"
    example_en = "https://" if schemes == ("https",) else "https:// or http://"
    bad = _FORBIDDEN.search(value)
    if bad:
        char = bad.group(0)
        named = {" ": "a space", '"': "a double quote", "'": "a quote", "<": "'<'", ">": "'>'", "`": "a backtick",
                 "\\": "a backslash"}.get(char, "a space or control character")
        return (f"ที่อยู่เว็บ '{shown}' มีช่องว่าง เครื่องหมายคำพูด < > หรืออักขระที่ใช้ในลิงก์ไม่ได้: "
                f"คัดลอกที่อยู่จากแถบที่อยู่ของเบราว์เซอร์มาวางใหม่ทั้งบรรทัด",
                f"the address '{shown}' contains {named}, which a link cannot hold: copy the address again from "
                f"the browser's address bar and paste it on its own")
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed '[' after the scheme
        parts = urlsplit(value.split("[", 1)[0])
    if parts.scheme.lower() not in schemes:
        return (f"ที่อยู่เว็บ '{shown}' ต้องเป็นที่อยู่เต็มที่ขึ้นต้นด้วย {example} เช่น https://www.example.org/page",
                f"the address '{shown}' must be a full web address starting with {example_en}, "
                f"e.g. https://www.example.org/page")
    try:
        host, port = parts.hostname or "", parts.port  # a port that is not a number: ValueError
    except ValueError:
        host, port = "", None
    labels = host.rstrip(".").split(".")
    # No user name or password before the host: `https://facebook.com@evil.example/` is evil.example.
    if (not host or "@" in parts.netloc or len(labels) < 2 or port == 0
            or not all(_HOST_LABEL.match(label) for label in labels)):
        return (f"ที่อยู่เว็บ '{shown}' ไม่มีชื่อเว็บไซต์ที่ถูกต้องหลัง {parts.scheme}:// (เช่น www.example.org): "
                f"คัดลอกที่อยู่เต็มจากแถบที่อยู่ของเบราว์เซอร์",
                f"the address '{shown}' has no valid site name after {parts.scheme}:// (such as www.example.org): "
                f"copy the full address from the browser's address bar")
    return None
