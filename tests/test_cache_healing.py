"""Caches heal themselves (issue 13, point 9): a cache that is unreadable, cut off, of the wrong
shape, or whose bytes no longer match their checksum is ignored with one warning per cache and
built again, and the output is byte for byte that of a build from an empty cache.

The caches: the search term cache (`thai-search-terms.json`) and the picture cache
(`sharing/`: share cards, video posters, cover copies, and `index.json` with the sha256 of each).
"Unreadable" is a folder in the file's place: the tests run as root, where chmod 000 does not
stop reading; reading a folder fails with an OSError as a file without permission does.

One reference build from an empty cache is shared by the module; each case copies its healthy
cache, damages it and builds from it once (about 1.5 s a build).
"""

import hashlib
import json
import logging
import re
import shutil
import time
from pathlib import Path

import pytest
from pelican.log import LimitFilter
from PIL import Image

from conftest import SITE_CONTENT, build
from sharing import drawings
from thai_search import thai_search
from thainews.cache_files import files_index_problem, json_cache_bytes, read_json_cache

TERMS = thai_search.CACHE_FILE
INDEX = f"sharing/{drawings.INDEX_FILE}"
VIDEO_ARTICLE = """Title: เยาวชนคุณธรรมเล่าเรื่องความดีในวิดีโอ
Date: 2567-06-05
Slug: cache-video
YouTube: https://youtu.be/dQw4w9WgXcQ

เยาวชนจากโรงเรียนในอำเภอเมืองเชียงรายเล่าเรื่องความดีในชุมชน
"""
COVER_ARTICLE = """Title: ถนนสายวัฒนธรรมเชียงราย
Date: 2567-08-01
Slug: cache-cover
Image: images/cache-cover.jpg
ImageAlt: ถนนคนเดินยามเย็น

ถนนสายวัฒนธรรมเปิดทุกเย็นวันเสาร์ 20 ร้านค้าชุมชน
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The content (with a video poster and a cover picture to cache), its reference output
    from an empty cache, and the healthy cache that build left."""
    root = tmp_path_factory.mktemp("healing")
    content = root / "content"
    shutil.copytree(SITE_CONTENT, content)
    (content / "news" / "2567").mkdir(parents=True, exist_ok=True)
    (content / "news" / "2567" / "cache-video.md").write_text(VIDEO_ARTICLE, encoding="utf-8")
    (content / "news" / "2567" / "cache-cover.md").write_text(COVER_ARTICLE, encoding="utf-8")
    (content / "images").mkdir(exist_ok=True)
    picture = Image.effect_noise((700, 450), 60).convert("RGB")
    picture.save(content / "images" / "cache-cover.jpg", quality=85)
    LimitFilter._raised_messages = set()
    build(content, root / "reference", CACHE_PATH=str(root / "healthy"))
    return content, files_of(root / "reference"), root / "healthy"


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def cached(cache: Path, folder: str, suffix: str = ".png") -> list[Path]:
    return sorted(path for path in (cache / "sharing" / folder).iterdir() if path.name.endswith(suffix))


def build_with(content: Path, output: Path, cache: Path, caplog) -> list[logging.LogRecord]:
    """Build; the warnings of our two cache readers."""
    caplog.clear()
    LimitFilter._raised_messages = set()  # Pelican says a message once per process; every build must
    with caplog.at_level(logging.INFO):
        build(content, output, CACHE_PATH=str(cache))
    return [record for record in caplog.records if record.levelno >= logging.WARNING
            and record.name in ("thai_search.thai_search", "sharing.drawings")]


def assert_same_output(output: Path, reference: dict[str, bytes]) -> None:
    have = files_of(output)
    assert sorted(have) == sorted(reference)
    differ = [name for name in reference if have[name] != reference[name]]
    assert differ == []


def assert_healthy(cache: Path) -> None:
    """Both caches read back whole (no build needed), and every cached picture has its bytes."""
    terms = read_json_cache(cache / TERMS, thai_search.CACHE_VERSION, thai_search.term_cache_problem)
    assert terms.body is not None and terms.body["entries"], terms
    index = read_json_cache(cache / INDEX, drawings.INDEX_VERSION, files_index_problem)
    assert index.body is not None, index
    on_disk = {path.relative_to(cache / "sharing").as_posix() for path in (cache / "sharing").rglob("*")
               if path.is_file() and path.name != drawings.INDEX_FILE}
    assert set(index.body["files"]) == on_disk
    for name, (size, digest, *_time_and_inode) in index.body["files"].items():
        data = (cache / "sharing" / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest), name


# ---------------------------------------------------------------------------- ways to damage

def truncate(path: Path) -> None:
    data = path.read_bytes()
    with path.open("r+b") as file:  # in place, as a disk or a tool would: the same inode
        file.truncate(len(data) // 2)


def write(text: str | bytes):
    def damage(path: Path) -> None:
        path.unlink()
        path.write_bytes(text.encode() if isinstance(text, str) else text)
    return damage


def into_folder(path: Path) -> None:
    """Unreadable: a folder in the file's place (see the module's docstring)."""
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


def checksummed(change):
    """A cache file with a valid header and checksum whose body `change(body)` makes wrong."""
    def damage(path: Path) -> None:
        header, body = path.read_bytes().split(b"\n", 1)
        version = json.loads(header)["version"]
        path.write_bytes(json_cache_bytes(version, change(json.loads(body))))
    return damage


def entries_as_list(body: dict) -> dict:
    return {**body, "entries": list(body["entries"].items())}


def wrong_types(body: dict) -> dict:
    entries = dict(body["entries"])
    key = next(key for key, (whole, _sub) in entries.items() if whole)
    entries[key] = [entries[key][0], 5]
    return {**body, "entries": entries}


def bad_counts(body: dict) -> dict:
    """Counts that are not numbers: the build used to stop on them (int('x'))."""
    entries = dict(body["entries"])
    key = next(key for key, (whole, _sub) in entries.items() if whole)
    names, _counts = entries[key][0].split("\t")
    entries[key] = [f"{names}\t" + " ".join("x" for _ in names.split(" ")), entries[key][1]]
    return {**body, "entries": entries}


def short_entry(body: dict) -> dict:
    entries = dict(body["entries"])
    key = next(iter(entries))
    entries[key] = entries[key][:1]
    return {**body, "entries": entries}


def changed_count(path: Path) -> None:
    """One term count changed, the file otherwise whole: valid JSON, a wrong search index."""
    data = path.read_bytes()
    match = re.search(rb"\\t(\d)", data)
    digit = b"7" if match.group(1) != b"7" else b"8"
    path.write_bytes(data[:match.start(1)] + digit + data[match.end(1):])


def index_wrong_types(body: dict) -> dict:
    return {"files": {name: [str(entry[0]), *entry[1:]] for name, entry in body["files"].items()}}


def index_short_digest(body: dict) -> dict:
    name = next(iter(body["files"]))
    entry = body["files"][name]
    return {"files": {**body["files"], name: [entry[0], entry[1][:10], *entry[2:]]}}


def card(cache: Path, index: int = 0) -> Path:
    return [path for path in cached(cache, "share") if not path.name.startswith("logo-")][index]


def other_picture(path: Path) -> None:
    """A valid PNG, but not the drawing: of another size and content."""
    path.unlink()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(path)


def same_size_other_bytes(path: Path) -> None:
    """Bytes changed in place in the middle of the picture, its size unchanged."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle: middle + 8] = bytes(255 - byte for byte in data[middle: middle + 8])
    with path.open("r+b") as file:
        file.write(data)


# case -> (what is done to the term cache, what is done to the picture cache)
CASES = {
    "cut-in-half": (lambda c: truncate(c / TERMS),
                    lambda c: [truncate(card(c, 0)), truncate(card(c, 1)), truncate(cached(c, "sizes", ".webp")[0])]),
    "a-list": (lambda c: write("[]")(c / TERMS), lambda c: write("[]")(c / INDEX)),
    "another-object": (lambda c: write('{"x": 1}')(c / TERMS), lambda c: write('{"x": 1}')(c / INDEX)),
    "wrong-types": (lambda c: checksummed(wrong_types)(c / TERMS),
                    lambda c: checksummed(index_wrong_types)(c / INDEX)),
    "list-of-entries": (lambda c: checksummed(entries_as_list)(c / TERMS),
                        lambda c: checksummed(index_short_digest)(c / INDEX)),
    "wrong-lengths": (lambda c: checksummed(short_entry)(c / TERMS),
                      lambda c: truncate(cached(c, "sizes", ".jpg")[-1])),
    "counts-not-numbers": (lambda c: checksummed(bad_counts)(c / TERMS),
                           lambda c: other_picture(cached(c, "video")[0])),
    "bytes-changed": (lambda c: changed_count(c / TERMS), lambda c: other_picture(card(c))),
    "bad-encoding": (lambda c: write(b"\xff\xfe\x00{\x80 not utf-8")(c / TERMS),
                     lambda c: same_size_other_bytes(cached(c, "sizes", ".webp")[-1])),
    "unreadable": (lambda c: into_folder(c / TERMS), lambda c: into_folder(card(c))),
    "unreadable-index": (None, lambda c: into_folder(c / INDEX)),
}


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_cache_is_rebuilt_with_one_warning_and_the_same_output(case, site, tmp_path, caplog):
    content, reference, healthy = site
    cache = tmp_path / "cache"
    shutil.copytree(healthy, cache)
    damage_terms, damage_pictures = CASES[case]
    damaged = []
    if damage_terms:
        damage_terms(cache)
        damaged.append(("thai_search.thai_search", str(cache / TERMS)))
    if damage_pictures:
        damage_pictures(cache)
        damaged.append(("sharing.drawings", str(cache / "sharing")))

    warnings = build_with(content, tmp_path / "out", cache, caplog)

    assert sorted(record.name for record in warnings) == sorted(name for name, _path in damaged)
    for name, path in damaged:
        message = next(record.getMessage() for record in warnings if record.name == name)
        assert path in message and ("built again" in message or "drawn again" in message), message
        assert "เสียหาย" in message
    assert_same_output(tmp_path / "out", reference)
    assert_healthy(cache)


def test_a_healed_cache_warns_no_more(site, tmp_path, caplog):
    content, reference, healthy = site
    cache = tmp_path / "cache"
    shutil.copytree(healthy, cache)
    truncate(cache / TERMS)
    truncate(card(cache))
    assert len(build_with(content, tmp_path / "one", cache, caplog)) == 2
    assert build_with(content, tmp_path / "two", cache, caplog) == []
    assert_same_output(tmp_path / "two", reference)


def test_a_picture_damaged_in_place_is_mended_in_the_output_it_was_linked_into(site, tmp_path, caplog):
    """A cached picture shares its inode with the output file it was hard-linked into, so a
    change in place reaches output/ too. The next build finds it by its checksum, draws it
    again as a new file, and replaces the output's file, even when its size is unchanged."""
    content, reference, healthy = site
    cache, output = tmp_path / "cache", tmp_path / "out"
    shutil.copytree(healthy, cache)
    assert build_with(content, output, cache, caplog) == []
    picture = card(cache)
    published = next(path for path in output.rglob(picture.name))
    assert published.stat().st_ino == picture.stat().st_ino  # linked, not copied
    same_size_other_bytes(picture)
    assert published.read_bytes() == picture.read_bytes()  # one file under two names

    warnings = build_with(content, output, cache, caplog)
    assert [record.name for record in warnings] == ["sharing.drawings"]
    assert_same_output(output, reference)
    assert published.stat().st_ino == picture.stat().st_ino  # linked again, to the new drawing
    assert_healthy(cache)


def test_a_cache_of_another_version_is_ignored_without_a_warning(site, tmp_path, caplog):
    content, reference, healthy = site
    cache = tmp_path / "cache"
    shutil.copytree(healthy, cache)
    (cache / TERMS).write_text(json.dumps({"version": 6, "entries": [], "texts": {}}), encoding="utf-8")
    assert build_with(content, tmp_path / "out", cache, caplog) == []
    assert any("another version" in record.getMessage() for record in caplog.records)
    assert_same_output(tmp_path / "out", reference)
    assert_healthy(cache)


def test_an_unreadable_cache_file_is_one_warning_not_a_crash(site, tmp_path, caplog, monkeypatch):
    """Reading fails with an OSError (here a permission error, as a non-root user would get)."""
    content, reference, healthy = site
    cache = tmp_path / "cache"
    shutil.copytree(healthy, cache)
    real = Path.read_bytes

    def refuse(path):
        if path.name in (TERMS, drawings.INDEX_FILE):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    warnings = build_with(content, tmp_path / "out", cache, caplog)
    assert sorted(record.name for record in warnings) == ["sharing.drawings", "thai_search.thai_search"]
    assert all("Permission denied" in record.getMessage() for record in warnings)
    monkeypatch.undo()
    assert_same_output(tmp_path / "out", reference)
    assert_healthy(cache)


# ---------------------------------------------------------------------------- the pure parts

def test_read_json_cache_says_why_a_file_is_not_used(tmp_path):
    from thainews.cache_files import write_json_cache

    path = tmp_path / "c.json"
    need_a = lambda body: "" if isinstance(body.get("a"), int) else "no a"  # noqa: E731
    assert read_json_cache(path, 3, need_a).body is None and not read_json_cache(path, 3, need_a).problem
    write_json_cache(path, 3, {"a": 1, "ข่าว": "\n"})
    assert read_json_cache(path, 3, need_a).body == {"a": 1, "ข่าว": "\n"}
    assert read_json_cache(path, 4, need_a).stale and not read_json_cache(path, 4, need_a).problem
    good = path.read_bytes()
    for damaged, why in [(good[:-3], "checksum"), (good.replace(b'"a":1', b'"a":2'), "checksum"),
                         (b"[]", "no version"), (b'{"x": 1}', "no version"), (b"\xff\xfe", "header"),
                         (good.split(b"\n")[0], "checksum"), (json_cache_bytes(3, {"a": "1"}), "wrong shape (no a)"),
                         (json_cache_bytes(3, {"a": 1}).replace(b'{"a":1}', b'[1]'), "checksum")]:
        path.write_bytes(damaged)
        loaded = read_json_cache(path, 3, need_a)
        assert loaded.body is None and why in loaded.problem, (damaged, loaded)
    path.write_bytes(json_cache_bytes(3, {"a": 1}))
    assert "KeyError" in read_json_cache(path, 3, lambda body: body["b"]).problem  # a check that raises
    path.unlink()
    path.mkdir()
    assert "unreadable" in read_json_cache(path, 3, need_a).problem
    write_json_cache(path, 3, {"a": 1})  # a folder in its place is replaced
    assert read_json_cache(path, 3, need_a).body == {"a": 1}
    written = path.stat().st_mtime_ns, path.stat().st_ino
    write_json_cache(path, 3, {"a": 1})  # the same bytes: not written again
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == written


def test_packed_counts_are_checked_without_unpacking():
    from collections import Counter

    from thainews.search_text import pack_counts, packed_counts_problem, unpack_counts

    counts = Counter({"ข่าว": 3, "pm2.5": 12, "ดี": 1})
    assert packed_counts_problem(pack_counts(counts)) == "" and unpack_counts(pack_counts(counts)) == counts
    assert packed_counts_problem("") == ""
    for bad in ["ข่าว", "ข่าว\t", "\t1", "ข่าว\tx", "ข่าว ดี\t1", "ข่าว\t1 2", "ข่าว ดี\t1  2", "ข่าว\t 1",
                "ข่าว\t1 ", "ข่าว\t1\t2", 5, None, ["ข่าว\t1"]]:
        assert packed_counts_problem(bad), bad


def test_a_damaged_term_cache_is_read_quietly_and_says_what_is_wrong(tmp_path, caplog):
    """The children that segment ahead and build the index read it too: only write_index logs."""
    from thainews.search_text import Lexicon

    path = tmp_path / TERMS
    path.write_text("[]", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="thai_search.thai_search"):
        cache = thai_search.TermCache(path, Lexicon([]))
    assert caplog.records == []
    assert cache.problem and not cache.stale and cache.old == {}


def test_a_cached_file_unchanged_since_it_was_hashed_is_not_read_again(tmp_path, monkeypatch):
    from thainews.cache_files import file_entry, intact_file

    picture = tmp_path / "card.png"
    picture.write_bytes(b"\x89PNG the drawing")
    entry = file_entry(picture)
    old_form = entry[:2]  # an index written before times and inodes were kept
    assert intact_file(picture, old_form) == (entry, "")  # read and hashed once, then kept with its time
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("an unchanged file was read"))
    assert intact_file(picture, entry) == (entry, "")
    monkeypatch.undo()
    time.sleep(0.01)
    with picture.open("r+b") as file:  # changed in place, same size: its time moves, so it is read
        file.write(b"\x89PNG the Drawing")
    kept, damage = intact_file(picture, entry)
    assert kept is None and "do not match" in damage
    picture.unlink()
    picture.write_bytes(b"\x89PNG the drawing")  # the same bytes again, as a new file
    assert intact_file(picture, entry)[0] == file_entry(picture)  # hashed again, then trusted


def _cache_of(tmp_path: Path, files: dict[str, bytes]):
    from thainews.cache_files import PictureIndex, write_atomically

    cache = tmp_path / "cache"
    for name, data in files.items():
        write_atomically(cache / name, data)
    index = PictureIndex(cache, 1)
    index.save(files)
    return PictureIndex(cache, 1)


def test_publishing_the_cache_links_what_is_used_and_removes_what_is_not(tmp_path):
    from thainews.cache_files import publish_cached

    index = _cache_of(tmp_path, {"share/a.png": b"a", "share/b.png": b"b", "video/old.png": b"old"})
    assert all(index.intact(name) for name in ("share/a.png", "share/b.png"))
    content, output = tmp_path / "content", tmp_path / "output"
    (content / "share").mkdir(parents=True)
    (content / "share" / "logo.png").write_bytes(b"the office's own file")  # copied by Pelican: kept
    (output / "share").mkdir(parents=True)
    (output / "share" / "logo.png").write_bytes(b"the office's own file")
    (output / "share" / "gone.png").write_bytes(b"a drawing no page shows now")
    (output / "share" / "b.png").write_bytes(b"b")  # the right bytes, but not the cached file

    publish_cached(index, ["share/a.png", "share/b.png"], output, content, ("share", "video"), keep=())

    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()) == \
        ["share/a.png", "share/b.png", "share/logo.png"]
    for name in ("share/a.png", "share/b.png"):
        assert (output / name).stat().st_ino == (index.folder / name).stat().st_ino  # linked, not copied
    assert not (index.folder / "video" / "old.png").exists()  # the cache does not grow for ever
    assert (index.folder / "index.json").exists()  # not a folder's picture: never removed


def test_publishing_a_cache_into_an_output_that_holds_it_links_nothing(tmp_path, monkeypatch):
    import os

    from thainews.cache_files import publish_cached

    index = _cache_of(tmp_path, {"a.webp": b"a", "b.webp": b"b"})
    assert index.intact("a.webp") and index.intact("b.webp")
    output, content = tmp_path / "output", tmp_path / "content"
    publish_cached(index, ["a.webp", "b.webp"], output, content, keep=None)
    linked = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda source, target: linked.append(target) or real_link(source, target))
    publish_cached(index, ["a.webp", "b.webp"], output, content, keep=None)
    assert linked == []  # both are the cached files already
    (output / "b.webp").unlink()
    (output / "b.webp").write_bytes(b"b")  # someone's copy: the same name, another file
    publish_cached(index, ["a.webp", "b.webp"], output, content, keep=None)
    assert linked == [index.folder.parent / "output" / "b.webp"]
    assert (output / "b.webp").stat().st_ino == (index.folder / "b.webp").stat().st_ino


def test_a_copy_on_another_disk_is_compared_by_its_bytes(tmp_path):
    from thainews.cache_files import same_bytes

    cached, copy = tmp_path / "cached.png", tmp_path / "copy.png"
    cached.write_bytes(b"\x89PNG one")
    copy.write_bytes(b"\x89PNG one")
    assert same_bytes(copy, cached)
    copy.write_bytes(b"\x89PNG two")  # the same size, other bytes
    assert not same_bytes(copy, cached)
    copy.unlink()
    copy.mkdir()
    assert not same_bytes(copy, cached)


def test_a_picture_index_is_written_only_when_what_it_holds_changes(tmp_path):
    from thainews.cache_files import PictureIndex, write_atomically

    index = _cache_of(tmp_path, {"a.webp": b"a", "b.webp": b"b"})
    written = index.folder / "index.json"
    before = written.stat().st_mtime_ns, written.stat().st_ino
    assert index.intact("a.webp") and index.intact("b.webp")
    index.save(["a.webp", "b.webp"])
    assert (written.stat().st_mtime_ns, written.stat().st_ino) == before  # nothing changed: not even read
    again = PictureIndex(index.folder, 1)
    assert again.intact("a.webp")
    write_atomically(index.folder / "c.webp", b"c")  # made by this build, in place of b.webp
    again.remade("c.webp")
    again.save(["a.webp", "c.webp"])  # as many files as before, one of them new
    assert sorted(PictureIndex(index.folder, 1).known) == ["a.webp", "c.webp"]


@pytest.mark.parametrize("entry", [[], [5], [5, "a" * 64, 7], [5, "a" * 64, 7, "8"], [5, "a" * 64, "7", 8],
                                   ["5", "a" * 64], [5, 6], [5, "short"], [5, "a" * 64, 7, 8, 9], {"size": 5}, 5, None])
def test_a_picture_index_entry_of_any_other_shape_is_named(entry):
    good = {"ok.webp": [5, "a" * 64, 7, 8], "old.jpg": [5, "b" * 64]}
    assert files_index_problem({"files": good}) == ""
    assert files_index_problem({"files": {**good, "bad.jpg": entry}}) == "'bad.jpg' is not [size, sha256, mtime_ns, inode]"
