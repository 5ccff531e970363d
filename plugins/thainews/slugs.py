"""Readable ASCII slugs from Thai text.

Pelican's default slug of a Thai title is an unreadable Unidecode transliteration, and its
Unicode mode deletes Thai vowels. We split the title into words with PyThaiNLP's newmm (nlpo3),
romanise each word in the Royal Thai General System (thainews.romanise: the site's
romanisation lexicon first, then PyThaiNLP's thai2rom model), and join the words with hyphens,
cutting between words so that a slug never ends in half a word.

The lexicon's words are kept whole: they are added to the word list the title is cut with (a
dictionary of nlpo3's own, PyThaiNLP's words plus the lexicon's: `แม่สรวย` is otherwise cut
แม่|สร|วย), and the longest run of words that is an entry is taken whole (`เครือข่ายชุมชน
คุณธรรม`).

Romanising is cached, so that a word is romanised by the model once: in this process
(`_known`), and across builds in `CACHE_PATH/romanisation.json` (thainews.cache_files, keyed by
the model's version). The reading workers (plugins/strict_content) are forked from the build's
process and inherit what it knows; what they romanise comes back with their results
(`take_new`, `adopt`) and the build saves it once (`save_cache`).
"""

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .cache_files import read_json_cache, write_json_cache
from .problems import Problem
from .romanise import LEXICON_NAME, RomanisationLexicon, Thai2Rom, engine_version
from .search_text import compound_parts
from .text import clean_thai, has_thai, thai_digits_to_arabic, words

logger = logging.getLogger(__name__)

MAX_SLUG_LENGTH = 60
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
CACHE_NAME = "romanisation.json"
CACHE_VERSION = 1
_REPEAT = "ๆ"  # mai yamok: the word before, again (ต่างๆ: tang-tang)
_PARTS = "parts:"  # the key of a word's sub-words in `_known` (a word romanised by the model is Thai)
_CUT_SHORT = 3  # letters: the model's romanisation of a word stopped at least this short of its sub-words'
_NOT_READ = " .ฯ"

_lexicon = RomanisationLexicon()
_known: dict[str, str] = {}  # word -> the model's romanisation (and _PARTS + word -> its sub-words), in this process
_new: dict[str, str] = {}  # romanised (here or in a worker) since the cache file was read or written
_cache_file: Path | None = None
_dictionaries: set[str] = set()  # nlpo3 dictionaries loaded in this process
model_calls = 0  # words romanised by the model in this process (tests count them)


@lru_cache(maxsize=1)
def _model() -> Thai2Rom:
    return Thai2Rom()


def use_site(content: Path | None, cache_path: Path | None, lexicon_name: str = LEXICON_NAME,
             shown: str = "") -> list[Problem]:
    """Romanise for this site: its lexicon (`content/<lexicon_name>`, "" for none), its cache
    folder. Returns the lexicon's problems. Called before any title is read (strict_content,
    at `initialized`; `make new`, `make import`)."""
    global _lexicon, _cache_file
    lexicon = RomanisationLexicon()
    if content is not None and lexicon_name:
        path = Path(content) / lexicon_name
        lexicon = RomanisationLexicon.read(path, shown or str(path))
    if lexicon.entries != _lexicon.entries:
        clear_caches()
    _lexicon = lexicon
    cache_file = Path(cache_path) / CACHE_NAME if cache_path else None
    if cache_file != _cache_file:
        _cache_file = cache_file
        _new.update(_known)  # whatever this process knows is new to that file, until it is read
        if cache_file is not None:
            loaded = read_json_cache(cache_file, CACHE_VERSION, _cache_problem)
            if loaded.problem:  # only a cache: the words are romanised again
                logger.warning("slugs: แคชคำอ่านอักษรโรมัน %s เสียหาย (%s) ไม่ได้ใช้ / the romanisation cache %s is "
                               "damaged (%s): ignored, the words are romanised again",
                               cache_file, loaded.problem, cache_file, loaded.problem)
            if loaded.body is not None and loaded.body["engine"] == engine_version():
                for word, latin in loaded.body["words"].items():
                    _known.setdefault(word, latin)
                    if _new.get(word) == latin:
                        del _new[word]
    return list(lexicon.problems)


def _cache_problem(body: dict) -> str:
    if not isinstance(body.get("engine"), str):
        return "'engine' must be a string"
    entries = body.get("words")
    if not isinstance(entries, dict) or not all(isinstance(value, str) for value in entries.values()):
        return "'words' must map words to strings"
    return ""


def prepare(model: bool | None = None) -> None:
    """Load what romanising needs before worker processes are forked: they inherit it instead
    of each loading it again. The word lists (PyThaiNLP's, for summaries too, and the lexicon's)
    always; the model (numpy and onnxruntime: about 0.3 s) when `model`, or by default when
    this process knows no romanisation yet (a first build, without the cache): an everyday
    rebuild finds its words in the cache and never loads it."""
    words("ก")
    _cut("ก")
    if model if model is not None else not _known:
        _model()


def take_new() -> dict[str, str]:
    """In a worker: the words it romanised since it last asked, for the build's process."""
    taken = dict(_new)
    _new.clear()
    return taken


def adopt(found: dict[str, str]) -> None:
    """In the build's process: words a worker romanised (`take_new`)."""
    for word, latin in found.items():
        if word not in _known:
            _known[word] = latin
            _new[word] = latin


def save_cache() -> None:
    """Write the cache file when this build romanised new words."""
    if _cache_file is None or not _new:
        return
    write_json_cache(_cache_file, CACHE_VERSION, {"engine": engine_version(), "words": _known})
    _new.clear()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def _romanised_by_model(word: str) -> str:
    global model_calls
    latin = _known.get(word)
    if latin is None:
        latin = _known[word] = _new[word] = _model()(word)
        model_calls += 1
    return latin


def clear_caches() -> None:
    """Forget the slugs and words made with the lexicon of another site."""
    slugify_thai.cache_clear()
    getattr(romanize_word, "cache_clear", lambda: None)()  # a test may have put another romaniser in its place
    _beginnings.cache_clear()
    _dictionary.cache_clear()
    _lexicon_words.cache_clear()


@lru_cache(maxsize=65536)  # the same words come back in title after title
def romanize_word(word: str) -> str:
    """One word (as the title was cut) as lowercase ASCII words joined by hyphens, or '' when
    nothing readable is left: the lexicon's entry, else the model's romanisation."""
    word = thai_digits_to_arabic(word)
    if not has_thai(word):
        return _ascii(word)
    entry = _lexicon.entries.get(word)  # อ. = amphoe
    if entry is not None:
        return entry
    word = word.strip(_NOT_READ)  # อบต., ผู้ว่าฯ: the marks of an abbreviation are not read
    entry = _lexicon.entries.get(word)
    if entry is not None:
        return entry
    if _REPEAT in word:
        base = romanize_word(word.replace(_REPEAT, "").strip())
        return f"{base}-{base}" if base else ""
    return _whole_or_parts(word, _ascii(_romanised_by_model(word))) if word else ""


def _whole_or_parts(word: str, latin: str) -> str:
    """The model's romanisation of `word`, unless it stopped early. It did when its romanisation
    has fewer letters than the Thai, the word is made of shorter words of PyThaiNLP's list, and their
    romanisations (each by romanize_word: the lexicon first) joined begin with the model's and go
    on for a syllable or more: เศรษฐกิจพอเพียง, setthakitpho (12 letters for 15), is setthakit +
    phophiang. The joined romanisation is then taken, as one word. A romanisation of the whole
    longer than its words' (a compound's linking syllables: sukkhaphap, not suk + phap) is kept."""
    whole = latin.replace("-", "")
    if len(whole) >= len(word):  # as long as the Thai: not cut short (and the sub-words are not looked at)
        return latin
    parts = _compound_of(word)
    if len(parts) < 2:
        return latin
    joined = "".join(romanize_word(part) for part in parts)
    have = joined.replace("-", "")
    return joined if have.startswith(whole) and len(have) - len(whole) >= _CUT_SHORT else latin


def _compound_of(word: str) -> tuple[str, ...]:
    """The words of PyThaiNLP's list that `word` is made of (search_text.compound_parts), kept
    with the model's romanisations (`_known`, under `_PARTS` + the word, and so in the cache
    file): a rebuild does not load the list again."""
    key = _PARTS + word
    found = _known.get(key)
    if found is None:
        found = _known[key] = _new[key] = " ".join(compound_parts(word))
    return tuple(found.split())


@lru_cache(maxsize=1)  # per lexicon (clear_caches)
def _lexicon_words() -> tuple[str, ...]:
    return tuple(sorted(_lexicon.entries))


@lru_cache(maxsize=1)  # per lexicon (clear_caches)
def _dictionary() -> str | None:
    """The nlpo3 dictionary of PyThaiNLP's words and the lexicon's, loaded once per word list
    (nlpo3 reads dictionaries from files and keeps them in memory; the file may go)."""
    if not _lexicon.entries:
        return None
    extra = "\n".join(_lexicon_words())
    name = "thainews-slugs-" + hashlib.sha256(extra.encode()).hexdigest()[:16]
    if name not in _dictionaries:
        import nlpo3

        # The word list of PyThaiNLP's nlpo3 engine (pythainlp.tokenize.nlpo3), which words() cuts with.
        thai_words = files("pythainlp.corpus").joinpath("words_th.txt").read_bytes()
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "words.txt")
            Path(path).write_bytes(thai_words + b"\n" + extra.encode())
            message, loaded = nlpo3.load_dict(path, name)
            if not loaded:
                raise RuntimeError(f"nlpo3 could not load the slugs' word list: {message}")
        _dictionaries.add(name)
    return name


def _cut(text: str) -> list[str]:
    name = _dictionary()
    if name is None:
        return words(text)
    import nlpo3

    return nlpo3.segment(text, name) if text else []


@lru_cache(maxsize=1)  # per lexicon (clear_caches)
def _beginnings() -> frozenset[str]:
    """Every beginning of a lexicon entry: a run of words that is none cannot grow into one."""
    return frozenset(entry[:end] for entry in _lexicon.entries for end in range(1, len(entry) + 1))


def _parts(text: str) -> list[str]:
    """The romanised words of `text`, in order: the longest run of cut words that is a lexicon
    entry is taken whole, every other word is romanised alone."""
    tokens = _cut(clean_thai(text))
    parts: list[str] = []
    start = 0
    while start < len(tokens):
        end, joined, beginnings = start + 1, tokens[start], _beginnings()
        run = joined
        for stop in range(start + 2, len(tokens) + 1):  # runs of two words or more that may be an entry
            if run not in beginnings:
                break
            run += tokens[stop - 1]
            if run in _lexicon.entries:
                end, joined = stop, run
        latin = _lexicon.entries[joined] if end > start + 1 else romanize_word(joined) if joined.strip() else ""
        parts.extend(part for part in latin.split("-") if part)
        start = end
    return parts


@lru_cache(maxsize=8192)  # tag and category names repeat across thousands of articles
def slugify_thai(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`จังหวัดเชียงรายขับเคลื่อน…` → `changwat-chiang-rai-khapkhluean…`, at most max_length."""
    slug = ""
    for part in _parts(text):
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > max_length:
            if not slug:  # a single very long word: cut it rather than return nothing
                slug = part[:max_length].rstrip("-")
            break
        slug = candidate
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug)) and len(slug) <= 200
