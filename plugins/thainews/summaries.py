"""Summaries cut at a Thai word boundary.

Pelican's own truncation counts space-separated words, which in Thai means whole paragraphs,
and its regex splits Thai at vowel and tone marks. We cut the first paragraph between words
found by PyThaiNLP, so a summary never ends inside a word or a character cluster.
"""

import re

from .text import words

SUMMARY_MAX_CHARS = 180
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def summarize(paragraph: str, max_chars: int = SUMMARY_MAX_CHARS) -> str:
    text = _SPACES.sub(" ", paragraph).strip()
    if len(text) <= max_chars:
        return text
    # Tokenise a little more than we keep: enough to see where the last whole word ends,
    # without paying for the whole paragraph.
    window = text[: max_chars + 40]
    tokens = words(window)
    kept = ""
    for token in tokens[:-1]:  # the last token may be cut by the window
        if len(kept) + len(token) > max_chars:
            break
        kept += token
    kept = kept.rstrip(" ,;:-–—(")
    if not kept:
        # One word longer than the limit (a long URL): keep it whole rather than split it.
        kept = tokens[0] if tokens else text
    return kept + ELLIPSIS
