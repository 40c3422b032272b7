"""Name the deciding authority: canonical name, regulator, level and region, across the CBRC/CIRC → CBIRC → NFRA reforms.

    >>> resolve_authority("衢州银监分局")
    Authority(name='衢州银监分局', canonical='中国银监会衢州监管分局', regulator='CBRC', level='sub-bureau', province='浙江省', city='衢州市')
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.data import load
from nlp.fields.regions import SEPARATELY_PLANNED_CITIES, gazetteer
from nlp.records import Authority
from nlp.text import fold

HEAD_OFFICES = {
    # name as written → (regulator, canonical name)
    "国家金融监督管理总局": ("NFRA", "国家金融监督管理总局"),
    "金融监管总局": ("NFRA", "国家金融监督管理总局"),
    "中国银行保险监督管理委员会": ("CBIRC", "中国银行保险监督管理委员会"),
    "中国银保监会": ("CBIRC", "中国银行保险监督管理委员会"),
    "银保监会": ("CBIRC", "中国银行保险监督管理委员会"),
    "中国银行业监督管理委员会": ("CBRC", "中国银行业监督管理委员会"),
    "中国银监会": ("CBRC", "中国银行业监督管理委员会"),
    "银监会": ("CBRC", "中国银行业监督管理委员会"),
    "中国保险监督管理委员会": ("CIRC", "中国保险监督管理委员会"),
    "中国保监会": ("CIRC", "中国保险监督管理委员会"),
    "保监会": ("CIRC", "中国保险监督管理委员会"),
    "中国证券监督管理委员会": ("CSRC", "中国证券监督管理委员会"),
    "中国证监会": ("CSRC", "中国证券监督管理委员会"),
    "证监会": ("CSRC", "中国证券监督管理委员会"),
}
# How each regulator names its local offices (the canonical form).
LOCAL_PREFIX = {"NFRA": "国家金融监督管理总局", "CBIRC": "中国银保监会", "CBRC": "中国银监会", "CIRC": "中国保监会",
                "CSRC": "中国证券监督管理委员会"}

_PREFIXES = "|".join(sorted(HEAD_OFFICES, key=len, reverse=True))
# 中国银保监会宁夏监管局 / 国家金融监督管理总局崇左监管分局: the regulator is in the prefix.
_PREFIXED = re.compile(rf"^(?P<prefix>{_PREFIXES})(?P<place>.+?)(?P<suffix>监管分局|监管局)$")
# 宁夏银保监局 / 崇左银保监分局 / 天津银监局 / 浙江保监局 / 宁夏金融监管局: the regulator is in the suffix.
_SUFFIXED = re.compile(
    r"^(?P<place>.+?)(?P<suffix>金融监管分局|金融监管局|银保监分局|银保监局|银监分局|银监局|保监分局|保监局|证监局)$")
_SUFFIX_REGULATOR = {"金融监管": "NFRA", "银保监": "CBIRC", "银监": "CBRC", "保监": "CIRC", "证监": "CSRC"}

# Decision numbers name the issuing bureau's province: 津银监罚决字〔2018〕35号, 鲁金罚决字〔2026〕16号.
_DOCNO_PREFIX = re.compile(r"^(?P<abbr>[\u4e00-\u9fff])(?:银保监|银监|保监|金)")
_DOCNO_HEAD_OFFICE = {"银保监罚决字": "CBIRC", "银监罚决字": "CBRC", "保监罚": "CIRC", "金罚决字": "NFRA"}


class UnknownAuthority(ValueError):
    pass


@lru_cache(maxsize=1)
def regulator_pattern() -> re.Pattern:
    """A regulator's name as running text writes it (nlp/data/entities.yaml, REGULATOR), {place} filled from the
    gazetteer.

        >>> regulator_pattern().search("近日江苏银保监局对某农商行罚款").group(0)
        '江苏银保监局'
    """
    patterns = load("entities.yaml")["REGULATOR"]
    places = gazetteer()
    alternation = trie_pattern({*places.provinces, *places.cities})
    return re.compile("|".join(f"(?:{pattern.replace('{place}', alternation)})" for pattern in patterns))


def trie_pattern(words: set[str]) -> str:
    """An alternation of ``words`` as a prefix tree (浙江|浙江省 → 浙江(?:省)?), so a regex tries each position's
    character once instead of every word in turn; a longer word is preferred where two share a prefix."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return "(?:" + render(trie) + ")"


# The People's Bank. Before the 2023-2024 reform: 总行, 上海总部, 营业管理部 (Beijing), nine 大区分行 seated in these
# cities, 中心支行 in provincial capitals and prefectures, 县支行. After it: 中国人民银行XX省分行 and city 分行.
PBOC = "中国人民银行"
PBOC_REGIONAL_BRANCH_SEATS = ("天津", "沈阳", "南京", "济南", "武汉", "广州", "成都", "西安")
PROVINCIAL_CAPITALS = {
    "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州",
    "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐",
}
_PBOC_LOCAL = re.compile(r"^(?:中国人民银行|人民银行|人行)(?P<place>.+?)(?P<kind>中心支行|分行|支行|营业管理部)$")


def resolve_authority(name: str) -> Authority:
    """Resolve a published authority name; UnknownAuthority when it is not a name this module knows how to read."""
    cleaned = re.sub(r"\s+", "", fold(name)).strip("。.,，;；")
    if cleaned.startswith(("中国人民银行", "人民银行", "人行")):
        return _resolve_pboc(name, cleaned)
    if cleaned in HEAD_OFFICES:
        regulator, canonical = HEAD_OFFICES[cleaned]
        return Authority(name=name, canonical=canonical, regulator=regulator, level="head office")
    match = _PREFIXED.match(cleaned)
    if match:
        regulator = HEAD_OFFICES[match["prefix"]][0]
    else:
        match = _SUFFIXED.match(cleaned)
        if not match:
            raise UnknownAuthority(f"not a financial regulator's name this extractor knows: {name!r}")
        regulator = next(reg for key, reg in _SUFFIX_REGULATOR.items() if match["suffix"].startswith(key))
    place = match["place"]
    sub_bureau = match["suffix"].endswith("分局")
    province, city = _place(place, sub_bureau)
    if province is None:
        raise UnknownAuthority(f"cannot place {place!r} (from {name!r}) in a province")
    short = place
    canonical = LOCAL_PREFIX[regulator] + short + ("监管分局" if sub_bureau else "监管局")
    return Authority(name=name, canonical=canonical, regulator=regulator,
                     level="sub-bureau" if sub_bureau else "provincial bureau", province=province, city=city)


def _resolve_pboc(name: str, cleaned: str) -> Authority:
    """中国人民银行成都分行 → 四川省 成都市; 营业管理部 → 北京市; 中国人民银行浙江省分行 → 浙江省; 中心支行 → its city."""
    if cleaned in ("中国人民银行", "人民银行", "中国人民银行总行"):
        return Authority(name=name, canonical=PBOC, regulator="PBOC", level="head office")
    if cleaned in ("中国人民银行营业管理部", "人民银行营业管理部", "人行营业管理部"):
        return Authority(name=name, canonical=PBOC + "营业管理部", regulator="PBOC", level="provincial bureau",
                         province="北京市")
    if cleaned.endswith("上海总部"):
        return Authority(name=name, canonical=PBOC + "上海总部", regulator="PBOC", level="head office",
                         province="上海市")
    match = _PBOC_LOCAL.match(cleaned)
    if not match:
        raise UnknownAuthority(f"not a People's Bank office this extractor knows: {name!r}")
    place, kind = match["place"], match["kind"]
    places = gazetteer()
    bare = re.sub(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$", "", place)
    canonical = PBOC + place + kind
    if kind == "分行" and places.province(place) and place.endswith(("省", "自治区")) or (
            kind == "分行" and places.province(bare) and not places.city(bare) and bare not in PBOC_REGIONAL_BRANCH_SEATS):
        # after the reform: 中国人民银行浙江省分行
        return Authority(name=name, canonical=canonical, regulator="PBOC", level="provincial bureau",
                         province=places.province(bare))
    region = places.city(bare) or places.city(place)
    if region is None:
        province = places.province(bare)
        if province is None:
            raise UnknownAuthority(f"cannot place {place!r} (from {name!r}) in a province")
        return Authority(name=name, canonical=canonical, regulator="PBOC", level="provincial bureau",
                         province=province)
    if kind == "分行" and place.endswith("市") and region.city not in ("北京市", "天津市", "上海市", "重庆市"):
        # after the reform: 深圳市分行 (a separately planned city's, provincial rank); 成都市分行 or 绵阳市分行 (a
        # city's, under its province's 分行), unlike the regional 成都分行 before the reform
        level = "provincial bureau" if bare in SEPARATELY_PLANNED_CITIES else "sub-bureau"
    elif kind == "营业管理部":
        level = "provincial bureau"
    elif kind == "支行":
        level = "county branch"
    elif bare in PBOC_REGIONAL_BRANCH_SEATS or bare in PROVINCIAL_CAPITALS or region.city in (
            "北京市", "天津市", "上海市", "重庆市"):
        level = "provincial bureau"
    else:
        level = "sub-bureau"
    return Authority(name=name, canonical=canonical, regulator="PBOC", level=level, province=region.province,
                     city=region.city)


def _place(place: str, sub_bureau: bool) -> tuple[str | None, str | None]:
    places = gazetteer()
    if not sub_bureau:
        # A 监管局 sits in a province, or in one of the five separately planned cities.
        if places.province(place):
            return places.province(place), None
        if place in SEPARATELY_PLANNED_CITIES:
            region = places.city(place)
            return region.province, region.city
    region = places.city(place)
    if region:
        return region.province, region.city
    if places.province(place):
        return places.province(place), None
    return None, None


def authority_from_decision_no(decision_no: str | None) -> Authority | None:
    """The issuing authority as far as the number tells: 银保监罚决字… → CBIRC head office; 浙保监罚[2007]2号 →
    中国保监会浙江监管局. A fallback for documents that do not name their authority."""
    head_office = head_office_from_decision_no(decision_no)
    if head_office or not decision_no:
        return head_office
    match = re.match(r"^(?P<abbr>[\u4e00-\u9fff])(?P<marker>银保监|银监|保监|金)罚", fold(decision_no).strip())
    if not match or match["abbr"] not in gazetteer().abbreviations:
        return None
    province = gazetteer().abbreviations[match["abbr"]]
    regulator = {"银保监": "CBIRC", "银监": "CBRC", "保监": "CIRC", "金": "NFRA"}[match["marker"]]
    short = next(name for name, full in gazetteer().provinces.items() if full == province and name != full)
    canonical = LOCAL_PREFIX[regulator] + short + "监管局"
    return Authority(name=canonical, canonical=canonical, regulator=regulator, level="provincial bureau",
                     province=province)


def head_office_from_decision_no(decision_no: str | None) -> Authority | None:
    """银保监罚决字〔2021〕35号 → the CBIRC head office; anything else → None."""
    if not decision_no:
        return None
    number = fold(decision_no).strip().lstrip("(（")
    for prefix, regulator in _DOCNO_HEAD_OFFICE.items():
        if number.startswith(prefix):
            canonical = next(c for r, c in HEAD_OFFICES.values() if r == regulator)
            return Authority(name=canonical, canonical=canonical, regulator=regulator, level="head office")
    return None
