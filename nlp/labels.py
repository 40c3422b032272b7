"""A label, from whatever layout it came, to the field it fills (nlp/data/labels.yaml, the one vocabulary):

    >>> [label_field(label) for label in ("被处罚当事人/单位/名称", "单位/地址", "作出处罚决定的日期",
    ...                                   "作出处罚决定的机关名称", "被处罚人姓名", "备案号",
    ...                                   "被处罚机构名称", "被处罚当事人姓名或名称/个人姓名", "处罚机关/名称")]
    ['institution', 'never', 'decision_date_text', 'authority_name', 'individual', None, 'institution', 'individual', 'authority_name']

``None`` is a label regkb has no field for: the readers report it (nlp/review.py's 未知标签), never drop it silently.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.data import load
from nlp.text import fold

# Fields a label fills that are not a decision's text fields.
PARTY_FIELDS = ("institution", "individual")


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, tuple[str, ...], bool, tuple[str, ...]], ...]:
    """(field, words, every word needed, words that exclude it) in the order of nlp/data/labels.yaml."""
    out = []
    for entry in load("labels.yaml")["fields"]:
        every = "all" in entry
        out.append((entry["field"], tuple(entry["all"] if every else entry["words"]), every,
                    tuple(entry.get("not", ()))))
    return tuple(out)


@lru_cache(maxsize=4096)
def label_field(label: str) -> str | None:
    """The field ``label`` (a joined label path: 「被处罚当事人/个人/姓名」) fills; ``never`` for what is no field and
    no party (an address, an identity number); None for a label the vocabulary does not know."""
    text = re.sub(r"\s+", "", fold(label))
    parts = text.split("/")
    if len(parts) == 1:
        return _match(text)
    # a path's last part says what the cell holds (「被处罚单位/地址」 is an address, 「…/单位/名称」 a party's
    # name), unless the path as a whole names another field (「处罚机关/名称」 is the authority's)
    last = _match(parts[-1])
    if last is None:
        return _match(text)
    if last in PARTY_FIELDS:
        return _match(text, parties=False) or last
    return last


def _match(text: str, parties: bool = True) -> str | None:
    for field, words, every, excluded in _rules():
        if not parties and field in PARTY_FIELDS:
            continue
        if (all if every else any)(word in text for word in words) and not any(word in text for word in excluded):
            return field
    return None


SUBLABELS = {"个人姓名", "个人", "姓名", "单位", "名称", "单位名称", "法定代表人", "主要负责人"}
# what a value looks like and a label never does: an organisation's name, a sentence, a number, a date
_VALUE = re.compile(r"(?:银行|公司|分行|支行|分局|监管局|委员会|社|所|中心)$|[，。；,;:：《》“”]|\d")


_LABEL_END = re.compile(r"(?:号|称|名|人|日期|时间|事实|案由|依据|决定|内容|机关|机构|单位|种类|结果|措施|情况|行为|地址|住所|"
                        r"代码|号码|职务|性别|国籍|民族|类型|金额|数额|全称|文号)$")


def is_label(line: str) -> bool:
    """A line that is a label and nothing else (a table's cell, 「个人姓名」, 「作出处罚决定的机关名称」), not a value that
    happens to hold a label's word (「某某机构」, a sentence, a number).

        >>> is_label("被处罚当事人姓名或名称"), is_label("平安银行股份有限公司"), is_label("单位")
        (True, False, True)
    """
    text = re.sub(r"\s+", "", fold(line)).rstrip(":：")
    if not text or len(text) > 24 or _VALUE.search(text):
        return False
    if text in SUBLABELS:
        return True
    # a label ends as labels do (…文号, …名称, …事实（案由）, …日期), not as a value that holds a label's word
    # (「提供虚假的或者隐瞒重要事实的报表」)
    bare = re.sub(r"[(（][^()（）]*[)）]$", "", text)
    return bool(_LABEL_END.search(bare)) and label_field(text) is not None
