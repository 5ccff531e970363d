"""Search that forgives typing (plugins/thainews/search_typos.py, theme/static/js/search-typos.js).

- Nearness: Python and JavaScript (in Node) give the costs, skeletons and limits of the shared
  table tests/data/search-typos-cases.json, and the same results on random Thai spellings.
- The wrong keyboard: the mapping is PyThaiNLP's `eng_to_thai`, key for key, in Python, and the
  JavaScript one is the Python one on the same table (shifted keys included).
- The suggestion vocabulary: which words, and its shards by suggestion key.
- The query side's choices in JavaScript (which stretch of a word to correct, when a correction
  is certain, the nearest words of a shard).
The browser itself: tests/test_search_typos_e2e.py.
"""

import json
import shutil
import string
import subprocess
from random import Random

import pytest

from conftest import ROOT
from thainews.search_index import SearchDoc, build_search_files, shard_key_for
from thainews.search_text import normalize_display
from thainews.search_typos import (
    KEDMANEE,
    NEAR,
    SLIP,
    SUGGEST_DEPTH,
    correction_limit,
    distance,
    from_english_layout,
    real_words_near,
    skeleton,
    suggest_key,
    suggestion_files,
    suggestion_vocabulary,
)

CASES = json.loads((ROOT / "tests" / "data" / "search-typos-cases.json").read_text(encoding="utf-8"))
MODULE = ROOT / "theme" / "static" / "js" / "search-typos.js"
PRINTABLE = "".join(chr(code) for code in range(0x20, 0x7F))


# ---------------------------------------------------------------------------------------------
# Python against the table.

@pytest.mark.parametrize(("typed", "word", "cost", "why"), CASES["distance"])
def test_distance_of_the_table(typed, word, cost, why):
    assert (distance(typed, word), distance(word, typed)) == (cost, cost), why
    for limit in (0, 3, 5, 10):  # the build's early exit: the same below the limit
        assert distance(typed, word, limit) == min(cost, limit + 1), (limit, why)


def test_the_build_shortcuts_change_nothing():
    """The early exit, and the quick look that two spellings may be one step apart, never miss
    what the full distance finds."""
    from thainews.search_typos import _one_step_apart

    for a, b in random_spellings(500, seed=11) + [row[:2] for row in CASES["distance"]]:
        full = distance(a, b)
        assert all(distance(a, b, limit) == min(full, limit + 1) for limit in (0, 3, 5, 8, 10)), (a, b)
        if full <= NEAR:
            assert _one_step_apart(a, b), (a, b)


@pytest.mark.parametrize(("word", "expected"), CASES["skeleton"])
def test_skeleton_of_the_table(word, expected):
    assert skeleton(word) == expected


@pytest.mark.parametrize(("length", "limit"), CASES["limit"])
def test_correction_limit_of_the_table(length, limit):
    assert correction_limit(length) == limit


@pytest.mark.parametrize(("word", "expected"), CASES["key"])
def test_suggestion_key_of_the_table(word, expected):
    assert suggest_key(word) == expected


def test_a_misspelling_and_its_correction_share_their_suggestion_key():
    """The vocabulary shard of a correction is found from the misspelling: every slip and near
    step of the table but two consonants swapped at the start (กมร for กรม), which moves it."""
    for typed, word, cost, why in CASES["distance"]:
        if 0 < cost <= NEAR:
            assert (suggest_key(typed) == suggest_key(word)) == ("swapped" not in why), (typed, word, why)


# ---------------------------------------------------------------------------------------------
# The wrong keyboard is PyThaiNLP's.

def test_the_layout_table_is_pythainlps_key_for_key():
    from pythainlp.util.keyboard import EN_TH_KEYB_PAIRS

    assert KEDMANEE == EN_TH_KEYB_PAIRS


@pytest.mark.parametrize(("typed", "thai"), CASES["layout"])
def test_layout_mapping_is_eng_to_thai(typed, thai):
    from pythainlp.util import eng_to_thai

    assert from_english_layout(typed) == eng_to_thai(typed) == thai


def test_layout_mapping_of_every_printable_key_is_eng_to_thai():
    from pythainlp.util import eng_to_thai

    assert from_english_layout(PRINTABLE) == eng_to_thai(PRINTABLE)
    assert from_english_layout("ข่าว é") == "ข่าว é"  # what is not a key stays


# ---------------------------------------------------------------------------------------------
# JavaScript, in Node, against the table and against Python.

NODE_SCRIPT = """
import { readFileSync } from "node:fs";
const m = await import(process.argv[1]);
const input = JSON.parse(readFileSync(0, "utf8"));
const out = {
  distance: input.pairs.map(([a, b]) => [m.distance(a, b), m.distance(b, a)]),
  limited: input.pairs.map(([a, b]) => [0, 3, 5, 8, 10].map((limit) => m.distance(a, b, limit))),
  skeleton: input.words.map(m.skeleton),
  key: input.words.map(m.suggestKey),
  layout: input.typed.map(m.fromEnglishLayout),
  limit: input.lengths.map(m.correctionLimit),
  spans: input.spans.map(([bad, count]) => m.correctionSpans(bad, count)),
  certain: input.certain.map(([costs, length, real]) => m.certain(costs.map((cost) => ({ cost })), length, real)),
  nearest: input.nearest.map(([typed, words, limit]) => m.nearestWords(typed, new Map(Object.entries(words)), limit ?? undefined)),
};
process.stdout.write(JSON.stringify(out));
"""


def run_node(**input_) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (the same cases run in Chromium: tests/test_search_typos_e2e.py)")
    defaults = {"pairs": [], "words": [], "typed": [], "lengths": [], "spans": [], "certain": [], "nearest": []}
    result = subprocess.run([node, "--input-type=module", "-e", NODE_SCRIPT, MODULE.as_uri()],
                            input=json.dumps(defaults | input_), capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def random_spellings(count: int, seed: int = 2568) -> list[tuple[str, str]]:
    """Pairs of a word and a misspelling of it: letters, vowels, tone marks and การันต์ dropped,
    swapped and replaced, on real-looking Thai (what the table does not think of)."""
    rng = Random(seed)
    letters = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
    marks = "ะัาำิีึืุูเแโใไ็่้๊๋์"
    alphabet = letters * 3 + marks
    pairs = []
    for _ in range(count):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        typo = list(word)
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(typo) + 1)
            action = rng.choice(["drop", "add", "swap", "replace"])
            if action == "drop" and at < len(typo):
                del typo[at]
            elif action == "add":
                typo.insert(at, rng.choice(alphabet + "์ร"))
            elif action == "swap" and at + 1 < len(typo):
                typo[at], typo[at + 1] = typo[at + 1], typo[at]
            elif at < len(typo):
                typo[at] = rng.choice(alphabet)
        pairs.append((word, "".join(typo)))
    return pairs


def test_javascript_gives_the_table():
    js = run_node(pairs=[row[:2] for row in CASES["distance"]], words=[row[0] for row in CASES["skeleton"] + CASES["key"]],
                  typed=[row[0] for row in CASES["layout"]], lengths=[row[0] for row in CASES["limit"]])
    assert js["distance"] == [[row[2], row[2]] for row in CASES["distance"]]
    assert js["skeleton"][:len(CASES["skeleton"])] == [row[1] for row in CASES["skeleton"]]
    assert js["key"][len(CASES["skeleton"]):] == [row[1] for row in CASES["key"]]
    assert js["layout"] == [row[1] for row in CASES["layout"]]
    assert js["limit"] == [row[1] for row in CASES["limit"]]


def test_javascript_and_python_agree_on_random_spellings_and_every_key():
    pairs = random_spellings(400)
    words = [word for pair in pairs for word in pair]
    typed = [PRINTABLE, *("".join(Random(n).choices(PRINTABLE, k=12)) for n in range(50))]
    js = run_node(pairs=pairs, words=words, typed=typed)
    differences = [(a, b, got, distance(a, b)) for (a, b), got in zip(pairs, js["distance"], strict=True)
                   if got != [distance(a, b), distance(b, a)]]
    assert differences == []
    assert js["limited"] == [[distance(a, b, limit) for limit in (0, 3, 5, 8, 10)] for a, b in pairs]  # the early exit
    assert js["skeleton"] == [skeleton(word) for word in words]
    assert js["key"] == [suggest_key(word) for word in words]
    assert js["layout"] == [from_english_layout(text) for text in typed]


def test_javascript_corrects_one_stretch_and_is_certain_only_of_a_clear_correction():
    js = run_node(
        spans=[[[], 1], [[4], 5], [[0], 3], [[1, 2], 4]],
        certain=[
            [[SLIP], 3, False],  # one slip, the only one: certain (โอกาศ → โอกาส)
            [[SLIP], 3, True],  # a real word respelt (โอกาศ is in the dictionary)
            [[SLIP, SLIP], 8, False],  # two as near: the reader chooses
            [[SLIP, NEAR], 8, False],  # the nearest by a step
            [[NEAR], 8, False],  # a near step from no real word
            [[NEAR], 8, True],  # never from a real word (ขาว → ข่าว)
            [[NEAR], 3, False],  # nor from a short one
            [[8], 9, False],  # a vowel: offered only
            [[], 5, False],
        ],
        nearest=[
            ["ขาว", {"ข่าว": 12, "ข้าว": 3, "ขาว": 0, "ขวาง": 4}, NEAR],
            ["ขาว", {"ข่าว": 12, "ข้าว": 3}, None],  # 3 letters: a slip at most
            ["โอกาศ", {"โอกาส": 2, "โอกาศ": 0, "โอ": 9}, None],
            ["อาว", {"ข่าว": 1}, 100],
        ],
    )
    assert js["spans"] == [[[0, 0]], [[0, 4], [4, 4], [3, 4], [2, 4]], [[0, 2], [0, 0], [0, 1]],
                           [[0, 3], [1, 2], [1, 3], [0, 2]]]
    assert js["certain"] == [True, True, False, True, True, False, False, False, False]
    # Nearest first, then the most documents; words of no document and the typed word never.
    assert js["nearest"][0] == [{"word": "ข่าว", "cost": NEAR, "docs": 12}, {"word": "ข้าว", "cost": NEAR, "docs": 3}]
    assert js["nearest"][1] == []
    assert js["nearest"][2] == [{"word": "โอกาส", "cost": SLIP, "docs": 2}]
    assert js["nearest"][3] == [{"word": "ข่าว", "cost": 15, "docs": 1}]  # อ for ข, a tone mark


# ---------------------------------------------------------------------------------------------
# The suggestion vocabulary.

def test_the_vocabulary_is_the_thai_terms_with_documents_and_real_words_near_them():
    postings = {"ข่าว": [[0, 1, 2], [5, 5, 5]], "โอกาส": [[3], [9]], "ita": [[1], [4]], "ก": [[1], [1]],
                "เชียงใหม่": 0, "ต่าง ๆ": [[1], [1]]}
    known = frozenset({"ขาว", "ข้าว", "เชียงใหม่", "ภูเก็ต", "โอกาส", "ข่าว", "ขวาง"})
    assert suggestion_vocabulary(postings, known) == {"ข่าว": 3, "โอกาส": 1, "ขาว": 0, "ข้าว": 0}
    # ขวาง is a letter away from ข่าว: not near enough to be mistaken for it.
    assert real_words_near({"ข่าว": 3}, known) == {"ขาว", "ข้าว"}
    assert real_words_near({"การ": 3}, frozenset({"กาล", "กาน", "กร"})) == {"กาล", "กาน"}  # finals that sound alike


def test_vocabulary_shards_are_found_by_the_suggestion_key_and_stay_small():
    rng = Random(7)
    letters = "กขคงจชซดตทนบปพฟมยรลวสหอ"
    vocabulary = {"".join(rng.choice(letters) + rng.choice("ะาิีุู่้") for _ in range(rng.randint(1, 4))): rng.randint(0, 9)
                  for _ in range(3000)}
    name, files = suggestion_files(vocabulary, shard_bytes=2_000)
    manifest = json.loads(files[name])
    assert manifest == {"version": 1, "shards": manifest["shards"]}
    keys = manifest["shards"]
    assert len(keys) > 10 and set(files) == {name, *keys.values()}
    seen = {}
    for key, file in keys.items():
        shard = json.loads(files[file])
        for word, docs in shard.items():
            assert word not in seen and vocabulary[word] == docs
            seen[word] = key
            assert shard_key_for(suggest_key(word), keys) == key, word  # the browser's lookup finds it
        # Small, unless a key of SUGGEST_DEPTH letters holds more on its own.
        assert len(files[file]) <= 2_000 or len(key.lstrip("=")) == SUGGEST_DEPTH, key
    assert seen.keys() == vocabulary.keys()
    assert suggestion_files(vocabulary, shard_bytes=2_000) == (name, files)  # deterministic


def test_the_index_lists_its_suggestion_vocabulary_apart():
    docs = [SearchDoc(url="news/1/", title="สร้างโอกาสให้เยาวชน", body="ประชาสัมพันธ์ข่าวสาร PM2.5"),
            SearchDoc(url="news/2/", title="ชุดขาว", body="ข่าวดี")]
    from conftest import SITE_CONTENT
    from thainews.search_text import Lexicon, terms

    lexicon = Lexicon.from_file(SITE_CONTENT / "lexicon.txt")
    files = build_search_files(docs, lambda texts: [terms(text, lexicon) for text in texts], [], normalize_display,
                               compound_parts=lexicon.compound_parts, known_words=lexicon.search_words())
    manifest = json.loads(files["manifest.json"])
    suggest = json.loads(files[manifest["suggest"]])
    vocabulary = {}
    for file in suggest["shards"].values():
        vocabulary |= json.loads(files[file])
    assert {"โอกาส": 1, "เยาวชน": 1, "ขาว": 1, "ข่าว": 2}.items() <= vocabulary.items()
    assert "pm2.5" not in vocabulary and all(set(word) - set(string.printable) for word in vocabulary)
    assert vocabulary.get("ข้าว") == 0  # a real word near ข่าว, in no story
    assert manifest["suggest"].startswith("s-") and all(file.startswith("s-") for file in suggest["shards"].values())
