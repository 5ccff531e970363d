"""Cover pictures: checked when read, and made into smaller copies for phones.

`image_file_problem` looks at a picture's header only (fast, whatever its size): is it a
picture Pillow reads, and is it small enough. `cover_renditions` then makes WebP and JPEG
copies at a few widths, never wider than the original, without metadata (no camera data, no
GPS position), turned upright from the camera's orientation tag.
"""

import io
import math
import re
import warnings
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 40 megapixels: a phone photo is 12–50; decoding more costs seconds
MAX_BYTES = 20 * 1024 * 1024
RASTER_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "AVIF"}
COVER_WIDTHS = (480, 960, 1440)
SHARE_SIZE = (1200, 630)  # og:image: what Facebook and LINE show best (1.91:1)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
RENDITION_VERSION = 2  # bump when the settings above change: every copy is made again (2: no comment, no XMP)
_PAPER = (0xF7, 0xF5, 0xEF)  # behind transparent parts, in the JPEG copies


def image_file_problem(path: Path, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_BYTES,
                       name: str = "", formats=RASTER_FORMATS) -> tuple[str, str] | None:
    """(Thai, English) saying what is wrong with the picture at `path` (called `name` in the
    messages: the path as the officer wrote it), or None when it is fine. `formats`: the kinds
    (Pillow's names) taken; a gallery's photos (thainews.photos) take HEIF too.

    SVG drawings are published as they are (Pillow cannot read them), so `svg_problem` refuses
    any that could run script or load something from another site.
    """
    name = name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        megabytes, limit = size / 1024 / 1024, max_bytes / 1024 / 1024
        return (f"ไฟล์รูป '{name}' ใหญ่เกินไป ({megabytes:.0f} MB, ไม่เกิน {limit:.0f} MB): ย่อรูปให้กว้างไม่เกิน 2000 พิกเซล หรือบันทึกเป็น JPEG ก่อน",
                f"the picture '{name}' is too big ({megabytes:.0f} MB, at most {limit:.0f} MB): resize it to at most 2000 pixels wide, or save it as JPEG")
    if path.suffix.lower() == ".svg" or name.lower().endswith(".svg"):  # a link named .svg is served as SVG
        return svg_problem(path, name)
    header = picture_header(path, max_pixels)
    if header is None:
        return (f"เปิดไฟล์ '{name}' เป็นรูปไม่ได้ (ไฟล์เสียหรือไม่ใช่รูป): ส่งออกรูปใหม่เป็น JPEG หรือ PNG แล้ววางแทน",
                f"'{name}' cannot be read as a picture (damaged, or not a picture): export it again as JPEG or PNG and replace it")
    kind, width, height = header
    if kind != "huge" and kind not in formats:
        return (f"รูป '{name}' เป็นชนิด {kind} ที่เว็บเบราว์เซอร์แสดงไม่ได้: บันทึกเป็น JPEG หรือ PNG",
                f"the picture '{name}' is {kind}, which browsers do not show: save it as JPEG or PNG")
    if width * height > max_pixels:
        shown = f"{width}×{height}" if kind != "huge" else "มากกว่า 178 ล้านพิกเซล"
        shown_en = f"{width}×{height}" if kind != "huge" else "over 178 million pixels"
        return (f"รูป '{name}' ใหญ่เกินไป ({shown}, ไม่เกิน {max_pixels // 1_000_000} ล้านพิกเซล): ย่อรูปให้กว้างไม่เกิน 2000 พิกเซล",
                f"the picture '{name}' is too large ({shown_en}, at most {max_pixels // 1_000_000} megapixels): resize it to at most 2000 pixels wide")
    return None


def picture_header(path: Path, max_pixels: int = MAX_PIXELS) -> tuple[str, int, int] | None:
    """(format, width, height) from the picture's header only, or None when it is not a picture
    Pillow reads; ("huge", max_pixels, max_pixels) for one Pillow refuses to open as too big."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.format, *image.size
    except Image.DecompressionBombError:
        return "huge", max_pixels, max_pixels
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, RuntimeError):
        return None


# SVG: a drawing is published as it is and, opened on its own, runs as a page of the site. Only
# plain drawings pass: nothing that runs script, embeds a page or loads from anywhere else.
_SVG_NS = "http://www.w3.org/2000/svg"
_SVG_REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
                         "audio", "video", "frame", "frameset", "base", "meta", "link"}
_SVG_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_SVG_LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "data"}
# url(…) to anything but a fragment of the drawing itself, or an @import: a request elsewhere.
_CSS_FETCH = re.compile(r"url\s*\(\s*(?![\s'\"]*#)|@import|expression\s*\(|javascript:", re.IGNORECASE)


class _Refused(Exception):
    def __init__(self, thai: str, english: str):
        super().__init__(english)
        self.reason = (thai, english)


def _local(name: str) -> str:
    """`http://www.w3.org/2000/svg script` (expat, namespaces on) → `script`."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1].lower()


def _svg_refusal(data: bytes) -> tuple[str, str] | None:
    """What makes this SVG unsafe to publish (Thai, English, for the message), or None."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[str] = []
    style_text: list[str] = []

    def refuse(thai: str, english: str):
        raise _Refused(thai, english)

    def start(name, attributes):
        element = _local(name)
        if not stack and (element != "svg" or not name.startswith(_SVG_NS + " ")):
            refuse("ไม่ใช่รูป SVG", "it is not an SVG drawing")
        if element in _SVG_REFUSED_ELEMENTS:
            refuse(f"มีแท็ก <{element}>", f"it has the element <{element}>")
        for key, value in attributes.items():
            attribute = _local(key)
            if attribute.startswith("on"):
                refuse(f"มีคำสั่งที่ทำงานเมื่อมีเหตุการณ์ ({attribute}=)", f"it has an event handler ({attribute}=)")
            if attribute in _SVG_LINK_ATTRIBUTES and not value.strip().startswith("#"):
                refuse(f"ลิงก์ไปยังสิ่งที่อยู่นอกรูป ({attribute}=\"{value[:60]}\")",
                       f"it links to something outside the drawing ({attribute}=\"{value[:60]}\")")
            if _CSS_FETCH.search(value):
                refuse(f"{attribute}= โหลดไฟล์จากที่อื่น", f"its {attribute}= loads something from elsewhere")
        if element in _SVG_ANIMATIONS:
            target = _local(attributes.get("attributeName", ""))
            if target in _SVG_LINK_ATTRIBUTES or target.startswith("on") or target == "style":
                refuse(f"ภาพเคลื่อนไหว <{element}> เปลี่ยน {target}=", f"an animation (<{element}>) changes its {target}= attribute")
        stack.append(element)

    def end(_name):
        if stack.pop() == "style":
            text = "".join(style_text)
            style_text.clear()
            if _CSS_FETCH.search(text):
                refuse("<style> โหลดไฟล์จากที่อื่น (url(), @import)", "its <style> loads something from elsewhere (url(), @import)")

    def text(data):
        if stack and stack[-1] == "style":
            style_text.append(data)

    def doctype(*_args):
        refuse("มี <!DOCTYPE>", "it has a <!DOCTYPE> (entities can hide anything)")

    def instruction(target, _data):
        refuse(f"มีคำสั่ง <?{target} …?>", f"it has a processing instruction (<?{target} …?>)")

    def entity(*_args):
        refuse("ประกาศ entity", "it declares an entity")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = lambda *_args: refuse("อ้างถึง entity ภายนอก", "it refers to an external entity")
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return refused.reason
    except xml.parsers.expat.ExpatError as error:
        where = f"{xml.parsers.expat.ErrorString(error.code)}, line {error.lineno}"
        return f"ไม่ใช่รูป SVG (XML ไม่ถูกต้อง: {where})", f"it is not an SVG drawing (not well-formed XML: {where})"
    return None


def svg_problem(path: Path, name: str = "") -> tuple[str, str] | None:
    """(Thai, English) when the SVG at `path` is not a plain drawing, else None.

    Refused: a DOCTYPE or entity, a processing instruction, <script>, <foreignObject>,
    <iframe>/<embed>/<object>, any on…= event handler, an href/src that is not `#…`, url() to
    anything but `#…` or @import in a style, an animation that changes a link or handler,
    and anything that is not well-formed XML with an <svg> root.
    """
    name = name or path.name
    try:
        too_big = path.stat().st_size > MAX_BYTES
        reason = ("ใหญ่เกิน 20 MB", "it is over 20 MB") if too_big else _svg_refusal(path.read_bytes())
    except OSError as error:
        reason = (f"เปิดไฟล์ไม่ได้ ({error.strerror})", f"it cannot be read ({error.strerror})")
    if reason is None:
        return None
    return (f"ไฟล์ SVG '{name}' เผยแพร่ไม่ได้ เพราะอาจรันสคริปต์หรือโหลดไฟล์จากที่อื่น ({reason[0]}): "
            f"ส่งออกรูปใหม่เป็น PNG แล้วใช้ไฟล์ PNG แทน",
            f"the SVG '{name}' cannot be published because {reason[1]}: export the picture as PNG and use the PNG instead")


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    kind: str  # "webp" or "jpeg"
    data: bytes


def rendition_sizes(width: int, height: int, widths=COVER_WIDTHS, max_side: int | None = None) -> list[tuple[int, int]]:
    """(width, height) of each copy of a `width`×`height` picture, narrowest first: the widths
    narrower than the original, and the original's own when it is narrower than the widest.
    No picture is ever enlarged.

    With `max_side` (photos): the largest copy is the picture itself brought down to at most
    `max_side` pixels on its long side, and the `widths` narrower than it come before it."""
    if max_side is not None:
        largest = min(width, math.floor(width * max_side / max(width, height)))
        largest = max(1, largest)
        chosen = {each for each in widths if each < largest} | {largest}
    else:
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
    """WebP and JPEG copies of a cover picture at each of `rendition_sizes`, narrowest first."""
    return renditions(data, widths)


def share_size(width: int, height: int, target: tuple[int, int] = SHARE_SIZE) -> tuple[int, int]:
    """The size of the share copy of a picture shown `width`×`height`: `target` (1200×630), or
    the largest crop of that shape the picture holds when it is smaller (never enlarged)."""
    scale = min(1.0, width / target[0], height / target[1])
    return max(1, round(target[0] * scale)), max(1, round(target[1] * scale))


def renditions(data: bytes, widths=COVER_WIDTHS, max_side: int | None = None,
               share: bool = False) -> list[Rendition]:
    """WebP and JPEG copies of a picture at each of `rendition_sizes`, narrowest first: the one
    helper that makes picture copies (covers, and photos with `max_side`). With `share`, last, a
    JPEG (kind "share") cropped from the middle to `share_size`: what og:image shows.

    Each copy is upright (the camera's orientation applied) and carries no metadata at all: no
    EXIF (GPS position, camera serial, owner), no XMP, no IPTC, no comment; only the colour
    profile is kept, so colours look the same. The same picture gives the same bytes.
    Raises OSError (or ValueError) when the picture cannot be decoded, e.g. a cut-off file.
    """
    shown_width, shown_height = cover_size(data)
    sizes = rendition_sizes(shown_width, shown_height, widths, max_side)
    with Image.open(io.BytesIO(data)) as opened:
        if opened.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when that is enough
            scale = sizes[-1][0] / shown_width
            if share:
                crop = share_size(shown_width, shown_height)
                scale = max(scale, crop[0] / shown_width, crop[1] / shown_height)
            opened.draft("RGB", (math.ceil(opened.width * scale), math.ceil(opened.height * scale)))
        image = ImageOps.exif_transpose(opened)
        image.load()
    icc = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}  # Pillow writes some of what it read (a JPEG comment, XMP) unless told not to
    flat = image
    if has_alpha:
        flat = Image.new("RGB", image.size, _PAPER)
        flat.paste(image, mask=image.getchannel("A"))
    result = []
    for width, height in sizes:
        for kind, source in (("webp", image), ("jpeg", flat)):
            resized = source if source.size == (width, height) else source.resize((width, height), Image.Resampling.LANCZOS)
            resized.info = {}
            buffer = io.BytesIO()
            if kind == "webp":
                resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, icc_profile=icc, exif=b"", xmp=b"")
            else:
                resized.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc,
                             exif=b"", comment=b"")
            result.append(Rendition(width, height, kind, buffer.getvalue()))
    if share:
        cropped = ImageOps.fit(flat, share_size(shown_width, shown_height), Image.Resampling.LANCZOS)
        cropped.info = {}
        buffer = io.BytesIO()
        cropped.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc,
                     exif=b"", comment=b"")
        result.append(Rendition(cropped.width, cropped.height, "share", buffer.getvalue()))
    return result
