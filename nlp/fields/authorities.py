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

_REGULATORS = load("regulators.yaml")

# name as written → (regulator, canonical name): 银保监会 → (CBIRC, 中国银行保险监督管理委员会)
HEAD_OFFICES = {name: (regulator, names[0]) for regulator, names in _REGULATORS["head_offices"].items()
                for name in names}
# How each regulator names its local offices (the canonical form).
LOCAL_PREFIX: dict[str, str] = _REGULATORS["local_prefix"]


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_PREFIXES = _alternation(HEAD_OFFICES)
_PREFIXED_SUFFIXES = _alternation(_REGULATORS["prefixed_suffixes"])
_SHORT_FORMS: dict[str, str] = _REGULATORS["short_forms"]
_SHORT_SUFFIXES = _alternation(form + office for form in _SHORT_FORMS for office in ("分局", "局"))
_PBOC = _REGULATORS["central_bank"]
# 中国银保监会宁夏监管局 / 国家金融监督管理总局崇左监管分局: the regulator is in the prefix.
_PREFIXED = re.compile(rf"^(?P<prefix>{_PREFIXES})(?P<place>.+?)(?P<suffix>{_PREFIXED_SUFFIXES})$")
# 宁夏银保监局 / 崇左银保监分局 / 天津银监局 / 浙江保监局 / 宁夏金融监管局: the regulator is in the suffix.
_SUFFIXED = re.compile(rf"^(?P<place>.+?)(?P<suffix>{_SHORT_SUFFIXES})$")

# Decision numbers name the issuer: the head offices' marks, and a bureau's province by its abbreviation.
_DOCNO_HEAD_OFFICE: dict[str, str] = _REGULATORS["decision_no"]["head_office"]
_DOCNO_LOCAL_MARKS: dict[str, str] = _REGULATORS["decision_no"]["local_marks"]


class UnknownAuthority(ValueError):
    pass


@lru_cache(maxsize=1)
def regulator_pattern() -> re.Pattern:
    """A regulator's name as running text writes it, in every form nlp/data/regulators.yaml declares, places from
    the gazetteer: the one definition used by the REGULATOR entities, the authority line and signature of full-text
    decisions, and free-text mentions.

        >>> regulator_pattern().search("近日江苏银保监局对某农商行罚款").group(0)
        '江苏银保监局'
        >>> regulator_pattern().search("经中国证券监督管理委员会北京监管局查明").group(0)
        '中国证券监督管理委员会北京监管局'
    """
    places = gazetteer()
    place = trie_pattern({*places.provinces, *places.cities})
    # a People's Bank 县支行 is named by its county: 中国人民银行郓城县支行
    pboc_place = trie_pattern({*places.provinces, *places.cities, *(places.counties or {})})
    pboc_names = _alternation(name for name in _PBOC["names"] if name != "人行")
    forms = [
        rf"(?:{_PREFIXES})(?:{place})州?(?:{_PREFIXED_SUFFIXES})",
        rf"(?:{pboc_names})(?:(?:{pboc_place})(?:{_alternation(_PBOC['offices'])})|{_alternation(_PBOC['placeless'])})",
        rf"(?:{place})州?(?:{_SHORT_SUFFIXES})",
        rf"{_alternation(HEAD_OFFICES)}|{re.escape(_PBOC['names'][0])}",
    ]
    # every form starts with a head office's name, the People's Bank's or a place's
    starts = starting_with({*HEAD_OFFICES, *_PBOC["names"], *places.provinces, *places.cities})
    return re.compile(starts + "(?:" + "|".join(f"(?:{form})" for form in forms) + ")(?:筹备组)?")


def starting_with(words: set[str]) -> str:
    """A lookahead for the characters ``words`` start with, put before a pattern whose every match starts with one
    of them: the regex engine then passes over any other position with one test, instead of trying each branch of
    the pattern there (a regulator's name: 175 → 34 µs over a decision's text)."""
    return "(?=[" + "".join(re.escape(char) for char in sorted({word[0] for word in words})) + "])"


_BRANCHES = 32   # the most branches a choice of trie_pattern's tries in turn (16: 11 µs, 32: 9, 64: 10)


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
        chars = sorted(char for char in node if char)
        branches = [re.escape(char) + render(node[char]) for char in chars]
        if not branches:
            return ""
        if len(branches) > _BRANCHES:
            # The engine tries a choice's branches one by one, so a choice of 300 places is 300 tries at each
            # position: cut into groups, each behind a lookahead for its first characters (one test), a position
            # tries one group (the gazetteer over a decision's text: 19 → 9 µs). The same branches in the same order.
            groups = [(chars[i:i + _BRANCHES], branches[i:i + _BRANCHES]) for i in range(0, len(chars), _BRANCHES)]
            body = "(?:" + "|".join(starting_with(set(group)) + "(?:" + "|".join(alternatives) + ")"
                                    for group, alternatives in groups) + ")"
        else:
            body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    lookahead = starting_with(words) if words and "" not in words else ""   # no lookahead before an empty match
    return lookahead + "(?:" + render(trie) + ")"


# The People's Bank. Before the 2023-2024 reform: 总行, 上海总部, 营业管理部 (Beijing), nine 大区分行 seated in these
# cities, 中心支行 in provincial capitals and prefectures, 县支行. After it: 中国人民银行XX省分行 and city 分行.
PBOC = "中国人民银行"
PBOC_REGIONAL_BRANCH_SEATS = ("天津", "沈阳", "南京", "济南", "武汉", "广州", "成都", "西安")
PROVINCIAL_CAPITALS = {
    "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州",
    "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐",
}
_PBOC_LOCAL = re.compile(rf"^(?:{_alternation(_PBOC['names'])})(?P<place>.+?)(?P<kind>{_alternation(_PBOC['offices'])})$")


def resolve_authority(name: str) -> Authority:
    """Resolve a published authority name; UnknownAuthority when it is not a name this module knows how to read.
    Each name is resolved once (the regulators' offices are a few thousand names; a register repeats one), each
    decision given a copy of its own (a record's texts are scrubbed in place)."""
    return Authority(**vars(_resolved(name)))


@lru_cache(maxsize=8192)
def _resolved(name: str) -> Authority:
    # 「国家金融监督管理总局菏泽监管分局筹备组」: an office being set up decides as the office it becomes
    cleaned = re.sub(r"筹备组$", "", re.sub(r"\s+", "", fold(name)).strip("。.,，;；"))
    if cleaned.startswith(tuple(_PBOC["names"])):
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
        regulator = next(reg for key, reg in sorted(_SHORT_FORMS.items(), key=lambda kv: -len(kv[0]))
                         if match["suffix"].startswith(key))
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
    if region is None and kind == "支行" and places.county(place):
        # 中国人民银行郓城县支行: a county branch, in its county's prefecture
        county = places.county(place)
        return Authority(name=name, canonical=canonical, regulator="PBOC", level="county branch",
                         province=county.province, city=county.city)
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
    中国保监会浙江监管局 (a province's abbreviation: its bureau); 菏金罚决字〔2023〕26号 → 国家金融监督管理总局菏泽监管分局
    (the first character of one prefecture's name: its sub-bureau). A fallback for documents that do not name their
    authority."""
    head_office = head_office_from_decision_no(decision_no)
    if head_office or not decision_no:
        return head_office
    match = re.match(rf"^(?P<abbr>[\u4e00-\u9fff])(?P<marker>{_alternation(_DOCNO_LOCAL_MARKS)})罚",
                     fold(decision_no).strip())
    if not match:
        return None
    regulator = _DOCNO_LOCAL_MARKS[match["marker"]]
    places = gazetteer()
    if match["abbr"] in places.abbreviations:
        province = places.abbreviations[match["abbr"]]
        short = next(name for name, full in places.provinces.items() if full == province and name != full)
        canonical = LOCAL_PREFIX[regulator] + short + "监管局"
        return Authority(name=canonical, canonical=canonical, regulator=regulator, level="provincial bureau",
                         province=province)
    city = _city_by_initial().get(match["abbr"])
    if city is None:
        return None
    short, region = city
    canonical = LOCAL_PREFIX[regulator] + short + "监管分局"
    return Authority(name=canonical, canonical=canonical, regulator=regulator, level="sub-bureau",
                     province=region.province, city=region.city)


@lru_cache(maxsize=1)
def _city_by_initial() -> dict[str, tuple[str, object]]:
    """The prefectures whose name alone starts with a character (菏 → 菏泽), as sub-bureaus' numbers abbreviate them;
    a character two prefectures start with names neither."""
    found: dict[str, set] = {}
    for name, region in gazetteer().cities.items():
        if region.city and name != region.city and region.city not in ("北京市", "天津市", "上海市", "重庆市"):
            found.setdefault(name[0], set()).add((name, region))
    return {initial: next(iter(regions)) for initial, regions in found.items() if len(regions) == 1}


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
