"""Properties of the search index, checked on generated input (hypothesis).

- every word of every title finds its article, read back from the files as the browser reads
  them (longest-prefix shard, long postings in a file the shard names, gap-coded ids:
  docs/search.md);
- the fast path of normalize_display is PyThaiNLP's normalize;
- the index is deterministic, and each term lives in the one shard the longest-prefix rule names.
"""

import hashlib
import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITE_CONTENT
from thainews.networks import NETWORKS
from thainews.search_index import (
    POSTINGS_INLINE_BYTES,
    SearchDoc,
    build_search_files,
    dumps,
    findable_parts,
    shard_key_for,
    term_entry,
)
from thainews.search_text import Lexicon, normalize_display, normalize_search, terms

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_THAI_WORD = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]{2,}")
LATIN_WORDS = ["PM2.5", "ITA", "MOU", "MoU", "COVID-19", "2567", "๒๕๖๗", "Moral", "13"]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.from_file(SITE_CONTENT / "lexicon.txt")


def analyze(texts: list[str]) -> list[tuple[Counter, Counter]]:
    return [terms(text, lexicon()) for text in texts]


@lru_cache(maxsize=1)
def real_words() -> list[str]:
    """Thai dictionary words from the site's own news, and its domain lexicon."""
    from thainews.text import words

    found = set(lexicon().extra)
    for path in sorted((SITE_CONTENT / "news").rglob("*.md")):
        for token in words(path.read_text(encoding="utf-8")):
            if _THAI_WORD.fullmatch(token) and token in lexicon().words:
                found.add(token)
    assert len(found) > 150, "too few real words to draw titles from"
    return sorted(found)


thai_words = st.deferred(lambda: st.sampled_from(real_words()))


def typed_differently(word: str, variant: int) -> str:
    """The same word as some keyboards and copy-pastes write it (normalisation undoes it)."""
    if variant == 1:
        return word.replace("แ", "เเ")
    if variant == 2:
        return word.replace("ำ", "ํา")
    if variant == 3:
        return word + "\u200b"
    return word


title_words = st.one_of(
    st.tuples(thai_words, st.integers(0, 3)).map(lambda pair: (pair[0], typed_differently(*pair))),
    st.sampled_from(LATIN_WORDS).map(lambda word: (word, word)),
)  # (the word as a reader types it, the word as it stands in the title)


class Index:
    """The files of an index, read back as docs/search.md describes."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.manifest = json.loads(files["manifest.json"])
        self.keys: dict[str, str] = self.manifest["shards"]

    def shard_key(self, term: str) -> str | None:
        """The term's own key, else the longest manifest key that is a prefix of the term."""
        return shard_key_for(term, self.keys)

    def shard(self, key: str) -> dict:
        return json.loads(self.files[self.keys[key]])

    def postings(self, term: str) -> tuple[list[int], list[int]]:
        raw = term_entry(self.manifest, self.files.__getitem__, term)
        if not raw:  # None: not in the index; 0: a known word that no document contains
            return [], []
        gaps, scores = raw
        return list(accumulate(gaps)), scores

    def ids(self, term: str) -> list[int]:
        return self.postings(term)[0]


def dictionary_words_in(texts: list[str]) -> frozenset[str]:
    known = lexicon().search_words()
    found = {"เชียงใหม่", "วันแม่", "ภูเก็ต"} & known
    for text in map(normalize_search, texts):
        for start in range(len(text)):
            found.update(text[start:end] for end in range(start + 2, min(len(text), start + 40) + 1)
                         if text[start:end] in known)
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# (a) Every word of every title finds its article.

@pytest.mark.slow
@SLOW
@given(titles=st.lists(st.lists(title_words, min_size=1, max_size=6), min_size=1, max_size=8),
       shard_bytes=st.sampled_from([64, 512, 16_384]), inline_bytes=st.sampled_from([0, POSTINGS_INLINE_BYTES]))
def test_every_title_word_finds_its_article(titles, shard_bytes, inline_bytes):
    docs = [SearchDoc(url=f"news/{doc_id}/", title=" ".join(typed for _word, typed in words))
            for doc_id, words in enumerate(titles)]
    # With absent dictionary words listed too: they must never hide a word that is there. (Every
    # dictionary word in the titles' text, and a few that are not there; the whole dictionary
    # would make each example ten times slower and tell no more.)
    index = Index(build_search_files(docs, analyze, [], normalize_display, shard_bytes=shard_bytes,
                                     compound_parts=lexicon().compound_parts, inline_bytes=inline_bytes,
                                     known_words=dictionary_words_in([doc.title for doc in docs])))
    vocabulary = {term for doc in docs for term in terms(doc.title, lexicon())[0]}
    findable = findable_parts(vocabulary, lexicon().compound_parts)
    for doc_id, words in enumerate(titles):
        for word, _typed in words:
            term = normalize_search(word)
            assert doc_id in index.ids(term), (term, docs[doc_id].title)
            # A compound also finds its article by the parts a reader would search for:
            # its head (โคม in โคมลอย) and parts the corpus uses on their own.
            for part in findable.get(term, ()):
                assert doc_id in index.ids(part), (part, term, docs[doc_id].title)
            head = lexicon().compound_parts(term)[:1]
            if head and len(head[0]) >= 3:
                assert head[0] in findable[term] and doc_id in index.ids(head[0]), (head, term)


def test_title_words_of_the_real_articles_find_them():
    """The same on real news (the test site's frozen copy): each dictionary word of a title finds its article."""
    from thainews.text import words

    sources = sorted((SITE_CONTENT / "news").rglob("*.md"))
    titles = [next(line[len("Title:"):].strip() for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("Title:")) for path in sources]
    docs = [SearchDoc(url=f"news/{doc_id}/", title=title) for doc_id, title in enumerate(titles)]
    index = Index(build_search_files(docs, analyze, [], normalize_display, shard_bytes=1024,
                                     compound_parts=lexicon().compound_parts,
                                     phrases=frozenset(lexicon().extra)))
    for doc_id, title in enumerate(titles):
        for token in words(title):
            if _THAI_WORD.fullmatch(token) and token in lexicon().words:
                assert doc_id in index.ids(normalize_search(token)), (token, title)


# ---------------------------------------------------------------------------------------------
# (b) The fast path of normalize_display gives what PyThaiNLP's normalize gives.

THAI_LETTERS = "".join(chr(code) for code in range(0x0E01, 0x0E2F))  # ก … ฮ
THAI_VOWELS = "ะัาำิีึืฺุูเแโใไๅ"
THAI_TONES = "่้๊๋"
THAI_SIGNS = "็์ํ๎ฯๆ๏๚๛"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
OTHER = "0123456789 \n\t\r\xa0\u3000\u200b\u200c\ufeffAaZzÉé.-\u0301"

noisy_text = st.lists(
    st.one_of(
        st.text(alphabet=THAI_LETTERS + THAI_VOWELS + THAI_TONES + THAI_SIGNS + THAI_DIGITS + OTHER,
                min_size=1, max_size=4),
        thai_words,  # clean words too, so that many strings need no normalisation at all
        st.sampled_from([" ", "  ", "\u200b", "เเ", "ํา", "ํ้า", "่้", "ๅ", " ่", "\n"]),
    ),
    max_size=12,
).map("".join)


def reference(text: str) -> str:
    from pythainlp.util import normalize

    return normalize(unicodedata.normalize("NFC", text))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(noisy_text)
def test_fast_path_gives_what_normalize_gives(text):
    assert normalize_display(text) == reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=THAI_LETTERS + THAI_VOWELS + THAI_TONES + THAI_SIGNS + THAI_DIGITS + OTHER,
               max_size=20))
def test_fast_path_on_random_characters(text):
    assert normalize_display(text) == reference(text)


def test_fast_path_examples():
    for text in ["ข่าวดี", "นํ้า", "เเปลก", "ก  ข", " ก", "ก ", "่ก", "ก ่", "กา่", "ก่่", "ดีี",
                 "ก\nข", "ก\u200bข", "ฤๅษี", "กๅ", "e\u0301", "๒๕๖๗", "PM2.5"]:
        assert normalize_display(text) == reference(text), repr(text)


@pytest.mark.parametrize("text", ["\tก", "ก\t", "ก\r", "\xa0ก", "ก\xa0", "ก\u3000", "\x0bก", "ก\x1c",
                                  "\x85ก", "\r\nก", "ก\u2029", "\ufeffก"])
def test_fast_path_strips_every_kind_of_space_like_normalize(text):
    """normalize ends with str.strip(): tab, CR, NBSP, U+3000 … at either end go too. (The fast
    path once looked only for ' ' and '\\n' there, and kept '\\tก' as it was.)"""
    assert normalize_display(text) == reference(text)


# ---------------------------------------------------------------------------------------------
# (c) Deterministic files; every term in exactly the shard the longest-prefix rule names.

def sentence(min_size=0, max_size=8):
    return st.lists(st.one_of(thai_words, st.sampled_from(LATIN_WORDS)), min_size=min_size,
                    max_size=max_size).map(" ".join)


@st.composite
def documents(draw) -> list[SearchDoc]:
    """Pages first, then articles in date order, as the plugin gives them ids."""
    pages = draw(st.integers(0, 2))
    count = draw(st.integers(max(1, pages), 10))
    years = sorted(draw(st.lists(st.integers(2019, 2025), min_size=count - pages, max_size=count - pages)))
    docs = []
    for doc_id in range(count):
        page = doc_id < pages
        docs.append(SearchDoc(
            url=f"{'page' if page else 'news'}/{doc_id}/",
            title=draw(sentence(1, 6)),
            kind="page" if page else "article",
            year=None if page else years[doc_id - pages],
            networks=[] if page else [(n.slug, n.name) for n in draw(st.lists(st.sampled_from(NETWORKS), max_size=3, unique=True))],
            tags=draw(st.lists(thai_words, max_size=3)),
            category="" if page else draw(st.sampled_from(["", "ข่าวกิจกรรม", "ข่าวประชาสัมพันธ์"])),
            summary=draw(sentence()),
            body=draw(sentence(0, 30)),
        ))
    return docs


def reversed_analyze(texts: list[str]) -> list[tuple[Counter, Counter]]:
    """The same counts, inserted in the opposite order: the files must not depend on it."""
    return [(Counter(dict(reversed(whole.items()))), Counter(dict(reversed(sub.items()))))
            for whole, sub in analyze(texts)]


@pytest.mark.slow
@SLOW
@given(docs=documents(), shard_bytes=st.sampled_from([48, 300, 2_000, 16_384]),
       inline_bytes=st.sampled_from([0, 20, POSTINGS_INLINE_BYTES]))
def test_index_is_deterministic_and_terms_live_in_their_shard(docs, shard_bytes, inline_bytes):
    networks = [(n.slug, n.name) for n in NETWORKS]
    files = build_search_files(docs, analyze, networks, normalize_display, shard_bytes=shard_bytes,
                               compound_parts=lexicon().compound_parts, inline_bytes=inline_bytes)
    again = build_search_files(docs, reversed_analyze, networks, normalize_display, shard_bytes=shard_bytes,
                               compound_parts=lexicon().compound_parts, inline_bytes=inline_bytes)
    assert again == files  # same names, same bytes

    index = Index(files)
    manifest = index.manifest
    assert manifest["docs"] == len(docs)
    for name, data in files.items():
        if name != "manifest.json":
            assert name == f"{name[0]}-{hashlib.sha256(data).hexdigest()[:10]}.json"

    # Each shard holds only terms whose longest-prefix key is its own key; no term twice.
    seen: dict[str, str] = {}
    filed: set[str] = set()
    for key in index.keys:
        shard = index.shard(key)
        assert shard, f"empty shard {key!r}"
        for term, entry in shard.items():
            assert index.shard_key(term) == key, (term, key)
            assert term not in seen, (term, key, seen.get(term))
            seen[term] = key
            # Short postings in the shard, long ones in the file it names.
            if isinstance(entry, str):
                assert len(files[entry]) > inline_bytes and entry.startswith("p-"), (term, entry)
                filed.add(entry)
                entry = json.loads(files[entry])
            else:
                assert len(dumps(entry)) <= inline_bytes, (term, entry)
            gaps, scores = entry
            ids = list(accumulate(gaps))
            assert gaps[0] >= 0 and all(gap > 0 for gap in gaps[1:]), (term, gaps)
            assert ids[-1] < len(docs) and len(scores) == len(ids)
            assert all(isinstance(score, int) and score >= 1 for score in scores)

    # Every term of every field of every document is there, with that document's id.
    expected: dict[str, set[int]] = {}
    analyzed = [[terms(text, lexicon()) for text in doc.fields().values()] for doc in docs]
    vocabulary = {term for fields in analyzed for whole, _sub in fields for term in whole}
    findable = findable_parts(vocabulary, lexicon().compound_parts)
    for doc_id, fields in enumerate(analyzed):
        for whole, sub in fields:
            for term in (*whole, *sub, *(part for word in whole for part in findable.get(word, ()))):
                expected.setdefault(term, set()).add(doc_id)
    assert set(seen) == set(expected)
    assert filed == {name for name in files if name.startswith("p-")}  # no file that no shard names
    for term, ids in expected.items():
        assert set(index.ids(term)) == ids, term

    # Networks and years as the browser's filters read them.
    for network in manifest["networks"]:
        ids = json.loads(files[network["file"]])
        assert ids == [i for i, doc in enumerate(docs) if network["slug"] in {s for s, _n in doc.networks}]
    years = {year: (first, last) for year, first, last in manifest["years"]}
    assert [year for year, _f, _l in manifest["years"]] == sorted(years, reverse=True)
    for doc_id, doc in enumerate(docs):
        for year, (first, last) in years.items():
            assert (first <= doc_id <= last) == (doc.year == year), (doc_id, doc.year, year)

    # Cards: one per document, in id order.
    chunk = manifest["card_chunk"]
    cards = [card for name in manifest["cards"] for card in json.loads(files[name])]
    assert [card["u"] for card in cards] == [doc.url for doc in docs]
    assert all(len(json.loads(files[name])) <= chunk for name in manifest["cards"])
