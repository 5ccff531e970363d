"""Readable slugs (issue 16, point 1): RTGS with PyThaiNLP's thai2rom model and the site's
romanisation lexicon (thainews.romanise, thainews.slugs), cached."""

import json

import pytest

from conftest import SITE_CONTENT, build, copy_site
from thainews import romanise, slugs
from thainews.districts import DISTRICTS
from thainews.romanise import RomanisationLexicon, Thai2Rom
from thainews.slugs import CACHE_NAME, MAX_SLUG_LENGTH, slugify_thai

LEXICON = "คุณธรรม = khunnatham\nแม่สรวย = mae-suai\nเครือข่ายชุมชนคุณธรรม = khrueakhai-chumchon-khunnatham\n" \
          "อ. = amphoe\n"


@pytest.fixture
def fresh(monkeypatch):
    """A process that has romanised nothing yet: no word known, no cache file, no lexicon."""
    monkeypatch.setattr(slugs, "_known", {})
    monkeypatch.setattr(slugs, "_new", {})
    monkeypatch.setattr(slugs, "_cache_file", None)
    monkeypatch.setattr(slugs, "model_calls", 0)
    monkeypatch.setattr(slugs, "_lexicon", RomanisationLexicon())  # put back after the test
    slugs.clear_caches()
    yield
    slugs.clear_caches()


def site(tmp_path, lexicon: str = LEXICON):
    (tmp_path / "romanisation.txt").write_text(lexicon, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------------------- the model

def test_the_model_romanises_known_words_in_rtgs():
    model = slugs._model()
    for thai, latin in {"ปีใหม่": "pimai", "ทดสอบ": "thotsop", "พัฒนา": "phatthana", "ส่งเสริม": "songsoem",
                        "วัฒนธรรม": "watthanatham", "ชุมชน": "chumchon", "โรงเรียน": "rongrian"}.items():
        assert model(thai) == latin, thai


def test_it_runs_pythainlps_thai2rom_onnx_model_as_pythainlp_does():
    """Our sessions (one thread, loaded in ~30 ms) give what `romanize(engine="thai2rom_onnx")` gives."""
    from pythainlp.transliterate import romanize

    model = Thai2Rom()
    for word in ["อาสาสมัคร", "ยุทธศาสตร์", "ส่งเสริม", "ผู้ว่าราชการ", "เศรษฐกิจพอเพียง", "สวัสดี", "ก", "ฯ",
                 "กรุงเทพมหานครอมรรัตนโกสินทร์มหินทรายุทธยามหาดิลกภพนพรัตน์ราชธานีบุรีรมย์"]:
        assert model(word) == romanize(word, engine="thai2rom_onnx"), word


def test_the_model_files_are_pythainlps_own_and_nothing_is_downloaded(monkeypatch):
    import pythainlp.corpus

    monkeypatch.setattr(pythainlp.corpus, "get_corpus_default_db", lambda name, version="": None)
    with pytest.raises(FileNotFoundError, match="make venv"):
        Thai2Rom()


# ---------------------------------------------------------------------------- the slugs

def test_a_word_the_model_cuts_short_is_its_words_joined(tmp_path, fresh):
    """The model stops early on some words (none of these is in bench/slug-titles.tsv but the
    first); their words of PyThaiNLP's list, romanised and joined, go on where it stopped."""
    model = slugs._model()
    for thai, cut_short, latin in [("เศรษฐกิจพอเพียง", "setthakitpho", "setthakitphophiang"),
                                   ("เกี่ยงงอน", "kiang", "kiangngon"), ("ดอกเบี้ยทบต้น", "dokbiat", "dokbiathopton"),
                                   ("กรมสรรพสามิต", "kromsap", "kromsapphasamit")]:
        assert model(thai) == cut_short and slugs.romanize_word(thai) == latin, thai
    # Kept: romanisations as long as the Thai (not looked into), and those its words do not go on
    # from (สา|มา|รถ: samarot is not samat cut short) or only as long (ศักดิ์|สิทธิ์).
    for thai, latin in [("ราชการ", "ratchakan"), ("สามารถ", "samat"), ("ศักดิ์สิทธิ์", "saksit")]:
        assert model(thai) == latin and slugs.romanize_word(thai) == latin, thai
    # Its words as the site romanises them: the lexicon first.
    slugs.use_site(site(tmp_path, "พอเพียง = pho-phiang\n"), None)
    assert slugs.romanize_word("เศรษฐกิจพอเพียง") == "setthakitpho-phiang"


def test_lexicon_entries_win_over_the_model_and_are_kept_whole(tmp_path, fresh):
    assert slugify_thai("จังหวัดคุณธรรม") == "changwat-khuntham"  # the model alone
    slugs.use_site(site(tmp_path), None)
    assert slugify_thai("จังหวัดคุณธรรม") == "changwat-khunnatham"
    # PyThaiNLP's word list cuts แม่สรวย แม่|สร|วย: the lexicon's words are added to the cut
    assert slugify_thai("ชาวแม่สรวยร่วมงาน") == "chao-mae-suai-ruamngan"
    assert slugify_thai("เครือข่ายชุมชนคุณธรรมปลูกป่า") == "khrueakhai-chumchon-khunnatham-plukpa"
    assert slugify_thai("ที่อ.แม่สรวย") == "thi-amphoe-mae-suai"
    slugs.use_site(None, None)  # another site, without the lexicon: the slugs of the first are not kept
    assert slugify_thai("จังหวัดคุณธรรม") == "changwat-khuntham"


def test_marks_that_are_not_read_and_repeated_words(fresh):
    assert slugify_thai("ผู้ว่าฯ") == "phuwa"
    assert slugify_thai("กิจกรรมต่างๆ") == "kitchakam-tang-tang"
    assert slugify_thai("ค่า PM2.5 ที่ ๒๕๖๘") == "kha-pm-2-5-thi-2568"


def test_a_slug_is_cut_between_words_at_most_max_length(fresh):
    title = "ศูนย์คุณธรรมจับมือสำนักวัฒนธรรมจังหวัดเชียงราย และ 13 เครือข่ายคุณธรรม เคาะศูนย์ประสานงาน"
    full = slugify_thai(title, max_length=500).split("-")
    slug = slugify_thai(title)
    assert len(slug) <= MAX_SLUG_LENGTH and slug.split("-") == full[:len(slug.split("-"))]
    assert len("-".join(full[:len(slug.split("-")) + 1])) > MAX_SLUG_LENGTH  # as many words as fit


# ---------------------------------------------------------------------------- the lexicon file

def test_the_lexicon_names_file_line_and_fix_of_each_bad_line():
    text = ("# comment\n\nคุณธรรม = khunnatham  # a comment after an entry\nเชียงราย chiang-rai\n"
            "แม่สาย = Mae Sai\nพาน = phān\nPM = pm\nคุณธรรม = khuntham\nเวียง ชัย = wiang-chai\nเทิง =\n")
    lexicon = RomanisationLexicon.parse(text, "content/romanisation.txt")
    assert lexicon.entries == {"คุณธรรม": "khunnatham"}
    found = {problem.line: problem for problem in lexicon.problems}
    assert sorted(found) == [4, 5, 6, 7, 8, 9, 10]
    assert all(problem.path == "content/romanisation.txt" and problem.severity == "error" for problem in found.values())
    assert "word = romanisation" in found[4].english and "คำ = คำอ่าน" in found[4].thai
    assert "lowercase a-z" in found[5].english and "'Mae Sai'" in found[5].english
    assert "'phān'" in found[6].english and "no tone or length marks" in found[6].english  # not ASCII
    assert "Thai word alone" in found[7].english and "ภาษาไทยล้วน" in found[7].thai
    assert "already on line 3" in found[8].english and "บรรทัด 3" in found[8].thai  # a duplicate entry
    assert "no space" in found[9].english
    assert "word = romanisation" in found[10].english


def test_thai_typed_another_way_is_one_entry():
    lexicon = RomanisationLexicon.parse("น้ำ = nam\nนํ้า = nam\n", "x")  # NIKHAHIT + SARA AA typed apart
    assert list(lexicon.entries) == ["น้ำ"] and "already on line 1" in lexicon.problems[0].english


@pytest.mark.slow
def test_a_bad_lexicon_line_stops_the_build_with_the_report(tmp_path, capsys):
    content = copy_site(tmp_path / "content", SITE_CONTENT, {"romanisation.txt": "คุณธรรม = khunnathām\n"})
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out")
    report = capsys.readouterr().err
    assert "content/romanisation.txt:1:" in report and "no tone or length marks" in report


def test_the_test_sites_lexicon_is_right_and_spells_the_districts_as_districts_py():
    lexicon = RomanisationLexicon.read(SITE_CONTENT / romanise.LEXICON_NAME, "x")
    assert lexicon.problems == []
    for district in DISTRICTS:
        assert lexicon.entries[district.name] == district.slug, district.name


# ---------------------------------------------------------------------------- the caches

def test_a_word_is_romanised_once_per_process_and_once_across_builds(tmp_path, fresh, monkeypatch):
    calls = []
    real = slugs._model()
    monkeypatch.setattr(slugs, "_model", lambda: lambda word: calls.append(word) or real(word))
    slugs.use_site(None, tmp_path / "cache")
    titles = ["ชาวบ้านร่วมงานบุญ", "ชาวบ้านร่วมงานปีใหม่", "งานปีใหม่ของชาวบ้าน"]  # the same words again
    for title in titles:
        slugify_thai(title)
    distinct = {word for title in titles for word in slugs._cut(title)}
    # and the words of those whose romanisation is shorter than the Thai (is it cut short?)
    looked_into = {part for key, parts in slugs._known.items() if key.startswith(slugs._PARTS) for part in parts.split()}
    assert looked_into and len(calls) == len(set(calls)) == slugs.model_calls and set(calls) == distinct | looked_into
    slugs.save_cache()
    body = json.loads((tmp_path / "cache" / CACHE_NAME).read_bytes().split(b"\n", 1)[1])
    assert body["words"]["ปีใหม่"] == "pimai" and body["engine"] == romanise.engine_version()

    # The next build, in a new process: the words come from the cache file, the model is not asked.
    monkeypatch.setattr(slugs, "_known", {})
    monkeypatch.setattr(slugs, "_cache_file", None)
    slugs.clear_caches()
    slugs.use_site(None, tmp_path / "cache")
    calls.clear()
    with monkeypatch.context() as patch:
        patch.setattr(slugs, "compound_parts", None)  # nor is PyThaiNLP's word list: the words are in the cache
        assert slugify_thai("ชาวบ้านร่วมงานปีใหม่") == "chaoban-ruamngan-pimai"
    assert calls == []
    stat = (tmp_path / "cache" / CACHE_NAME).stat()
    slugs.save_cache()  # nothing new: not written again
    assert (tmp_path / "cache" / CACHE_NAME).stat().st_mtime_ns == stat.st_mtime_ns

    # A cache made by another version of the model is not used.
    monkeypatch.setattr(slugs, "_known", {})
    monkeypatch.setattr(slugs, "_cache_file", None)
    monkeypatch.setattr(slugs, "engine_version", lambda: "another model")
    slugs.clear_caches()
    slugs.use_site(None, tmp_path / "cache")
    slugify_thai("ปีใหม่")
    assert calls == ["ปีใหม่", "ปี", "ใหม่"]  # and its words: pimai is shorter than ปีใหม่


def test_what_a_reading_worker_romanises_comes_back_to_the_build(fresh):
    slugs.adopt({"ก": "ko"})  # the build's process, before forking
    slugs.take_new()
    slugify_thai("ทดสอบ")  # in the worker (thotsop: as long as the Thai, its words are not looked at)
    found = slugs.take_new()
    assert found == {"ทดสอบ": "thotsop"} and slugs.take_new() == {}
    del slugs._known["ทดสอบ"]  # the build's process, which forked the worker, never saw it
    slugs.adopt({**found, "ก": "something else"})  # back in the build's process: a known word is kept
    assert slugs._known["ก"] == "ko" and slugs._new == {"ทดสอบ": "thotsop"}


def test_a_damaged_cache_is_ignored_with_a_warning(tmp_path, fresh, caplog):
    (tmp_path / CACHE_NAME).write_bytes(b'{"sha256": "0", "version": 1}\n{"engine": "x", "words": {}}')
    slugs.use_site(None, tmp_path)
    assert "damaged" in caplog.text and str(tmp_path / CACHE_NAME) in caplog.text
    assert slugify_thai("ทดสอบ") == "thotsop"
    slugs.save_cache()  # written anew, whole
    assert json.loads((tmp_path / CACHE_NAME).read_bytes().split(b"\n", 1)[1])["words"] == {"ทดสอบ": "thotsop"}
