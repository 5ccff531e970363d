"""Thai text helpers shared by slugs, summaries and validation."""

import os
import re
import unicodedata
from functools import lru_cache

# PyThaiNLP must never write to the home folder or download anything at run time.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")


def has_thai(text: str) -> bool:
    return bool(_THAI_CHAR.search(text))


def thai_digits_to_arabic(text: str) -> str:
    return text.translate(THAI_DIGITS)


def clean_thai(text: str) -> str:
    """NFC plus PyThaiNLP's normalize: one spelling for text typed in different ways."""
    from pythainlp.util import normalize

    return normalize(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def words(text: str) -> list[str]:
    """Split text into words, keeping whitespace tokens, so "".join(words(t)) == t.

    nlpo3 is PyThaiNLP's newmm algorithm in Rust: the same Thai words, about eight times
    faster, which matters when every one of 10,000 titles and summaries is segmented.
    """
    if not text:
        return []
    return _tokenizer()(text, engine="nlpo3")
