"""Build the static search index: BM25 scores per term and document, split into small files.

Pure functions: the documents come in as plain data (`SearchDoc`), the files go out as a
mapping from file name to bytes. The format is described in docs/search.md.
"""

import hashlib
import json
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .search_text import SUB_WORD_WEIGHT, cut_allowed

FORMAT_VERSION = 2  # 2: long postings in files of their own (POSTINGS_INLINE_BYTES)
FIELD_WEIGHTS = {"title": 3.0, "meta": 2.0, "summary": 1.5, "body": 1.0, "attachment": 0.5}
# The text of a story's PDFs (plugins/attachments): findable, but not counted in the story's
# length (a 40-page announcement would push the story's own words down) and weighted below
# the body. A term found in it alone is written with a negative score (see bm25_postings).
ATTACHMENT = "attachment"
BM25_K1 = 1.2
BM25_B = 0.75
SCORE_SCALE = 100
SHARD_BYTES = 2_048  # raw JSON per term shard, before gzip
# A term's postings longer than this (as JSON) go to a file of their own, `p-<hash>.json`, which
# its shard names: a query loads the shards of every word that may start at each letter of it,
# but the postings of the few terms it ranks with only (docs/search.md, "Files").
POSTINGS_INLINE_BYTES = 128
CARD_CHUNK = 8
CARD_TEXT_CHARS = 400
HEAD_MIN_CHARS = 3  # the first word of a compound is findable from this length
EXACT = "="  # the shard key "=term" holds that one term alone (see partition_terms)


@dataclass
class SearchDoc:
    url: str
    title: str
    kind: str = "article"  # or "page", "event"
    iso_date: str = ""
    thai_date: str = ""
    year: int | None = None
    networks: list[tuple[str, str]] = field(default_factory=list)  # (slug, Thai name)
    tags: list[str] = field(default_factory=list)
    category: str = ""
    summary: str = ""
    body: str = ""
    attachments: str = ""  # the text of its PDFs

    def fields(self) -> dict[str, str]:
        meta = " ".join([*self.tags, *(name for _slug, name in self.networks), self.category])
        summary = self.summary
        if self.body.startswith(summary.rstrip("…").strip()):
            summary = ""  # a summary cut from the body adds nothing but a second segmentation
        fields = {"title": self.title, "meta": meta, "summary": summary, "body": self.body}
        if self.attachments:
            fields[ATTACHMENT] = self.attachments
        return fields


# [field text, …] → [(whole-term counts, sub-term counts), …]; the caller may cache it.
Analyzer = Callable[[list[str]], list[tuple[Counter, Counter]]]


def dumps(value) -> bytes:
    """Deterministic, compact JSON: the same index always gives the same bytes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def hashed_name(prefix: str, data: bytes) -> str:
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:10]}.json"


def weighted_terms(fields: dict[str, tuple[Counter, Counter]],
                   parts: dict[str, tuple[str, ...]] | None = None) -> tuple[dict[str, float], float]:
    """Field-weighted term frequencies of one document, and its length for BM25.

    `parts` maps a compound term to the words inside it that are worth finding it by.
    """
    parts = parts or {}
    weights: dict[str, float] = {}
    get = weights.get
    length = 0
    for name, (whole, sub) in sorted(fields.items(), key=_body_first):
        boost = FIELD_WEIGHTS[name]
        if not weights and boost == 1:
            weights.update(whole)  # most terms are in the body alone: its counts as they are, in C
        else:
            for term, count in whole.items():
                weights[term] = get(term, 0.0) + boost * count
        # Only the compounds among the terms (filter runs in C; the order stays the text's, so
        # the sums below are added up in the same order on every build).
        for term in filter(parts.__contains__, whole):
            weight = boost * whole[term] * SUB_WORD_WEIGHT
            for part in parts[term]:
                weights[part] = get(part, 0.0) + weight
        weight = boost * SUB_WORD_WEIGHT
        for term, count in sub.items():
            weights[term] = get(term, 0.0) + weight * count
        if name != ATTACHMENT:
            length += sum(whole.values())
    return weights, max(float(length), 1.0)


def _body_first(field: tuple[str, tuple]) -> bool:
    return field[0] != "body"


def findable_parts(vocabulary: set[str], compound_parts: Callable[[str], tuple[str, ...]],
                   phrases: frozenset[str] = frozenset()) -> dict[str, tuple[str, ...]]:
    """For each compound in the corpus, the words inside it (at every level) a search may use.

    A dictionary split alone over-reaches: จังหวัด is จัง + หวัด, ธรรม is ธร + รม, yet nobody
    searching for หวัด (a cold) wants every story that names a province. A part counts when
    - the corpus uses it as a word of its own (ไทย in ภาษาไทย), or
    - it is a part of two or more different compounds (เชียง in เชียงราย and เชียงแสน), or
    - it is the head of a compound, its first word, of three letters or more: Thai compounds
      put the head first and the modifier after (โคม in โคมลอย, a floating lantern), or
    - the compound is one of the site's own phrases (`phrases`, from content/lexicon.txt),
      which are made of words on purpose (ทางสังคม in เครือข่ายทางสังคม).
    """
    direct: dict[str, tuple[str, ...]] = {}
    pending = [term for term in vocabulary if not term.isascii()]
    while pending:
        term = pending.pop()
        if term in direct:
            continue
        direct[term] = compound_parts(term)
        pending.extend(part for part in direct[term] if part not in direct)
    parents: dict[str, set[str]] = defaultdict(set)
    heads: set[str] = set()
    for term, term_parts in direct.items():
        for part in term_parts:
            parents[part].add(term)
        if term_parts and len(term_parts[0]) >= HEAD_MIN_CHARS:
            heads.add(term_parts[0])
        if term in phrases:
            heads.update(term_parts)

    def useful(part: str) -> bool:
        return part in vocabulary or len(parents[part]) >= 2 or part in heads

    def all_parts(term: str) -> list[str]:
        found = []
        for part in direct.get(term, ()):
            if useful(part):
                found.append(part)
            found.extend(all_parts(part))
        return found

    result = {}
    for term in vocabulary:
        found = tuple(dict.fromkeys(all_parts(term)))
        if found:
            result[term] = found
    return result


def bm25_postings(documents: list[tuple[dict[str, float], float]],
                  attachment_only: dict[int, set[str]] | None = None) -> dict[str, list[list[int]]]:
    """term → [[id gaps…], [scores…]]: ids ascending, each stored as the gap from the one
    before (the first as is), score = BM25 × SCORE_SCALE (≥ 1). Gaps keep common terms small.
    A term that document `id` holds only in its attachments (`attachment_only[id]`) has its
    score written negative: the browser ranks by the absolute value and says "found in the
    attachment" (search.js), at the cost of one character, not a list of its own."""
    attachment_only = attachment_only or {}
    count = len(documents)
    average = sum(length for _weights, length in documents) / max(count, 1)
    frequency: Counter = Counter()
    for weights, _length in documents:
        frequency.update(weights.keys())
    # idf × (k1 + 1) × scale, once per term; the loop below runs once per term of each document.
    scale = (BM25_K1 + 1) * SCORE_SCALE
    factor = {term: math.log(1 + (count - df + 0.5) / (df + 0.5)) * scale for term, df in frequency.items()}
    ids: dict[str, list[int]] = {}
    scores: dict[str, list[int]] = {}
    for doc_id, (weights, length) in enumerate(documents):
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        only = attachment_only.get(doc_id, ())
        for term, tf in weights.items():
            score = round(factor[term] * tf / (tf + norm)) or 1
            if term in only:
                score = -score
            term_ids = ids.get(term)
            if term_ids is None:
                ids[term] = [doc_id]
                scores[term] = [score]
            else:
                term_ids.append(doc_id)
                scores[term].append(score)
    return {term: [list(map(operator.sub, term_ids, [0, *term_ids])), scores[term]]
            for term, term_ids in ids.items()}


def absent_words(known_words: frozenset[str], terms) -> set[str]:
    """Words a reader may type (`known_words`, the dictionary) that no document contains.

    The browser splits a query against the index's own terms, so without this เชียงใหม่, named in
    no story, would be read as เชียง + ใหม่ and find every story with both somewhere. Listed in
    the index as known words without documents, a query for one of them finds nothing.
    A word inside a longer term (วัฒนธรรมจังหวัด in สำนักงานวัฒนธรรมจังหวัดเชียงราย) is in the
    text, so it is not absent: the query finds it by its parts as before. Only words that the
    index's terms can spell matter: the browser reads any other word with a piece it does not
    know, which finds nothing anyway (at 10,000 articles that leaves about one in seven).
    """
    longest = max(map(len, known_words), default=0)
    inside: set[str] = set()
    for term in terms:
        if len(term) < 3 or term.isascii():
            continue
        cuts = [i for i in range(len(term) + 1) if cut_allowed(term, i)]
        for first, start in enumerate(cuts):
            for end in cuts[first + 1:]:
                if end - start > longest:
                    break
                if term[start:end] in known_words:
                    inside.add(term[start:end])
    longest_term = max(map(len, terms), default=0)
    return {word for word in known_words
            if word not in terms and word not in inside and spelled_by(word, terms, longest_term)}


def spelled_by(word: str, terms, longest_term: int) -> bool:
    """Can `word` be cut, between character clusters, into two or more of `terms`?"""
    reachable = [True] + [False] * len(word)
    for start in range(len(word)):
        if not reachable[start] or not cut_allowed(word, start):
            continue
        for end in range(start + 1, min(len(word), start + longest_term) + 1):
            if not reachable[end] and (start, end) != (0, len(word)) and cut_allowed(word, end) \
                    and word[start:end] in terms:
                reachable[end] = True
    return reachable[-1]


def partition_terms(sizes: dict[str, int], limit: int = SHARD_BYTES) -> dict[str, list[str]]:
    """Split terms into shards by prefix; each term lives under the longest key prefixing it.

    A prefix too big for one shard is split by the next letter: the largest groups get keys of
    their own (and are split again if need be), the small ones stay together under the prefix
    itself, so that thousands of rare words do not each cost a line in the manifest. A term
    equal to the prefix that would fill half a shard by itself (a common word: การ, คุณธรรม)
    gets a shard of its own, keyed EXACT + term, so that the words it begins can still share.
    """
    shards: dict[str, list[str]] = {}

    def split(prefix: str, group: list[str]) -> None:
        if sum(sizes[term] for term in group) <= limit or all(term == prefix for term in group):
            shards[prefix] = group
            return
        children: dict[str, list[str]] = defaultdict(list)
        kept = []  # a term equal to the prefix stays here, unless it is big
        for term in group:
            if term == prefix:
                if sizes[term] > limit // 2:
                    shards[EXACT + term] = [term]
                else:
                    kept.append(term)
        for term in group:
            if term != prefix:
                children[term[: len(prefix) + 1]].append(term)
        kept_size = sum(sizes[term] for term in kept)
        by_size = sorted(children.items(), key=lambda item: (sum(sizes[t] for t in item[1]), item[0]))
        for child, members in by_size:  # smallest first: as many groups as fit stay here
            size = sum(sizes[term] for term in members)
            if kept_size + size <= limit:
                kept.extend(members)
                kept_size += size
            else:
                split(child, members)
        if kept:
            shards[prefix] = sorted(kept)

    first: dict[str, list[str]] = defaultdict(list)
    for term in sorted(sizes):
        first[term[0]].append(term)
    for prefix, group in sorted(first.items()):
        split(prefix, group)
    return dict(sorted(shards.items()))


def shard_key_for(term: str, keys) -> str | None:
    """The manifest key of the shard that holds `term`: its own EXACT key if it has one, else
    the longest key that is a prefix of it (search-text.js `shardKeyFor` does the same)."""
    if EXACT + term in keys:
        return EXACT + term
    for length in range(len(term), 0, -1):
        if term[:length] in keys:
            return term[:length]
    return None


def build_search_files(
    docs: list[SearchDoc],
    analyze: Analyzer,
    all_networks: list[tuple[str, str]],
    normalize_display: Callable[[str], str],
    shard_bytes: int = SHARD_BYTES,
    compound_parts: Callable[[str], tuple[str, ...]] | None = None,
    phrases: frozenset[str] = frozenset(),
    known_words: frozenset[str] = frozenset(),
    inline_bytes: int = POSTINGS_INLINE_BYTES,
) -> dict[str, bytes]:
    """Every file of the index, by name (relative to the search folder). Ids are list positions.

    `known_words` (the dictionary) that no document contains are written as terms with the
    postings `0`, so that a query for one finds nothing rather than its pieces (absent_words).
    Postings longer than `inline_bytes` go to files of their own (shard_entries).
    """
    fields = [doc.fields() for doc in docs]
    results = analyze([text for doc_fields in fields for text in doc_fields.values()])
    vocabulary = {term for whole, _sub in results for term in whole}
    parts = findable_parts(vocabulary, compound_parts, phrases) if compound_parts else {}
    results = iter(results)
    analyzed, attachment_only = [], {}
    for doc_id, doc_fields in enumerate(fields):
        terms = {name: next(results) for name in doc_fields}
        analyzed.append(weighted_terms(terms, parts))
        if ATTACHMENT in terms:  # the few stories with a PDF: which terms its text alone gives
            del terms[ATTACHMENT]
            attachment_only[doc_id] = set(analyzed[-1][0]) - set(weighted_terms(terms, parts)[0])
    del fields, results, parts
    postings = bm25_postings(analyzed, attachment_only)
    del analyzed
    files: dict[str, bytes] = {}
    entries = shard_entries(postings, files, inline_bytes)
    for word in absent_words(known_words, postings):
        entries[word] = 0
    # The suggestion vocabulary (search_typos): fetched only by a query with a word that found nothing.
    from .search_typos import suggestion_files, suggestion_vocabulary

    suggest_name, suggest_files = suggestion_files(suggestion_vocabulary(postings, known_words))
    files.update(suggest_files)
    del postings
    sizes = {term: len(term.encode()) + 4 + len(dumps(entry)) for term, entry in entries.items()}

    shard_names = {}
    for prefix, members in partition_terms(sizes, shard_bytes).items():
        data = dumps({term: entries[term] for term in members})
        shard_names[prefix] = hashed_name("t", data)
        files[shard_names[prefix]] = data

    card_names = []
    for start in range(0, len(docs), CARD_CHUNK):
        cards = [card(doc, normalize_display) for doc in docs[start: start + CARD_CHUNK]]
        data = dumps(cards)
        card_names.append(hashed_name("c", data))
        files[card_names[-1]] = data

    networks = []
    for slug, name in all_networks:
        ids = [doc_id for doc_id, doc in enumerate(docs) if any(s == slug for s, _n in doc.networks)]
        data = dumps(ids)
        networks.append({"slug": slug, "name": name, "file": hashed_name("n", data)})
        files[networks[-1]["file"]] = data

    years: dict[int, list[int]] = {}
    for doc_id, doc in enumerate(docs):
        if doc.year is not None:
            span = years.setdefault(doc.year, [doc_id, doc_id])
            span[0], span[1] = min(span[0], doc_id), max(span[1], doc_id)
    manifest = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "card_chunk": CARD_CHUNK,
        "cards": card_names,
        "shards": shard_names,
        "networks": networks,
        "years": [[year, *span] for year, span in sorted(years.items(), reverse=True)],
        "suggest": suggest_name,
    }
    files["manifest.json"] = dumps(manifest)
    return files


def shard_entries(postings: dict[str, list[list[int]]], files: dict[str, bytes],
                  inline_bytes: int = POSTINGS_INLINE_BYTES) -> dict:
    """term → what its shard says of it: its postings themselves, or, when they are longer than
    `inline_bytes` of JSON, the name of the file `p-<hash>.json` that holds them (added to
    `files`). Identical postings share one file."""
    entries = {}
    for term, value in postings.items():
        data = dumps(value)
        if len(data) > inline_bytes:
            name = hashed_name("p", data)
            files[name] = data
            entries[term] = name
        else:
            entries[term] = value
    return entries


def term_entry(manifest: dict, read: Callable[[str], bytes], term: str):
    """A term's postings as the browser reads them (search.js `SearchIndex`): [[gaps…],
    [scores…]], 0 for a known word in no document, None for a term the index lacks. `read`
    gives a file of the index by name."""
    key = shard_key_for(term, manifest["shards"])
    entry = json.loads(read(manifest["shards"][key])).get(term) if key is not None else None
    return json.loads(read(entry)) if isinstance(entry, str) else entry


def card(doc: SearchDoc, normalize_display: Callable[[str], str]) -> dict:
    # Only the start is shown: normalise a generous prefix, not the whole story (normalising
    # changes text only locally, and never makes it longer).
    text = normalize_display(f"{doc.summary} {doc.body}".strip()[: 2 * CARD_TEXT_CHARS])
    if len(text) > CARD_TEXT_CHARS:
        cut = text.rfind(" ", 0, CARD_TEXT_CHARS)
        if cut < CARD_TEXT_CHARS // 2:
            cut = CARD_TEXT_CHARS
            while not cut_allowed(text, cut):  # never end inside a character cluster
                cut -= 1
        text = text[:cut]
    return {
        "u": doc.url, "t": doc.title, "d": doc.iso_date, "td": doc.thai_date,
        "n": [name for _slug, name in doc.networks], "k": doc.kind, "x": text,
    }
