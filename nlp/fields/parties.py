"""Who a party is: institution or individual, and the role an individual held (时任XX支行行长).

    >>> split_role("张三（时任中国工商银行股份有限公司成都分行行长）")
    ('张三', '时任中国工商银行股份有限公司成都分行行长')
"""

from __future__ import annotations

import re

from nlp.text import fold

# Words that end (or sit inside) the name of an organisation, not a person.
_INSTITUTION = re.compile(
    r"(银行|公司|分行|支行|分理处|营业部|储蓄所|信用社|合作社|联社|信用联社|合作银行|中心|集团|分公司|支公司|"
    r"营业所|代理处|经纪|事务所|协会|机构|部$|处$|社$|局$|行$|所$)"
)
_ROLE = re.compile(r"^(?P<name>[^（(，,]+?)\s*[（(，,]\s*(?P<role>(?:时任|原|曾任|系|现任|任)[^）)]*)[)）]?$")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,5}$|^[\u4e00-\u9fff]某+[\u4e00-\u9fff]?$")
EMPTY_VALUES = {"", "—", "-", "--", "——", "/", "无", "空", "／"}


def is_empty(value: str | None) -> bool:
    return value is None or fold(value).strip().strip("。.") in EMPTY_VALUES


_ROLE_START = re.compile(r"^(?:时任|原|曾任|系|现任|任)")
_UNIT = re.compile(r"银行|公司|分行|支行|部|中心|处|室|营业")


def split_role(value: str) -> tuple[str, str | None]:
    """The name, and the role or unit in brackets after it: 「宋某仁（时任…总经理)」, 「蒋某（广发银行股份有限公司
    资产托管部）」 (the PBOC names an individual's unit without 时任), brackets nested or mismatched as published."""
    value = value.strip()
    inner = _last_bracket(value)
    if inner is not None:
        name, role = value[:inner[0]].strip(), value[inner[0] + 1:inner[1]].strip()
        # 「蒋某（广发银行…资产托管部）」 names a person's unit; 「招商银行（信用卡中心）」 is a bank's own name
        person = _PERSON.match(name) and not _INSTITUTION.search(name)
        if name and role and (_ROLE_START.match(role) or (person and _UNIT.search(role))):
            return name, role
    match = _ROLE.match(value)
    if match:
        return match["name"].strip(), match["role"].strip()
    return value, None


def _last_bracket(value: str) -> tuple[int, int] | None:
    """(opening, closing) positions of the bracketed part that ends ``value``, brackets balanced and （ ( ） ) mixed."""
    if not value.endswith(("）", ")")):
        return None
    depth = 0
    for position in range(len(value) - 1, -1, -1):
        if value[position] in "）)":
            depth += 1
        elif value[position] in "（(":
            depth -= 1
            if depth == 0:
                return position, len(value) - 1
    return None


def party_kind(name: str, hint: str | None = None) -> str:
    """``hint`` is what the label said (个人 / 单位) when it said anything."""
    if hint in ("individual", "institution"):
        return hint
    if _INSTITUTION.search(name):
        return "institution"
    if _PERSON.match(name):
        return "individual"
    return "institution"
