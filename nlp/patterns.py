"""The domain's patterns, each defined once: decision numbers (文号), the names of the forms a penalty is published in,
the labels that introduce a party (nlp/data/labels.yaml), and the short names a text declares (以下简称). Regulators' names are nlp/fields/authorities.py's
(``regulator_pattern``, from nlp/data/regulators.yaml).

A decision number is a prefix naming the issuer and its kind (津银监罚决字, 银罚决字, 上海银罚字, 兰银罚字, or none at
all for the CSRC's 〔2026〕6号), the year in brackets of any of the shapes published (〔〕 [] () （） 【】), and a serial
(3号, 第3号, a range 68-70号)::

    >>> DECISION_NO.search("重庆保监局渝保监罚〔2013〕46号").group(0)
    '渝保监罚〔2013〕46号'
    >>> NUMBER_ALONE.match("兰银罚字〔2016〕第3号")["no"], bool(NUMBER_ALONE.match("〔2026〕6号"))
    ('兰银罚字〔2016〕第3号', True)
    >>> bool(NUMBER_ALONE.match("[2015]2号上海银罚字"))
    False
"""

from __future__ import annotations

import re

from nlp.data import load

_YEAR = r"[〔\[(（【]\s*\d{4}\s*[〕\])）】]"
_SERIAL = r"\s*第?\s*\d+(?:\s*[-－—~～]\s*\d+)?\s*号"

# A penalty decision's number in running text; the prefix never crosses an authority's 局/会 or punctuation
# (「重庆保监局渝保监罚〔2013〕46号」 → 渝保监罚〔2013〕46号).
DECISION_NO = re.compile(rf"[^\s局会，,。：:（(）)〔\[【]{{0,8}}罚(?:决)?字?\s*{_YEAR}{_SERIAL}")
# Text that is a document number and nothing else: a table's 文号 cell, a line of its own (any issuer's prefix).
NUMBER_ALONE = re.compile(rf"^(?P<no>[^\s〔\[(（【]{{0,16}}{_YEAR}{_SERIAL})$")
# A penalty's number standing on a line of its own (it marks a document as a decision).
PENALTY_NUMBER_LINE = re.compile(rf"^\S{{0,12}}罚(?:决)?字\s*{_YEAR}{_SERIAL}$", re.M)
# A number that has its year and its 号, however its serial was printed (a cell not cut by a page break).
WHOLE_NUMBER = re.compile(rf"{_YEAR}.*号")
# A penalty number in brackets after a title: 《北京银保监局行政处罚信息公开表》-（京银保监罚决字〔2020〕13号）.
BRACKETED_NUMBER = re.compile(r"[(（]\s*(?P<no>[^()（）]*罚[^()（）]*号)\s*[)）]")

# The forms a penalty is published in, as titles name them (a longer form before the shorter it contains).
PENALTY_FORMS = ("行政处罚信息公开表", "行政处罚信息公示表", "行政处罚决定书", "市场禁入决定书", "处罚信息公示表", "行政处罚决定")
# Words that mark a document as a penalty's: one of the forms, or a penalty number's mark.
PENALTY_MARKERS = (*PENALTY_FORMS, "罚决字")
# A title about a penalty (the NFRA's lists carry other documents too: licensing approvals, notices).
PENALTY_TITLE = re.compile("行政处罚|罚决字|处罚信息|处罚决定|市场禁入")


def _spaced(label: str) -> str:
    """A label as printed, its characters padded or not (「当 事 人」)."""
    return r"\s*".join(re.escape(char) for char in label)


def _alternation(labels) -> str:
    return "|".join(_spaced(label) for label in sorted(labels, key=len, reverse=True))


LABELS = load("labels.yaml")
# 「当事人：太平财产保险有限公司」, 「被处罚人姓名：张某」: a party's label and its value.
PARTY_LABEL = re.compile(rf"^(?P<label>{_alternation(LABELS['party'] + LABELS['name'])})\s*[:：]\s*(?P<value>.+)$")
# 「当事人：」 or 「当事人」 alone on its line: the name follows on the next.
PARTY_LABEL_ALONE = re.compile(rf"^(?P<label>{_alternation(LABELS['party'])})\s*[:：]?\s*$")
# The same, without the bare 名称/姓名 (which open a party's line only in a decision's party block).
PARTY_LINE = re.compile(rf"^(?:{_alternation(LABELS['party'])})\s*[:：]", re.M)
# What is said of a party, never a party: 「住所：…」, 「法定代表人（主要负责人）：…」.
DETAIL_LABEL = re.compile(rf"^(?P<label>{_alternation(LABELS['detail'])})(?:[(（](?:主要)?负责人[)）])?\s*[:：]"
                          r"\s*(?P<value>.*)$")


# A name and what the text calls it for short: 「某某银行股份有限公司（以下简称“某某银行”）」
ALIAS = re.compile(r"(?P<full>[^，。；、（(：:]{2,60}?)[（(]以下简称[“\"「]?(?P<short>[^）)”\"」]{1,20})[”\"」]?[)）]")


def short_names(text: str) -> dict[str, str]:
    """What the text calls each party for short: 「某某银行股份有限公司（以下简称某某银行）」 → {"某某银行": …}.

    The matches of ``ALIAS``, each searched only in the window a 以下简称 allows (its name at most 60 characters
    before, its short name and brackets at most 23 after), so that a 50 KB text without one is a single ``find``.

        >>> short_names("对某某证券股份有限公司（以下简称“某某证券”）作出处罚。")
        {'某某证券': '对某某证券股份有限公司'}
    """
    aliases, end, after = {}, 0, 0   # end: where the last match ended; after: where to look for the next 以下简称
    while (at := text.find("以下简称", after)) != -1:
        match = ALIAS.search(text, max(end, at - 61), at + 27)
        if match is None:
            after = at + 1
            continue
        aliases[match["short"].strip()] = match["full"].strip()
        end = after = match.end()
    return aliases
