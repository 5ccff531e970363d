"""Search that forgives typing: how near two Thai spellings are, and a query typed on the wrong keyboard.

The browser does the correcting (`theme/static/js/search-typos.js`, the same rules; a test runs
both on the table tests/data/search-typos-cases.json). This module gives the index its
suggestion vocabulary, split by a key that the usual typing mistakes do not change, and is the
reference the JavaScript is checked against. docs/search.md, "Typing mistakes", says why.

Nearness is an edit distance over Thai characters in whole numbers (tenths of an ordinary edit):

- SLIP (3), a slip of spelling that sounds the same: a consonant for another of the same sound and
  tone class (ศ ษ ส, ท ธ ฑ ฒ, พ ภ, ค ฅ ฆ, ข ฃ, ช ฌ, ณ น, ญ ย, ล ฬ, ด ฎ, ต ฏ, ถ ฐ); ใ for ไ; a
  missing or extra การันต์, alone or with the silent letter it marks (อนุรักษ / อนุรักษ์,
  ประชาสัมพัน / ประชาสัมพันธ์); ำ for ัม; a silent ร at the end after a consonant (สมัค / สมัคร).
- NEAR (5): a tone mark missing, extra or another; a short vowel for its long one (ิ ี, ึ ื, ุ ู,
  ะ า, ั า, ั ็); ั ็ ะ missing or extra; a consonant of the same sound in another tone class (ข ค,
  ซ ส, ถ ท, ผ พ, ฉ ช, ฝ ฟ, ห ฮ); two final consonants that end a syllable alike (น ล ร ณ ญ, ด ต
  ส ท …, ก ค ข, บ พ ป); ร for ล; a doubled consonant missing or extra (กิจกรม / กิจกรรม); two
  neighbouring letters swapped.
- VOWEL (8): any other vowel missing, extra or another.
- EDIT (10): a consonant (or anything else) missing, extra or another.
"""

import json
import re
from collections import defaultdict

from .search_index import dumps, hashed_name, partition_terms

SLIP, NEAR, VOWEL, EDIT = 3, 5, 8, 10

CONSONANTS = frozenset(chr(code) for code in range(0x0E01, 0x0E2F)) - {"ฤ", "ฦ"}
LEAD_VOWELS = frozenset("เแโใไ")
TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
THANTHAKHAT = "\u0e4c"  # การันต์
SHORT_MARKS = frozenset("\u0e31\u0e47\u0e30\u0e4d\u0e3a\u0e4e")  # ั ็ ะ ํ ฺ ๎: often left out
SARA_AM, MAI_HAN_AKAT = "\u0e33", "\u0e31"
UPPER_LOWER_VOWELS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47")  # ั ิ ี ึ ื ุ ู ็
VOWELS = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45"
                   "\u0e47\u0e24\u0e26\u0e4d\u0e3a\u0e4e")

# Consonants that sound the same and belong to the same tone class: a slip of spelling.
SAME_SOUND = ("ขฃ", "คฅฆ", "ชฌ", "ศษส", "ถฐ", "ทธฑฒ", "พภ", "ณน", "ญย", "ลฬ", "ดฎ", "ตฏ")
# The same sound in another tone class (and ร for ล, which many speakers do not tell apart).
# Each group is one letter of the suggestion key (`skeleton`); letters not named are their own.
SOUND_GROUPS = {"k": "ขฃคฅฆ", "c": "ฉชฌ", "s": "ซศษส", "T": "ถฐทธฑฒ", "P": "ผพภ", "f": "ฝฟ", "h": "หฮ",
                "y": "ญย", "d": "ดฎ", "t": "ตฏ", "n": "ณน", "l": "ลฬ"}
OTHER_LETTERS = {"ก": "g", "ง": "N", "จ": "j", "บ": "b", "ป": "p", "ม": "m", "ร": "r", "ว": "w", "อ": "o"}
# How a consonant ends a syllable.
FINAL_SOUNDS = ("กขคฆ", "จชซฌฎฏฐฑฒดตถทธศษส", "บปพฟภ", "ญณนรลฬ")
NEAR_VOWELS = ("\u0e34\u0e35", "\u0e36\u0e37", "\u0e38\u0e39", "\u0e30\u0e32", "\u0e31\u0e32", "\u0e31\u0e47")
SLIP_VOWELS = ("\u0e43\u0e44",)  # ใ ไ


def _pairs(groups) -> frozenset[tuple[str, str]]:
    return frozenset((a, b) for group in groups for a in group for b in group if a != b)


_SAME_SOUND = _pairs(SAME_SOUND)
_SOUND = _pairs([*SOUND_GROUPS.values(), "รล"])
_FINAL = _pairs(FINAL_SOUNDS)
_NEAR_VOWELS = _pairs(NEAR_VOWELS)
_SLIP_VOWELS = _pairs(SLIP_VOWELS)
KEY_LETTER = {letter: key for key, group in SOUND_GROUPS.items() for letter in group} | OTHER_LETTERS


def ends_syllable(text: str, i: int) -> bool:
    """Is the consonant text[i] (probably) a final one: after a vowel or a consonant, and followed by
    nothing, a consonant or a leading vowel (no vowel or tone mark of its own)?"""
    if i == 0 or text[i - 1] in LEAD_VOWELS:
        return False
    return i + 1 == len(text) or text[i + 1] in CONSONANTS or text[i + 1] in LEAD_VOWELS


def silent(text: str, i: int) -> bool:
    """A consonant that is not read: under a การันต์ (ธ in พันธ์), or ร at the end after a final
    consonant (สมัคร, บุตร, เพชร; not นคร or ละคร, where ร is the final itself)."""
    if text[i] not in CONSONANTS:
        return False
    if i + 1 < len(text) and text[i + 1] == THANTHAKHAT:
        return True
    if text[i] != "ร" or i + 1 != len(text) or i < 2 or text[i - 1] not in CONSONANTS:
        return False
    return text[i - 2] in UPPER_LOWER_VOWELS or (i >= 3 and text[i - 2] in CONSONANTS and text[i - 3] in LEAD_VOWELS)


def drop_cost(text: str, i: int) -> int:
    """The cost of text[i] missing (or, seen from the other word, extra)."""
    ch = text[i]
    if ch == THANTHAKHAT or (ch == "ร" and silent(text, i)):
        return SLIP
    if ch in TONES or ch in SHORT_MARKS:
        return NEAR
    if ch in CONSONANTS:
        return NEAR if i > 0 and text[i - 1] == ch else EDIT  # รร: a doubled letter
    return VOWEL if ch in VOWELS else EDIT


def swap_cost(a: str, i: int, b: str, j: int) -> int:
    """The cost of a[i] written where b[j] belongs."""
    x, y = a[i], b[j]
    if x == y:
        return 0
    pair = (x, y)
    if pair in _SAME_SOUND or pair in _SLIP_VOWELS:
        return SLIP
    if pair in _SOUND or pair in _NEAR_VOWELS or (x in TONES and y in TONES):
        return NEAR
    if pair in _FINAL and ends_syllable(a, i) and ends_syllable(b, j):
        return NEAR
    if x in VOWELS and y in VOWELS:
        return VOWEL
    return EDIT


def distance(a: str, b: str, limit: int | None = None) -> int:
    """How far apart two spellings are (both normalised as the search pipeline does), in tenths of
    an edit: 0 for the same spelling, SLIP for one slip that sounds the same. Symmetric.
    With `limit`, anything farther is `limit + 1` (found sooner: for the build's many words)."""
    rows, cols = len(a), len(b)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows + 1):
        # No step spans more than two rows: two rows past the limit and the end is too.
        if limit is not None and i >= 2 and min(table[i - 1]) > limit and min(table[i - 2]) > limit:
            return limit + 1
        for j in range(cols + 1):
            if i == 0 and j == 0:
                continue
            best = 1 << 30
            if i:
                best = min(best, table[i - 1][j] + drop_cost(a, i - 1))
                if i >= 2 and a[i - 1] == THANTHAKHAT and a[i - 2] in CONSONANTS:  # ธ์ missing
                    best = min(best, table[i - 2][j] + SLIP)
            if j:
                best = min(best, table[i][j - 1] + drop_cost(b, j - 1))
                if j >= 2 and b[j - 1] == THANTHAKHAT and b[j - 2] in CONSONANTS:
                    best = min(best, table[i][j - 2] + SLIP)
            if i and j:
                best = min(best, table[i - 1][j - 1] + swap_cost(a, i - 1, b, j - 1))
                if j >= 2 and a[i - 1] == SARA_AM and b[j - 2:j] == MAI_HAN_AKAT + "ม":  # ำ for ัม
                    best = min(best, table[i - 1][j - 2] + SLIP)
                if i >= 2 and b[j - 1] == SARA_AM and a[i - 2:i] == MAI_HAN_AKAT + "ม":
                    best = min(best, table[i - 2][j - 1] + SLIP)
                if (i >= 2 and j >= 2 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
                        and a[i - 1] != a[i - 2]):  # two letters swapped
                    best = min(best, table[i - 2][j - 2] + NEAR)
            table[i][j] = best
    return table[rows][cols] if limit is None else min(table[rows][cols], limit + 1)


def correction_limit(length: int) -> int:
    """The farthest a correction may be from a typed word of `length` characters: a short word
    has many neighbours, so only a slip; one edit from 6 characters, a little more from 10."""
    if length <= 3:
        return SLIP
    if length <= 5:
        return NEAR
    return EDIT if length <= 9 else EDIT + SLIP


def skeleton(word: str) -> str:
    """The word's consonants, each as the letter of its sound group (KEY_LETTER), silent ones left
    out: ประชาสัมพันธ์ → prcsmPn. Tone marks, vowels and the choice among same-sound letters do not
    change it, so a misspelt word and its correction share its start, which names the shard of
    the suggestion vocabulary (suggest_key)."""
    return "".join(KEY_LETTER[ch] for i, ch in enumerate(word) if ch in KEY_LETTER and not silent(word, i))


# ---------------------------------------------------------------------------------------------
# The suggestion vocabulary in the index.

SUGGEST_DEPTH = 2  # consonants in a vocabulary shard's key (suggest_key): typos after them do not matter
SUGGEST_BYTES = 8_192  # raw JSON per vocabulary shard (a key of SUGGEST_DEPTH letters may hold more)
MIN_SUGGESTED = 2  # characters: a single letter is never a suggestion
_SUGGESTABLE = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")


# In the suggestion key, the first consonant with ร = ล, the second by the way it would end a
# syllable (กาล, กาน and การ share one key, as do เยาวชล and เยาวชน).
FIRST_KEY = {"l": "r"}
SECOND_KEY = {"g": "k", "c": "t", "s": "t", "T": "t", "d": "t", "j": "t", "P": "p", "f": "p", "b": "p", "l": "n", "r": "n"}


def suggest_key(word: str) -> str:
    """The name of the vocabulary shard of a word: its first SUGGEST_DEPTH (2) consonants (of the
    skeleton), the first with ร = ล and the second as it would end a syllable."""
    letters = skeleton(word)[:SUGGEST_DEPTH]
    return FIRST_KEY.get(letters[:1], letters[:1]) + SECOND_KEY.get(letters[1:2], letters[1:2])


_FINAL_LETTER = {ch: str(number) for number, group in enumerate(FINAL_SOUNDS) for ch in group}


def _near_key(word: str) -> str:
    """A coarser skeleton for finding real words near a vocabulary word: final consonants by how
    they sound, ร = ล, doubled letters once. Only the build uses it (see real_words_near)."""
    letters = []
    for i, ch in enumerate(word):
        if ch not in KEY_LETTER or silent(word, i):
            continue
        letter = _FINAL_LETTER.get(ch, "") if ends_syllable(word, i) else ""
        letter = letter or ("r" if KEY_LETTER[ch] == "l" else KEY_LETTER[ch])
        if not letters or letters[-1] != letter:
            letters.append(letter)
    return "".join(letters)



def real_words_near(vocabulary: dict[str, int], known_words: frozenset[str]) -> set[str]:
    """Dictionary words that no document contains and that are a NEAR step or less from a word
    of the vocabulary (ขาว when only ข่าว is in the news). The browser corrects a word at once
    only when it is no real word; these are listed with 0 documents so it can tell."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        by_key[_near_key(word)].append(word)
    found = set()
    for word in known_words:
        if word in vocabulary or len(word) < MIN_SUGGESTED:
            continue
        near = by_key.get(_near_key(word))
        if near and any(_one_step_apart(word, other) and distance(word, other, NEAR) <= NEAR for other in near):
            found.add(word)
    return found


def _one_step_apart(a: str, b: str) -> bool:
    """Could one step (NEAR at most: never two, 3 + 3 > 5) turn a into b? Then what is left
    between their common start and common end is at most two letters on each side."""
    shorter = min(len(a), len(b))
    start = 0
    while start < shorter and a[start] == b[start]:
        start += 1
    end = 0
    while end < shorter - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return len(a) - start - end <= 2 and len(b) - start - end <= 2


def suggestion_vocabulary(postings: dict, known_words: frozenset[str] = frozenset()) -> dict[str, int]:
    """word → how many documents hold it: every Thai term of the index with documents (whole
    words, sub-words and parts alike), and the real words near them with 0 (real_words_near)."""
    vocabulary = {term: len(entry[0]) for term, entry in postings.items()
                  if entry and len(term) >= MIN_SUGGESTED and _SUGGESTABLE.fullmatch(term) and skeleton(term)}
    near = real_words_near(vocabulary, known_words)
    return vocabulary | {word: 0 for word in near if skeleton(word)}


def suggestion_files(vocabulary: dict[str, int], shard_bytes: int = SUGGEST_BYTES) -> tuple[str, dict[str, bytes]]:
    """The vocabulary in shards by suggest_key (partitioned like the term shards, on the key),
    and a small manifest of its own, `{"version": 1, "shards": {key: file}}`, which
    the browser fetches only for a query with a word that found nothing. Returns (the manifest's
    file name, every file by name). Each shard is `{word: documents}`."""
    members: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        members[suggest_key(word)].append(word)
    sizes = {key: sum(len(word.encode()) + 6 for word in words) for key, words in members.items()}
    files: dict[str, bytes] = {}
    shards = {}
    for shard_key, keys in partition_terms(sizes, shard_bytes).items():
        data = dumps({word: vocabulary[word] for key in keys for word in members[key]})
        shards[shard_key] = hashed_name("s", data)
        files[shards[shard_key]] = data
    manifest = dumps({"version": 1, "shards": shards})
    name = hashed_name("s", manifest)
    files[name] = manifest
    return name, files


# ---------------------------------------------------------------------------------------------
# The wrong keyboard: text typed with the English (US) layout while meaning Thai Kedmanee.

# PyThaiNLP 5.4's `pythainlp.util.eng_to_thai` table, key for key (a test compares them); 1 and !
# are not in it (Kedmanee ๅ and +), so they stay as typed, as there.
KEDMANEE = json.loads(r"""{
 "Z": "(", "z": "ผ", "X": ")", "x": "ป", "C": "ฉ", "c": "แ", "V": "ฮ", "v": "อ", "B": "\u0e3a",
 "b": "\u0e34", "N": "\u0e4c", "n": "\u0e37", "M": "?", "m": "ท", "<": "ฒ", ",": "ม", ">": "ฬ",
 ".": "ใ", "?": "ฦ", "/": "ฝ", "A": "ฤ", "a": "ฟ", "S": "ฆ", "s": "ห", "D": "ฏ", "d": "ก",
 "F": "โ", "f": "ด", "G": "ฌ", "g": "เ", "H": "\u0e47", "h": "\u0e49", "J": "\u0e4b", "j": "\u0e48",
 "K": "ษ", "k": "า", "L": "ศ", "l": "ส", ":": "ซ", ";": "ว", "\"": ".", "'": "ง", "Q": "๐",
 "q": "ๆ", "W": "\"", "w": "ไ", "E": "ฎ", "e": "\u0e33", "R": "ฑ", "r": "พ", "T": "ธ", "t": "ะ",
 "Y": "\u0e4d", "y": "\u0e31", "U": "\u0e4a", "u": "\u0e35", "I": "ณ", "i": "ร", "O": "ฯ", "o": "น",
 "P": "ญ", "p": "ย", "{": "ฐ", "[": "บ", "}": ",", "]": "ล", "|": "ฅ", "\\": "ฃ", "~": "%",
 "`": "_", "@": "๑", "2": "/", "#": "๒", "3": "-", "$": "๓", "4": "ภ", "%": "๔", "5": "ถ",
 "^": "\u0e39", "6": "\u0e38", "&": "฿", "7": "\u0e36", "*": "๕", "8": "ค", "(": "๖", "9": "ต",
 ")": "๗", "0": "จ", "_": "๘", "-": "ข", "+": "๙", "=": "ช"
}""")
_KEDMANEE_TABLE = str.maketrans(KEDMANEE)


def from_english_layout(text: str) -> str:
    """What `text`, typed with the keyboard set to English, would be in Thai Kedmanee."""
    return text.translate(_KEDMANEE_TABLE)
