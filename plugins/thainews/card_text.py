"""Measuring and breaking headlines into lines in the site's own Sarabun, for `thainews.cards`.

Thai has no spaces between words, so lines are broken between the words of
`thainews.text.words` (`wrap_words`), filled greedily by measured width (`break_lines`, a plain
function that takes any `measure`). Thai vowels and tone marks stack above and below their
consonant; only a shaping engine places them right, so the text is laid out with libraqm when
Pillow has it (`layout_engine`), else with Pillow's basic layout, where marks may collide.

The theme ships Sarabun as two WOFF2 subsets (Thai, Latin), exactly what browsers get. Pillow's
wheels read WOFF2 (their FreeType is built with Brotli). Each run of text is drawn with the
subset that has its glyphs.
"""

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

ELLIPSIS = "…"

# Characters of the Thai subset (the unicode-range in site.css); all others use the Latin one.
_THAI_SUBSET = {*range(0x0E01, 0x0E5C), 0x200C, 0x200D, 0x25CC}
_NOT_A_CHARACTER = "\ue000"  # private use: no font here has it, so FreeType draws .notdef
# No line starts with a closing mark or ends with an opening one.
_OPENING = set("([{“‘«")
_CLOSING = set(")]}”’»,.:;!?%…ๆฯ")


# ---------------------------------------------------------------------------- line breaking

def join_punctuation(tokens: list[str]) -> list[str]:
    """Tokens with closing marks glued to the word before and opening marks to the word after."""
    joined: list[str] = []
    pending = ""
    for token in tokens:
        if token and set(token) <= _OPENING:
            pending += token
        elif token and set(token) <= _CLOSING and joined and not joined[-1].isspace():
            joined[-1] += pending + token
            pending = ""
        else:
            joined.append(pending + token)
            pending = ""
    if pending:
        joined.append(pending)
    return joined


def clusters(text: str) -> list[str]:
    """Characters with their combining marks (Thai vowels above and below, tone marks)."""
    result: list[str] = []
    for char in text:
        if result and (unicodedata.combining(char) or unicodedata.category(char) == "Mn"):
            result[-1] += char
        else:
            result.append(char)
    return result


def _fit_clusters(text: str, measure, width: float) -> tuple[str, str]:
    """The longest start of `text`, cut between clusters, that fits; and the rest."""
    parts = clusters(text)
    taken = ""
    for index, part in enumerate(parts):
        if taken and measure(taken + part) > width:
            return taken, "".join(parts[index:])
        taken += part
    return taken, ""


def break_lines(tokens: list[str], measure, width: float, max_lines: int = 3,
                ellipsis: str = ELLIPSIS) -> tuple[list[str], bool]:
    """Greedy line filling: as many tokens on each line as fit in `width` by `measure`.

    `tokens` are words and whitespace, as `thainews.text.words` gives them. Each token is
    measured once and a line's width is the sum of its tokens' (shaping does not reach across
    words). A word wider than a line is cut between characters. When the text needs more than
    `max_lines` lines, the last line ends with `ellipsis` after the last whole word that fits
    before it. Returns the lines and whether the text was cut.
    """
    lines, cut = break_pieces(tokens, measure, width, max_lines, ellipsis)
    return ["".join(line) for line in lines], cut


def break_pieces(tokens: list[str], measure, width: float, max_lines: int = 3,
                 ellipsis: str = ELLIPSIS) -> tuple[list[list[str]], bool]:
    """`break_lines`, each line as its pieces (words, whitespace, the ellipsis), which are
    drawn one by one at the sum of the widths before them (`Text.draw_pieces`)."""
    widths: dict[str, float] = {}

    def size(piece: str) -> float:
        if piece not in widths:
            widths[piece] = measure(piece)
        return widths[piece]

    pieces: list[str] = []
    for token in tokens:
        while token.strip() and size(token.strip()) > width:
            head, token = _fit_clusters(token.strip(), measure, width)
            pieces.append(head)
        if token:
            pieces.append(token)

    lines: list[tuple[int, int]] = []  # pieces[start:end] of each line, without trailing spaces
    start, used, spaces = None, 0.0, 0.0  # spaces: the width of whitespace not yet followed by a word
    for index, piece in enumerate(pieces):
        if piece.isspace():
            if start is not None:
                spaces += size(piece)
            continue
        if start is None:
            start, used, spaces = index, size(piece), 0.0
        elif used + spaces + size(piece) <= width:
            used, spaces = used + spaces + size(piece), 0.0
        else:
            lines.append((start, _last_word(pieces, start, index)))
            start, used, spaces = index, size(piece), 0.0
    if start is not None:
        lines.append((start, _last_word(pieces, start, len(pieces))))

    if len(lines) <= max_lines:
        return [pieces[first:end] for first, end in lines], False
    kept = [pieces[first:end] for first, end in lines[:max_lines - 1]]
    first = lines[max_lines - 1][0]
    room = width - size(ellipsis)
    end, used = first, 0.0
    for index in range(first, len(pieces)):
        used += size(pieces[index])
        if used > room:
            break
        if not pieces[index].isspace():
            end = index + 1
    last = pieces[first:end]
    if not last:  # not even one word fits before the ellipsis: cut the word
        last = [_fit_clusters(pieces[first], lambda part: measure(part + ellipsis), width)[0]]
    while last and not last[-1].rstrip(" ,;:"):  # no comma or space before the ellipsis
        last.pop()
    if last:
        last[-1] = last[-1].rstrip(" ,;:")
    return [*kept, [*last, ellipsis]], True


def _last_word(pieces: list[str], start: int, end: int) -> int:
    """The end of pieces[start:end] without the whitespace at its end."""
    while end > start and pieces[end - 1].isspace():
        end -= 1
    return end


def title_tokens(text: str) -> list[str]:
    """The words of `text` for line breaking: Thai segmented, punctuation kept with its word."""
    from .text import words

    return join_punctuation(words(" ".join(text.split())))


def wrap_words(text: str, measure, width: float, max_lines: int = 3) -> tuple[list[str], bool]:
    """`break_lines` over the Thai words of `text`."""
    return break_lines(title_tokens(text), measure, width, max_lines)


# ---------------------------------------------------------------------------- fonts

def layout_engine() -> tuple[ImageFont.Layout, bool]:
    """libraqm (HarfBuzz shaping: Thai marks in place) when Pillow has it, else BASIC."""
    if features.check("raqm"):
        return ImageFont.Layout.RAQM, True
    return ImageFont.Layout.BASIC, False


@dataclass(frozen=True)
class FontFiles:
    """The bold Thai and Latin subsets of the site's font."""

    thai: str
    latin: str

    def fingerprint(self) -> str:
        """Changes when a font file changes, so that cached drawings are redrawn."""
        digest = sha256()
        for path in (self.thai, self.latin):
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()[:16]


@lru_cache(maxsize=64)
def _font(path: str, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=engine)


@lru_cache(maxsize=4096)
def _has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    mask = font.getmask(char)
    missing = font.getmask(_NOT_A_CHARACTER)
    return not (mask.size == missing.size and bytes(mask) == bytes(missing))


class Text:
    """One size of the site's font: Thai runs in the Thai subset, the rest in the Latin one."""

    def __init__(self, files: FontFiles, size: int, engine: ImageFont.Layout | None = None):
        engine = layout_engine()[0] if engine is None else engine
        self.size = size
        self.thai = _font(files.thai, size, engine)
        self.latin = _font(files.latin, size, engine)

    def _font_for(self, char: str) -> ImageFont.FreeTypeFont | None:
        if ord(char) in _THAI_SUBSET:
            return self.thai
        if _has_glyph(self.latin, char):
            return self.latin
        return self.thai if _has_glyph(self.thai, char) else None  # None: no glyph, left out

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for char in text:
            if char.isspace() and runs:
                font = runs[-1][1]  # both subsets have the space: keep the run going
            elif unicodedata.combining(char) and runs:
                font = runs[-1][1]
            else:
                font = self._font_for(" " if char.isspace() else char)
            if font is None:
                continue
            if runs and runs[-1][1] is font:
                runs[-1] = (runs[-1][0] + char, font)
            else:
                runs.append((char, font))
        return runs

    def length(self, text: str) -> float:
        return _length(self, text)

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill) -> None:
        """Draw `text` with its baseline at y, starting at x."""
        x, y = xy
        for run, font in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill, anchor="ls")
            x += font.getlength(run)

    def draw_pieces(self, mask: Image.Image, xy: tuple[float, float], pieces: list[str], ink: int = 255) -> None:
        """Draw the pieces of a line into `mask` (a one-byte image: "L", or "P" over a ramp of
        indices that ends at `ink`), each at the sum of the widths before it, as `break_pieces`
        measured them; the baseline at y (rounded).

        Headlines share most of their words: each word is drawn once per size and quarter pixel
        (`_piece_mask`) and blended in after that (`ink` through the word's coverage, one call
        in C; where two words' edges overlap, coverage adds up as ink over ink does), which made
        a card's text 8 times quicker. A copy is the same pixels whatever was drawn before: a
        card has the same bytes in any process, in any order."""
        x, y = xy
        top = round(y)
        for piece in pieces:
            if not piece.isspace():
                whole = math.floor(x)
                quarter = round((x - whole) * _QUARTERS)
                whole, quarter = whole + quarter // _QUARTERS, quarter % _QUARTERS
                drawn, rise, pad = _piece_mask(self, piece, quarter)
                box = (whole - pad, top - rise, whole - pad + drawn.width, top - rise + drawn.height)
                mask.paste(ink, box, drawn)
            x += _length(self, piece)


_QUARTERS = 2  # where a word may start: on a half pixel (4, quarters, drew twice the words for no visible difference)


@lru_cache(maxsize=1 << 14)
def _piece_mask(font: Text, piece: str, quarter: int) -> tuple[Image.Image, int, int]:
    """`piece` drawn alone, starting `quarter` quarters of a pixel right of `pad`, its baseline
    `rise` pixels from the top: the mask, rise and pad (marks may reach left of the start)."""
    pad, rise = font.size // 4 + 2, math.ceil(1.3 * font.size) + 2
    width = math.ceil(_length(font, piece)) + 2 * pad
    drawn = Image.new("L", (width, rise + math.ceil(0.6 * font.size) + 2), 0)
    font.draw(ImageDraw.Draw(drawn), (pad + quarter / _QUARTERS, rise), piece, fill=255)
    return drawn, rise, pad


@lru_cache(maxsize=32)
def _text(files: FontFiles, size: int, engine) -> Text:
    """One `Text` per size for the whole process, so that `_length` remembers across drawings."""
    return Text(files, size, engine)


@lru_cache(maxsize=1 << 16)
def _length(font: Text, text: str) -> float:
    """The width of `text`, remembered: headlines share most of their words, and a card
    measures each of its words at up to three sizes (shaping a word costs ~20 µs)."""
    return sum(part.getlength(run) for run, part in font.runs(text))


def fit_text(files: FontFiles, text: str, width: float, sizes: tuple[int, ...], max_lines: int,
             engine=None) -> tuple[Text, list[list[str]]]:
    """The biggest size at which `text` fits in `max_lines`; else the smallest, cut with "…".
    Each line as its pieces (`break_pieces`)."""
    engine = layout_engine()[0] if engine is None else engine
    tokens = title_tokens(text)
    for size in sizes:
        font = _text(files, size, engine)
        lines, cut = break_pieces(tokens, font.length, width, max_lines)
        if not cut:
            return font, lines
    return font, lines
