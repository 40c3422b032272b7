"""A disclosure table's labels and values when they reach regkb as lines: a table whose markup was stripped (each cell
on a line of its own), a table copied as text (「label value」 on one line), a repost that kept 「label：value」.

    >>> labelled_pairs(["行政处罚决定书文号", "津银监罚决字〔2018〕35号", "被处罚当事人姓名或名称", "个人姓名", "—",
    ...                 "单位", "名称", "平安银行股份有限公司", "行政处罚依据：《中华人民共和国银行业监督管理法》第四十六条"])
    [('行政处罚决定书文号', '津银监罚决字〔2018〕35号'), ('被处罚当事人姓名或名称/个人姓名', '—'), ('被处罚当事人姓名或名称/单位/名称', '平安银行股份有限公司'), ('行政处罚依据', '《中华人民共和国银行业监督管理法》第四十六条')]

A label is a line the label vocabulary (nlp/data/labels.yaml, nlp/labels.py) reads as a field, or one of the
sub-labels under a party heading (个人姓名, 单位, 名称); consecutive labels make a path, as the table's merged label
cells did; the lines after a path, until the next label, are its value. The pairs go to the one reader of labelled
layouts (nlp/layouts/table.py ``read_pairs``).
"""

from __future__ import annotations

import re

from nlp.clean import _VALUE_END
from nlp.labels import PARTY_FIELDS, is_label, label_field
from nlp.labels import SUBLABELS as _SUBLABELS

# 「行政处罚依据：《…》」「被处罚当事人姓名或名称 单位 名称 平安银行」: a label and its value on one line
_INLINE = re.compile(r"^(?P<label>[\u4e00-\u9fff（）()/]{2,30}?)\s*(?:[:：]|\s)\s*(?P<value>\S.*)$")



def _labels_rejoined(lines: list[str]) -> list[str]:
    """A label a page broke into fragments (「单」「位」, 「作出」「处罚决定的机关名称」) made whole again."""
    out: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if out and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", out[-1]) and not is_label(out[-1]) \
                and not _VALUE_END.fullmatch(out[-1]) and is_label(out[-1] + line):
            out[-1] += line
        else:
            out.append(line)
    return out


def labelled_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """(label path, value) for each value the lines give a label, in order. A label followed by another label
    had an empty cell: it gives no pair."""
    pairs: list[tuple[str, str]] = []
    path: list[str] = []
    group: str | None = None        # a heading over sub-labels (被处罚当事人姓名或名称 over 个人姓名 and 单位)
    after_value = False             # the previous line was a value: another non-label line continues it
    for line in _labels_rejoined(lines):
        if is_label(line):
            label = re.sub(r"\s+", "", line).rstrip(":：")
            if path and not after_value and path[-1] not in _SUBLABELS and \
                    label_field(path[-1]) not in (*PARTY_FIELDS, None):
                path.pop()   # 「行政处罚决定书文号」 then 「被处罚当事人…」: the number's cell was empty
                if not path and group:
                    path = [group]
            if len(path) == 1 and not after_value and label_field(path[0]) in (*PARTY_FIELDS, None):
                group = path[0]
            if after_value:
                path = [group] if group and (label in _SUBLABELS or label_field(label) in PARTY_FIELDS) else []
                if not path:
                    group = None
            path.append(label)
            after_value = False
            continue
        inline = _INLINE.match(line) if not path or after_value else None
        if inline and is_label(inline["label"]) and inline["label"] not in _SUBLABELS:
            label, value = inline["label"], inline["value"].strip()
            # 「被处罚当事人姓名或名称 单位 名称 平安银行」: the sub-labels run into the value
            parts = value.split()
            while len(parts) > 1 and parts[0] in _SUBLABELS:
                label += "/" + parts.pop(0)
            pairs.append((label, " ".join(parts)))
            path, group, after_value = [], None, True
            continue
        if path:
            pairs.append(("/".join(path), line))
            path, after_value = [], True
        elif after_value and pairs:
            label, value = pairs[-1]
            pairs[-1] = (label, value + line)   # a value over several lines
    return pairs
