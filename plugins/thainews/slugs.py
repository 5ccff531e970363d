"""Readable ASCII slugs from Thai text.

Pelican's default slug of a Thai title is an unreadable Unidecode transliteration, and its
Unicode mode deletes Thai vowels. We split the title into words with PyThaiNLP, romanise each
word with the Royal Thai General System, and join the words with hyphens, cutting between
words so that a slug never ends in half a word.
"""

import re
import unicodedata
from functools import lru_cache

from .text import clean_thai, has_thai, thai_digits_to_arabic, words

MAX_SLUG_LENGTH = 60
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _romanize():
    from pythainlp.transliterate import romanize

    return romanize


def prepare() -> None:
    """Load what romanising needs now (the royin engine cuts words with a dictionary that takes
    about 3 s to load), before worker processes are forked: they inherit it instead of each
    loading it again. The main process needs it anyway (Thai category and tag names)."""
    _romanize()("ก", engine="royin")
    words("ก")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


@lru_cache(maxsize=4096)
def romanize_word(word: str) -> str:
    """One word as lowercase ASCII, or '' when nothing readable is left."""
    word = thai_digits_to_arabic(word)
    if has_thai(word):
        word = _romanize()(word, engine="royin")
    return _ascii(word)


@lru_cache(maxsize=8192)  # tag and category names repeat across thousands of articles
def slugify_thai(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`จังหวัดเชียงรายขับเคลื่อน…` → `changwat-chiangrai-khapkhluean…`, at most max_length."""
    parts = [romanize_word(token) for token in words(clean_thai(text)) if token.strip()]
    slug = ""
    for part in filter(None, parts):
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > max_length:
            if not slug:  # a single very long word: cut it rather than return nothing
                slug = part[:max_length].rstrip("-")
            break
        slug = candidate
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug)) and len(slug) <= 200
