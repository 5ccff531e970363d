"""Palette PNGs, same image, same bytes: `png_bytes` for any image, and `Backdrop`, the fixed
picture behind the text of a share card or video poster, which writes a drawing's PNG
compressing only the rows that its text covers (`thainews.cards` draws with it).

Palette PNGs are a third of the size of RGB ones and far quicker to compress; they are saved
with fixed settings and no metadata (no time, no text chunks), so a rebuild changes no file.
"""

import io
import struct
import zlib

from isal import isal_zlib
from PIL import Image

from .card_text import Text

PNG_COMPRESS_LEVEL = 3  # zlib level: 1–3 are ~20× faster than 6 on these images, ~15 % larger
# Cards and posters (`Backdrop.png`): the rows that every drawing shares are compressed once
# per process, so as small as zlib makes them; each drawing's own rows with ISA-L's deflate
# (python-isal) at its level 0: four times quicker than zlib's level 1 (0.2 ms a card against
# 0.85, 10,000 synthetic headlines), a card ~14 % larger (37 KB against 32). Not ISA-L's
# levels 1 to 3: their bytes depend on what the process compressed before (about 1 card in
# 250 came out different, same pixels, when two workers drew the same cards in another
# order), and the same content must give the same files (tests/test_sharing.py draws cards
# in two orders and compares). Level 0 uses fixed Huffman tables and a hash table that
# ISA-L clears for each stream. A deflate stream in pieces that each end on a byte may mix
# compressors.
SHARED_ROWS_LEVEL = 9
OWN_ROWS_LEVEL = 0

_RAMP = 16  # grey levels of antialiased text on a flat background


def _with_text_ramp(template: Image.Image, background, ink) -> Image.Image:
    """`template` (RGB) as a palette image whose last 16 entries blend background into ink.

    Palette PNGs are a third of the size of RGB ones and far quicker to compress.
    """
    palette_image = template.quantize(colors=256 - _RAMP, method=Image.Quantize.MEDIANCUT,
                                      dither=Image.Dither.NONE)
    palette = palette_image.getpalette()[:3 * (256 - _RAMP)]
    palette += [0] * (3 * (256 - _RAMP) - len(palette))
    for level in range(_RAMP):
        palette += [round(background[c] + (ink[c] - background[c]) * level / (_RAMP - 1)) for c in range(3)]
    palette_image.putpalette(palette)
    return palette_image


def png_bytes(image: Image.Image) -> bytes:
    """PNG with fixed settings and no metadata (no time, no text chunks): same image, same bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC-32 of type and data."""
    # (ISA-L's CRC-32 and Adler-32 are the same numbers as zlib's, several times quicker.)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", isal_zlib.crc32(data, isal_zlib.crc32(kind)))


def _with_filter_bytes(image: Image.Image) -> Image.Image:
    """The palette indices of `image` as an "L" image one column wider, that column 0: its
    bytes are the rows as PNG stores them, each after its filter byte (0, none, which Pillow
    uses for palette images too), so a crop of it is a piece of the zlib stream's input as is."""
    padded = Image.new("L", (image.width + 1, image.height), 0)
    padded.paste(Image.frombytes("L", image.size, image.tobytes()), (1, 0))
    return padded


def _adler32_join(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces of data one after the other, from the checksum of each.

    RFC 1950: the low half is A = 1 + the sum of the bytes, the high half B = the sum of A after
    each byte (mod 65521). Behind the first piece, each A of the second grows by A1 - 1.
    """
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    return ((b1 + b2 + second_length * (a1 - 1)) % 65521) << 16 | (a1 + a2 - 1) % 65521


class Backdrop:
    """What every drawing of one kind shares: the palette image behind the text, and the part
    of its PNG that no text changes.

    The text of a card covers a band of rows; the rows above and below it are the same on
    every card, yet compressing them was half of a card's time. A PNG's pixels are one zlib
    stream, and a deflate stream may be written in pieces that refer to nothing before them:
    so the rows above and below a band are compressed once, and each drawing compresses only
    its own rows between them. A piece that is not the last ends with a sync flush (aligned
    to a byte, no final block). The pixels are exactly those of `with_rows`.
    """

    def __init__(self, template: Image.Image, background, ink):
        self.image = _with_text_ramp(template, background, ink)
        self._rows = _with_filter_bytes(self.image)
        width, height = self.image.size
        header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette, no interlace
        self._head = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(self.image.getpalette()))
        self._pieces: dict[tuple[int, int], tuple[bytes, int, int]] = {}

    def text_rows(self, area: tuple[int, int, int, int], lines: list[list[str]], font: Text,
                  baselines: list[float]) -> tuple[int, Image.Image]:
        """The first row and the rows of the backdrop that the text covers (with their filter
        bytes: see `_with_filter_bytes`), with the lines (their pieces) drawn over the flat part
        `area`; stacked Thai marks reach about 1.2 em above the baseline and 0.45 em below it.

        The text is drawn in palette indices: on the ramp's first entry (the background), each
        word blended towards its last (the ink), so no pass over the pixels maps grey to index."""
        left, top, right, bottom = area
        top = max(top, int(min(baselines) - 1.3 * font.size))
        bottom = min(bottom, int(max(baselines) + 0.6 * font.size) + 1)
        text = Image.new("L", (right - left, bottom - top), 256 - _RAMP)
        for line, baseline in zip(lines, baselines, strict=True):
            font.draw_pieces(text, (0, baseline - top), line, ink=255)
        rows = self._rows.crop((0, top, self._rows.width, bottom))
        rows.paste(text, (left + 1, 0))
        return top, rows

    def with_rows(self, top: int, rows: Image.Image) -> Image.Image:
        """The whole drawing as an image."""
        image = self.image.copy()
        indices = rows.crop((1, 0, rows.width, rows.height))
        image.paste(Image.frombytes("P", indices.size, indices.tobytes()), (0, top))
        return image

    def png(self, top: int, rows: Image.Image) -> bytes:
        """The PNG file of `with_rows(top, rows)`, with fixed settings and no metadata."""
        above, above_checksum, _ = self._piece(0, top)
        below, below_checksum, below_length = self._piece(top + rows.height, self.image.height)
        own = rows.tobytes()
        compressor = isal_zlib.compressobj(OWN_ROWS_LEVEL, wbits=-15)  # -15: raw deflate, no header
        middle = compressor.compress(own) + compressor.flush(isal_zlib.Z_SYNC_FLUSH)
        checksum = _adler32_join(isal_zlib.adler32(own, above_checksum), below_checksum, below_length)
        return b"".join([self._head, above, _chunk(b"IDAT", middle), below,
                         _chunk(b"IDAT", struct.pack(">I", checksum)),  # the zlib stream's last 4 bytes
                         _chunk(b"IEND", b"")])

    def _piece(self, start: int, end: int) -> tuple[bytes, int, int]:
        """Rows start to end compressed alone, as an IDAT chunk (the first starts with the zlib
        header; the last ends the deflate stream); their Adler-32 and their length. Computed
        once per band position: a few per process."""
        if (start, end) not in self._pieces:
            data = self._rows.crop((0, start, self._rows.width, end)).tobytes()
            compressor = zlib.compressobj(SHARED_ROWS_LEVEL, wbits=-15)
            last = end == self.image.height
            deflated = compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
            if start == 0:
                deflated = zlib.compress(b"")[:2] + deflated  # a zlib header, as zlib writes it
            self._pieces[(start, end)] = (_chunk(b"IDAT", deflated), zlib.adler32(data), len(data))
        return self._pieces[(start, end)]
