"""A story's documents (issue 15, point 4): `Attachments: documents/<file>, …`, the checks and
their bilingual messages, a PDF's pages and text (normalised by the Thai pipeline), the list of
downloads on the page, the files published, the text indexed with the story, the cache.

Every PDF is made here: a text PDF by hand (`pdf_with_text`: Helvetica with a /ToUnicode map,
which is what a PDF's text is read by, so Thai text is real text to pypdf), a scan with Pillow
(a picture saved as PDF: no text). No binary is committed.
"""

import io
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from PIL import Image

from conftest import build, copy_site
from htmlcheck import html_errors
from thainews import attachments as core
from thainews.search_index import term_entry

STORY_PATH = "content/news/docs/x.md"


def pdf_with_text(pages: list[str]) -> bytes:
    """A small, valid PDF whose pages hold `pages` as text, Thai included. The font is
    Helvetica (it cannot draw Thai, and need not: nothing is drawn here); its /ToUnicode map
    says which character each byte is, and a PDF's text is read by that map. Characters are
    written in the order given, so a test can store Thai marks out of order as some PDFs do."""
    chars = sorted({char for text in pages for char in text})
    code = {char: index + 1 for index, char in enumerate(chars)}
    cmap = "\n".join([
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <00> <FF> endcodespacerange",
        f"{len(chars)} beginbfchar",
        *(f"<{code[char]:02X}> <{ord(char):04X}>" for char in chars),
        "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
    ]).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 50 700 Td <{''.join(f'{code[char]:02X}' for char in text)}> Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", (120, 170), "white") for _ in range(pages)]
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


# Stored as some Thai PDFs store it: the tone mark before the vowel below (ต ๊ ุ), and น ํ ้ า.
OUT_OF_ORDER = "ประกาศเรื่อง ต\u0e4a\u0e38กแก และน\u0e4d\u0e49\u0e32ท่วม"
ANNOUNCEMENT = [OUT_OF_ORDER, "page two zqxwvannouncement"]


# ---------------------------------------------------------------------------- the pure core


def test_the_field_is_a_list_of_files_each_once():
    assert core.parse_field(" documents/a.pdf, documents/b.docx ,,documents/a.pdf ") == [
        "documents/a.pdf", "documents/b.docx"]
    assert core.parse_field("") == []


def test_labels_in_thai_by_type_and_sizes_in_kilobytes_and_megabytes():
    assert core.kind_of("documents/x.PDF") == ("pdf", "เอกสาร PDF")
    assert core.kind_of("documents/x.docx") == ("docx", "เอกสาร Word")
    assert core.kind_of("documents/x.xlsx") == ("xlsx", "ตาราง Excel")
    assert core.kind_of("documents/x.odt") == ("odt", "เอกสาร OpenDocument")
    assert core.kind_of("documents/x.exe") is None
    assert core.size_text(100) == "1 กิโลไบต์"
    assert core.size_text(350 * 1024) == "350 กิโลไบต์"
    assert core.size_text(1023 * 1024) == "1,023 กิโลไบต์"
    assert core.size_text(int(1.25 * 1024 * 1024)) == "1.2 เมกะไบต์"
    assert core.size_text(3 * 1024 * 1024) == "3 เมกะไบต์"
    assert core.size_text(1500 * 1024 * 1024) == "1,500 เมกะไบต์"


def test_a_pdfs_pages_and_text_normalised_by_the_sites_thai_pipeline():
    facts = core.pdf_facts(pdf_with_text(ANNOUNCEMENT))
    assert facts.pages == 2
    assert "ตุ๊กแก" in facts.text and "น้ำท่วม" in facts.text  # marks put back in order
    assert "zqxwvannouncement" in facts.text


def test_the_normalising_function_puts_thai_marks_in_order_and_spaces_single():
    assert core.clean_text("ต\u0e4a\u0e38กแก\x00\n\n  เเละ   น\u0e4d\u0e49\u0e32") == "ตุ๊กแก และ น้ำ"


def test_a_scan_has_pages_and_no_text():
    assert core.pdf_facts(scanned_pdf(3)) == core.PdfFacts(3, "")


@pytest.mark.parametrize("data", [b"not a pdf", pdf_with_text(["x"])[:150], b""])
def test_a_damaged_pdf_cannot_be_read(data):
    with pytest.raises(core.UnreadableDocument):
        core.pdf_facts(data)


@pytest.mark.parametrize(("written", "make", "words"), [
    ("documents/missing.pdf", None, ["documents/missing.pdf", "ไม่มีอยู่", "does not exist", "correct its name"]),
    ("images/a.pdf", "images/a.pdf", ["images/a.pdf", "content/documents/", "put the file there"]),
    ("documents/../secret.pdf", None, ["documents/../secret.pdf", "content/documents/", "'..'"]),
    ("documents/run.exe", "documents/run.exe", ["documents/run.exe", "ไม่ใช่ไฟล์ PDF", "save it as PDF"]),
    ("documents/folder.pdf", "documents/folder.pdf/", ["documents/folder.pdf", "is a folder"]),
])
def test_each_file_problem_names_the_file_and_the_fix_in_thai_and_english(tmp_path, written, make, words):
    if make:
        target = tmp_path / make
        if make.endswith("/"):
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"%PDF-")
    found = core.find_file(tmp_path, written)
    assert isinstance(found, tuple), found
    thai, english = found
    assert "เอกสารแนบ" in thai and "attachment" in english
    for word in words:
        assert word in f"{thai} {english}", word


def test_a_link_out_of_content_is_refused(tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(pdf_with_text(["x"]))
    (tmp_path / "content" / "documents").mkdir(parents=True)
    (tmp_path / "content" / "documents" / "link.pdf").symlink_to(outside)
    thai, english = core.find_file(tmp_path / "content", "documents/link.pdf")
    assert "symlink" in english and "documents/link.pdf" in english and "นอกโฟลเดอร์ content/" in thai


def test_the_messages_for_a_damaged_pdf_and_a_scan_name_the_file_thai_then_english():
    thai, english = core.unreadable_message("documents/a.pdf", "EOF")
    assert "อ่านเอกสารแนบ 'documents/a.pdf' ไม่ได้" in thai and "cannot read the attachment 'documents/a.pdf'" in english
    thai, english = core.no_text_message("documents/scan.pdf")
    assert "'documents/scan.pdf'" in thai and "ไม่มีข้อความ" in thai
    assert "no text: readers and search cannot read it" in english
    warning = core.problem(STORY_PATH, 5, (thai, english), "warning")
    assert warning.format().startswith(f"{STORY_PATH}:5: [Attachments] คำเตือน/warning: เอกสารแนบ")


# ---------------------------------------------------------------------------- the site

STORY = """Title: ประกาศรับสมัครอาสาสมัครคุณธรรม
Date: 2567-05-01
Networks: เครือข่ายศาสนา
Attachments: {attachments}

เนื้อหาข่าวประกาศรับสมัคร
"""


def add_story(content: Path, name: str, attachments: str) -> str:
    path = content / "news" / "docs" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STORY.format(attachments=attachments), encoding="utf-8")
    return f"content/news/docs/{name}.md"


def add_documents(content: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (content / "documents" / name).parent.mkdir(parents=True, exist_ok=True)
        (content / "documents" / name).write_bytes(data)


@pytest.fixture(scope="module")
def document_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("attachments")
    content = copy_site(root / "content")
    add_documents(content, {"ประกาศ-2567.pdf": pdf_with_text(ANNOUNCEMENT), "scan.pdf": scanned_pdf(2),
                            "form.docx": b"PK\x03\x04 a word file" + b"x" * 3000, "plan.xlsx": b"PK\x03\x04" * 10})
    add_story(content, "volunteers", "documents/ประกาศ-2567.pdf, documents/scan.pdf, documents/form.docx")
    page = (content / "pages" / "about.md").read_text(encoding="utf-8")
    (content / "pages" / "about.md").write_text(
        page.replace("Slug: about\n", "Slug: about\nAttachments: documents/plan.xlsx\n", 1), encoding="utf-8")
    event = (content / "events" / "merit-market-2570.md").read_text(encoding="utf-8")
    (content / "events" / "merit-market-2570.md").write_text(
        event.replace("Slug: merit-market-2570\n", "Slug: merit-market-2570\nAttachments: documents/plan.xlsx\n", 1),
        encoding="utf-8")
    build(content, root / "out", PROCESSES=1)
    return root / "out"


SITE_BUILDS = {"document_site"}  # whole-site builds: every test using it is marked slow (conftest.py)


def story_html(output: Path) -> str:
    return next(output.glob("news/2024/05/*/index.html")).read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_story_lists_its_documents_with_label_pages_and_size(document_site):
    html = story_html(document_site)
    assert html_errors(html) == []
    assert 'class="attachments"' in html and "เอกสารแนบ" in html
    pdf = document_site.parent / "content" / "documents" / "ประกาศ-2567.pdf"
    assert f"เอกสาร PDF · 2 หน้า · {core.size_text(pdf.stat().st_size)}</span>" in html  # the announcement
    assert "เอกสาร Word · 3 กิโลไบต์</span>" in html
    assert html.count("<li class=\"attachment") == 3
    assert '<a href="/documents/%E0%B8%9B' in html and ">ประกาศ-2567.pdf</a>" in html
    assert "(ภาพสแกน ไม่มีข้อความให้ค้นหา)" in html  # the scan
    assert "style=" not in html.split('class="attachments"')[1].split("</section>")[0]


@pytest.mark.slow
def test_pages_and_events_list_their_documents_too(document_site):
    for page in (document_site / "about" / "index.html", document_site / "events" / "merit-market-2570" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert html_errors(html) == [], page
        assert "ตาราง Excel · 1 กิโลไบต์" in html and ">plan.xlsx</a>" in html, page


@pytest.mark.slow
def test_the_files_are_published_as_they_are(document_site):
    content = document_site.parent / "content" / "documents"
    for name in ("ประกาศ-2567.pdf", "scan.pdf", "form.docx", "plan.xlsx"):
        assert (document_site / "documents" / name).read_bytes() == (content / name).read_bytes()


def search_ids(output: Path, term: str) -> list[tuple[int, int]]:
    """(id, score) of every document the built index lists for `term`."""
    folder = output / "search"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = term_entry(manifest, lambda name: (folder / name).read_bytes(), term)
    if not entry:
        return []
    ids, total = [], 0
    for gap in entry[0]:
        total += gap
        ids.append(total)
    return list(zip(ids, entry[1], strict=True))


def card_of(output: Path, doc_id: int) -> dict:
    manifest = json.loads((output / "search" / "manifest.json").read_text(encoding="utf-8"))
    chunk = manifest["cards"][doc_id // manifest["card_chunk"]]
    return json.loads((output / "search" / chunk).read_text(encoding="utf-8"))[doc_id % manifest["card_chunk"]]


@pytest.mark.slow
@pytest.mark.parametrize("term", ["zqxwvannouncement", "ตุ๊กแก"])
def test_a_phrase_only_in_the_pdf_finds_the_story_marked_as_in_the_attachment(document_site, term):
    found = search_ids(document_site, term)
    assert len(found) == 1, found
    doc_id, score = found[0]
    card = card_of(document_site, doc_id)
    assert card["t"] == "ประกาศรับสมัครอาสาสมัครคุณธรรม" and card["k"] == "article"
    assert score < 0  # only in the attachment: search.js says "พบในเอกสารแนบ"
    assert term not in card["x"]  # the PDF's text is not in the result's card (small first query)


@pytest.mark.slow
def test_a_word_of_the_story_itself_is_not_marked_as_in_the_attachment(document_site):
    scores = dict(search_ids(document_site, "อาสาสมัคร"))
    assert scores and all(score > 0 for score in scores.values())


@pytest.mark.slow
def test_a_rebuild_reads_no_pdf_again(document_site):
    import attachments.attachments as plugin

    cache = document_site.parent / f"{document_site.name}-cache" / plugin.CACHE_FILE
    assert cache.is_file()
    with mock.patch.object(plugin, "_read_pdf", side_effect=AssertionError("a PDF was read again")):
        build(document_site.parent / "content", document_site, PROCESSES=1)
    assert search_ids(document_site, "zqxwvannouncement")


@pytest.mark.slow
def test_a_scan_is_published_with_a_warning(document_site, capsys):
    # The module's build printed the warnings; build again (from the cache) to see them here.
    build(document_site.parent / "content", document_site, PROCESSES=1)
    err = capsys.readouterr().err
    assert "content/news/docs/volunteers.md:4: [Attachments] คำเตือน/warning: เอกสารแนบ 'documents/scan.pdf'" in err
    assert "no text: readers and search cannot read it" in err
    assert (document_site / "documents" / "scan.pdf").is_file()


@pytest.mark.slow
def test_a_missing_or_damaged_attachment_stops_the_build_naming_it(tmp_path, capsys):
    content = copy_site(tmp_path / "content")
    add_documents(content, {"cut.pdf": pdf_with_text(["x"])[:150]})
    story = add_story(content, "bad", "documents/cut.pdf, documents/nowhere.pdf")
    with pytest.raises(SystemExit):
        build(content, tmp_path / "out", PROCESSES=1)
    report = capsys.readouterr().err
    assert f"{story}:4: [Attachments] อ่านเอกสารแนบ 'documents/cut.pdf' ไม่ได้" in report
    assert "cannot read the attachment 'documents/cut.pdf'" in report
    assert f"{story}:4: [Attachments] เอกสารแนบ 'documents/nowhere.pdf' ไม่มีอยู่" in report
    assert not (tmp_path / "out" / "index.html").exists()


def test_settings_are_checked_at_start_naming_the_plugin_and_key(tmp_path):
    with pytest.raises(ValueError, match=r"attachments: ATTACHMENTS\['PARALLEL_FROM'\]"):
        build(copy_site(tmp_path / "content"), tmp_path / "out", ATTACHMENTS={"PARALLEL_FROM": "many"})
    with pytest.raises(ValueError, match=r"attachments: unknown key\(s\) in ATTACHMENTS: FOLDER"):
        build(tmp_path / "content", tmp_path / "out", ATTACHMENTS={"FOLDER": "docs"})
    with pytest.raises(ValueError, match=r"attachments: STATIC_PATHS must include 'documents'"):
        build(tmp_path / "content", tmp_path / "out", STATIC_PATHS=["images"])


@pytest.mark.slow
def test_the_result_says_the_match_is_in_the_attachment_in_the_browser(document_site, serve, browser):
    base = serve(document_site)
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    def results(query: str) -> list[tuple[str, str]]:
        page.goto(f"{base}/search.html?q={query}", wait_until="load")
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
        return page.evaluate("""() => [...document.querySelectorAll('#search-results > li')].map((li) => [
            li.querySelector('h2').textContent,
            (li.querySelector('.search-in-attachment') || {textContent: ''}).textContent])""")

    title = "ประกาศรับสมัครอาสาสมัครคุณธรรม"
    assert results("ตุ๊กแก") == [[title, "พบในเอกสารแนบ"]]
    assert results("ZQXWVANNOUNCEMENT") == [[title, "พบในเอกสารแนบ"]]
    assert [title, ""] in results("อาสาสมัคร")  # the story's own words: no note
    assert errors == []
    page.close()


@pytest.mark.slow
def test_pdfs_read_on_several_cores_give_the_same_site(document_site, tmp_path):
    """From PARALLEL_FROM PDFs not in the cache, they are read in workers: same pages, same index."""
    build(document_site.parent / "content", tmp_path / "out", PROCESSES=2,
          ATTACHMENTS={"PARALLEL_FROM": 1, "CACHE": False})
    assert not (tmp_path / "out-cache" / "attachments.json").exists()
    for name in ("manifest.json", *json.loads((document_site / "search" / "manifest.json").read_text())["cards"]):
        assert (tmp_path / "out" / "search" / name).read_bytes() == (document_site / "search" / name).read_bytes()
    assert story_html(tmp_path / "out") == story_html(document_site)


@pytest.mark.slow
def test_a_damaged_cache_is_ignored_with_a_warning_and_written_again(document_site, caplog):
    import attachments.attachments as plugin

    cache = document_site.parent / f"{document_site.name}-cache" / plugin.CACHE_FILE
    cache.write_bytes(cache.read_bytes()[:-20])
    build(document_site.parent / "content", document_site, PROCESSES=1)
    assert "the attachments cache" in caplog.text and "damaged" in caplog.text
    assert plugin.read_json_cache(cache, plugin.CACHE_VERSION, plugin.facts_cache_problem).body is not None
    assert search_ids(document_site, "zqxwvannouncement")


@pytest.mark.slow
def test_make_check_reports_attachments_like_the_build(tmp_path, capsys):
    import attachments.attachments as plugin
    from newsroom import check

    cached_before = (Path.cwd() / "cache" / plugin.CACHE_FILE).exists()

    content = copy_site(tmp_path / "content")
    add_documents(content, {"scan.pdf": scanned_pdf()})
    story = add_story(content, "check", "documents/scan.pdf, documents/gone.docx")
    assert check.main(["--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"{story}:4: [Attachments] เอกสารแนบ 'documents/gone.docx' ไม่มีอยู่" in out
    assert f"{story}:4: [Attachments] คำเตือน/warning: เอกสารแนบ 'documents/scan.pdf'" in out
    assert not (Path.cwd() / "cache" / plugin.CACHE_FILE).exists() or cached_before  # make check writes nothing


@pytest.mark.slow
def test_a_hostile_file_name_is_text_on_the_page_and_quoted_in_its_link(tmp_path):
    content = copy_site(tmp_path / "content")
    hostile = '<img src=x onerror=alert(1)>&"q".docx'
    add_documents(content, {hostile: b"PK\x03\x04 a word file"})
    add_story(content, "hostile", f"documents/{hostile}")
    build(content, tmp_path / "out", PROCESSES=1)
    html = story_html(tmp_path / "out")
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;&#34;q&#34;.docx</a>" in html  # the name, as text
    link = re.search(r'<a href="([^"]*\.docx)" download>', html).group(1)
    assert link.endswith("/documents/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%26%22q%22.docx")
    assert (tmp_path / "out" / "documents" / hostile).is_file()  # published under its own name
