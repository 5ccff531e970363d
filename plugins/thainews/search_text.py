"""The text pipeline of the search index: normalise, cut into terms, find sub-words.

The browser applies the same normalisation and cluster rules to queries
(`theme/static/js/search-text.js`); docs/search.md describes both, and a test compares them.
"""

import hashlib
import operator
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

from .parallel import Workers, inherited
from .text import THAI_DIGITS

SUB_WORD_WEIGHT = 0.4
MIN_SUB_WORD = 2  # characters; single letters are not useful sub-words
_RUNS = re.compile(r"([\u0e01-\u0e4e\u0e50-\u0e59]+)|([0-9a-z]+(?:[.\-][0-9a-z]+)*)")
_THAI_NOISE = re.compile(r"[\u0e2f\u0e46\u0e4f\u0e5a\u0e5b.]+")  # ฯ ๆ ๏ ๚ ๛ and dots
# A cut may not fall before these (they attach to the previous letter) ...
_ATTACHES_TO_PREVIOUS = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45"
                            "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# ... nor after a leading vowel, which belongs to the next letter.
_LEADING_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44")


@lru_cache(maxsize=1)
def _needs_normalize() -> tuple[tuple, frozenset]:
    """Everything PyThaiNLP's normalize would change; built from its own character classes.

    normalize runs some forty regular expressions over the text; on clean news text it changes
    nothing, so we run it only where one of these patterns occurs (a test checks that the
    shortcut gives the same result as normalize on random Thai text). Separate patterns, most
    starting with a character class, and plain `in` tests: one alternation of them all scanned
    a story three times as slowly. Also returns the marks that may not begin a text.
    """
    import pythainlp as t

    dangling = f"{t.thai_above_vowels}{t.thai_below_vowels}{t.thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
    no_repeat = (f"{t.thai_follow_vowels}{t.thai_lead_vowels}{t.thai_above_vowels}"
                 f"{t.thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e")
    return (
        re.compile("[\u200b\u200c\u0e4d\u0e45\n]"),
        re.compile(f"[{t.thai_tonemarks}\u0e4c][{t.thai_above_vowels}{t.thai_below_vowels}]"),
        re.compile(f"[{t.thai_follow_vowels}][{t.thai_tonemarks}]"),
        re.compile(f"[{t.thai_tonemarks}][{t.thai_tonemarks}]"),
        re.compile(f"([{no_repeat}])[ ]*\\1"),
        re.compile(f" [{dangling}]"),
    ), frozenset(dangling)


def _is_normal(text: str) -> bool:
    """True when PyThaiNLP's normalize would leave `text` as it is."""
    if text[:1].isspace() or text[-1:].isspace():  # normalize strips every kind of space at either end
        return False
    patterns, dangling = _needs_normalize()
    if "\u0e40\u0e40" in text or "  " in text or text[:1] in dangling:
        return False
    for pattern in patterns:
        if pattern.search(text):
            return False
    return True


def normalize_display(text: str) -> str:
    """Steps 1–2: NFC and PyThaiNLP's normalize. Used for text shown in result snippets."""
    text = unicodedata.normalize("NFC", text)
    if _is_normal(text):
        return text
    from pythainlp.util import normalize

    return normalize(text)


_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


def normalize_search(text: str) -> str:
    """Steps 1–4: as display, plus Thai digits as Arabic and Latin case-folded."""
    text = normalize_display(text)
    if _THAI_DIGIT.search(text):  # translate() walks every character: only when it changes one
        text = text.translate(THAI_DIGITS)
    return text.lower()


def cut_allowed(text: str, position: int) -> bool:
    """May a word boundary fall before text[position]? Never inside a character cluster."""
    if position <= 0 or position >= len(text):
        return True
    return text[position] not in _ATTACHES_TO_PREVIOUS and text[position - 1] not in _LEADING_VOWELS


class Lexicon:
    """PyThaiNLP's word list plus the site's own domain words (content/lexicon.txt)."""

    def __init__(self, extra_words: list[str]):
        self.extra = sorted({normalize_search(word) for word in extra_words if word.strip()})
        self.words = _word_set(tuple(self.extra))
        self.version = hashlib.sha256("\n".join(self.extra).encode()).hexdigest()[:12]
        self._dict_name = None
        self._search_words: frozenset[str] | None = None

    @classmethod
    def from_file(cls, path: Path | None) -> "Lexicon":
        lines = []
        if path and path.is_file():
            lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
        return cls([line for line in lines if line])

    def dict_name(self) -> str:
        """Load the word list into nlpo3 once per process; nlpo3 reads dictionaries from files."""
        if self._dict_name is None:
            import nlpo3

            name = f"thainews-{self.version}"
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "words.txt")
                Path(path).write_text("\n".join(sorted(self.words)), encoding="utf-8")
                nlpo3.load_dict(path, name)  # keeps the words in memory; the file may go
            self._dict_name = name
        return self._dict_name

    def segment(self, thai_run: str) -> list[str]:
        import nlpo3

        return nlpo3.segment(thai_run, self.dict_name())

    def search_words(self) -> frozenset[str]:
        """The words a reader may type that the index should know, present or not: every
        dictionary word made of Thai letters only, as the pipeline spells it."""
        if self._search_words is None:
            thai = [word for word in self.words if _THAI_WORD.fullmatch(word)]
            # most entries are spelled as the pipeline spells them
            spelled = (word if _is_normal(word) else normalize_search(word) for word in thai)
            self._search_words = frozenset(word for word in spelled if _THAI_WORD.fullmatch(word))
        return self._search_words

    def compound_parts(self, token: str) -> tuple[str, ...]:
        return _compound_parts(token, self.words)

    def sub_words(self, token: str) -> tuple[str, ...]:
        """Every word inside a compound, at every level: สำนักงานวัฒนธรรมจังหวัด gives
        สำนักงาน and วัฒนธรรมจังหวัด, which gives วัฒนธรรม and จังหวัด."""
        return _sub_words(token, self.words)


def compound_parts(token: str, extra_words: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The fewest words of PyThaiNLP's list and `extra_words` that `token` is made of (the
    longest first among equals), or () if it is not made of two or more (`_compound_parts`)."""
    return _compound_parts(token, _word_set(extra_words))


@lru_cache(maxsize=4)
def _word_set(extra: tuple[str, ...]) -> frozenset[str]:
    """PyThaiNLP's words and the site's: one object per word list, whichever Lexicon asks.

    The caches below are keyed by this set. Two equal sets that are not the same object
    would be compared element by element, 62,000 words, on every lookup: each rebuild of
    `make devserver` makes a new Lexicon, and its searches then took milliseconds per word.
    """
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words()) | frozenset(extra)


@lru_cache(maxsize=200_000)
def _compound_parts(token: str, words: frozenset) -> tuple[str, ...]:
    """The dictionary words a compound token is made of, or () if it is not one.

    Fewest pieces wins; among equals, the longest first piece (maximal matching), so that
    ข่าวดี is ข่าว + ดี rather than ข่า + วดี.
    """
    length = len(token)
    if length < 2 * MIN_SUB_WORD:
        return ()
    # best[start] = (pieces, end of the first piece) for the rest of the token from start
    best: list[tuple[int, int] | None] = [None] * (length + 1)
    best[length] = (0, length)
    for start in range(length - MIN_SUB_WORD, -1, -1):
        if not cut_allowed(token, start):
            continue
        for end in range(length, start + MIN_SUB_WORD - 1, -1):  # longest piece first
            if best[end] is None or not cut_allowed(token, end) or (start, end) == (0, length):
                continue
            if token[start:end] in words:
                pieces = best[end][0] + 1
                if best[start] is None or pieces < best[start][0]:
                    best[start] = (pieces, end)
    if best[0] is None or best[0][0] < 2:
        return ()
    parts, start = [], 0
    while start < length:
        end = best[start][1]
        parts.append(token[start:end])
        start = end
    return tuple(parts)


@lru_cache(maxsize=200_000)
def _sub_words(token: str, words: frozenset) -> tuple[str, ...]:
    found = []
    for part in _compound_parts(token, words):
        found.append(part)
        found.extend(_sub_words(part, words))
    return tuple(found)


_LATIN = re.compile(r"[0-9a-z]+(?:[.\-][0-9a-z]+)*")
_THAI_TOKEN = re.compile(r"[\u0e01-\u0e4e]")
_THAI_WORD = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")  # no ฯ ๆ ๏


def terms(text: str, lexicon: Lexicon) -> tuple[Counter, Counter]:
    """Whole terms, and the parts of Latin terms (pm2.5 → pm2, 5), counted. Normalised here."""
    text = normalize_search(text)
    latin = _LATIN.findall(text)
    # One nlpo3 call per text (each call has a fixed cost); Latin runs were taken out above.
    tokens = lexicon.segment(_LATIN.sub(" ", text)) if latin else lexicon.segment(text)
    # Counted in C; then only the tokens not yet known to be clean Thai words (spaces, ๆ, new
    # words) are looked at one by one: news text repeats its words a lot.
    whole = Counter(tokens)
    # (not `keys() - set`: that walks the whole set of clean tokens each time; sorted: the
    # same text gives the same order)
    for raw in sorted(filterfalse(_clean_tokens.__contains__, whole)):
        found = _thai_terms(raw)
        if found == (raw,):
            _clean_tokens.add(raw)
            continue
        count = whole.pop(raw)
        for token in found:
            whole[token] += count
    sub = joined_words(tokens, lexicon.words)
    for term in latin:
        whole[term] += 1
        if "." in term or "-" in term:
            for part in re.split(r"[.\-]", term):
                if part:
                    sub[part] += 1
    # Words inside Thai compounds are added by the index builder, which can see the whole
    # corpus and so tell a real part (โคม in โคมลอย) from a fragment (หวัด in จังหวัด).
    return whole, sub


_clean_tokens: set[str] = set()  # segmenter tokens that are one Thai term as they are


@lru_cache(maxsize=100_000)
def _thai_terms(raw: str) -> tuple[str, ...]:
    """The Thai terms of one token from the segmenter (remembered: every story reuses words)."""
    if not _THAI_TOKEN.search(raw):
        return ()
    # "ต่าง ๆ" can come back as one dictionary token: drop ๆ, ฯ and dots, split on spaces.
    return tuple(_THAI_NOISE.sub(" ", raw).split())


def joined_words(tokens: list[str], words: frozenset) -> Counter:
    """Dictionary words that two or three neighbouring tokens make together, counted.

    Segmentation follows the context, so a word can come out split (ตา|กลม where a reader sees
    ตากลม). The index marks dictionary words that no document contains as known-absent
    (search_index.absent_words), so a word the text does contain must be a term of it.
    """
    # Joined, looked up and counted in C (map, intersection, filter, Counter): a story has
    # hundreds of neighbouring pairs and only a handful are words.
    joinable = _joinable(words)
    pairs = list(map(operator.add, tokens, tokens[1:]))
    triples = list(map(operator.add, pairs, tokens[2:]))
    found = joinable.intersection(pairs) | joinable.intersection(triples)
    joined = Counter(filter(found.__contains__, pairs))
    joined.update(filter(found.__contains__, triples))
    return joined


@lru_cache(maxsize=4)
def _joinable(words: frozenset) -> frozenset:
    """The dictionary words made of Thai letters only: an entry with a space or a mark in it
    is not a search term."""
    return frozenset(word for word in words if _THAI_WORD.fullmatch(word))


def pack_counts(counts: Counter) -> str:
    """`term term …<TAB>count count …`, terms sorted: one string instead of thousands of small
    objects, and read back without a Python loop (terms never hold spaces or tabs)."""
    if not counts:
        return ""
    names = sorted(counts)
    return " ".join(names) + "\t" + " ".join(map(str, map(counts.__getitem__, names)))


_PACKED_COUNTS = re.compile(r"[0-9 ]+")  # with no empty count: see packed_counts_problem


def packed_counts_problem(packed) -> str:
    """"" when `packed` is what `pack_counts` makes (as far as `unpack_counts` relies on it:
    one tab, as many terms as counts, counts in digits), else what is wrong. For a cache read
    back: a few passes in C over the string, nothing copied, nothing unpacked."""
    if not isinstance(packed, str):
        return f"a {type(packed).__name__}, not text"
    if not packed:
        return ""
    tab = packed.find("\t")
    # (a simpler pattern and a search for two spaces: `[0-9]+( [0-9]+)*` took 3 times as long)
    if (tab < 1 or _PACKED_COUNTS.fullmatch(packed, tab + 1) is None or packed[tab + 1] == " "
            or packed[-1] == " " or packed.find("  ", tab) >= 0):
        return "not terms<TAB>counts"
    if packed.count(" ", 0, tab) != packed.count(" ", tab + 1):
        return "not as many counts as terms"
    return ""


def unpack_counts(packed: str, intern=sys.intern) -> Counter:
    if not packed:
        return Counter()
    names, counts = packed.split("\t")
    return Counter(dict(zip(map(intern, names.split(" ")), map(int, counts.split(" ")), strict=True)))


def _packed_terms(text: str) -> tuple[str, str]:
    whole, sub = terms(text, inherited())
    return pack_counts(whole), pack_counts(sub)


def packed_terms_many(texts: list[str], lexicon: Lexicon, processes: int = 1) -> list[tuple[str, str]]:
    """Terms of many texts, packed; on several cores when there is enough work to share."""
    with Workers(processes if len(texts) >= 400 else 1, inherit=lexicon) as workers:
        return list(workers.map(_packed_terms, texts, chunksize=64))
