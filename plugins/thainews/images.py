"""Cover pictures: checked when read, and made into smaller copies for phones.

`image_file_problem` looks at a picture's header only (fast, whatever its size): is it a
picture Pillow reads, and is it small enough. `cover_renditions` then makes WebP and JPEG
copies at a few widths, never wider than the original, without metadata (no camera data, no
GPS position), turned upright from the camera's orientation tag.
"""

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 40 megapixels: a phone photo is 12–50; decoding more costs seconds
MAX_BYTES = 20 * 1024 * 1024
RASTER_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "AVIF"}
COVER_WIDTHS = (480, 960, 1440)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
RENDITION_VERSION = 1  # bump when the settings above change: every copy is made again
_PAPER = (0xF7, 0xF5, 0xEF)  # behind transparent parts, in the JPEG copies


def image_file_problem(path: Path, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_BYTES,
                       name: str = "") -> tuple[str, str] | None:
    """(Thai, English) saying what is wrong with the picture at `path` (called `name` in the
    messages: the path as the officer wrote it), or None when it is fine.

    SVG drawings are passed as they are: browsers show them, and Pillow cannot read them.
    """
    name = name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        megabytes, limit = size / 1024 / 1024, max_bytes / 1024 / 1024
        return (f"ไฟล์รูป '{name}' ใหญ่เกินไป ({megabytes:.0f} MB, ไม่เกิน {limit:.0f} MB): ย่อรูปให้กว้างไม่เกิน 2000 พิกเซล หรือบันทึกเป็น JPEG ก่อน",
                f"the picture '{name}' is too big ({megabytes:.0f} MB, at most {limit:.0f} MB): resize it to at most 2000 pixels wide, or save it as JPEG")
    if path.suffix.lower() == ".svg":
        head = path.read_bytes()[:2048].lstrip().lower()
        if head.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in head:
            return None
        return (f"ไฟล์ '{name}' ไม่ใช่รูป SVG: ส่งออกรูปใหม่เป็น JPEG หรือ PNG",
                f"'{name}' is not an SVG drawing: export the picture again as JPEG or PNG")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        kind, (width, height) = "huge", (max_pixels, max_pixels)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return (f"เปิดไฟล์ '{name}' เป็นรูปไม่ได้ (ไฟล์เสียหรือไม่ใช่รูป): ส่งออกรูปใหม่เป็น JPEG หรือ PNG แล้ววางแทน",
                f"'{name}' cannot be read as a picture (damaged, or not a picture): export it again as JPEG or PNG and replace it")
    if kind != "huge" and kind not in RASTER_FORMATS:
        return (f"รูป '{name}' เป็นชนิด {kind} ที่เว็บเบราว์เซอร์แสดงไม่ได้: บันทึกเป็น JPEG หรือ PNG",
                f"the picture '{name}' is {kind}, which browsers do not show: save it as JPEG or PNG")
    if width * height > max_pixels:
        shown = f"{width}×{height}" if kind != "huge" else "มากกว่า 178 ล้านพิกเซล"
        shown_en = f"{width}×{height}" if kind != "huge" else "over 178 million pixels"
        return (f"รูป '{name}' ใหญ่เกินไป ({shown}, ไม่เกิน {max_pixels // 1_000_000} ล้านพิกเซล): ย่อรูปให้กว้างไม่เกิน 2000 พิกเซล",
                f"the picture '{name}' is too large ({shown_en}, at most {max_pixels // 1_000_000} megapixels): resize it to at most 2000 pixels wide")
    return None


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    kind: str  # "webp" or "jpeg"
    data: bytes


def rendition_sizes(width: int, height: int, widths=COVER_WIDTHS) -> list[tuple[int, int]]:
    """(width, height) of each copy of a `width`×`height` picture, narrowest first: the widths
    narrower than the original, and the original's own when it is narrower than the widest.
    No picture is ever enlarged."""
    chosen = {each for each in widths if each < width}
    if width <= max(widths):
        chosen.add(width)
    return [(each, max(1, round(height * each / width))) for each in sorted(chosen or {width})]


def cover_size(data: bytes) -> tuple[int, int]:
    """Width and height as shown: after the camera's orientation tag."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def cover_renditions(data: bytes, widths=COVER_WIDTHS) -> list[Rendition]:
    """WebP and JPEG copies of a picture at each of `rendition_sizes`, narrowest first.

    Raises OSError (or ValueError) when the picture cannot be decoded, e.g. a cut-off file.
    """
    shown_width, shown_height = cover_size(data)
    sizes = rendition_sizes(shown_width, shown_height, widths)
    with Image.open(io.BytesIO(data)) as opened:
        if opened.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when that is enough
            scale = sizes[-1][0] / shown_width
            opened.draft("RGB", (math.ceil(opened.width * scale), math.ceil(opened.height * scale)))
        image = ImageOps.exif_transpose(opened)
        image.load()
    icc = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    flat = image
    if has_alpha:
        flat = Image.new("RGB", image.size, _PAPER)
        flat.paste(image, mask=image.getchannel("A"))
    result = []
    for width, height in sizes:
        for kind, source in (("webp", image), ("jpeg", flat)):
            resized = source if source.size == (width, height) else source.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            if kind == "webp":
                resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, icc_profile=icc)
            else:
                resized.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc)
            result.append(Rendition(width, height, kind, buffer.getvalue()))
    return result
