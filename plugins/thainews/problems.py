"""A problem in one content file, explained in Thai and English."""

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str  # the metadata key as officers write it ("Date"), or "" for the whole file
    thai: str
    english: str
    severity: str = "error"  # or "warning"

    def format(self) -> str:
        where = f"{self.path}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        warning = "คำเตือน/warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {warning}{self.thai}\n    {self.english}"


def format_report(problems: list[Problem]) -> str:
    """Every problem, sorted by file and line, under a heading that says what to do."""
    errors = [p for p in problems if p.severity == "error"]
    lines = [
        f"พบปัญหา {len(errors)} จุดในเนื้อหา ต้องแก้ก่อนจึงจะสร้างเว็บไซต์ได้ (ยังไม่มีข่าวใดถูกเผยแพร่):",
        f"Found {len(errors)} problem(s) in the content; fix them to build the site (nothing was published):",
        "",
    ]
    lines += [problem.format() for problem in sorted(problems)]
    return "\n".join(lines)


def format_warnings(problems: list[Problem]) -> str:
    """The warnings of a build that goes on: what was changed or should be looked at."""
    warnings = sorted(p for p in problems if p.severity == "warning")
    lines = [
        f"คำเตือน {len(warnings)} จุดในเนื้อหา (เว็บไซต์ยังสร้างได้ ข่าวยังเผยแพร่ แต่ควรแก้ไฟล์):",
        f"{len(warnings)} warning(s) in the content (the site is built and the stories published; fix the files):",
        "",
    ]
    lines += [problem.format() for problem in warnings]
    return "\n".join(lines)


def line_of_field(source: str, field: str) -> int:
    """1-based line of `Field:` in a Markdown metadata header; 1 when it is not there."""
    pattern = re.compile(rf"^[ ]{{0,3}}{re.escape(field)}\s*:", re.IGNORECASE | re.MULTILINE)
    match = pattern.search(source)
    return source.count("\n", 0, match.start()) + 1 if match else 1


def did_you_mean(guess: str | None) -> tuple[str, str]:
    """The Thai and English hint after an unknown value, or two empty strings without a guess."""
    if not guess:
        return "", ""
    return f" หมายถึง '{guess}' หรือไม่?", f" Did you mean '{guess}'?"
