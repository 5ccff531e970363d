"""Files named in a field (`Image:`) or copied as they are: they must stay inside `content/`.

The build reads what a field names and publishes what the static folders hold, so a path
that leaves `content/` (`../../etc/passwd`) or a symbolic link that points outside it
(`images/photo.jpg` → `~/.ssh/id_rsa`) would publish a file of the machine that builds the
site. `content_file` resolves a path as the build will read it, links followed, and accepts it
only inside the (resolved) content folder. `walk_content` finds every link under `content/`
that leaves it, and `runnable_file_problem` a file that would run as a page of the site. No
Pelican in here.
"""

import os
import re
from pathlib import Path, PurePosixPath


def content_file(content_root: str | os.PathLike, value: str,
                 folders: tuple[str, ...] = ()) -> Path | tuple[str, str]:
    """The file `value` (as written in a field: `images/tree.jpg`, or `/images/tree.jpg` from the
    site's root) inside `content_root`, resolved; or (Thai, English) saying why it may not be read.

    `folders` (e.g. `("images",)`): the file must also be under one of these folders of
    content/ as written (a link inside them may point to another file of content/). A file that
    does not exist is not a problem here: the caller says what is missing.
    """
    written = value.strip()
    parts = PurePosixPath(written.lstrip("/")).parts
    if not parts or "\\" in written or "\x00" in written or ".." in parts:
        return (f"'{value}' ต้องเป็นที่อยู่ของไฟล์ในโฟลเดอร์ content/ เขียนด้วย / และไม่มี '..' เช่น images/ชื่อไฟล์.jpg",
                f"'{value}' must be the path of a file in content/, written with / and without '..', "
                f"e.g. images/file-name.jpg")
    relative = PurePosixPath(*parts)
    if folders and not any(relative.is_relative_to(PurePosixPath(folder.strip("/"))) for folder in folders):
        where = " หรือ ".join(f"content/{folder.strip('/')}/" for folder in folders)
        where_en = " or ".join(f"content/{folder.strip('/')}/" for folder in folders)
        return (f"ไฟล์ '{value}' ต้องอยู่ในโฟลเดอร์ {where}: ย้ายไฟล์ไปไว้ที่นั่นแล้วเขียน เช่น images/ชื่อไฟล์.jpg",
                f"'{value}' must be a file in {where_en}: move it there and write e.g. images/file-name.jpg")
    root = Path(content_root).resolve()
    target = _resolved(root / relative)  # every link on the way followed
    if target is None or not target.is_relative_to(root):
        where = target or "a loop of links"
        return (f"'{value}' เป็นลิงก์ (symlink) ที่ชี้ออกไปนอกโฟลเดอร์ content/ ({where}): คัดลอกไฟล์จริงมาวางแทนลิงก์",
                f"'{value}' is a link (symlink) to a file outside content/ ({where}): put a copy of the real "
                f"file there instead of the link")
    return target


def _resolved(path: Path) -> Path | None:
    """`path` with every link followed; None for a loop of links."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: "Symlink loop" (Python 3.11)
        return None


def walk_content(content_root: str | os.PathLike) -> tuple[list[str], list[tuple[Path, Path]]]:
    """Every file under `content_root` as the build sees it (plain strings: a Path each costs
    more than the walk), and every symbolic link that points outside it (or to nothing) as (the
    link, where it points); both in order.

    Paths are as written (links kept in them). A link to a folder inside content/ is followed
    once, as Pelican follows it; a link that leaves content/ is reported, never followed.
    """
    root = Path(content_root).resolve()
    files: list[str] = []
    outside: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    pending = [(str(content_root), str(root))]  # (as written, real): a folder inside a real one is real
    while pending:
        folder, real = pending.pop()
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:  # DirEntry answers from the directory listing: no stat per file
            if entry.is_symlink():
                path = Path(entry.path)
                target = _resolved(path)
                if target is None or not target.is_relative_to(root) or not target.exists():
                    outside.append((path, target or Path(os.readlink(path))))
                    continue
                if entry.is_dir():
                    pending.append((entry.path, str(target)))
                elif entry.is_file():
                    files.append(entry.path)
            elif entry.is_dir():
                pending.append((entry.path, f"{real}/{entry.name}"))  # 500 photo folders: no realpath each
            elif entry.is_file():
                files.append(entry.path)
    return sorted(files), sorted(outside)


# Files that, copied as they are, a browser would run as a page or script of this site (the
# CSP trusts scripts from 'self'), or a web server as a program. A document is published as PDF.
RUNNABLE_SUFFIXES = {
    ".html", ".htm", ".shtml", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz",
    ".js", ".mjs", ".cjs", ".wasm", ".swf", ".php", ".phtml", ".cgi", ".pl", ".py", ".asp", ".aspx", ".jsp",
}
_GOOGLE_VERIFICATION = re.compile(r"^google[0-9a-f]{8,32}\.html$")


def runnable_file_problem(path: Path, name: str = "") -> tuple[str, str] | None:
    """(Thai, English) when the file at `path`, published as it is, would run as part of the site.

    Search Console's verification file (`google0123abcd.html` holding only its own name) is
    allowed: it is the one HTML file a host is asked to serve. SVG is `images.svg_problem`'s.
    """
    name = name or path.name
    if path.suffix.lower() not in RUNNABLE_SUFFIXES:
        return None
    if _GOOGLE_VERIFICATION.match(path.name):
        try:
            if path.read_text(encoding="utf-8").strip() == f"google-site-verification: {path.name}":
                return None
        except (OSError, UnicodeDecodeError):
            pass
    return (f"ไฟล์ '{name}' จะถูกคัดลอกขึ้นเว็บไซต์ตามที่เป็น และเบราว์เซอร์จะเปิดเป็นหน้าเว็บหรือสคริปต์ของเว็บไซต์นี้: "
            f"ลบไฟล์ออก (เอกสารให้แปลงเป็น PDF รูปให้บันทึกเป็น JPEG หรือ PNG)",
            f"'{name}' would be published as it is, and browsers would run it as a page or script of this site: "
            f"remove it (publish a document as PDF, a picture as JPEG or PNG)")
