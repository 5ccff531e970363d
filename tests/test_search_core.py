"""The search index's text pipeline and builder, as plain functions."""

import json
from collections import Counter

import pytest

from conftest import SITE_CONTENT
from thainews.search_index import (
    EXACT,
    POSTINGS_INLINE_BYTES,
    SearchDoc,
    absent_words,
    bm25_postings,
    build_search_files,
    hashed_name,
    partition_terms,
    shard_key_for,
    term_entry,
)
from thainews.search_text import (
    Lexicon,
    joined_words,
    normalize_display,
    normalize_search,
    pack_counts,
    terms,
    unpack_counts,
)


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.from_file(SITE_CONTENT / "lexicon.txt")


def test_one_spelling_for_text_typed_in_different_ways():
    assert normalize_search("นํ้า") == normalize_search("น้ำ") == "น้ำ"
    assert normalize_search("เเปลก") == "แปลก"
    assert normalize_search("สวัสดี\u200bครับ") == "สวัสดีครับ"
    assert normalize_search("๒๕๖๗") == "2567"
    assert normalize_search("PM2.5 ITA") == "pm2.5 ita"
    assert normalize_search("ข่าว") != normalize_search("ขาว")  # tone marks are kept


def test_display_text_keeps_thai_digits_and_case():
    assert normalize_display("ปี ๒๕๖๗ ITA") == "ปี ๒๕๖๗ ITA"


def test_terms_of_mixed_text(lexicon):
    whole, sub = terms("ค่า PM2.5 สูง อสม.ช่วยแจกหน้ากาก ITA และ MOU", lexicon)
    assert {"pm2.5", "อสม", "ita", "mou", "ค่า"} <= set(whole)
    assert {"pm2", "5"} <= set(sub)
    assert set(sub) == {"pm2", "5"}  # Thai compound parts are the index builder's job


def test_domain_lexicon_keeps_names_whole(lexicon):
    whole, _sub = terms("ศูนย์คุณธรรมจัดงานที่แม่สลอง", lexicon)
    assert {"ศูนย์คุณธรรม", "แม่สลอง"} <= set(whole)
    assert lexicon.sub_words("ศูนย์คุณธรรม")[:2] == ("ศูนย์", "คุณธรรม")


def test_compound_words_give_sub_words_but_simple_words_do_not(lexicon):
    assert lexicon.compound_parts("โคมลอย") == ("โคม", "ลอย")
    assert lexicon.compound_parts("ข่าวดี") == ("ข่าว", "ดี")
    assert lexicon.compound_parts("ตาก") == ()  # ตา + ก is not two words
    assert lexicon.compound_parts("ภาษาไทย") == ("ภาษา", "ไทย")


def test_packed_counts_round_trip():
    counts = Counter({"น้ำ": 2, "pm2.5": 1, "ข่าว": 10})
    assert unpack_counts(pack_counts(counts)) == counts
    assert unpack_counts("") == Counter()


def test_bm25_gives_rarer_terms_and_shorter_documents_more_weight():
    docs = [({"rare": 1.0, "common": 1.0}, 10.0), ({"common": 1.0}, 10.0), ({"common": 1.0}, 100.0)]
    postings = bm25_postings(docs)
    assert postings["rare"] == [[0], [postings["rare"][1][0]]]
    common_ids, common_scores = postings["common"]
    assert common_ids == [0, 1, 1]  # gaps: ids 0, 1, 2
    assert common_scores[1] > common_scores[2]  # same tf, shorter document
    assert postings["rare"][1][0] > common_scores[0]


def test_bm25_scores_follow_the_formula():
    import math

    from thainews.search_index import BM25_B, BM25_K1, SCORE_SCALE

    docs = [({"ก": 3.0, "ข": 0.4}, 12.0), ({"ก": 1.0}, 4.0), ({"ค": 2.0}, 8.0), ({"ก": 0.001}, 8.0)]
    average = (12 + 4 + 8 + 8) / 4

    def expected(tf, length, df):
        idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        return max(1, round(idf * tf * (BM25_K1 + 1) / (tf + norm) * SCORE_SCALE))

    postings = bm25_postings(docs)
    assert postings["ก"] == [[0, 1, 2], [expected(3.0, 12, 3), expected(1.0, 4, 3), 1]]  # the last: at least 1
    assert postings["ข"] == [[0], [expected(0.4, 12, 1)]]
    assert postings["ค"] == [[2], [expected(2.0, 8, 1)]]
    assert set(postings) == {"ก", "ข", "ค"}


def test_partition_puts_each_term_under_its_longest_prefix_key():
    sizes = {term: 100 for term in ["ก", "กา", "กาก", "กิน", "ข"]} | {"กาแฟ": 5000}
    shards = partition_terms(sizes, limit=300)
    assert sorted(t for members in shards.values() for t in members) == sorted(sizes)
    for key, members in shards.items():
        for term in members:
            assert term.startswith(key)
            assert key == shard_key_for(term, shards)
    assert all(sum(sizes[t] for t in members) <= 300 or len(members) == 1 for members in shards.values())



def test_partition_keeps_small_groups_together_under_their_prefix():
    # 30 small groups under ก and one big one: the big one gets keys of its own, the small
    # ones share the shard of ก instead of one shard (and one manifest line) each.
    letters = "ขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภม"
    sizes = {f"ก{letter}": 10 for letter in letters} | {f"กา{letter}": 200 for letter in letters}
    shards = partition_terms(sizes, limit=1000)
    assert sorted(t for members in shards.values() for t in members) == sorted(sizes)
    assert set(shards["ก"]) == {f"ก{letter}" for letter in letters}
    assert not any(f"ก{letter}" in shards for letter in letters if letter != "า")
    assert set(shards["กา"]) < set(sizes) and len(shards["กา"]) == 5  # as many as fit stay under กา


def test_a_common_word_gets_a_shard_of_its_own_so_the_words_it_begins_can_share_one():
    # การ alone fills a shard; the 30 words that begin with it still share the shard of การ.
    letters = "ขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภม"
    sizes = {"การ": 900} | {f"การ{letter}": 20 for letter in letters}
    shards = partition_terms(sizes, limit=1000)
    assert shards[EXACT + "การ"] == ["การ"]
    assert set(shards["การ"]) == {f"การ{letter}" for letter in letters}
    assert len(shards) == 2
    assert shard_key_for("การ", shards) == EXACT + "การ" and shard_key_for("การข", shards) == "การ"
    for key, members in shards.items():
        assert sum(sizes[t] for t in members) <= 1000
        for term in members:
            assert key == shard_key_for(term, shards)


def test_absent_words_are_dictionary_words_that_no_document_contains():
    known = frozenset({"เชียงใหม่", "เชียงราย", "วัฒนธรรม", "จังหวัด", "วัฒนธรรมจังหวัด", "ภูเก็ต", "ภูเขา"})
    terms_in_index = {"เชียงราย": [[0], [1]], "สำนักงานวัฒนธรรมจังหวัด": [[0], [1]], "ใหม่": [[0], [1]],
                      "เชียง": [[0], [1]], "ภู": [[0], [1]], "เก็ต": [[0], [1]]}
    # วัฒนธรรมจังหวัด, วัฒนธรรม and จังหวัด are inside a term: in the text, so not absent.
    # ภูเขา cannot be spelled with the index's terms (no เขา): a query for it finds nothing anyway.
    assert absent_words(known, terms_in_index) == {"เชียงใหม่", "ภูเก็ต"}
    assert absent_words(frozenset(), terms_in_index) == set()


@pytest.mark.slow
def test_a_dictionary_word_named_nowhere_is_in_the_index_without_documents(lexicon):
    docs = [_doc("ประชุมที่เชียงราย", "ข่าวใหม่จากจังหวัดเชียงราย"), _doc("งานวัน เด็ก", "แม่ พา ลูก มา")]
    files = build_search_files(docs, analyzer(lexicon), [], normalize_display, compound_parts=lexicon.compound_parts,
                               known_words=lexicon.search_words())
    manifest = json.loads(files["manifest.json"])

    def raw(term):
        return term_entry(manifest, files.__getitem__, term)

    assert raw("เชียงใหม่") == 0  # a known word with no documents: the query finds nothing
    assert raw("วันแม่") == 0
    assert raw("เชียงราย")[0] == [0]  # present words keep their postings
    assert raw("ใหม่")[0] == [0]
    assert raw("ไม่มีคำนี้") is None  # not a dictionary word: not listed at all
    assert raw("ภูเขา") is None  # no terms spell it: the browser finds nothing for it anyway


def test_neighbouring_tokens_that_make_a_dictionary_word_give_it():
    words = frozenset({"ตากลม", "ตา", "กลม", "ลม", "ตาก", "ลมพัด"})
    assert joined_words(["ตา", "กลม"], words) == Counter({"ตากลม": 1})
    assert joined_words(["ตา", "ก", "ลม", "ตา", "กลม"], words) == Counter({"ตาก": 1, "ตากลม": 2, "กลม": 1})  # pairs, threes
    assert joined_words(["ตา", " ", "กลม"], words) == Counter()  # a space between: not one word
    assert joined_words(["ลม"], words) == Counter()
    assert joined_words(["ฯ", "พณ", "ฯ"], words | {"ฯพณฯ"}) == Counter()  # not Thai letters only: no term


def test_terms_count_a_word_that_segmentation_split(lexicon):
    tokens = lexicon.segment("มาตากลมกันที่ลานวัด")
    found = joined_words(tokens, lexicon.words)
    _whole, sub = terms("มาตากลมกันที่ลานวัด", lexicon)
    assert found == sub  # whatever the split, the joined words are sub-terms


def _doc(title, body, year=2023, networks=()):
    return SearchDoc(url=f"news/{year}/01/{abs(hash(title)) % 1000}/", title=title, body=body, year=year,
                     iso_date=f"{year}-01-01T00:00:00+07:00", thai_date=f"1 มกราคม {year + 543}",
                     networks=list(networks))


def analyzer(lexicon):
    return lambda texts: [terms(text, lexicon) for text in texts]


def test_index_files_are_complete_and_deterministic(lexicon):
    docs = [_doc("โคมลอยที่เชียงแสน", "งานประเพณีปล่อยโคมลอย", 2022, [("religion", "เครือข่ายศาสนา")]),
            _doc("ผักปลอดสารพิษ", "เกษตรกรปลูกผักปลอดสารพิษ", 2023),
            _doc("<img src=x onerror=alert(1)>", "ข่าวทดสอบ", 2024)]
    files = build_search_files(docs, analyzer(lexicon), [("religion", "เครือข่ายศาสนา"), ("media", "เครือข่ายสื่อคุณธรรม")],
                               normalize_display)
    again = build_search_files(docs, analyzer(lexicon), [("religion", "เครือข่ายศาสนา"), ("media", "เครือข่ายสื่อคุณธรรม")],
                               normalize_display)
    assert files == again
    manifest = json.loads(files["manifest.json"])
    assert manifest["docs"] == 3
    assert manifest["years"] == [[2024, 2, 2], [2023, 1, 1], [2022, 0, 0]]
    assert all(name in files for name in manifest["cards"] + list(manifest["shards"].values()))
    religion = next(n for n in manifest["networks"] if n["slug"] == "religion")
    assert json.loads(files[religion["file"]]) == [0]
    cards = json.loads(files[manifest["cards"][0]])
    assert cards[2]["t"] == "<img src=x onerror=alert(1)>"  # stored as text; the page inserts it as text
    assert cards[0]["td"] == "1 มกราคม 2565" and cards[0]["n"] == ["เครือข่ายศาสนา"]
    for name in files:
        assert name == "manifest.json" or name.split("-")[0] in {"t", "p", "c", "n", "s"}
        assert len(name) <= 20


def test_long_postings_live_in_a_file_of_their_own_that_the_shard_names(lexicon):
    # เชียงราย is in all 40 stories: its postings outgrow POSTINGS_INLINE_BYTES and go to a
    # file p-<hash>.json, which only a query that ranks with it fetches; โคมลอย, in one, stays
    # in its shard. The shards then hold words, not long lists: a query loads far less to
    # learn which words exist.
    docs = [_doc(f"ข่าวเชียงรายฉบับที่ {number}", "ชาวบ้านร่วมงานที่เชียงราย", 2023) for number in range(40)]
    docs.append(_doc("โคมลอยที่เชียงราย", "ปล่อยโคมลอย", 2024))
    files = build_search_files(docs, analyzer(lexicon), [], normalize_display)
    manifest = json.loads(files["manifest.json"])
    assert manifest["version"] == 2
    shards = {term: entry for name in manifest["shards"].values() for term, entry in json.loads(files[name]).items()}
    common = shards["เชียงราย"]
    assert isinstance(common, str) and common.startswith("p-") and common in files
    gaps, scores = json.loads(files[common])
    assert gaps == [0] + [1] * 40 and len(scores) == 41 and all(score >= 1 for score in scores)
    assert len(files[common]) > POSTINGS_INLINE_BYTES
    assert term_entry(manifest, files.__getitem__, "เชียงราย") == json.loads(files[common])
    assert shards["โคมลอย"] == term_entry(manifest, files.__getitem__, "โคมลอย") == [[40], shards["โคมลอย"][1]]
    # Every file is named by the hash of its bytes; two terms with the same postings share one.
    assert sorted(name for name in files if name.startswith("p-")) == sorted(
        {entry for entry in shards.values() if isinstance(entry, str)})
    for name, data in files.items():
        if name != "manifest.json":
            assert name == hashed_name(name[0], data)
    assert all(len(json.dumps(entry, ensure_ascii=False, separators=(",", ":"))) <= POSTINGS_INLINE_BYTES
               for entry in shards.values() if not isinstance(entry, str))


def lookup(files, term):
    entry = term_entry(json.loads(files["manifest.json"]), files.__getitem__, term)
    if not entry:
        return []
    ids, total = [], 0
    for gap in entry[0]:
        total += gap
        ids.append(total)
    return ids


def test_words_inside_compounds_and_titles_are_found(lexicon):
    docs = [_doc("ประเพณีโคมลอย", "ชาวบ้านร่วมงาน"), _doc("สำนักงานวัฒนธรรมจังหวัดเชียงราย", "ประชุม"),
            _doc("ตากแดด", "ข่าวดี"), _doc("ซ่อมโคมไฟ", "วัฒนธรรมล้านนา")]
    files = build_search_files(docs, analyzer(lexicon), [], normalize_display, compound_parts=lexicon.compound_parts)
    assert lookup(files, "โคม") == [0, 3]  # a part of two different compounds
    assert lookup(files, "วัฒนธรรม") == [1, 3]  # a word of its own elsewhere in the corpus
    assert lookup(files, "ตา") == []
    assert lookup(files, "ขาว") == []
    assert lookup(files, "ข่าวดี") == [2]


def test_fragments_of_single_words_are_not_findable(lexicon):
    docs = [_doc("ประชุมจังหวัด", "ศาลากลางจังหวัดเชียงราย"), _doc("คุณธรรมนำชีวิต", "ธรรมะ")]
    files = build_search_files(docs, analyzer(lexicon), [], normalize_display, compound_parts=lexicon.compound_parts)
    assert lookup(files, "หวัด") == []  # จังหวัด is not จัง + หวัด to a reader
    assert lookup(files, "รม") == []  # nor is ธรรม ธร + รม
    assert lookup(files, "จังหวัด") == [0]


def test_term_cache_segments_only_what_changed(tmp_path, lexicon):
    from thai_search.thai_search import TermCache

    path = tmp_path / "terms.json"
    texts = ["ข่าวหนึ่ง", "ข่าวสอง", "ข่าวสาม"]
    first = TermCache(path, lexicon)
    first(texts)
    first.save()
    assert first.computed == 3
    second = TermCache(path, lexicon)
    result = second(["ข่าวหนึ่ง", "ข่าวสองแก้ไข", "ข่าวสาม"])
    assert second.computed == 1
    assert result[1][0] == terms("ข่าวสองแก้ไข", lexicon)[0]
    third = TermCache(path, lexicon)
    assert third.text_of("<p>ข่าว<script>x()</script> <code>y</code>หนึ่ง</p>") == "ข่าว หนึ่ง"
    assert third.text_of("<p>ข่าว<em>สอง</em></p>") == "ข่าว สอง"
    assert list(third.used_texts.values()) == ["ข่าว หนึ่ง"]  # only what needed the parser is kept
    third.save()
    import thai_search.thai_search as plugin
    original, plugin.body_text = plugin.body_text, None  # a second build must not parse again
    try:
        assert TermCache(path, lexicon).text_of("<p>ข่าว<script>x()</script> <code>y</code>หนึ่ง</p>") == "ข่าว หนึ่ง"
    finally:
        plugin.body_text = original
    path.write_text("not json", encoding="utf-8")
    assert TermCache(path, lexicon)(["ข่าว"])[0][0] == Counter({"ข่าว": 1})  # a broken cache is ignored


@pytest.mark.parametrize("markup", [
    '<p>ข่าว<strong>ดี</strong> &amp; &lt;x&gt;</p>', '<p title="a > b">x</p>', "<p title='q>r'>y</p>",
    "<!-- note --><p>a</p><!-- x > y -->", '<a href="x">link</a>b', "plain &nbsp; text", "<br/>a<br>b",
    '<img alt="รูป" src="a.jpg"><p>z</p>', "&#3585;&#x0E02;", "<p>ก</p><pre><code>x = 1</code></pre><p>ข</p>",
    "<p>a</p><script>alert(1)</script><nav>menu</nav><p>b</p>", "<p>x<![CDATA[y]]>z</p>",
])
def test_text_of_html_is_what_a_parser_reads(markup):
    """The quick path (no element to skip) must read exactly what BeautifulSoup reads."""
    from bs4 import BeautifulSoup

    from thai_search.thai_search import SKIPPED_ELEMENTS, body_text

    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(SKIPPED_ELEMENTS):
        element.decompose()
    assert body_text(markup) == " ".join(soup.get_text(" ").split())


def test_segmenting_in_worker_processes_gives_what_one_process_gives(lexicon):
    from thainews import search_text

    texts = [f"ข่าวที่ {n} ศูนย์คุณธรรมจัดงานที่แม่สลอง ตากลม PM2.5 ๒๕๖๗" for n in range(450)]  # ≥ 400: the pool
    serial = search_text.packed_terms_many(texts, lexicon, processes=1)
    assert search_text.packed_terms_many(texts, lexicon, processes=2) == serial
    assert unpack_counts(serial[7][0])["ศูนย์คุณธรรม"] == 1


def test_lexicons_with_the_same_words_share_one_word_set():
    """The term caches are keyed by the word set: a second, equal set (each `make devserver`
    rebuild makes a new Lexicon) would be compared word by word on every lookup."""
    assert Lexicon(["ศูนย์คุณธรรม"]).words is Lexicon(["ศูนย์คุณธรรม", " "]).words
    assert Lexicon(["ศูนย์คุณธรรม"]).words is not Lexicon(["แม่สลอง"]).words
    assert "แม่สลอง" in Lexicon(["แม่สลอง"]).words and "ข่าว" in Lexicon(["แม่สลอง"]).words
