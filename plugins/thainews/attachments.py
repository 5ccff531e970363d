"""A story's documents: `Attachments: documents/<file>, …` on an article, page or event names
files of content/documents/ that readers download (issue 15, point 4). No Pelican in here:
plugins/attachments is the glue.

* `parse_field` splits the field into the files as written (commas; a file named twice once).
* `find_file` checks one of them: inside content/documents/ (no `..`, no link leaving
  content/), a file that exists, of a known type (PDF; DOCX, XLSX and ODT as plain downloads).
* `pdf_facts` reads a PDF with pypdf: its number of pages and its text, passed through the
  site's Thai text pipeline (`clean_text`: NFC and PyThaiNLP's `normalize`, so marks that a
  Thai PDF stores out of order read as the same words as the story's). A damaged or
  password-protected PDF raises `UnreadableDocument`.
* `size_text` says a file's size in Thai (`350 กิโลไบต์`, `1.2 เมกะไบต์`); `Attachment` is what a
  template shows.
* Every problem is a bilingual `Problem` on the story's `Attachments` line naming the file, the
  attachment and the fix; a PDF without text (a scan) is a warning: published, but readers
  and search cannot read it.
"""

import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .paths import content_file
from .problems import Problem
from .text import clean_thai, strip_control_chars

FIELD = "Attachments"
FOLDER = "documents"  # in content/, a static folder: Pelican copies it into the output as it is
# suffix -> (kind, Thai label)
KINDS = {
    ".pdf": ("pdf", "เอกสาร PDF"),
    ".docx": ("docx", "เอกสาร Word"),
    ".xlsx": ("xlsx", "ตาราง Excel"),
    ".odt": ("odt", "เอกสาร OpenDocument"),
}
MAX_TEXT_CHARS = 200_000  # of one PDF's text, indexed: a 100-page announcement is about 150,000
FACTS_VERSION = 1  # bump when pdf_facts gives other results for the same bytes (the cache's key)


class UnreadableDocument(Exception):
    """A PDF that cannot be read: damaged, cut off, not a PDF, protected by a password."""


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    text: str  # normalised (clean_text), at most MAX_TEXT_CHARS characters


@dataclass(frozen=True)
class Attachment:
    """What a template shows for one document: `name` (its file name, plain text), `url`,
    `kind` (pdf, docx, xlsx, odt), `label` (เอกสาร PDF), `size` (Thai text), `pages` (0 but
    for a PDF), `has_text` (False for a PDF without text: a scan)."""

    name: str
    url: str
    kind: str
    label: str
    size: str
    pages: int = 0
    has_text: bool = True


def parse_field(value: str) -> list[str]:
    """`documents/a.pdf, documents/b.docx` → the files as written, in order, each once."""
    files = [part.strip() for part in str(value or "").split(",")]
    return list(dict.fromkeys(part for part in files if part))


def kind_of(written: str) -> tuple[str, str] | None:
    """(kind, Thai label) of a file by its suffix, or None for a type the site does not take."""
    return KINDS.get(PurePosixPath(written).suffix.lower())


def find_file(content_root, written: str) -> Path | tuple[str, str]:
    """The file `written` (`documents/x.pdf`) on disk, or (Thai, English): why it cannot be published."""
    found = content_file(content_root, written, (FOLDER,))
    if isinstance(found, tuple):
        return (f"เอกสารแนบ '{written}' ต้องเป็นไฟล์ในโฟลเดอร์ content/{FOLDER}/: วางไฟล์ไว้ที่นั่นแล้วเขียน "
                f"'{FIELD}: {FOLDER}/ชื่อไฟล์.pdf' ({found[0]})",
                f"the attachment '{written}' must be a file in content/{FOLDER}/: put the file there and write "
                f"'{FIELD}: {FOLDER}/file-name.pdf' ({found[1]})")
    if kind_of(written) is None:
        return (f"เอกสารแนบ '{written}' ไม่ใช่ไฟล์ PDF, DOCX, XLSX หรือ ODT: บันทึกเป็น PDF (แนะนำ) แล้วแนบไฟล์นั้นแทน",
                f"the attachment '{written}' is not a PDF, DOCX, XLSX or ODT file: save it as PDF (best) and "
                f"attach that file instead")
    if not found.is_file():
        what_th, what_en = ("เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "is a folder, not a file") if found.exists() else (
            "ไม่มีอยู่", "does not exist")
        return (f"เอกสารแนบ '{written}' {what_th}: วางไฟล์ไว้ที่ content/{written.strip().lstrip('/')} "
                f"หรือแก้ชื่อไฟล์ในบรรทัด {FIELD}",
                f"the attachment '{written}' {what_en}: put the file at content/{written.strip().lstrip('/')}, "
                f"or correct its name on the {FIELD} line")
    return found


def unreadable_message(written: str, error: str = "") -> tuple[str, str]:
    detail = f" ({error})" if error else ""
    return (f"อ่านเอกสารแนบ '{written}' ไม่ได้{detail}: ไฟล์อาจเสีย คัดลอกมาไม่ครบ หรือตั้งรหัสผ่านไว้ "
            f"เปิดต้นฉบับแล้วบันทึกเป็น PDF ใหม่ (ไม่ตั้งรหัสผ่าน) แล้ววางแทน",
            f"cannot read the attachment '{written}'{detail}: the file may be damaged, cut off while copying, or "
            f"protected by a password; save the original as PDF again (without a password) and replace it")


def no_text_message(written: str) -> tuple[str, str]:
    return (f"เอกสารแนบ '{written}' เผยแพร่แล้วแต่ไม่มีข้อความ (น่าจะเป็นภาพสแกน): ผู้อ่านที่ใช้โปรแกรมอ่านหน้าจอ"
            f"และการค้นหาอ่านไม่ได้ ถ้ามีต้นฉบับ ให้บันทึกจาก Word เป็น PDF แทนการสแกน",
            f"the attachment '{written}' is published but has no text (a scan?): no text: readers and search cannot "
            f"read it; if you have the original, save it from Word as PDF instead of scanning it")


def problem(story: str, line: int, message: tuple[str, str], severity: str = "error") -> Problem:
    return Problem(story, line, FIELD, *message, severity)


def clean_text(text: str) -> str:
    """A PDF's text as the site's text pipeline reads text: control characters out, NFC and
    PyThaiNLP's normalize (marks in order), one space between words."""
    text, _found = strip_control_chars(text.replace("\r", "\n"))
    return " ".join(clean_thai(text).split())


def pdf_facts(data: bytes) -> PdfFacts:
    """The number of pages and the (normalised) text of a PDF; UnreadableDocument when it cannot be read."""
    from pypdf import PdfReader  # only a build with PDFs pays for the import
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on odd but readable files
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("password-protected")
        pages = len(reader.pages)
        if not pages:
            raise UnreadableDocument("no pages")
        texts, length = [], 0
        for page in reader.pages:
            if length >= MAX_TEXT_CHARS:
                break
            text = page.extract_text() or ""
            texts.append(text)
            length += len(text)
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, NotImplementedError, OSError, ZeroDivisionError) as error:
        raise UnreadableDocument(str(error) or type(error).__name__) from None
    text = clean_text(" ".join(texts))
    if len(text) > MAX_TEXT_CHARS:
        text = text[: text.rfind(" ", 0, MAX_TEXT_CHARS) + 1 or MAX_TEXT_CHARS].rstrip()
    return PdfFacts(pages, text)


def size_text(size: int) -> str:
    """`350 กิโลไบต์`, `1.2 เมกะไบต์`, `1,024 เมกะไบต์` (Arabic digits, as dates on the site)."""
    if size < 1024 * 1024:
        return f"{max(1, math.ceil(size / 1024)):,} กิโลไบต์"
    megabytes = size / (1024 * 1024)
    shown = f"{megabytes:,.1f}".removesuffix(".0") if megabytes < 100 else f"{round(megabytes):,}"
    return f"{shown} เมกะไบต์"


def description(attachment: Attachment) -> str:
    """`เอกสาร PDF · 12 หน้า · 350 กิโลไบต์`, as the template shows it (plain text)."""
    parts = [attachment.label]
    if attachment.pages:
        parts.append(f"{attachment.pages:,} หน้า")
    parts.append(attachment.size)
    return " · ".join(parts)
