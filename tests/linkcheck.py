"""Every link and asset a built site refers to on itself must exist in the output folder."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (value and name in ("href", "src", "data-index", "action")) or (name == "content" and value and value.startswith("http")):
                self.refs.append(value)
            if name == "srcset" and value:
                self.refs += [part.split()[0] for part in value.split(",") if part.strip()]


def broken_links(output: Path, siteurl: str = "") -> list[str]:
    """`page: link` for each reference to this site that leads to no file."""
    base = urlparse(siteurl or "http://site.invalid")
    broken = []
    pages = sorted(output.rglob("*.html")) + sorted(output.rglob("*.css"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page_url = f"{base.scheme}://{base.netloc}{base.path}/{page.relative_to(output).as_posix()}"
        if page.suffix == ".css":
            refs = _CSS_URL.findall(text)
        else:
            parser = _Refs()
            parser.feed(text)
            refs = parser.refs
        for ref in refs:
            target = urlparse(urljoin(page_url, ref))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            path = unquote(target.path)
            if not path.startswith(base.path + "/") and path != base.path:
                broken.append(f"{page.relative_to(output)}: {ref} (outside {base.path or '/'})")
                continue
            local = output / path[len(base.path):].lstrip("/")
            if local.is_dir():
                local = local / "index.html"
            if not local.is_file():
                broken.append(f"{page.relative_to(output)}: {ref}")
    return broken
