"""The 18 districts (อำเภอ) of Chiang Rai province, defined once.

Events name the district they take place in (`District: แม่สาย`); the calendar filters by it.
An officer may write the Thai name (`แม่สาย`), with the word for district (`อำเภอแม่สาย`,
`อ.แม่สาย`), the English name (`Mae Sai`) or the slug (`mae-sai`). Order: the official one
(district codes 5701–5718).
"""

import difflib
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    slug: str
    name: str  # Thai, without "อำเภอ"
    name_en: str

    @property
    def full_name(self) -> str:
        return f"อำเภอ{self.name}"


DISTRICTS: tuple[District, ...] = (
    District("mueang-chiang-rai", "เมืองเชียงราย", "Mueang Chiang Rai"),
    District("wiang-chai", "เวียงชัย", "Wiang Chai"),
    District("chiang-khong", "เชียงของ", "Chiang Khong"),
    District("thoeng", "เทิง", "Thoeng"),
    District("phan", "พาน", "Phan"),
    District("pa-daet", "ป่าแดด", "Pa Daet"),
    District("mae-chan", "แม่จัน", "Mae Chan"),
    District("chiang-saen", "เชียงแสน", "Chiang Saen"),
    District("mae-sai", "แม่สาย", "Mae Sai"),
    District("mae-suai", "แม่สรวย", "Mae Suai"),
    District("wiang-pa-pao", "เวียงป่าเป้า", "Wiang Pa Pao"),
    District("phaya-mengrai", "พญาเม็งราย", "Phaya Mengrai"),
    District("wiang-kaen", "เวียงแก่น", "Wiang Kaen"),
    District("khun-tan", "ขุนตาล", "Khun Tan"),
    District("mae-fa-luang", "แม่ฟ้าหลวง", "Mae Fa Luang"),
    District("mae-lao", "แม่ลาว", "Mae Lao"),
    District("wiang-chiang-rung", "เวียงเชียงรุ้ง", "Wiang Chiang Rung"),
    District("doi-luang", "ดอยหลวง", "Doi Luang"),
)

_THAI_PREFIXES = ("อำเภอ", "อ.")
_ENGLISH_SUFFIXES = (" district",)
_ENGLISH_PREFIXES = ("amphoe ",)


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _aliases(district: District) -> set[str]:
    aliases = {district.slug, district.name, district.name_en, district.full_name}
    if district.slug == "mueang-chiang-rai":
        aliases |= {"เมือง", "Mueang", "Muang Chiang Rai"}
    return aliases


_BY_ALIAS: dict[str, District] = {
    _key(alias): district for district in DISTRICTS for alias in _aliases(district)
}


def find_district(name: str) -> District | None:
    """The district an officer means, or None. `อำเภอแม่สาย`, `อ. แม่สาย`, `Mae Sai` all work."""
    key = _key(name)
    if key in _BY_ALIAS:
        return _BY_ALIAS[key]
    for prefix in _THAI_PREFIXES:
        if key.startswith(prefix):
            found = _BY_ALIAS.get(key.removeprefix(prefix).strip())
            if found:
                return found
    for suffix in _ENGLISH_SUFFIXES:
        if key.endswith(suffix):
            return _BY_ALIAS.get(key.removesuffix(suffix).strip())
    for prefix in _ENGLISH_PREFIXES:
        if key.startswith(prefix):
            return _BY_ALIAS.get(key.removeprefix(prefix).strip())
    return None


def suggest_district(name: str) -> str | None:
    """The Thai name of the closest district, for a 'did you mean' hint."""
    key = _key(name)
    for prefix in _THAI_PREFIXES:
        key = key.removeprefix(prefix).strip()
    matches = difflib.get_close_matches(key, list(_BY_ALIAS), n=1, cutoff=0.5)
    return _BY_ALIAS[matches[0]].name if matches else None
