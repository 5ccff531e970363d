"""A page of questions and answers (คำถามที่พบบ่อย, `Template: faq`): its questions as the page
shows them, checked, and the schema.org FAQPage that search engines read from it.

The officer writes each question as a `## ` heading and its answer under it, up to the next
`## ` heading; text above the first question is an introduction. The questions and answers are
read from the page's HTML (what the reader made of the Markdown, already cleaned), so the
structured data holds the same words as the page: each answer as plain text (the words of its
paragraphs, lists and links; a link's address is not part of its words).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .problems import Problem, line_of_field

TEMPLATE = "faq"  # `Template: faq` in a page's header
_QUESTION_TAG = "h2"
_SKIPPED = {"script", "style", "template"}  # never the reader's output (cleaned), but never words either
# Words run on across these (`<strong>Mac</strong>:` reads "Mac:"); every other tag (a paragraph,
# a list item, a line break, a cell) is a word break, as a browser shows it.
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark",
           "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
_H2_LINE = re.compile(r"^ {0,3}##(?!#)(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Entry:
    """One question and its answer, each as plain text (no tags, entities decoded)."""

    question: str
    answer: str


class _Splitter(HTMLParser):
    """Splits HTML at each <h2>: the heading's words are a question, what follows its answer."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.entries: list[list[list[str]]] = []  # [question words, answer words] per question
        self._in_question = False
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == _QUESTION_TAG:
            self.entries.append([[], []])
            self._in_question = True
        if tag not in _INLINE:
            self._words(" ")  # <p>ก</p><p>ข</p> keeps its two words apart

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == _QUESTION_TAG:
            self._in_question = False
        if tag not in _INLINE:
            self._words(" ")

    def handle_data(self, data):
        self._words(data)

    def _words(self, text: str) -> None:
        if self._skipping or not self.entries:
            return  # the introduction, above the first question, is no answer
        self.entries[-1][0 if self._in_question else 1].append(text)


def _plain(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def faq_entries(html: str) -> list[Entry]:
    """The questions (`<h2>`) of a page's HTML, in order, each with its answer."""
    splitter = _Splitter()
    splitter.feed(html or "")
    splitter.close()
    return [Entry(_plain(question), _plain(answer)) for question, answer in splitter.entries]


def _question_lines(source: str) -> list[int]:
    """The line of each `## ` heading of the Markdown source (not those in fenced code)."""
    lines, fenced = [], False
    for number, line in enumerate(source.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _H2_LINE.match(line):
            lines.append(number)
    return lines


def faq_problems(path: str, source: str, entries: list[Entry]) -> list[Problem]:
    """What makes a questions page wrong: no question at all, a heading without a question, a
    question without an answer. Each names the line of the question's heading (the
    `Template` line when the headings cannot be matched to lines, e.g. written in HTML)."""
    template_line = line_of_field(source, "Template")
    if not entries:
        return [Problem(
            path, template_line, "Template",
            "หน้าคำถามที่พบบ่อย (Template: faq) ยังไม่มีคำถาม: เขียนแต่ละคำถามเป็นหัวข้อที่ขึ้นต้นด้วย ## "
            "แล้วเขียนคำตอบไว้ใต้หัวข้อนั้น",
            "a questions page (Template: faq) has no question: write each question as a heading starting "
            "with '## ' and its answer under it",
        )]
    lines = _question_lines(source)
    if len(lines) != len(entries):
        lines = [template_line] * len(entries)
    problems = []
    for entry, line in zip(entries, lines, strict=True):
        if not entry.question:
            problems.append(Problem(
                path, line, "",
                "หัวข้อ ## นี้ว่าง: เขียนคำถามต่อจาก ## หรือลบบรรทัดนี้",
                "this '## ' heading is empty: write the question after '## ', or delete the line",
            ))
        elif not entry.answer:
            shown = entry.question if len(entry.question) <= 80 else entry.question[:77] + "..."
            problems.append(Problem(
                path, line, "",
                f"คำถาม '{shown}' ยังไม่มีคำตอบ: เขียนคำตอบไว้ใต้หัวข้อคำถาม หรือลบหัวข้อนั้น",
                f"the question '{shown}' has no answer: write the answer under its heading, or delete the heading",
            ))
    return problems


def faq_page(*, url: str, name: str, entries: list[Entry], language: str = "th") -> dict:
    """schema.org FAQPage: every question of the page with its answer, as the page shows them."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "name": name,
        "inLanguage": language,
        "mainEntity": [
            {"@type": "Question", "name": entry.question,
             "acceptedAnswer": {"@type": "Answer", "text": entry.answer}}
            for entry in entries
        ],
    }
