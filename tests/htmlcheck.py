"""A small well-formedness check for generated HTML: every element that is opened is closed,
in order. Browsers forgive a lost `</div>`; a reader on a phone gets a broken layout."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.errors: list[str] = []
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            opened = self.stack[-1] if self.stack else ("nothing", 0)
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes <{opened[0]}> opened on line {opened[1]}")
            if any(name == tag for name, _ in self.stack):
                while self.stack and self.stack.pop()[0] != tag:
                    pass
            return
        self.stack.pop()


def html_errors(text: str) -> list[str]:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors = list(checker.errors)
    if not checker.doctype:
        errors.append("no <!DOCTYPE html>")
    errors += [f"<{tag}> opened on line {line} is never closed" for tag, line in checker.stack]
    return errors
