"""The 13 social networks of the Chiang Rai moral-province programme, defined once.

Validation, network pages, feeds and templates all read this table. An officer may name a
network in `Networks:` by its Thai name (`เครือข่ายศาสนา`), its short Thai name (`ศาสนา`), its
English name or its slug (`religion`).
"""

import difflib
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Network:
    slug: str
    name: str  # Thai name, as the province writes it
    name_en: str
    description: str  # Thai, one or two sentences


NETWORKS: tuple[Network, ...] = (
    Network("religion", "เครือข่ายศาสนา", "Religion network",
            "วัด โบสถ์ มัสยิด และองค์กรศาสนาทุกศาสนาในจังหวัดเชียงราย ร่วมกันส่งเสริมคุณธรรมผ่านศาสนสถานและกิจกรรมทางศาสนา"),
    Network("communities", "เครือข่ายชุมชนคุณธรรม", "Moral communities network",
            "ชุมชนและหมู่บ้านที่นำหลักพอเพียง วินัย สุจริต จิตอาสา มาใช้ในชีวิตประจำวันและเป็นต้นแบบให้ชุมชนอื่น"),
    Network("agriculture", "เครือข่ายเกษตรคุณธรรม", "Moral agriculture network",
            "เกษตรกรและกลุ่มเกษตรที่ผลิตอย่างซื่อสัตย์ ปลอดภัยต่อผู้บริโภคและสิ่งแวดล้อม"),
    Network("youth", "เครือข่ายเด็กและเยาวชนคุณธรรม", "Children and youth network",
            "เด็กและเยาวชนที่รวมกลุ่มทำความดี จิตอาสา และเป็นคนรุ่นใหม่ที่มีส่วนร่วมขับเคลื่อนจังหวัดคุณธรรม"),
    Network("local-government", "เครือข่ายท้องถิ่นคุณธรรม", "Local government network",
            "องค์กรปกครองส่วนท้องถิ่น เทศบาล และ อบต. ที่บริหารงานด้วยธรรมาภิบาลและส่งเสริมคุณธรรมในพื้นที่"),
    Network("arts-culture", "เครือข่ายศิลปวัฒนธรรม", "Arts and culture network",
            "ศิลปิน ปราชญ์ชาวบ้าน และผู้สืบสานวัฒนธรรมล้านนา ที่ใช้ศิลปะและประเพณีถ่ายทอดคุณธรรม"),
    Network("schools", "เครือข่ายสถานศึกษาคุณธรรม", "Moral schools network",
            "โรงเรียน วิทยาลัย และมหาวิทยาลัย ที่ปลูกฝังคุณธรรมให้ผู้เรียนผ่านการเรียนการสอนและกิจกรรม"),
    Network("government", "เครือข่ายส่วนราชการคุณธรรม", "Government agencies network",
            "ส่วนราชการและหน่วยงานของรัฐในจังหวัดเชียงราย ที่ทำงานโปร่งใส ซื่อสัตย์ และบริการประชาชนด้วยใจ"),
    Network("public-health", "เครือข่ายสาธารณสุขคุณธรรม", "Public health network",
            "โรงพยาบาล สถานีอนามัย และอาสาสมัครสาธารณสุข ที่ดูแลสุขภาพประชาชนด้วยคุณธรรมและจริยธรรม"),
    Network("media", "เครือข่ายสื่อคุณธรรม", "Media network",
            "สื่อมวลชน นักประชาสัมพันธ์ และผู้สื่อสารในจังหวัด ที่สื่อสารอย่างรับผิดชอบและเผยแพร่เรื่องราวความดี"),
    Network("civil-society", "เครือข่ายประชาสังคมคุณธรรม", "Civil society network",
            "องค์กรภาคประชาสังคม มูลนิธิ และกลุ่มอาสาสมัคร ที่ร่วมกันขับเคลื่อนสังคมคุณธรรมจากภาคประชาชน"),
    Network("business", "เครือข่ายธุรกิจคุณธรรม", "Moral business network",
            "ผู้ประกอบการและภาคธุรกิจที่ดำเนินกิจการอย่างซื่อสัตย์ เป็นธรรมต่อลูกค้า พนักงาน และชุมชน"),
    Network("districts", "เครือข่ายอำเภอคุณธรรม", "Moral districts network",
            "อำเภอทั้ง 18 อำเภอของจังหวัดเชียงราย ที่ขับเคลื่อนคุณธรรมในระดับพื้นที่ร่วมกับชุมชนและหน่วยงาน"),
)

_PREFIX = "เครือข่าย"


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _aliases(network: Network) -> set[str]:
    short = network.name.removeprefix(_PREFIX)
    return {network.slug, network.name, short, network.name_en, network.name_en.removesuffix(" network")}


_BY_ALIAS: dict[str, Network] = {
    _key(alias): network for network in NETWORKS for alias in _aliases(network)
}


def find_network(name: str) -> Network | None:
    return _BY_ALIAS.get(_key(name))


def suggest_network(name: str) -> str | None:
    """The closest known way of writing a network, for a 'did you mean' hint."""
    matches = difflib.get_close_matches(_key(name), list(_BY_ALIAS), n=1, cutoff=0.5)
    return _BY_ALIAS[matches[0]].name if matches else None


def split_list(value: str) -> list[str]:
    """`a, b` or `a; b` → ['a', 'b']. Thai commas and ideographic separators are accepted too."""
    for separator in (";", "、", "，"):
        value = value.replace(separator, ",")
    return [item.strip() for item in value.split(",") if item.strip()]
