"""Share cards, video posters and the site logo, drawn with Pillow in the site's own Sarabun.

* `draw_card`: 1200×630, the headline in up to three lines (an ellipsis when longer), on the
  site's paper colour, above a green band with the favicon mark and the site's name.
* `draw_poster`: 1280×720, a dark green background, a big play button and the video's title.
* `draw_logo`: the favicon mark as a square PNG, for the publisher logo in structured data.

The headline's lines and sizes come from `thainews.card_text` (fonts, Thai line breaking).

Same input, same bytes: images are palette PNGs saved with fixed settings and no metadata, so
a rebuild changes no file. Drawing is the slow part, so callers cache by `drawing_key`, and the
build writes cards and posters with `card_png` and `poster_png`, which compress only the rows
that hold the headline (`thainews.palette_png.Backdrop`).
"""

from functools import lru_cache
from hashlib import sha256

from PIL import Image, ImageDraw

from .card_text import FontFiles, Text, fit_text, layout_engine
from .palette_png import Backdrop

DESIGN_VERSION = 4  # bump when a drawing changes: every cached card and poster is redrawn (2: words drawn once; 3: blended in; 4: ISA-L level 0, the same bytes every time)
CARD_SIZE = (1200, 630)
POSTER_SIZE = (1280, 720)
LOGO_SIZE = 512

# The theme's colours (theme/static/css/site.css).
PAPER = (0xF7, 0xF5, 0xEF)
INK = (0x1B, 0x1F, 0x1C)
BRAND = (0x14, 0x53, 0x2D)
BRAND_DARK = (0x0F, 0x3D, 0x22)
NIGHT = (0x0A, 0x26, 0x16)
GOLD = (0xFF, 0xD1, 0x66)
WHITE = (0xFF, 0xFF, 0xFF)
PALE = (0xDF, 0xE9, 0xE2)


# ---------------------------------------------------------------------------- shapes

def _cubic(p0, p1, p2, p3, steps=24):
    for step in range(steps + 1):
        t = step / steps
        u = 1 - t
        yield (u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
               u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1])


# theme/static/favicon.svg (viewBox 0 0 64 64), its paths as absolute cubic Béziers.
_LEAVES = (
    (((32, 10), (39, 18), (41, 28), (32, 43)), ((32, 43), (23, 28), (25, 18), (32, 10))),
    (((12, 22), (22, 23), (29, 30), (30, 43)), ((30, 43), (19, 41), (12, 34), (12, 22))),
    (((52, 22), (42, 23), (35, 30), (34, 43)), ((34, 43), (45, 41), (52, 34), (52, 22))),
)
_SMILE = (((12, 49), (18, 53), (25, 54), (32, 54)), ((32, 54), (39, 54), (46, 53), (52, 49)))
_SUPERSAMPLE = 4


@lru_cache(maxsize=8)
def draw_mark(size: int) -> Image.Image:
    """The favicon: a green rounded square, three white leaves and a gold smile. RGBA."""
    big = size * _SUPERSAMPLE
    scale = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * scale, fill=BRAND)
    for curves in _LEAVES:
        points = [(x * scale, y * scale) for curve in curves for x, y in _cubic(*curve)]
        draw.polygon(points, fill=WHITE)
    points = [(x * scale, y * scale) for curve in _SMILE for x, y in _cubic(*curve)]
    stroke = round(3.5 * scale)
    draw.line(points, fill=GOLD, width=stroke, joint="curve")
    for x, y in (points[0], points[-1]):  # round caps
        draw.ellipse((x - stroke / 2, y - stroke / 2, x + stroke / 2, y + stroke / 2), fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=4)
def _play_button(diameter: int) -> Image.Image:
    big = diameter * _SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=GOLD)
    # A triangle pointing right, its centre of mass a little right of the circle's centre.
    side = big * 0.42
    left = big / 2 - side * 0.36
    draw.polygon([(left, big / 2 - side / 2), (left, big / 2 + side / 2), (left + side * 0.87, big / 2)], fill=NIGHT)
    return image.resize((diameter, diameter), Image.Resampling.LANCZOS)


# ---------------------------------------------------------------------------- the share card

_CARD_MARGIN = 72
_CARD_BAND_TOP = 468
_CARD_SIZES = (70, 62, 54)
_CARD_LINE_HEIGHT = 1.42


@lru_cache(maxsize=4)
def _card_backdrop(files: FontFiles, site_name: str, site_name_en: str, engine) -> Backdrop:
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 10), fill=BRAND)
    draw.rectangle((0, _CARD_BAND_TOP, width, height), fill=BRAND)
    draw.rectangle((0, _CARD_BAND_TOP, width, _CARD_BAND_TOP + 8), fill=GOLD)
    mark = draw_mark(100)
    band_middle = (_CARD_BAND_TOP + 8 + height) // 2
    image.paste(mark, (_CARD_MARGIN, band_middle - 50), mark)
    text_left = _CARD_MARGIN + 100 + 28
    name = Text(files, 42, engine)
    if site_name_en:
        name.draw(draw, (text_left, band_middle - 4), site_name, fill=WHITE)
        Text(files, 27, engine).draw(draw, (text_left, band_middle + 38), site_name_en, fill=PALE)
    else:
        name.draw(draw, (text_left, band_middle + 14), site_name, fill=WHITE)
    return Backdrop(image, PAPER, INK)


def _card_rows(title: str, site_name: str, files: FontFiles, site_name_en: str,
               engine) -> tuple[Backdrop, int, Image.Image]:
    engine = layout_engine()[0] if engine is None else engine
    backdrop = _card_backdrop(files, site_name, site_name_en, engine)
    area = (_CARD_MARGIN, 12, CARD_SIZE[0] - _CARD_MARGIN, _CARD_BAND_TOP)  # flat paper
    font, lines = fit_text(files, title or site_name, area[2] - area[0], _CARD_SIZES, 3, engine)
    step = font.size * _CARD_LINE_HEIGHT
    # The block of lines, centred above the band; a baseline sits 0.8 em below a line's top.
    block = step * (len(lines) - 1) + font.size
    first = (area[1] + area[3]) / 2 - block / 2 + font.size * 0.8
    return backdrop, *backdrop.text_rows(area, lines, font, [first + step * index for index in range(len(lines))])


def draw_card(title: str, site_name: str, files: FontFiles, site_name_en: str = "", engine=None) -> Image.Image:
    """The 1200×630 share card of a headline."""
    backdrop, top, rows = _card_rows(title, site_name, files, site_name_en, engine)
    return backdrop.with_rows(top, rows)


def card_png(title: str, site_name: str, files: FontFiles, site_name_en: str = "", engine=None) -> bytes:
    """`draw_card` as a PNG file (what the build writes): see `Backdrop.png`."""
    backdrop, top, rows = _card_rows(title, site_name, files, site_name_en, engine)
    return backdrop.png(top, rows)


# ---------------------------------------------------------------------------- the video poster

_POSTER_MARGIN = 80
_POSTER_SIZES = (52, 46)


@lru_cache(maxsize=4)
def _poster_backdrop(files: FontFiles, site_name: str, engine) -> Backdrop:
    width, height = POSTER_SIZE
    image = Image.new("RGB", POSTER_SIZE, NIGHT)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 150), fill=BRAND_DARK)
    draw.rectangle((0, height - 12, width, height), fill=GOLD)
    mark = draw_mark(72)
    image.paste(mark, (_POSTER_MARGIN, 39), mark)
    Text(files, 34, engine).draw(draw, (_POSTER_MARGIN + 72 + 22, 88), site_name, fill=WHITE)
    button = _play_button(200)
    image.paste(button, (width // 2 - 100, 240), button)
    return Backdrop(image, NIGHT, WHITE)


def _poster_rows(title: str, site_name: str, files: FontFiles, engine) -> tuple[Backdrop, int, Image.Image]:
    engine = layout_engine()[0] if engine is None else engine
    backdrop = _poster_backdrop(files, site_name, engine)
    # Flat background below the play button (which ends at y = 440) and above the gold band.
    area = (_POSTER_MARGIN, 444, POSTER_SIZE[0] - _POSTER_MARGIN, POSTER_SIZE[1] - 12)
    font, lines = fit_text(files, title, area[2] - area[0], _POSTER_SIZES, 2, engine)
    step = font.size * 1.4
    last = POSTER_SIZE[1] - 12 - 0.75 * font.size  # the last line's baseline, above the band
    baselines = [last - step * (len(lines) - 1 - index) for index in range(len(lines))]
    return backdrop, *backdrop.text_rows(area, lines, font, baselines)


def draw_poster(title: str, site_name: str, files: FontFiles, engine=None) -> Image.Image:
    """The 1280×720 still shown in place of a YouTube player until the reader presses play."""
    backdrop, top, rows = _poster_rows(title, site_name, files, engine)
    return backdrop.with_rows(top, rows)


def poster_png(title: str, site_name: str, files: FontFiles, engine=None) -> bytes:
    """`draw_poster` as a PNG file (what the build writes): see `Backdrop.png`."""
    backdrop, top, rows = _poster_rows(title, site_name, files, engine)
    return backdrop.png(top, rows)


def draw_logo(size: int = LOGO_SIZE) -> Image.Image:
    """The favicon mark as an opaque square (a logo on any background), RGB."""
    image = Image.new("RGB", (size, size), WHITE)
    mark = draw_mark(size)
    image.paste(mark, (0, 0), mark)
    return image


# ---------------------------------------------------------------------------- cache keys

def drawing_key(*parts: str) -> str:
    """A short hash of what a drawing depends on: the name of its file and its cache entry."""
    text = "\0".join([str(DESIGN_VERSION), *parts])
    return sha256(text.encode("utf-8")).hexdigest()[:16]
