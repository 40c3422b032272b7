"""What kind of institution a party is, which group it belongs to, and at which level of it.

    >>> classify("中国工商银行股份有限公司成都分行")
    InstitutionInfo(institution_type='国有大型银行', parent='中国工商银行', legal_entity='中国工商银行股份有限公司', branch_level='分行')

Known groups are data (nlp/data/institutions.yaml); other names are read by their suffixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.data import load

# Type by what the name says, first match wins (农村商业银行 before 银行).
_TYPE_RULES: list[tuple[str, str]] = [
    (r"村镇银行", "村镇银行"),
    (r"农村商业银行|农村合作银行|农商银行", "农商行"),
    (r"信用合作联社|信用联社|农村信用社|信用合作社|信用社", "农信社"),
    (r"金融租赁", "金融租赁"),
    (r"消费金融", "消费金融"),
    (r"信托", "信托"),
    (r"资产管理|理财有限", "资产管理"),
    (r"支付|付款", "支付机构"),
    (r"会计师事务所|律师事务所|资产评估|评估有限|资信评级|信用评级", "证券服务机构"),
    (r"证券", "证券公司"),
    (r"期货", "期货公司"),
    (r"基金管理", "基金公司"),
    (r"保险经纪|保险代理|保险公估|代理有限|经纪有限|公估|汽车销售|销售服务", "保险中介"),
    (r"财产保险|产险|再保险", "财产险公司"),
    (r"人寿保险|健康保险|养老保险|人寿|寿险", "人身险公司"),
    (r"银行", "城商行"),   # a bank no rule above names: most are city commercial banks
]
# Where the legal entity's name ends and the branch begins.
_ENTITY_END = re.compile(r"^(?P<entity>.+?(?:股份有限公司|有限责任公司|有限公司|信用合作联社|信用联社|合作银行|农村商业银行|银行))"
                         r"(?P<branch>.*)$")
_BRANCH_LEVELS = [
    (r"中心支公司$", "中心支公司"), (r"支公司$", "支公司"), (r"分公司$", "分公司"),
    (r"(?:分理处|储蓄所|营业所|网点|代办处)$", "营业网点"), (r"营业部$", "营业部"),
    (r"支行$", "支行"), (r"分行$", "分行"), (r"信用社$|信用分社$", "营业网点"),
]


@dataclass(frozen=True)
class InstitutionInfo:
    institution_type: str
    parent: str | None
    legal_entity: str | None
    branch_level: str          # 法人 (the legal entity itself) | 分行 | 支行 | 分公司 | 中心支公司 | … | 营业网点


def _data() -> dict:
    return load("institutions.yaml")


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Each known group as (the prefixes of its names, its type, its parent), in the data's order."""
    return tuple((tuple(group["names"]), group["type"], group["parent"]) for group in _data()["groups"])


@lru_cache(maxsize=8192)   # a party is punished again and again, under the same name
def classify(name: str) -> InstitutionInfo:
    match = _ENTITY_END.match(name)
    entity, branch = (match["entity"], match["branch"]) if match else (name, "")
    # 「…银行股份有限公司…」: the entity runs to the company form when there is one after the bank's name
    company = re.match(r"^(?P<entity>.+?(?:股份有限公司|有限责任公司|有限公司))(?P<branch>.*)$", name)
    if company and len(company["entity"]) >= len(entity):
        entity, branch = company["entity"], company["branch"]
    level = next((label for pattern, label in _BRANCH_LEVELS if branch and re.search(pattern, branch)), None)
    level = level or ("法人" if not branch else "其他分支机构")
    for prefixes, institution_type, parent in _groups():
        if name.startswith(prefixes):
            return InstitutionInfo(institution_type, parent, entity, level)
    foreign = tuple(_data()["foreign_banks"])
    if name.startswith(foreign) or name.removeprefix("中国").startswith(foreign):
        institution_type = "外资银行"
    else:
        institution_type = next((label for pattern, label in _TYPE_RULES if re.search(pattern, entity)), "其他")
    parent = re.sub(r"(?:股份有限公司|有限责任公司|有限公司)$", "", entity) or None
    return InstitutionInfo(institution_type, parent, entity, level)
